"""A Dask cluster of separate OS processes on this machine: one `dask scheduler`, N `dask worker`s of one thread.

benchmarks/bench_batch.py grades a class on it; tests/test_cluster.py kills one of its workers mid-run.
Every process runs in its own process group, so stopping one also stops what it started.
"""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")


@contextlib.contextmanager
def local_dask_cluster(folder, workers=2):
    """(scheduler address, [worker processes]) of a fresh cluster logging into folder; all stopped on exit."""
    folder = Path(folder)
    scheduler_file = folder / "scheduler.json"
    processes = [start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(scheduler_file)], folder / "scheduler.log")]
    try:
        wait_for(lambda: scheduler_file.exists() and scheduler_file.read_text().strip(), "the scheduler file")
        address = json.loads(scheduler_file.read_text())["address"]
        worker_processes = [start([str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                   "--no-dashboard", "--name", f"worker{number}"], folder / f"worker{number}.log")
                            for number in range(1, workers + 1)]
        processes += worker_processes
        from distributed import Client
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, worker_processes
    finally:
        for process in reversed(processes):
            stop(process)


def start(command, log):
    """A background process in its own process group, its output going to the file log."""
    with open(log, "wb") as handle:
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    """SIGKILL a process started by start() and everything in its group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(condition, what, seconds=300):
    """Poll condition() until it is true (a bound on a hang, not a timing check)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")
