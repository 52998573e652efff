"""The grader's side of the sandbox: start the learner's process, call its functions, enforce limits.

A `Sandbox` holds one learner process at a time. Every call has a wall-clock limit; a call that runs
over it, or a process that dies (exit, crash, memory bomb), is reported as such and the next call
starts a fresh process with the same cells. Replies are decoded as plain data only
(see codec.py), so nothing the learner's code does can run code in the grader.
"""
import ast
import ctypes
import fcntl
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from graders.sandbox import codec
from graders.sandbox.clock import WALL_FACTOR, CallClock, Deadline

CHILD_SCRIPT = Path(__file__).with_name("child.py")
START_TIMEOUT = 30.0
CALLBACK_BYTES = 2 * 2**20  # largest request to run a reference function (grading needs < 64 KiB)
CALLS_PER_MESSAGE = 50  # calls of one call_many sent together (at most this many run on after the caller stops)
READ_BYTES = 2**16  # one read from the learner's pipe (its buffer's size; a larger buffer costs more per read)
# Modules loaded before confinement only when the learner's cells import them (matplotlib.pyplot takes about
# 0.8 s to load); once the process is confined it could not read their files
ON_DEMAND = ("matplotlib.pyplot", "matplotlib.backends.backend_agg")
STOP_SECONDS = 5.0  # how long a cell past its time limit may take to stop before its process is ended


@dataclass(frozen=True)
class Limits:
    """Bounds on one learner process and on each call into it."""
    call_seconds: float = 10.0
    load_seconds: float = 10.0  # each cell's limit while the code loads (a cell past it is stopped, the next one runs)
    memory_bytes: int = 2 * 2**30
    cpu_seconds: int = 600
    file_bytes: int = 16 * 2**20
    function_seconds: float = 120.0  # all calls to one function together, across every check


@dataclass
class Outcome:
    """What one call did. status: returned | raised | missing | timeout | crashed | unloadable."""
    status: str
    value: object = None
    args_after: list = None
    kwargs_after: dict = None
    error_type: str = ""
    error_base: str = ""
    message: str = ""
    traceback: str = ""
    violations: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class CellRun:
    """What one notebook cell did. status: ran | timeout | crashed (the process is gone after the last two)."""
    status: str
    stdout: str = ""
    stderr: str = ""
    result: str = None     # repr of the cell's last expression, when it has a value
    error: dict = None     # {"type", "message", "traceback"} when the cell raised
    violations: list = field(default_factory=list)


@dataclass
class LoadReport:
    """Which cells ran, which failed and why, and which functions the learner's code defines."""
    cells: list = field(default_factory=list)
    functions: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    layers: list = field(default_factory=list)
    problem: str = ""  # set when the code could not be loaded at all


