"""Grade a whole class: every submission below a folder, in parallel worker processes, resumably.

    python -m graders batch DIR --workers N --output results.csv [--timeout S] [--assignment A] [--only FN]
    python -m graders batch DIR --scheduler tcp://HOST:PORT | local ...   (on Dask workers: graders/cluster.py)

Each worker is a separate Python process that grades one submission at a time (each submission's
code runs in its own sandboxed process below the worker). A submission that takes longer than
--timeout gets a row with status "timeout" and score 0, and its worker is replaced. After every
result the CSV is rewritten through a temporary file and os.replace, so a run killed at any moment
leaves a complete, valid file; the next run reads it, skips what is done and grades the rest.
Rows are sorted by submission path and hold no wall-clock times, so a resumed run ends with a file
byte for byte the same as an uninterrupted run's (times are in the summary instead).

Which files are submissions: in nbgrader's `submitted/` folder (DIR/<student>/<assignment>/, as collect
leaves it), only each learner's copy of the assignment's notebook, not the helper files nbgrader puts
beside it; elsewhere, every .ipynb and .py file below DIR. `--pattern` names them in other layouts: a glob
relative to DIR in which {student} stands for the path part that names the learner, {assignment} and
{notebook} for the assignment's name and notebook file (nbgrader's layout is {student}/{assignment}/{notebook}).
Every entry the pattern matches gets one row, or a "skipped: NAME: why" line in the summary (a folder,
not a regular file, hidden, in a folder that could not be read); so does a notebook it does not match (a
learner's notebook under another name), while the summary only counts the other entries (helpers...).
A name is written as `cell_name` makes it: undecodable bytes, backslashes and unprintable characters
escaped, a cell that a spreadsheet would read as a formula quoted, so any file name gets its row.
Each worker keeps its temporary files (sandbox folders) in a folder of its own, removed with it.

CSV columns: submission, student, score, max_score, status (graded | refused | timeout | error), then one
column per check with the points it earned. The student is what {student} matched, else the first part of
the submission's path (its folder, or its file name without the suffix). "refused" marks a file that is not
a submission at all (a link, a file outside DIR, instructor-only content: see graders/intake.py); it scores 0
and the summary names it for the instructor.
"""
import csv
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from graders.assignment import DeclarationError, kit_assignment_for, load_assignment
from graders.cluster import grade_on_cluster
from graders.files import write_atomically
from graders.grading_process import WORKER_TEMPORARY, Worker, replace, status_of_reply
from graders.intake import file_refusal
from graders.options import add_assignment_options, chosen_assignment

FIXED_COLUMNS = ["submission", "student", "score", "max_score", "status"]
SUFFIXES = (".ipynb", ".py")
NBGRADER_LAYOUT = "{student}/{assignment}/{notebook}"  # nbgrader's submitted/ folder, as collect leaves it
FORMULA_STARTS = ("=", "+", "-", "@", "'")  # a spreadsheet cell starting so is quoted (tab and CR are escaped)
SKIPPED_SHOWN = 50                         # skipped entries listed in the summary (the rest are counted)


def configure_batch(parser):
    parser.add_argument("directory", type=Path, help="folder whose .ipynb and .py files (at any depth) are graded")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="worker processes grading in parallel (default: CPUs - 1)")
    parser.add_argument("--output", type=Path, default=Path("results.csv"), help="the CSV to write (and resume)")
    parser.add_argument("--timeout", type=float, default=900.0, metavar="SECONDS",
                        help="time limit for one submission, all its checks together (default 900)")
    parser.add_argument("--pattern", metavar="GLOB",
                        help="which files below DIR are submissions, e.g. '{student}/hw1/*.ipynb': {student} is the "
                             "part naming the learner, {assignment} and {notebook} the assignment's name and notebook "
                             f"(default: nbgrader's {NBGRADER_LAYOUT} when DIR holds it, else every .ipynb and .py)")
    add_assignment_options(parser, only=True)
    parser.add_argument("--call-seconds", type=float, default=10.0, help="time limit of one call into learner code")
    parser.add_argument("--memory-mb", type=int, default=2048, help="memory limit of a learner's process, in MiB")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on the Dask workers of this scheduler (tcp://HOST:PORT), or on a local Dask "
                             "cluster of --workers processes ('local'); needs the kit's 'cluster' extra")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")


