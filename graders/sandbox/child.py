"""Entry point of the sandboxed process that runs a learner's code for the grader.

Started by `graders.sandbox.session` as `python -I child.py FD_IN FD_OUT` in a fresh, empty working
folder. It loads numpy, confines itself (see confine.py), runs the learner's cells, then answers
the grader's requests one at a time: call a function with plain-data arguments, send back plain
data. Functions the grader wants to supply itself (for instance the reference `clip` while it
grades `optimize`) are replaced by stubs that ask the grader to run them. Nothing here compares
or scores anything; the learner's code cannot reach the grader's data from this process.

Standard library and numpy only; siblings are loaded by path, never as the `graders` package.
"""
import ast
import builtins
import importlib
import importlib.util
import inspect
import linecache
import os
import signal
import sys
import traceback
import types

# This file's functions keep a private copy of the builtins, so learner code that rebinds
# builtins.type or builtins.isinstance cannot change how replies are built.
__builtins__ = dict(vars(builtins))

# Modules learners commonly import, loaded before confinement so that importing them later needs
# no file access.
PRELOAD = ("copy", "math", "random", "itertools", "functools", "collections", "string", "re", "pprint",
           "time", "typing", "numbers", "operator", "statistics", "warnings", "dataclasses", "numpy.random",
           "numpy.linalg", "numpy.testing")
OUTPUT_LIMIT = 20_000  # characters kept of what a notebook cell prints (per stream) and of the value it shows


def load_sibling(name):
    """Load a module that sits next to this file, under a private name."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location(f"_sandbox_{name}", path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__["__builtins__"] = dict(vars(builtins))  # unaffected by learner code rebinding builtins
    spec.loader.exec_module(module)
    return module


class Discard:
    """A text stream that drops what the learner's code prints (nobody reads it; it must not pile up)."""

    def write(self, text):
        return len(text) if type(text) is str else 0

    def flush(self):
        pass

    def isatty(self):
        return False


class CappedOutput:
    """A text stream that keeps the first OUTPUT_LIMIT characters written and counts the rest (a notebook
    cell's output, which the grader writes back into the notebook)."""

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def write(self, text):
        text = text if type(text) is str else str(text)
        room = OUTPUT_LIMIT - self.kept
        self.parts.append(text[:max(room, 0)])
        self.kept += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        tail = f"\n[... {self.dropped} more characters not shown]" if self.dropped else ""
        return "".join(self.parts) + tail


class Channel:
    """Framed plain-data messages over two pipes."""

    def __init__(self, fd_in, fd_out, codec):
        self.reader = os.fdopen(fd_in, "rb")  # buffered: a message's length and body come in one read
        self.writer = os.fdopen(fd_out, "wb", buffering=0)
        self.codec = codec

    def send(self, message):
        try:
            data = self.codec.encode_message(message)
        except self.codec.CodecError as exc:  # a reply too large to send: say so instead
            data = self.codec.encode_message({"op": "raised", "type": "ValueError", "base": "TooLarge",
                                              "message": f"the value is too large to send to the grader ({exc})",
                                              "traceback": "", "violations": message.get("violations", [])})
        view = memoryview(data)
        while view:
            written = self.writer.write(view)
            view = view[written:]

    def receive(self):
        message = self.codec.read_message(self.reader)
        if message is None:
            raise SystemExit(0)  # the grader has gone: nothing left to do
        return message