class Sandbox:
    """One learner's code, loaded in a confined process and called on demand."""

    def __init__(self, cells, files, limits=Limits(), environ=None, preload=()):
        self.cells = list(cells)  # [{"id": ..., "source": ...}] executed in order
        self.left_out = []        # report entries of cells that ended the process while loading (then left out)
        self.files = files        # {name: bytes} written into the process's working folder
        self.limits = limits
        self.environ = dict(environ or {})  # extra environment variables the learner's code sees
        self.preload = list(preload)        # modules imported before confinement, beyond the child's own list
        self.process = None
        self.load_report = None
        self.unread = 0  # replies to calls of a call_many that its caller stopped reading

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start_early(self):
        """Start the learner's process without waiting for it: it loads its modules while the caller does other
        work, and the first request that needs it sends it the cells."""
        if self.process is None and self.load_report is None:
            self._spawn()

    def load(self):
        """Start the process if needed and return the report of loading the cells."""
        if self._unstarted():
            self._start()
        return self.load_report

    def call(self, name, args=(), kwargs=None, inject=None, global_seed=None, seconds=None):
        """Call the learner's `name`; `inject` maps names to grader-side functions the code may call."""
        inject = inject or {}
        return self._ask({"op": "call", "name": name, "args": codec.to_wire(list(args)),
                          "kwargs": codec.to_wire(dict(kwargs or {})), "inject": sorted(inject),
                          "global_seed": global_seed}, inject, seconds)

    def signature(self, name):
        """The parameters of the learner's `name` as an Outcome whose value is [[name, kind, has default,
        default]] (kind: inspect's name for it, such as POSITIONAL_OR_KEYWORD)."""
        return self._ask({"op": "signature", "name": name}, {}, None)

    def _ask(self, message, inject, seconds):
        """Send one request about the learner's message["name"] and wait for its Outcome, answering callbacks."""
        name = message["name"]
        limit = seconds or self.limits.call_seconds
        if self.load_report is not None and self.load_report.problem:
            return Outcome("unloadable", message=self.load_report.problem)  # loading is not retried
        self._drain()
        if self._unstarted():
            self._start()
        if self.load_report.problem:
            return Outcome("unloadable", message=self.load_report.problem)
        clock = CallClock(self.process.pid, limit)
        try:
            with _Alarm(clock, inject) as alarm, _SharedCpu(self.process.pid, inject):
                self._send(message, clock)
                while True:
                    reply = self._receive(clock)
                    if reply.get("op") != "callback":
                        break
                    self._answer_callback(reply, inject, alarm)
            return self._outcome(reply, clock.used())
        except (TimeoutError, _Expired):
            self._kill()
            return Outcome("timeout", message=f"{name} did not finish within {limit:g} s", seconds=limit)
        except (EOFError, OSError, codec.CodecError) as exc:
            how = self._death_description(exc)
            self._kill()
            return Outcome("crashed", message=how, seconds=clock.used())

    def call_many(self, name, calls, seconds=None):
        """The Outcome of each call of the learner's `name` on calls' (args, kwargs), in order (a generator).

        The calls go to the process CALLS_PER_MESSAGE at a time, so it is woken once per message rather than
        once per call: for functions without grader-side stand-ins, called many times in a row. Each call has
        its own time limit; one that does not return or raise ends the calls. When the caller stops early,
        the calls already sent run to their end before the process's next request (their outcomes unread).
        """
        limit = seconds or self.limits.call_seconds
        for start in range(0, len(calls), CALLS_PER_MESSAGE):
            self._drain()
            if self._unstarted() and not (self.load_report and self.load_report.problem):
                self._start()  # loading is not retried
            if self.load_report.problem:
                yield Outcome("unloadable", message=self.load_report.problem)
                return
            chunk = calls[start:start + CALLS_PER_MESSAGE]
            clock = CallClock(self.process.pid, limit)
            try:
                self._send({"op": "call_many", "name": name, "calls": [
                    {"args": codec.to_wire(list(args)), "kwargs": codec.to_wire(dict(kwargs))} for args, kwargs in chunk
                ]}, clock)
                self.unread = len(chunk)
                for _ in chunk:
                    reply = self._receive(clock)
                    self.unread -= 1
                    outcome = self._outcome(reply, clock.used())
                    clock = CallClock(self.process.pid, limit, clock.last_reading)  # the process is on the next call
                    if outcome.status == "crashed":  # an unexpected reply: the process is out of step
                        self._kill()
                    yield outcome
                    if outcome.status == "crashed":
                        return
            except TimeoutError:
                self._kill()
                yield Outcome("timeout", message=f"{name} did not finish within {limit:g} s", seconds=limit)
                return
            except (EOFError, OSError, codec.CodecError) as exc:
                how = self._death_description(exc)
                self._kill()
                yield Outcome("crashed", message=how, seconds=clock.used())
                return

    def run_cell(self, cell_id, source, seconds):
        """Run one more notebook cell in the learner's process; a cell that ignores its time limit ends it."""
        self._drain()
        if self._unstarted():
            self._start()
        if self.load_report.problem:
            return CellRun("crashed", error={"type": "SandboxError", "message": self.load_report.problem,
                                             "traceback": ""})
        deadline = Deadline(seconds * WALL_FACTOR + STOP_SECONDS)  # the child stops the cell at its limit
        try:
            self._send({"op": "run_cell", "id": cell_id, "source": source, "seconds": seconds,
                        "wall_seconds": seconds * WALL_FACTOR}, deadline)
            reply = self._receive(deadline)
        except TimeoutError:
            self._kill()
            return CellRun("timeout")
        except (EOFError, OSError, codec.CodecError) as exc:
            how = self._death_description(exc)
            self._kill()
            return CellRun("crashed", error={"type": "ProcessEnded", "message": how, "traceback": ""})
        if reply.get("op") != "ran":
            self._kill()
            return CellRun("crashed", error={"type": "ProcessEnded", "traceback": "",
                                             "message": "the process sent an unexpected reply"})
        error = reply.get("error")
        return CellRun("ran", stdout=plain_text(reply.get("stdout"), 30_000), stderr=plain_text(reply.get("stderr"), 30_000),
                       result=plain_text(reply.get("result"), 30_000) if type(reply.get("result")) is str else None,
                       error={key: plain_text(error.get(key), 5000) for key in ("type", "message", "traceback")}
                       if type(error) is dict else None,
                       violations=[plain_text(v) for v in as_list(reply.get("violations"))[:50]])

    def close(self):
        """End the learner's process and remove its working folder."""
        if self.process is not None:
            try:
                if self.load_report is not None:  # a process started early but never sent its cells expects them first
                    self._send({"op": "bye"}, Deadline(1.0))
            except (OSError, TimeoutError):
                pass
            self._kill()

    # -- internals ---------------------------------------------------------------------------

    def _unstarted(self):
        """Does the next request need _start: no process, or one started early that has not loaded the cells?"""
        return self.process is None or self.load_report is None

    def _start(self):
        """Start the learner's process (or take the one start_early started) and load its cells. A cell that ends
        the process, or ignores its time limit, is left out and the cells load again without it: it costs its own
        work only."""
        while True:
            if self.process is None:
                self._spawn()
            report, culprit = self._setup()
            if culprit is None:
                break
            self.left_out.append(culprit[1])
            del self.cells[culprit[0]]
        report.cells[:0] = self.left_out
        self.load_report = report

    def _spawn(self):
        self.workdir = tempfile.mkdtemp(prefix="dino-sandbox-")
        for name, data in self.files.items():
            Path(self.workdir, name).write_bytes(data)
        self.log = tempfile.TemporaryFile()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.workdir, "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",  # confinement needs
               "PYTHONDONTWRITEBYTECODE": "1"}                                            # one thread
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(CHILD_SCRIPT), str(to_child_r), str(from_child_w)],
            cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
            pass_fds=(to_child_r, from_child_w), start_new_session=True, preexec_fn=_die_with_parent)
        os.close(to_child_r)
        os.close(from_child_w)
        self.writer, self.reader = to_child_w, from_child_r
        fcntl.fcntl(self.writer, fcntl.F_SETFL, fcntl.fcntl(self.writer, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.buffer = bytearray()
        self.last_size = 0

    def _setup(self):
        """(LoadReport, None) once the cells have loaded; (None, (index, report entry)) for the cell that
        ended the process or ignored its time limit; (LoadReport with a problem, None) when the process
        ended outside any cell."""
        limits = {"memory_bytes": self.limits.memory_bytes, "cpu_seconds": self.limits.cpu_seconds,
                  "file_bytes": self.limits.file_bytes}
        ready, started = {}, []
        try:
            self._send({"op": "setup", "cells": self.cells, "limits": limits, "environ": self.environ,
                        "preload": self.preload, "cell_seconds": self.limits.load_seconds,
                        "cell_wall_seconds": self.limits.load_seconds * WALL_FACTOR},
                       Deadline(START_TIMEOUT))
            ready = self._receive(Deadline(START_TIMEOUT))
            # each cell has load_seconds of computing time (the child stops it then, or at WALL_FACTOR times that
            # in wall-clock time) and STOP_SECONDS more to give up; all of them together never more than that per
            # cell, however many "cell" messages arrive
            per_cell = self.limits.load_seconds * WALL_FACTOR + STOP_SECONDS
            last = Deadline(per_cell * (len(self.cells) + 1))
            loaded = self._receive(Deadline(per_cell, last))
            while loaded.get("op") == "cell" and len(started) < len(self.cells):
                started.append(plain_text(loaded.get("id")))
                loaded = self._receive(Deadline(per_cell, last))
        except TimeoutError:
            self._kill()
            if started:
                return None, (len(started) - 1, {
                    "id": started[-1], "ok": False, "type": "CellTimeoutError", "traceback": "",
                    "message": f"the cell did not stop at its time limit of {self.limits.load_seconds:g} s, which "
                               "ended the process, and was left out"})
            return LoadReport(layers=layers_of(ready), problem=f"your code did not finish loading within "
                                                                f"{self.limits.load_seconds:g} s"), None
        except (EOFError, OSError, codec.CodecError) as exc:
            how = self._death_description(exc)
            self._kill()
            if started:
                return None, (len(started) - 1, {
                    "id": started[-1], "ok": False, "type": "ProcessEnded", "traceback": "",
                    "message": f"it stopped the grading process while loading ({how}) and was left out"})
            return LoadReport(layers=layers_of(ready),
                              problem=f"your code stopped the grading process while loading: {how}"), None
        cells = [{key: plain_text(cell.get(key, "")) if key != "ok" else cell.get("ok") is True
                  for key in ("id", "ok", "type", "message", "traceback")}
                 for cell in as_list(loaded.get("cells")) if type(cell) is dict]
        return LoadReport(cells=cells, functions=[plain_text(f) for f in as_list(loaded.get("functions"))],
                          violations=[plain_text(v) for v in as_list(loaded.get("violations"))],
                          layers=layers_of(ready)), None

    def _answer_callback(self, request, inject, alarm):
        name = request.get("name")
        function = inject.get(name) if type(name) is str else None
        try:
            if self.last_size > CALLBACK_BYTES:
                raise ValueError(f"the arguments are larger than the grader accepts ({CALLBACK_BYTES} bytes)")
            args = codec.from_wire(request.get("args"))
            kwargs = codec.from_wire(request.get("kwargs"))
            if function is None or type(args) is not list or type(kwargs) is not dict:
                raise ValueError(f"{name!r} is not something the grader supplies here")
            value = alarm.run(function, args, kwargs)  # the grader's time counts against the call's
            # in-place changes go back for keyword arguments too (optimize(..., parameters=parameters)); only the
            # arrays, since they are all the learner's process copies back (codec.write_back)
            same = next((i for i, arg in enumerate(args) if value is arg), None)
            same_key = next((key for key, arg in kwargs.items() if value is arg), None)
            reply = {"op": "callback_result",
                     "value": ["n"] if same is not None or same_key is not None else codec.to_wire(value),
                     "args_after": codec.arrays_to_wire(args), "kwargs_after": codec.arrays_to_wire(kwargs),
                     "same_as_arg": same, "same_as_kwarg": same_key}
            data = codec.encode_message(reply)  # too large to send back is an error for the learner's code too
        except Exception as exc:  # noqa: BLE001 - any failure goes back to the learner's code as an error
            reply = {"op": "callback_error",
                     "message": f"the grader's {name} could not run with the arguments your code passed: "
                                f"{type(exc).__name__}: {str(exc)[:500]}"}
            data = codec.encode_message(reply)
        self._send_bytes(data, alarm.clock)

    def _drain(self):
        """Read and drop the replies of calls a call_many's caller left unread; end the process if one never comes."""
        try:
            while self.unread:
                self._receive(Deadline(self.limits.call_seconds * WALL_FACTOR))
                self.unread -= 1
        except (TimeoutError, EOFError, OSError, codec.CodecError):
            self._kill()

    def _outcome(self, reply, seconds):
        """An Outcome from a reply, every field checked to be plain data of the expected type."""
        op = reply.get("op")
        common = {"violations": [plain_text(v) for v in as_list(reply.get("violations"))[:50]], "seconds": seconds}
        if op == "returned":
            return Outcome("returned", value=codec.from_wire(reply.get("value")),
                           args_after=codec.from_wire(reply.get("args_after")),
                           kwargs_after=codec.from_wire(reply.get("kwargs_after")), **common)
        if op == "raised":
            return Outcome("raised", error_type=plain_text(reply.get("type")), error_base=plain_text(reply.get("base")),
                           message=plain_text(reply.get("message"), 5000),
                           traceback=plain_text(reply.get("traceback"), 5000), **common)
        if op == "missing":
            return Outcome("missing", **common)
        return Outcome("crashed", message="the grading process sent an unexpected reply", **common)

    def _death_description(self, exc):
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                return f"the process sent malformed data ({exc})"
        code = self.process.returncode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = {"SIGKILL": " (most likely the memory limit)", "SIGXCPU": " (the CPU time limit)",
                    "SIGSEGV": " (a crash: most often recursion too deep for the stack, or the memory limit)",
                    "SIGBUS": " (a crash, most often the memory limit)",
                    "SIGABRT": " (an internal error, most often out of memory)"}.get(name, "")
            return f"the process was killed by {name}{hint}"
        return f"the process exited with code {code} (sys.exit or os._exit in your code?)"

    def _send(self, message, timer):
        """Write one message, never blocking past timer's end (a process that stops reading cannot hang us)."""
        self._send_bytes(codec.encode_message(message), timer)

    def _send_bytes(self, data, timer):
        """Write one encoded message (codec.encode_message), never blocking past timer's end (a Deadline or
        CallClock)."""
        view = memoryview(data)
        while view:
            remaining = timer.wait_seconds()
            if remaining <= 0:
                raise TimeoutError
            try:  # the pipe is non-blocking: wait for room only when it is full
                view = view[os.write(self.writer, view):]
            except BlockingIOError:
                select.select([], [self.writer], [], remaining)

    def _receive(self, timer):
        """The next message, read before timer's end (a Deadline or CallClock)."""
        while True:
            remaining = timer.wait_seconds()
            if remaining <= 0:
                raise TimeoutError  # also when messages keep arriving (a stream of callbacks)
            message = self._take_message()
            if message is not None:
                return message
            ready, _, _ = select.select([self.reader], [], [], remaining)
            if not ready:
                continue  # the timer says whether that was the end
            chunk = os.read(self.reader, READ_BYTES)
            if not chunk:
                raise EOFError("the process closed its output")
            self.buffer += chunk
            if len(self.buffer) > codec.MAX_MESSAGE_BYTES + 8:
                raise codec.CodecError("reply larger than the message limit")

    def _take_message(self):
        if len(self.buffer) < 8:
            return None
        length = int.from_bytes(self.buffer[:8], "big")
        if length > codec.MAX_MESSAGE_BYTES:
            raise codec.CodecError("reply larger than the message limit")
        if len(self.buffer) < 8 + length:
            return None
        body = bytes(self.buffer[8:8 + length])
        del self.buffer[:8 + length]
        self.last_size = length
        return codec.decode_body(body)

    def _kill(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for fd in (self.writer, self.reader):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.process = None
        self.unread = 0


def modules_to_preload(sources):
    """The ON_DEMAND modules whose package one of the sources (cells of Python code) imports."""
    imported = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    return [name for name in ON_DEMAND if name.split(".")[0] in imported]


class _Expired(BaseException):
    """The call's time ran out while the grader ran a function for the learner's code."""


class _Alarm:
    """Stops the grader's functions that the learner's code calls once the call's time runs out (_Expired), where a
    timer is free (the main thread, no timer set): one SIGALRM handler for the whole call, which acts only while
    such a function runs, and rearms itself until the call ends. Elsewhere the time is checked when they return."""

    def __init__(self, clock, inject):
        self.clock, self.running = clock, False
        self.usable = bool(inject) and threading.current_thread() is threading.main_thread() and not (
            signal.getitimer(signal.ITIMER_REAL)[0])

    def __enter__(self):
        if self.usable:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, max(self.clock.wait_seconds(), 0.001))
        return self

    def __exit__(self, *exc):
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False

    def _expire(self, *_):  # a signal handler: (signal number, frame)
        left = self.clock.wait_seconds()
        if left <= 0 and self.running:
            raise _Expired
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.01))  # past the limit between functions: _receive says so

    def run(self, function, args, kwargs):
        """function(*args, **kwargs), its CPU time counted on the call's clock."""
        if self.clock.wait_seconds() <= 0:
            raise _Expired
        self.clock.begin_callback()
        try:
            self.running = self.usable
            return function(*args, **kwargs)
        finally:
            self.running = False
            self.clock.end_callback()


