"""Grade a whole class: every submission below a folder, in parallel worker processes, resumably.

    python -m graders batch DIR --workers N --output results.csv [--timeout S] [--only FN]
    python -m graders batch DIR --scheduler tcp://HOST:PORT | local ...   (on Dask workers: graders/cluster.py)

Each worker is a separate Python process that grades one submission at a time (each submission's
code runs in its own sandboxed process below the worker). A submission that takes longer than
--timeout gets a row with status "timeout" and score 0, and its worker is replaced. After every
result the CSV is rewritten through a temporary file and os.replace, so a run killed at any moment
leaves a complete, valid file; the next run reads it, skips what is done and grades the rest.
Rows are sorted by submission path and hold no wall-clock times, so a resumed run ends with a file
byte for byte the same as an uninterrupted run's (times are in the summary instead).

CSV columns: submission, score, max_score, status (graded | timeout | error), then one column per
check with the points it earned.
"""
import csv
import io
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

FIXED_COLUMNS = ["submission", "score", "max_score", "status"]
SUFFIXES = (".ipynb", ".py")
STARTUP_SECONDS = 120.0  # a worker's start-up (imports, reference solution) before a job's clock starts


def configure_batch(parser):
    parser.add_argument("directory", type=Path, help="folder whose .ipynb and .py files (at any depth) are graded")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="worker processes grading in parallel (default: CPUs - 1)")
    parser.add_argument("--output", type=Path, default=Path("results.csv"), help="the CSV to write (and resume)")
    parser.add_argument("--timeout", type=float, default=900.0, metavar="SECONDS",
                        help="time limit for one submission, all its checks together (default 900)")
    parser.add_argument("--only", action="append", choices=("clip", "sample", "optimize", "model"),
                        help="grade only this function (repeatable)")
    parser.add_argument("--call-seconds", type=float, default=10.0, help="time limit of one call into learner code")
    parser.add_argument("--memory-mb", type=int, default=2048, help="memory limit of a learner's process, in MiB")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on the Dask workers of this scheduler (tcp://HOST:PORT), or on a local Dask "
                             "cluster of --workers processes ('local'); needs the kit's 'cluster' extra")


def run_batch(args):
    if args.workers < 1 or args.timeout <= 0:
        print("--workers must be at least 1 and --timeout positive", file=sys.stderr)
        return 2
    if not args.directory.is_dir():
        print(f"{args.directory} is not a folder", file=sys.stderr)
        return 2
    columns = FIXED_COLUMNS + check_names(args.only)
    try:
        rows = read_rows(args.output, columns)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    submissions = find_submissions(args.directory)
    names = {relative_name(path, args.directory): path for path in submissions}
    rows = {name: row for name, row in rows.items() if name in names}  # files removed since are dropped
    todo = [name for name in names if name not in rows]
    options = {"functions": args.only, "limits": {"call_seconds": args.call_seconds, "load_seconds": args.call_seconds,
                                                  "memory_bytes": args.memory_mb * 2**20}}
    started = time.monotonic()
    progress = make_progress(len(names), len(names) - len(todo), args.no_progress)

    def record(name, row):
        rows[name] = row
        write_rows(args.output, columns, rows)
        progress.update(1)

    write_rows(args.output, columns, rows)
    jobs, workers = [(name, names[name]) for name in todo], args.workers
    try:
        if args.scheduler:
            from graders.cluster import grade_on_cluster
            workers = grade_on_cluster(args.scheduler, jobs, args.workers, args.timeout, options, columns, record)
        else:
            grade_in_parallel(jobs, args.workers, args.timeout, options, columns, record)
    finally:
        progress.close()
    print(summary(rows, len(todo), time.monotonic() - started, workers, args.output))
    return 0


def check_names(functions):
    """The check columns, in rubric order."""
    from graders.checks import all_checks
    return [check.name for check in all_checks() if not functions or check.function in functions]


def find_submissions(directory):
    """Every .ipynb and .py file below directory, outside hidden folders (.ipynb_checkpoints...)."""
    found = []
    for path in Path(directory).rglob("*"):
        parts = path.relative_to(directory).parts
        if path.suffix in SUFFIXES and path.is_file() and not any(part.startswith(".") for part in parts):
            found.append(path)
    return sorted(found, key=lambda path: relative_name(path, directory))


def relative_name(path, directory):
    return Path(path).relative_to(directory).as_posix()


def read_rows(output, columns):
    """{submission: row} from an earlier run's CSV, if there is one with the same columns."""
    if not Path(output).exists():
        return {}
    with open(output, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    if not table:
        return {}
    if table[0] != columns:
        raise ValueError(f"{output} has other columns than this run would write (different --only?); "
                         "move it away or pass another --output")
    return {row[0]: row for row in table[1:] if len(row) == len(columns)}


def write_rows(output, columns, rows):
    """Rewrite the CSV, rows sorted by submission, through a temporary file and os.replace."""
    from graders.cli import write_atomically
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows[name] for name in sorted(rows))
    write_atomically(output, buffer.getvalue())