class Worker:
    """Runs the learner's cells and serves the grader's calls."""

    def __init__(self, channel, codec, confinement, np):
        self.channel, self.codec, self.confinement, self.np = channel, codec, confinement, np
        module = types.ModuleType("submission")
        module.__dict__["__builtins__"] = builtins
        self.namespace = module.__dict__

    def load(self, cells, seconds, wall_seconds):
        """Execute each cell in the learner's namespace, each within `seconds` of CPU time (and `wall_seconds`
        of wall-clock time); one cell's error or timeout
        does not stop the others. The grader is told when each cell starts (it ends a cell that ignores its limit)."""
        report = []
        for cell in cells:
            filename = f"<cell {cell['id']}>"
            source = cell["source"]
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            self.channel.send({"op": "cell", "id": cell["id"]})
            try:
                code = compile(source, filename, "exec")
                with redirected(Discard()), time_limit(seconds, wall_seconds):
                    exec(code, self.namespace)
                report.append({"id": cell["id"], "ok": True})
            except BaseException as exc:  # noqa: BLE001 - learner code may raise anything, SystemExit included
                report.append({"id": cell["id"], "ok": False, **describe_exception(exc, self.confinement.workdir)})
        functions = sorted(name for name, value in list(self.namespace.items())
                           if isinstance(name, str) and type(value) is types.FunctionType)
        self.channel.send({"op": "loaded", "cells": report, "functions": functions,
                           "violations": self.confinement.take_violations()})

    def call(self, request):
        """Call one of the learner's functions and send back what it returned or raised."""
        to_wire, from_wire = self.codec.to_wire, self.codec.from_wire
        function = self.namespace.get(request["name"])
        if not callable(function):
            self.channel.send({"op": "missing", "name": request["name"]})
            return
        args, kwargs = from_wire(request["args"]), from_wire(request["kwargs"])
        if request.get("global_seed") is not None:
            self.np.random.seed(request["global_seed"])  # a known state, to tell whether the code reseeds
        replaced = {name: self.namespace.get(name, _MISSING) for name in request.get("inject", [])}
        for name in replaced:
            self.namespace[name] = self.grader_stub(name)
        try:
            with redirected(Discard()):
                value = function(*args, **kwargs)
            reply = {"op": "returned", "value": to_wire(value), "args_after": to_wire(args),
                     "kwargs_after": to_wire(kwargs)}
        except BaseException as exc:  # noqa: BLE001
            reply = {"op": "raised", **describe_exception(exc, self.confinement.workdir)}
        finally:
            for name, previous in replaced.items():
                if previous is _MISSING:
                    self.namespace.pop(name, None)
                else:
                    self.namespace[name] = previous
        reply["violations"] = self.confinement.take_violations()
        self.channel.send(reply)

    def signature(self, request):
        """Send back the parameters of one of the learner's functions: [[name, kind, has default, default]]."""
        function = self.namespace.get(request["name"])
        if not callable(function):
            self.channel.send({"op": "missing", "name": request["name"]})
            return
        try:
            with redirected(Discard()):
                parameters = [[p.name, p.kind.name, p.default is not p.empty,
                               None if p.default is p.empty else p.default]
                              for p in inspect.signature(function).parameters.values()]
            reply = {"op": "returned", "value": self.codec.to_wire(parameters), "args_after": ["l", []],
                     "kwargs_after": ["d", []]}
        except BaseException as exc:  # noqa: BLE001 - learner code (a __signature__) may raise anything
            reply = {"op": "raised", **describe_exception(exc, self.confinement.workdir)}
        reply["violations"] = self.confinement.take_violations()
        self.channel.send(reply)

    def run_cell(self, request):
        """Run one notebook cell as a kernel would: what it printed, its last expression's value, its error.

        The cell is stopped (CellTimeoutError) once it has used request["seconds"] of CPU time, or taken
        request["wall_seconds"] of wall-clock time.
        """
        filename = f"<cell {request['id']}>"
        source = request["source"]
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        stdout, stderr = CappedOutput(), CappedOutput()
        reply = {"op": "ran", "result": None, "error": None}
        try:
            body, last = compile_cell(source, filename)
            with redirected(stdout, stderr), time_limit(request["seconds"], request["wall_seconds"]):
                exec(body, self.namespace)
                value = eval(last, self.namespace) if last is not None else None
                if value is not None:
                    reply["result"] = text_of(repr(value))
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            reply["error"] = describe_exception(exc, self.confinement.workdir)
        reply["stdout"], reply["stderr"] = stdout.text(), stderr.text()
        reply["violations"] = self.confinement.take_violations()
        self.channel.send(reply)

    def grader_stub(self, name):
        """A stand-in for `name` that has the grader run its own version, updating arrays in place."""
        channel, to_wire, from_wire = self.channel, self.codec.to_wire, self.codec.from_wire

        def stub(*args, **kwargs):
            channel.send({"op": "callback", "name": name, "args": to_wire(list(args)), "kwargs": to_wire(kwargs)})
            reply = channel.receive()
            if reply.get("op") != "callback_result":
                raise RuntimeError(reply.get("message", f"the grader could not run {name}"))
            self.codec.write_back(list(args), from_wire(reply["args_after"]))
            kwargs_after = from_wire(reply["kwargs_after"])
            keys = [key for key in kwargs if key in kwargs_after]
            self.codec.write_back([kwargs[key] for key in keys], [kwargs_after[key] for key in keys])
            if reply.get("same_as_arg") is not None:
                return args[reply["same_as_arg"]]
            if reply.get("same_as_kwarg") is not None:
                return kwargs[reply["same_as_kwarg"]]
            return from_wire(reply["value"])

        stub.__name__ = stub.__qualname__ = name
        return stub

    def serve(self):
        while True:
            request = self.channel.receive()
            if request.get("op") == "call":
                self.call(request)
            elif request.get("op") == "call_many":  # one reply per call, as for that many "call"s
                for call in request["calls"]:
                    self.call({"name": request["name"], **call})
            elif request.get("op") == "signature":
                self.signature(request)
            elif request.get("op") == "run_cell":
                self.run_cell(request)
            elif request.get("op") == "bye":
                return


_MISSING = object()


class redirected:
    """Send sys.stdout and sys.stderr to one stream (or to two: stream, errors) while the learner's code runs."""

    def __init__(self, stream, errors=None):
        self.streams = stream, errors or stream

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.streams

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved
        return False


class CellTimeoutError(BaseException):
    """Raised in a notebook cell that has run out of its time (a BaseException, as KeyboardInterrupt is)."""