class _SharedCpu:
    """While a call whose learner's code calls the grader's functions runs, the grader's thread and the learner's
    process stay on the CPU the grader is on: they take turns anyway, and waking a process on another CPU can cost
    more than the turn itself (about 50 us against 6 us on a small virtual machine, thousands of times a call).
    Both get their CPUs back when the call ends."""

    def __init__(self, pid, inject):
        self.pid, self.mask, self.cpu = pid, None, None
        if inject:
            try:
                mask, cpu = os.sched_getaffinity(0), ctypes.CDLL(None).sched_getcpu()
            except (OSError, AttributeError):
                return
            if len(mask) > 1 and cpu in mask:
                self.mask, self.cpu = mask, cpu

    def __enter__(self):
        if self.mask:
            self._assign({self.cpu})
        return self

    def __exit__(self, *exc):
        if self.mask:
            self._assign(self.mask)
        return False

    def _assign(self, cpus):
        for pid in (0, self.pid):  # 0: this thread
            try:
                os.sched_setaffinity(pid, cpus)
            except OSError:  # the process has ended, or may not be moved
                pass


def layers_of(ready):
    """The confinement layers the process said were in force, in its ready message."""
    return [plain_text(layer) for layer in as_list(ready.get("layers"))]


def plain_text(value, limit=2000):
    """value if it is a string (cut to limit characters), else an empty string."""
    return value[:limit] if type(value) is str else ""


def as_list(value):
    """value if it is a list, else an empty list."""
    return value if type(value) is list else []


def _die_with_parent():
    """In the child before exec: be killed if the grader dies, so no learner process outlives it."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
