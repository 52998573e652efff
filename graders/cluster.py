"""Grade a class on Dask workers: the scale-out engine behind `graders batch --scheduler`.

    python -m graders batch DIR --scheduler tcp://HOST:PORT --output results.csv [--timeout S] ...
    python -m graders batch DIR --scheduler local --workers N ...   (a LocalCluster of N processes)

The client (this process) first refuses what is not a submission file as the local pool's grading
does (a link, a link above it, a file outside DIR: graders.intake.file_refusal), without opening it,
then reads each remaining submission's bytes (never through a link) and sends them to the cluster, a
bounded number at a time. A Dask worker writes them into a temporary folder of its own and grades
them with the local pool's grading process (graders/grading_process.py), kept from one task to the
next (one per worker thread) and replaced after a timeout or a crash; the task returns the status and
the reply, which the client turns into the CSV row with batch.py's own code, so the two engines write
the same file. Workers need only the installed kit, never a path on the client's disk.

A task's key names its submission and everything it is graded with, and the task only returns a
row: when a worker dies mid-task the scheduler runs it again on another worker, and the client,
which keeps one row per submission, records it once. A submission whose task killed several
workers (Dask's KilledWorker) gets an "error" row, as a dead grading process does in the local pool.
Writing the CSV after every result, resuming, the progress bar and the summary are batch.py's.
"""
import hashlib
import json
import os
import select
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

from graders.grading_process import Worker, status_of_reply
from graders.intake import file_refusal
from graders.submission import MAX_SUBMISSION_BYTES

QUEUED_PER_THREAD = 2  # submissions sent ahead per worker thread: the cluster never idles, memory stays bounded

_local = threading.local()  # this worker thread's grading process, kept between tasks


def grade_on_cluster(address, jobs, workers, timeout, options, record):
    """Grade (name, path) jobs on the Dask cluster at address, calling record(name, status, reply) for each.

    Returns the largest number of worker threads seen (the summary's worker count).
    """
    try:
        from distributed import as_completed
    except ImportError:
        raise SystemExit("--scheduler needs Dask: pip install 'dinosaur-island-kit[cluster]'") from None
    client, cluster = connect(address, workers)
    try:
        pending, names, seen = deque(jobs), {}, threads_of(client)
        if pending and not seen:
            print(f"no Dask worker at {address} yet: waiting for one to join", file=sys.stderr)
        running = as_completed()
        while pending or running.count():
            seen = max(seen, threads_of(client))
            while pending and running.count() < QUEUED_PER_THREAD * max(1, seen):
                name, path = pending.popleft()
                if file_refusal(path, options["folder"]):
                    record(name, "refused")  # the local pool's grading refuses it the same way, unopened
                    continue
                data = read_submission(path)
                future = client.submit(grade_submission, path.suffix, data, options, timeout,
                                       key=task_key(name, data, options, timeout), pure=True)
                names[future.key] = name
                running.add(future)
            if not running.count():
                continue
            future = next(running)
            record(names.pop(future.key), *outcome_of(future))
            future.release()
        return seen
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def connect(address, workers):
    """(client, cluster): a client of the scheduler at address, or of a new LocalCluster for 'local'."""
    from distributed import Client, LocalCluster
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address), None  # gives up after distributed.comm.timeouts.connect (30 s)
    except (OSError, ValueError) as problem:
        print(f"cannot reach the Dask scheduler at {address}: {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def threads_of(client):
    """How many tasks the cluster's workers can run at once now."""
    return sum(client.nthreads().values())


def read_submission(path):
    """The submission's bytes (one byte past the size limit is enough to be refused), None if unreadable.

    Opened without following a link, so a file swapped for one after file_refusal looked is not read.
    """
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NOFOLLOW)) as handle:
            return handle.read(MAX_SUBMISSION_BYTES + 1)
    except OSError:
        return None  # the worker then grades a file that is not there and says it could not be read


def task_key(name, data, options, timeout):
    """A key naming the submission and everything its grading depends on: a retry can only redo the same row."""
    digest = hashlib.sha256(json.dumps([name, options, timeout]).encode())
    digest.update(data if data is not None else b"unreadable")
    return f"grade-{digest.hexdigest()}"


def outcome_of(future):
    """(status, reply) a finished task returned; ("error", None) if the task failed (a bug, or workers it killed)."""
    from distributed import KilledWorker
    try:
        return future.result()
    except KilledWorker:
        return "error", None
    except Exception as problem:  # noqa: BLE001
        if future.cancelled():  # the scheduler is gone: no row, the next run resumes here
            raise SystemExit(f"lost the Dask scheduler ({problem}); run again with the same --output to resume")
        return "error", None


def grade_submission(suffix, data, options, timeout):
    """(A Dask task) (status, reply) of one submission (a file ending in suffix), graded from its bytes here."""
    with tempfile.TemporaryDirectory(prefix="dino-submission-") as folder:
        path = Path(folder) / f"submission{suffix}"
        if data is not None:
            path.write_bytes(data)
        return grade_file(path, {**options, "folder": folder}, timeout)


def grade_file(path, options, timeout):
    """Grade one file on this thread's grading process, within timeout seconds once it has started."""
    worker = getattr(_local, "worker", None)
    if worker is None or worker.process.poll() is not None:
        worker = _local.worker = Worker(timeout)
    worker.timeout = timeout
    worker.assign(path.name, path, options)
    while True:
        wait = max(0.0, worker.job[1] - time.monotonic())
        ready, _, _ = select.select([worker.process.stdout], [], [], wait)
        if ready:
            try:
                reply = worker.read_reply()
            except (EOFError, ValueError):
                reply = {"error": "the worker process died"}
                retire(worker)
            if reply is not None:
                worker.job = None
                return status_of_reply(reply), None if "error" in reply else reply
        elif time.monotonic() >= worker.job[1]:
            retire(worker)
            return "timeout", None


def retire(worker):
    """Kill this thread's grading process (and its sandboxed processes); the next task starts a fresh one."""
    worker.kill()
    _local.worker = None