def run_batch(args):
    if args.workers < 1 or args.timeout <= 0:
        print("--workers must be at least 1 and --timeout positive", file=sys.stderr)
        return 2
    if not args.directory.is_dir():
        print(f"{args.directory} is not a folder", file=sys.stderr)
        return 2
    assignment = class_assignment(args)
    columns = FIXED_COLUMNS + [check.name for check in assignment.checks(args.only)]
    try:
        rows = read_rows(args.output, columns)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    remove_stale_temporaries(args.output)
    submissions, skipped, unmatched = find_submissions(args.directory, assignment, args.pattern)
    students = {cell_name(relative_name(path, args.directory)): (path, cell_name(student))
                for path, student in submissions}
    names = {name: path for name, (path, _) in students.items()}
    rows = {name: row for name, row in rows.items() if name in names}  # files removed since are dropped
    todo = [name for name in names if name not in rows]
    options = {"assignment": args.assignment or assignment.name, "functions": args.only, "folder": str(args.directory),
               "limits": {"call_seconds": args.call_seconds, "load_seconds": args.call_seconds,
                          "memory_bytes": args.memory_mb * 2**20}}
    started = time.monotonic()
    progress = make_progress(len(names), len(names) - len(todo), args.no_progress)

    out_of = sum(check.points for check in assignment.checks(args.only))

    def record(name, status, reply=None):
        rows[name] = make_row(name, students[name][1], columns, out_of, status, reply)
        write_rows(args.output, columns, rows)
        progress.update(1)

    write_rows(args.output, columns, rows)
    jobs, workers = [(name, names[name]) for name in todo], args.workers
    try:
        if args.scheduler:
            workers = grade_on_cluster(args.scheduler, jobs, args.workers, args.timeout, options, record)
        else:
            grade_in_parallel(jobs, args.workers, args.timeout, options, record)
    finally:
        progress.close()
    print(summary(rows, len(todo), time.monotonic() - started, workers, args.output))
    print(skipped_lines(skipped, args.directory), end="")
    if unmatched:
        print(f"not graded: {unmatched} other .py/.ipynb entries the pattern does not name (helpers, checkpoints...)")
    return 0


def class_assignment(args):
    """The assignment --assignment or --only names, else the one the files below the folder are for (every file
    whose assignment can be told is for the same one), else the kit's only one; DeclarationError if unsure."""
    if args.assignment or args.only:
        return chosen_assignment(args)
    told = set()
    for path in candidate_files(args.directory):  # a refused file is never opened: its name only
        try:
            told.add(kit_assignment_for(path, read=not file_refusal(path, args.directory)).name)
        except DeclarationError:
            continue
    if len(told) > 1:
        raise DeclarationError(f"{args.directory} holds submissions for {', '.join(sorted(told))}: pass --assignment NAME")
    return load_assignment(told.pop()) if told else chosen_assignment(args)


def candidate_files(directory):
    """Every regular .ipynb and .py file below directory, outside hidden folders."""
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        yield from (Path(folder, name) for name in files
                    if Path(name).suffix in SUFFIXES and not name.startswith(".") and Path(folder, name).is_file())


def find_submissions(directory, assignment, pattern=None):
    """([(path, student)] to grade, [(path, why)] skipped, how many other entries the pattern leaves out) below
    directory.

    The submissions are the entries the pattern matches (see the module's docstring), by default nbgrader's
    layout when directory holds it, else every entry named *.ipynb or *.py. Skipped: of those, folders, entries
    that are not regular files, hidden ones (.ipynb_checkpoints...); the folders that could not be read at all;
    a notebook the pattern leaves out (a learner's, misnamed), unless hidden.
    """
    entries, skipped = [], []

    def unreadable(error):
        skipped.append((Path(error.filename), f"the folder could not be read ({error.strerror})"))

    for folder, subfolders, files in os.walk(directory, onerror=unreadable):
        entries += [(Path(folder, entry), entry in subfolders) for entry in subfolders + files
                    if Path(entry).suffix in SUFFIXES]
    if pattern is None:
        layout = pattern_regex(NBGRADER_LAYOUT, assignment)
        holds_layout = any(layout.fullmatch(relative_name(path, directory)) and path.is_file() for path, _ in entries)
        pattern = NBGRADER_LAYOUT if holds_layout else "**"
    regex = pattern_regex(pattern, assignment)
    found, unmatched = [], 0
    for path, is_folder in entries:
        name = relative_name(path, directory)
        match = regex.fullmatch(name)
        hidden = any(part.startswith(".") for part in Path(name).parts)
        if not match and path.suffix == ".ipynb" and not hidden:
            skipped.append((path, f"a notebook the pattern {pattern} does not name"))
        elif not match:
            unmatched += 1
        elif hidden:
            skipped.append((path, "hidden (its name or a folder above it starts with '.')"))
        elif is_folder:
            skipped.append((path, "a folder, not a file"))
        elif not path.is_file():
            skipped.append((path, "not a regular file (a pipe, a device or a broken link)"))
        else:
            found.append((path, match.groupdict().get("student") or Path(name.split("/")[0]).stem))
    return (sorted(found, key=lambda item: cell_name(relative_name(item[0], directory))),
            sorted(skipped, key=lambda item: cell_name(relative_name(item[0], directory))), unmatched)


