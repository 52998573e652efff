"""The grader's side of the sandbox: start the learner's process, call its functions, enforce limits.

A `Sandbox` holds one learner process at a time. Every call has a wall-clock limit; a call that runs
over it, or a process that dies (exit, crash, memory bomb), is reported as such and the next call
starts a fresh process with the same cells. Replies are decoded as plain data only
(see codec.py), so nothing the learner's code does can run code in the grader.
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from graders.sandbox import codec

CHILD_SCRIPT = Path(__file__).with_name("child.py")
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Limits:
    """Bounds on one learner process and on each call into it."""
    call_seconds: float = 10.0
    load_seconds: float = 10.0
    memory_bytes: int = 2 * 2**30
    cpu_seconds: int = 600
    file_bytes: int = 16 * 2**20


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
    output: str = ""
    violations: list = field(default_factory=list)
    seconds: float = 0.0


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

    def __init__(self, cells, files, limits=Limits()):
        self.cells = cells        # [{"id": ..., "source": ...}] executed in order
        self.files = files        # {name: bytes} written into the process's working folder
        self.limits = limits
        self.process = None
        self.load_report = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def load(self):
        """Start the process if needed and return the report of loading the cells."""
        if self.process is None:
            self._start()
        return self.load_report

    def call(self, name, args=(), kwargs=None, inject=None, global_seed=None, seconds=None):
        """Call the learner's `name`; `inject` maps names to grader-side functions the code may call."""
        inject = inject or {}
        limit = seconds or self.limits.call_seconds
        if self.load_report is not None and self.load_report.problem:
            return Outcome("unloadable", message=self.load_report.problem)  # loading is not retried
        if self.process is None:
            self._start()
        if self.load_report.problem:
            return Outcome("unloadable", message=self.load_report.problem)
        started = time.monotonic()
        deadline = started + limit
        try:
            self._send({"op": "call", "name": name, "args": codec.to_wire(list(args)),
                        "kwargs": codec.to_wire(dict(kwargs or {})), "inject": sorted(inject),
                        "global_seed": global_seed})
            while True:
                reply = self._receive(deadline)
                if reply.get("op") != "callback":
                    break
                self._answer_callback(reply, inject)
        except TimeoutError:
            self._kill()
            return Outcome("timeout", message=f"{name} did not finish within {limit:g} s", seconds=limit)
        except (EOFError, BrokenPipeError, codec.CodecError) as exc:
            how = self._death_description(exc)
            self._kill()
            return Outcome("crashed", message=how, seconds=time.monotonic() - started)
        return self._outcome(reply, time.monotonic() - started)

    def close(self):
        """End the learner's process and remove its working folder."""
        if self.process is not None:
            try:
                self._send({"op": "bye"})
            except OSError:
                pass
            self._kill()

    # -- internals ---------------------------------------------------------------------------

    def _start(self):
        self.workdir = tempfile.mkdtemp(prefix="dino-sandbox-")
        for name, data in self.files.items():
            Path(self.workdir, name).write_bytes(data)
        self.log = tempfile.TemporaryFile()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.workdir, "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1"),
               "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(CHILD_SCRIPT), str(to_child_r), str(from_child_w)],
            cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
            pass_fds=(to_child_r, from_child_w), start_new_session=True, preexec_fn=_die_with_parent)
        os.close(to_child_r)
        os.close(from_child_w)
        self.writer, self.reader = to_child_w, from_child_r
        self.buffer = b""
        self.load_report = self._setup()

    def _setup(self):
        limits = {"memory_bytes": self.limits.memory_bytes, "cpu_seconds": self.limits.cpu_seconds,
                  "file_bytes": self.limits.file_bytes}
        try:
            self._send({"op": "setup", "cells": self.cells, "limits": limits})
            ready = self._receive(time.monotonic() + START_TIMEOUT)
            loaded = self._receive(time.monotonic() + self.limits.load_seconds)
        except TimeoutError:
            self._kill()
            return LoadReport(problem=f"your code did not finish loading within {self.limits.load_seconds:g} s "
                                      "(is there a loop, or training, at the top level of a cell?)")
        except (EOFError, BrokenPipeError, codec.CodecError) as exc:
            how = self._death_description(exc)
            self._kill()
            return LoadReport(problem=f"your code stopped the grading process while loading: {how}")
        return LoadReport(cells=loaded.get("cells", []), functions=loaded.get("functions", []),
                          violations=loaded.get("violations", []), layers=ready.get("layers", []))

    def _answer_callback(self, request, inject):
        name = request.get("name")
        function = inject.get(name)
        try:
            args = codec.from_wire(request["args"])
            kwargs = codec.from_wire(request["kwargs"])
            if function is None or type(args) is not list or type(kwargs) is not dict:
                raise ValueError(f"{name!r} is not something the grader supplies here")
            value = function(*args, **kwargs)
            same = next((i for i, arg in enumerate(args) if value is arg), None)
            self._send({"op": "callback_result", "value": ["n"] if same is not None else codec.to_wire(value),
                        "args_after": codec.to_wire(args), "same_as_arg": same})
        except Exception as exc:  # noqa: BLE001 - any failure goes back to the learner's code as an error
            self._send({"op": "callback_error",
                        "message": f"the grader's {name} could not run with the arguments your code passed: "
                                   f"{type(exc).__name__}: {exc}"})

    def _outcome(self, reply, seconds):
        op = reply.get("op")
        common = {"output": str(reply.get("output", ""))[:30_000], "violations": list(reply.get("violations", []))[:50],
                  "seconds": seconds}
        if op == "returned":
            return Outcome("returned", value=codec.from_wire(reply["value"]),
                           args_after=codec.from_wire(reply["args_after"]),
                           kwargs_after=codec.from_wire(reply["kwargs_after"]), **common)
        if op == "raised":
            return Outcome("raised", error_type=str(reply.get("type", "")), error_base=str(reply.get("base", "")),
                           message=str(reply.get("message", "")), traceback=str(reply.get("traceback", "")), **common)
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
            hint = " (most likely the memory limit)" if name in ("SIGKILL", "SIGSEGV", "SIGABRT") else ""
            return f"the process was killed by {name}{hint}"
        return f"the process exited with code {code} (sys.exit or os._exit in your code?)"

    def _send(self, message):
        data = codec.encode_message(message)
        view = memoryview(data)
        while view:
            view = view[os.write(self.writer, view):]

    def _receive(self, deadline):
        while True:
            message = self._take_message()
            if message is not None:
                return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.reader], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.reader, 1 << 20)
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
        body, self.buffer = self.buffer[8:8 + length], self.buffer[8 + length:]
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


def _die_with_parent():
    """In the child before exec: be killed if the grader dies, so no learner process outlives it."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
