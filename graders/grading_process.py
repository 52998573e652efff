"""The grading process: a long-lived Python process that grades one submission per request.

Both engines of `graders batch` run it: the local pool (graders/batch.py) starts one per worker, a
Dask worker (graders/cluster.py) one per worker thread. A request is one JSON line (the path and the
options of graders.grading.grade); the process first answers {"started": true}, which starts the
submission's clock, then the reply: the report's scores, or {"error": why}. Each submission's code runs
in its own sandboxed process below it, so nothing of one learner's code outlives its submission.
"""
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_SECONDS = 120.0  # a worker's start-up (imports, reference solution) before a job's clock starts
WORKER_TEMPORARY = "dino-batch-{pid}-"     # prefix of a worker's temporary folder; pid: the batch's


def status_of_reply(reply):
    """The CSV status of a grading process's reply: error, refused or graded."""
    return "error" if "error" in reply else "refused" if reply.get("refused") else "graded"


class Worker:
    """A grading process that reads one JSON request per line and answers with one JSON line."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.temporary = tempfile.mkdtemp(prefix=WORKER_TEMPORARY.format(pid=os.getpid()))
        os.chmod(self.temporary, 0o711)  # sandboxed processes (other uids) reach their own folders inside
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from graders.grading_process import serve; serve()"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, preexec_fn=die_with_parent, env={**os.environ, "TMPDIR": self.temporary})
        self.buffer = b""
        self.job = None  # [name, deadline]; the clock starts when the worker begins the job

    def assign(self, name, path, options):
        self.job = [name, time.monotonic() + STARTUP_SECONDS]
        self.process.stdin.write((json.dumps({"path": str(path), **options}) + "\n").encode())
        self.process.stdin.flush()

    def read_reply(self):
        """The reply if a whole line has arrived, None if not yet; EOFError if the worker died.

        A worker first says when it starts a job (after its own start-up), which starts the clock.
        """
        chunk = os.read(self.process.stdout.fileno(), 1 << 20)
        if not chunk:
            raise EOFError
        self.buffer += chunk
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            message = json.loads(line)
            if "started" not in message:
                return message
            self.job[1] = time.monotonic() + self.timeout
        return None

    def kill(self):
        """End the worker and remove its temporary folder (and with it the folders of its sandboxes)."""
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.process.wait()
        shutil.rmtree(self.temporary, ignore_errors=True)


def replace(worker):
    """Kill a worker (and with it its sandboxed processes) and start a fresh one."""
    worker.kill()
    return Worker(worker.timeout)


def die_with_parent():
    """In a worker before exec: be killed when the batch process dies, so no worker outlives it."""
    import ctypes
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def serve():
    """Worker loop: grade each requested submission and answer with its scores, one JSON line each.

    The assignment, its reference and its expected values are loaded once per worker, before the first
    job's clock starts, so a submission's time limit measures the grading of that submission only.
    """
    from graders.assignment import load_assignment
    from graders.expected_values import load_all
    from graders.grading import grade
    from graders.reference import load_reference
    from graders.sandbox.session import Limits
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything printed while grading goes to stderr, never into the replies
    sys.stdout = sys.stderr
    prepared = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["assignment"] not in prepared:
                assignment = load_assignment(request["assignment"])
                prepared[request["assignment"]] = assignment, load_reference(assignment), load_all(assignment)
                gc.collect()
                gc.freeze()  # what the worker keeps for life (modules, reference): out of every later full collection
            assignment, reference, expected = prepared[request["assignment"]]
            channel.write('{"started": true}\n')
            channel.flush()
            report = grade(Path(request["path"]), assignment=assignment, functions=request["functions"],
                           limits=Limits(**request["limits"]), reference=reference, expected=expected,
                           folder=request["folder"])
            reply = {"score": report.score, "max_score": report.max_score, "refused": report.refused,
                     "results": [[result.name, result.score] for result in report.results]}
        except Exception as error:  # noqa: BLE001 - a grader bug on one submission must not stop the class
            reply = {"error": f"{type(error).__name__}: {error}"}
        channel.write(json.dumps(reply) + "\n")
        channel.flush()