def make_row(name, columns, status, reply=None):
    """A CSV row; a timeout or an error scores 0 on every check."""
    points = dict(reply["results"]) if reply else {}
    max_score = reply["max_score"] if reply else None
    if max_score is None:
        from graders.checks import all_checks
        max_score = sum(check.points for check in all_checks() if check.name in columns)
    score = reply["score"] if reply else 0
    return [name, number(score), number(max_score), status,
            *(number(points.get(column, 0)) for column in columns[len(FIXED_COLUMNS):])]


def row_of_reply(name, columns, reply):
    """The row of a grading process's reply: graded, or status error with 0 on every check."""
    if "error" in reply:
        return make_row(name, columns, "error")
    return make_row(name, columns, "graded", reply)


def number(value):
    return f"{float(value):g}"


class Worker:
    """A grading process that reads one JSON request per line and answers with one JSON line."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from graders.batch import serve; serve()"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, preexec_fn=die_with_parent)
        self.buffer = b""
        self.job = None  # [name, deadline, started]; the clock starts when the worker begins the job

    def assign(self, name, path, options):
        self.job = [name, time.monotonic() + STARTUP_SECONDS, time.monotonic()]
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
            self.job[1:] = [time.monotonic() + self.timeout, time.monotonic()]
        return None

    def kill(self):
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.process.wait()


def grade_in_parallel(jobs, workers, timeout, options, columns, record):
    """Grade (name, path) jobs on up to `workers` processes, calling record(name, row) for each."""
    pending = deque(jobs)
    pool = [Worker(timeout) for _ in range(min(workers, len(jobs)))]
    try:
        while pending or any(worker.job for worker in pool):
            for worker in pool:
                if worker.job is None and pending:
                    worker.assign(*pending.popleft(), options)
            busy = [worker for worker in pool if worker.job]
            now = time.monotonic()
            wait = max(0.0, min(worker.job[1] - now for worker in busy))
            ready, _, _ = select.select([worker.process.stdout for worker in busy], [], [], wait)
            for worker in busy:
                name, deadline, started = worker.job
                elapsed = time.monotonic() - started
                if worker.process.stdout in ready:
                    try:
                        reply = worker.read_reply()
                    except (EOFError, ValueError):
                        reply = {"error": "the worker process died"}
                        pool[pool.index(worker)] = replace(worker)
                    if reply is None:
                        continue
                    record(name, row_of_reply(name, columns, reply))
                    worker.job = None
                elif time.monotonic() >= deadline:
                    record(name, make_row(name, columns, "timeout"))
                    pool[pool.index(worker)] = replace(worker)
    finally:
        for worker in pool:
            worker.kill()


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
    """Worker loop: grade each requested submission and answer with its scores, one JSON line each."""
    from graders.grading import grade
    from graders.sandbox.session import Limits
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything printed while grading goes to stderr, never into the replies
    sys.stdout = sys.stderr
    for line in sys.stdin:
        request = json.loads(line)
        channel.write('{"started": true}\n')
        channel.flush()
        try:
            report = grade(Path(request["path"]), functions=request["functions"], limits=Limits(**request["limits"]))
            reply = {"score": report.score, "max_score": report.max_score,
                     "results": [[result.name, result.score] for result in report.results]}
        except Exception as error:  # noqa: BLE001 - a grader bug on one submission must not stop the class
            reply = {"error": f"{type(error).__name__}: {error}"}
        channel.write(json.dumps(reply) + "\n")
        channel.flush()


def make_progress(total, done, disabled):
    """A tqdm progress bar on stderr, starting at the submissions already graded by an earlier run."""
    from tqdm import tqdm
    return tqdm(total=total, initial=done, unit="submission", disable=disabled, file=sys.stderr)


def summary(rows, graded_now, seconds, workers, output):
    """One paragraph: how many, how they ended, the mean score, where the results are."""
    statuses = {}
    for row in rows.values():
        statuses[row[3]] = statuses.get(row[3], 0) + 1
    scores = [float(row[1]) for row in rows.values()]
    mean = sum(scores) / len(scores) if scores else 0.0
    out_of = rows[next(iter(rows))][2] if rows else "0"
    counts = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "nothing to grade"
    return (f"{len(rows)} submissions ({graded_now} graded in this run, {len(rows) - graded_now} from an earlier run) "
            f"in {seconds:.1f} s with {workers} worker(s): {counts}; mean score {mean:.1f}/{out_of}. "
            f"Results: {output}")