def pattern_regex(pattern, assignment):
    """The regular expression of a --pattern: a glob over paths relative to DIR (** crosses folders, * and ? do
    not), with {student} matching one path part and {assignment}, {notebook} the assignment's name and notebook."""
    fields = {"{student}": "(?P<student>[^/]+)", "{assignment}": re.escape(assignment.name),
              "{notebook}": re.escape(assignment.notebook), "**": ".*", "*": "[^/]*", "?": "[^/]"}
    parts = re.split("(" + "|".join(re.escape(field) for field in fields) + ")", pattern)
    return re.compile("".join(fields.get(part, re.escape(part)) for part in parts))


def relative_name(path, directory):
    return Path(path).relative_to(directory).as_posix()


def cell_name(name):
    """name as the submission column shows it: one printable line, never read as a formula, and distinct
    for distinct names (undecodable bytes as \\xNN, backslashes doubled, control characters escaped)."""
    parts = []
    for character in name:
        code = ord(character)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif character == "\\":
            parts.append("\\\\")
        elif not character.isprintable():
            parts.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            parts.append(character)
    text = "".join(parts)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def skipped_lines(skipped, directory):
    """One "skipped: NAME: why" line per skipped entry (the first SKIPPED_SHOWN, then a count)."""
    lines = [f"skipped: {cell_name(relative_name(path, directory))}: {why}\n" for path, why in skipped[:SKIPPED_SHOWN]]
    if len(skipped) > SKIPPED_SHOWN:
        lines.append(f"skipped: {len(skipped) - SKIPPED_SHOWN} more entries\n")
    return "".join(lines)


def remove_stale_temporaries(output):
    """Remove what runs killed at a bad moment left: half-written CSVs, folders of workers whose batch died."""
    output = Path(output)
    for leftover in output.parent.glob(f".{output.name}.*"):
        if re.fullmatch(re.escape(f".{output.name}.") + r"[a-z0-9_]{8}", leftover.name):
            leftover.unlink(missing_ok=True)
    pattern = re.compile(re.escape(WORKER_TEMPORARY).replace(r"\{pid\}", r"(\d+)") + r"\w+")
    for folder in Path(tempfile.gettempdir()).iterdir():
        match = pattern.fullmatch(folder.name)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            shutil.rmtree(folder, ignore_errors=True)


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows[name] for name in sorted(rows))
    write_atomically(output, buffer.getvalue())


def make_row(name, student, columns, out_of, status, reply=None):
    """A CSV row; a timeout or an error scores 0 on every check (out of out_of)."""
    points = dict(reply["results"]) if reply else {}
    max_score = reply["max_score"] if reply else out_of
    score = reply["score"] if reply else 0
    return [name, student, number(score), number(max_score), status,
            *(number(points.get(column, 0)) for column in columns[len(FIXED_COLUMNS):])]


def number(value):
    return f"{float(value):g}"


def grade_in_parallel(jobs, workers, timeout, options, record):
    """Grade (name, path) jobs on up to `workers` processes, calling record(name, status, reply) for each."""
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
                name, deadline = worker.job
                if worker.process.stdout in ready:
                    try:
                        reply = worker.read_reply()
                    except (EOFError, ValueError):
                        reply = {"error": "the worker process died"}
                        pool[pool.index(worker)] = replace(worker)
                    if reply is None:
                        continue
                    record(name, status_of_reply(reply), None if "error" in reply else reply)
                    worker.job = None
                elif time.monotonic() >= deadline:
                    record(name, "timeout")
                    pool[pool.index(worker)] = replace(worker)
    finally:
        for worker in pool:
            worker.kill()


def make_progress(total, done, disabled):
    """A tqdm progress bar on stderr, starting at the submissions already graded by an earlier run."""
    from tqdm import tqdm
    return tqdm(total=total, initial=done, unit="submission", disable=disabled, file=sys.stderr)


def summary(rows, graded_now, seconds, workers, output):
    """One paragraph: how many, how they ended, the mean score, where the results are."""
    at_score, at_max, at_status = (FIXED_COLUMNS.index(column) for column in ("score", "max_score", "status"))
    statuses = {}
    for row in rows.values():
        statuses[row[at_status]] = statuses.get(row[at_status], 0) + 1
    scores = [float(row[at_score]) for row in rows.values()]
    mean = sum(scores) / len(scores) if scores else 0.0
    out_of = rows[next(iter(rows))][at_max] if rows else "0"
    counts = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "nothing to grade"
    refused = sorted(name for name, row in rows.items() if row[at_status] == "refused")
    flag = (f" REFUSED, not submissions (a link, a file outside the folder or instructor-only content; "
            f"`python -m graders grade FILE` says which): {', '.join(refused)}." if refused else "")
    return (f"{len(rows)} submissions ({graded_now} graded in this run, {len(rows) - graded_now} from an earlier run) "
            f"in {seconds:.1f} s with {workers} worker(s): {counts}; mean score {mean:.1f}/{out_of}. "
            f"Results: {output}.{flag}")
