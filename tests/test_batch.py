"""Batch grading of a class: one row per submission, parallel workers, time limits, kill-and-resume."""
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import DINO
from graders.batch import find_submissions, skipped_lines

KIT = Path(__file__).resolve().parents[1]
ADVERSARIAL = KIT / "tests" / "adversarial"
FAST = ["--call-seconds", "1", "--memory-mb", "512", "--no-progress"]


def batch(directory, output, *options, **popen):
    """Start `python -m graders batch` on directory (a Popen, in its own process group)."""
    command = [sys.executable, "-m", "graders", "batch", str(directory), "--output", str(output), *options]
    return subprocess.Popen(command, cwd=KIT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **popen)


def finish(process):
    """Wait for a batch run; its exit code and standard output."""
    out, err = process.communicate(timeout=900)
    assert process.returncode == 0, err
    return out


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def descendants(pid):
    """Ids of every process below pid (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                status = (entry / "status").read_text()
                parents[int(entry.name)] = int(status.split("\nPPid:\t", 1)[1].split("\n", 1)[0])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid):
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.fixture
def mixed_class(tmp_path, perfect_notebook):
    """At least 100 submissions: every adversarial case, right notebooks and right .py files, in student folders."""
    sources = sorted(p for p in ADVERSARIAL.iterdir() if p.is_file()) + [perfect_notebook, ADVERSARIAL / "print_megabytes.py"]
    folder = tmp_path / "class"
    for number in range(102):
        source = sources[number % len(sources)]
        student = folder / f"student{number:03d}"
        student.mkdir(parents=True)
        shutil.copy(source, student / source.name)
    (folder / "student000" / ".ipynb_checkpoints").mkdir()
    shutil.copy(perfect_notebook, folder / "student000" / ".ipynb_checkpoints" / "dinosaur_island.ipynb")
    return folder


@pytest.mark.slow
def test_a_mixed_class_of_100_gets_one_row_each(mixed_class, tmp_path):
    """Does a class mixing every hostile case into 102 submissions end with exactly one sorted row per submission?"""
    output = tmp_path / "results.csv"
    out = finish(batch(mixed_class, output, "--workers", "2", "--only", "clip", "--timeout", "60", *FAST))
    table = rows_of(output)
    names = [row[0] for row in table[1:]]
    expected = sorted(path.relative_to(mixed_class).as_posix() for path in mixed_class.glob("student*/*")
                      if path.is_file())
    assert names == expected and len(names) == 102  # the checkpoint copy is not a submission
    assert table[0][:5] == ["submission", "student", "score", "max_score", "status"]
    assert table[0][5:] == ["clip.public", "clip.returns", "clip.bounds", "clip.inside_unchanged",
                            "clip.caller_untouched", "clip.seeded", "clip.properties"]
    assert all(row[1] == row[0].split("/")[0] for row in table[1:]), "the student is the learner's folder"
    scores = {row[0].split("/")[1]: (row[2], row[4]) for row in table[1:]}
    assert scores["dinosaur_island.ipynb"] == ("20", "graded")
    assert scores["print_megabytes.py"] == ("20", "graded")
    assert scores["os_exit_in_function.py"] == ("0", "graded")
    assert scores["syntax_error.py"] == ("0", "graded")
    assert all(sum(float(cell) for cell in row[5:]) == float(row[2]) for row in table[1:])
    assert "102 submissions" in out and "mean score" in out


def test_a_killed_batch_resumes_to_the_same_file(tmp_path):
    """Killed with SIGKILL halfway and restarted, does a batch end with the file of an uninterrupted run?"""
    folder = tmp_path / "class"
    picks = ["always_equal.py", "exit_in_function.py", "nan_inf.py", "wrong_types.py", "lazy_result.py",
             "patch_numpy.py", "read_expected.py", "keyboard_interrupt.py"]
    for number, name in enumerate(picks * 2):
        (folder / f"s{number:02d}").mkdir(parents=True)
        shutil.copy(ADVERSARIAL / name, folder / f"s{number:02d}" / name)
    options = ["--workers", "2", "--only", "clip", "--timeout", "60", *FAST]
    finish(batch(folder, tmp_path / "whole.csv", *options))

    resumed = tmp_path / "resumed.csv"
    process = batch(folder, resumed, *options)
    while not resumed.exists() or len(rows_of(resumed)) < 1 + 4:  # a few rows written, more to come
        assert process.poll() is None, "the run finished before it could be killed"
        time.sleep(0.05)
    below = descendants(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    partial = rows_of(resumed)
    assert 1 + 4 <= len(partial) < 1 + len(picks) * 2
    assert [row[0] for row in partial[1:]] == sorted(row[0] for row in partial[1:])
    for _ in range(200):  # workers and sandboxed processes die with the batch (bounded wait, not a timing check)
        if not any(alive(pid) for pid in below):
            break
        time.sleep(0.05)
    assert not any(alive(pid) for pid in below)

    out = finish(batch(folder, resumed, *options))
    assert "from an earlier run" in out
    assert resumed.read_bytes() == (tmp_path / "whole.csv").read_bytes()
    names = [row[0] for row in rows_of(resumed)[1:]]
    assert len(names) == len(set(names)) == len(picks) * 2


def test_a_submission_over_the_time_limit_gets_a_timeout_row(tmp_path, perfect_notebook):
    """Does a submission that runs past --timeout get status timeout and score 0, while the others are graded?"""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(ADVERSARIAL / "infinite_loop.py", folder / "a_slow.py")
    shutil.copy(perfect_notebook, folder / "b_right.ipynb")
    output = tmp_path / "results.csv"
    # the right notebook takes about 1 s alone and up to 20 s on a machine loaded fifteen-fold (measured): the limit
    # leaves it room; the slow one's calls outlast --timeout
    process = batch(folder, output, "--workers", "1", "--only", "sample", "--timeout", "30", "--call-seconds", "120",
                    "--no-progress")
    finish(process)
    table = rows_of(output)
    assert [(row[0], row[1], row[2], row[4]) for row in table[1:]] == [("a_slow.py", "a_slow", "0", "timeout"),
                                                                      ("b_right.ipynb", "b_right", "30", "graded")]
    assert list(Path(tempfile.gettempdir()).glob(f"dino-batch-{process.pid}-*")) == []  # the killed worker's too


def test_resuming_with_other_columns_is_refused(tmp_path):
    """Does a run refuse to resume a CSV written with other checks (another --only), leaving it untouched?"""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(ADVERSARIAL / "nan_inf.py", folder / "a.py")
    output = tmp_path / "results.csv"
    finish(batch(folder, output, "--only", "clip", *FAST))
    before = output.read_bytes()
    process = batch(folder, output, "--only", "sample", *FAST)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 2 and "other columns" in err
    assert output.read_bytes() == before


def nbgrader_submitted(root, notebooks):
    """nbgrader's submitted/ folder as collect leaves it: {student: notebook file} in <student>/dinosaur_island/,
    each beside the helper files and the timestamp nbgrader copies there."""
    for student, notebook in notebooks.items():
        folder = root / student / DINO.name
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / DINO.notebook)
        for helper in DINO.provided:
            shutil.copy(DINO.source / helper, folder / helper)
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return root


def test_nbgrader_s_submitted_folder_gets_one_row_per_student(tmp_path, perfect_notebook):
    """In nbgrader's submitted/<student>/dinosaur_island/ layout, is only each learner's notebook graded (not the
    rnn_utils.py and public_tests.py beside it, a scratch file or a checkpoint), one row per student with a student
    column, and is a notebook under another name named in the summary rather than dropped unsaid?"""
    submitted = nbgrader_submitted(tmp_path / "submitted", {"alice": perfect_notebook,
                                                            "bob": DINO.release / DINO.notebook})
    shutil.copy(ADVERSARIAL / "nan_inf.py", submitted / "bob" / DINO.name / "scratch.py")
    (submitted / "alice" / DINO.name / ".ipynb_checkpoints").mkdir()
    shutil.copy(perfect_notebook, submitted / "alice" / DINO.name / ".ipynb_checkpoints" / "checkpoint.ipynb")
    (submitted / "carol" / DINO.name).mkdir(parents=True)
    shutil.copy(perfect_notebook, submitted / "carol" / DINO.name / "Copy of the notebook.ipynb")
    output = tmp_path / "results.csv"
    out = finish(batch(submitted, output, "--only", "clip", *FAST))
    table = rows_of(output)
    assert [row[:5] for row in table[1:]] == [["alice/dinosaur_island/dinosaur_island.ipynb", "alice", "20", "20", "graded"],
                                              ["bob/dinosaur_island/dinosaur_island.ipynb", "bob", "0", "20", "graded"]]
    assert "2 submissions" in out and "mean score 10.0/20" in out
    assert (f"skipped: carol/{DINO.name}/Copy of the notebook.ipynb: a notebook the pattern "
            "{student}/{assignment}/{notebook} does not name") in out
    left_out = 2 * sum(name.endswith((".py", ".ipynb")) for name in DINO.provided) + 2  # scratch.py, the checkpoint
    assert f"not graded: {left_out} other .py/.ipynb entries the pattern does not name" in out


def test_another_layout_is_read_with_a_pattern(tmp_path, perfect_notebook):
    """With --pattern '{student}/hw/*.ipynb', are exactly the notebooks in each learner's hw folder graded, the
    student taken from the pattern?"""
    for student in ("carol", "dave"):
        (tmp_path / "class" / student / "hw").mkdir(parents=True)
        shutil.copy(perfect_notebook, tmp_path / "class" / student / "hw" / "answer.ipynb")
        shutil.copy(ADVERSARIAL / "nan_inf.py", tmp_path / "class" / student / "scratch.py")
    output = tmp_path / "results.csv"
    finish(batch(tmp_path / "class", output, "--pattern", "{student}/hw/*.ipynb", "--only", "clip", *FAST))
    assert [row[:3] for row in rows_of(output)[1:]] == [["carol/hw/answer.ipynb", "carol", "20"],
                                                        ["dave/hw/answer.ipynb", "dave", "20"]]


def test_any_file_name_gets_its_row_and_nothing_is_left_behind(tmp_path):
    """Do undecodable, formula-like and control-character names each get one escaped row, every other entry a
    "skipped" line, and does the run leave no temporary file or folder, resuming to the same bytes?"""
    folder = tmp_path / "class"
    folder.mkdir()
    source = (ADVERSARIAL / "wrong_types.py").read_bytes()
    names = [b"bad\xff.py", b'=HYPERLINK("x","y").py', b"+1.py", b"-x.py", b"@a.py", b"\ttab.py",
             b"\rcr.py", b"back\\slash.py", b"'quoted.py", "caf\u00e9.py".encode()]
    for name in names:
        with open(os.fsencode(folder) + b"/" + name, "wb") as handle:
            handle.write(source)
    (folder / "x.py").mkdir()
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "a.py").write_bytes(source)
    os.mkfifo(folder / "pipe.py")
    output = tmp_path / "out" / "results.csv"
    process = batch(folder, output, "--workers", "2", "--only", "clip", "--timeout", "120", *FAST)
    out = finish(process)
    table = rows_of(output)
    cells = [row[0] for row in table[1:]]
    assert len(cells) == len(set(cells)) == len(names)
    assert all(cell.isprintable() and not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    assert {"bad\\xff.py", "'=HYPERLINK(\"x\",\"y\").py", "\\x09tab.py", "back\\\\slash.py", "''quoted.py",
            "caf\u00e9.py"} <= set(cells)
    assert {row[2] for row in table[1:]} == {"0"}  # each graded like the file it copies (no clip value right)
    assert {"bad\\xff", "'=HYPERLINK(\"x\",\"y\")", "'+1", "\\x09tab"} <= {row[1] for row in table[1:]}  # students too
    skipped = sorted(line for line in out.splitlines() if line.startswith("skipped: "))
    assert [line.split(": ")[1] for line in skipped] == [".hidden/a.py", "pipe.py", "x.py"]
    assert sorted(path.name for path in output.parent.iterdir()) == ["results.csv"]
    assert list(Path(tempfile.gettempdir()).glob(f"dino-batch-{process.pid}-*")) == []  # sandboxes' folders inside
    first = output.read_bytes()
    out = finish(batch(folder, output, "--workers", "2", "--only", "clip", "--timeout", "120", *FAST))
    assert "0 graded in this run" in out and output.read_bytes() == first


def test_a_folder_that_cannot_be_read_is_named_in_the_summary(tmp_path, monkeypatch):
    """When a folder cannot be listed (permissions), is it reported as skipped, with the reason, not ignored?"""
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.py").write_text("x = 1\n")
    (tmp_path / "closed").mkdir()
    listing = os.scandir

    def refusing(path="."):
        if os.fspath(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found, skipped, unmatched = find_submissions(tmp_path, DINO)
    assert (found, unmatched) == ([(tmp_path / "open" / "a.py", "open")], 0)
    assert skipped_lines(skipped, tmp_path) == "skipped: closed: the folder could not be read (Permission denied)\n"