class time_limit:
    """Raise CellTimeoutError in the code run inside, once it has used `seconds` of CPU time, or once it has
    taken `wall_seconds` of wall-clock time (code that waits without computing): a loaded machine does not
    stop a cell that would finish in time on a quiet one.

    The alarm only interrupts the learner's code: once the block is left, a late alarm does nothing.
    Code that silences the alarm is stopped by the grader instead, which then ends the process.
    """

    def __init__(self, seconds, wall_seconds):
        self.seconds, self.wall_seconds, self.active = seconds, wall_seconds, False

    def __enter__(self):
        signal.signal(signal.SIGALRM, self.expire)
        signal.signal(signal.SIGPROF, self.expire)
        self.active = True
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        signal.setitimer(signal.ITIMER_REAL, self.wall_seconds)

    def __exit__(self, *exc):
        self.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        return False

    def expire(self, *_):  # a signal handler: (signal number, frame)
        if self.active:
            self.active = False
            raise CellTimeoutError(f"the cell did not finish within {self.seconds:g} s and was stopped")


def compile_cell(source, filename):
    """(code of the cell but its last expression, code of that expression or None), as IPython displays it.

    A cell whose last line ends with a semicolon displays nothing, as in Jupyter.
    """
    tree = ast.parse(source, filename, "exec")
    last = tree.body[-1] if tree.body and type(tree.body[-1]) is ast.Expr else None
    if last is None or source.rstrip().endswith(";"):
        return compile(tree, filename, "exec"), None
    body = ast.Module(body=tree.body[:-1], type_ignores=[])
    return compile(body, filename, "exec"), compile(ast.Expression(last.value), filename, "eval")


def text_of(value):
    """A repr() result cut to OUTPUT_LIMIT characters ('' when a hostile __repr__ returned no str)."""
    return value[:OUTPUT_LIMIT] if type(value) is str else ""


def describe_exception(exc, helpers):
    """Type, message and traceback of exc; never fails, whatever the exception's class does."""
    try:
        return exception_details(exc, helpers)
    except BaseException:  # noqa: BLE001 - a hostile exception class (a property for __traceback__, ...)
        return {"type": type_name(exc), "traceback": "", "base": "Exception",
                "message": "(the exception could not be described)"}


def type_name(value):
    """The real name of value's class (a metaclass cannot fake this getter)."""
    return type.__dict__["__name__"].__get__(type(value))[:200]


def exception_details(exc, helpers):
    """Type, message and a traceback limited to the learner's cells and the provided helpers (files in helpers)."""
    kind = type_name(exc)
    try:
        message = str(exc)
        message = message[:2000] if type(message) is str else ""
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = "(the exception's message could not be shown)"
    frames_of = traceback.walk_tb(BaseException.__traceback__.__get__(exc))  # not a property the class overrides
    summary = traceback.StackSummary.extract(frames_of, lookup_lines=False)
    frames = [frame for frame in summary  # the grader's own frames are dropped unread
              if frame.filename.startswith("<cell ") or os.path.dirname(frame.filename) == helpers]
    lines = []
    for frame in frames[-8:]:
        where = frame.filename[1:-1] if frame.filename.startswith("<") else os.path.basename(frame.filename)
        lines.append(f"  {where}, line {frame.lineno}, in {frame.name}: {(frame.line or '').strip()}")
    if isinstance(exc, SyntaxError) and exc.lineno:
        lines.append(f"  {exc.filename}, line {exc.lineno}: {(exc.text or '').strip()}")
    return {"type": kind, "message": message, "traceback": "\n".join(lines),
            "base": "SystemExit" if isinstance(exc, SystemExit) else
                    "KeyboardInterrupt" if isinstance(exc, KeyboardInterrupt) else
                    "NotImplementedError" if isinstance(exc, NotImplementedError) else
                    "MemoryError" if isinstance(exc, MemoryError) else
                    "RecursionError" if isinstance(exc, RecursionError) else "Exception"}


def main():
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    codec, confine, privileges, syscalls = map(load_sibling, ("codec", "confine", "privileges", "syscalls"))
    np = importlib.import_module("numpy")
    for name in PRELOAD:
        importlib.import_module(name)
    channel = Channel(fd_in, fd_out, codec)
    setup = channel.receive()
    workdir = os.getcwd()
    sys.path[:] = [workdir] + [p for p in sys.path if p and os.path.isdir(p)]
    os.environ.update(setup.get("environ", {}))
    for name in setup.get("preload", ()):  # modules the grader's caller allows beyond PRELOAD (a notebook's plots)
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not installed: the learner's import then fails as it would anyway
            pass
    confinement = confine.Confinement(workdir, confine.standard_read_roots(np), setup["limits"], privileges, syscalls)
    confinement.apply()
    worker = Worker(channel, codec, confinement, np)
    channel.send({"op": "ready", "layers": confinement.layers})
    worker.load(setup["cells"], setup["cell_seconds"], setup["cell_wall_seconds"])
    worker.serve()


if __name__ == "__main__":
    main()
