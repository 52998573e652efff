"""Batch grading on Dask distributed: a real scheduler and two real workers on localhost, one killed halfway.

The class (68 submissions) mixes right
submissions (the variants and the reference notebook), wrong ones (the untouched stubs, clip mutants
completed with the reference), the hostile cases and one that never ends. Only clip is graded: the
point is where rows go, not the score, and clip is the cheapest function (about 1 s a submission).
The time limit (30 s) is far above any of these gradings and below the per-call limit, so the
endless one, and only it, ends as "timeout".
"""
import os
import sys
from pathlib import Path

import pytest

from conftest import DINO, KIT, RELEASED_NOTEBOOK
from test_batch import ADVERSARIAL, alive, batch, descendants, finish, rows_of
from test_intake import SECRET_LINE, grader_only_file  # noqa: F401 - a fixture

sys.path.insert(0, str(KIT / "benchmarks"))
from dask_processes import local_dask_cluster, stop, wait_for  # noqa: E402

from graders import cluster  # noqa: E402
from graders.grading import grade  # noqa: E402
from tools.mutation_judge import MUTANTS_DIR, VARIANTS_DIR, complete_submission  # noqa: E402

original_read = cluster.read_submission

OPTIONS = ["--only", "clip", "--timeout", "30", "--call-seconds", "60", "--memory-mb", "512", "--no-progress"]


@pytest.fixture
def mixed_class(tmp_path, perfect_notebook):
    """68 submissions, one per student folder: right, wrong, hostile and one endless, the endless one first."""
    folder = tmp_path / "class"
    files = {"a_endless/loop_at_import.py": (ADVERSARIAL / "loop_at_import.py").read_bytes(),
             "right_notebook/dinosaur_island.ipynb": perfect_notebook.read_bytes(),
             "wrong_stubs/dinosaur_island.ipynb": RELEASED_NOTEBOOK.read_bytes()}
    for path in sorted(VARIANTS_DIR.glob("*.py")):
        files[f"right_{path.stem}/{path.name}"] = path.read_bytes()
    for path in sorted(MUTANTS_DIR.glob("clip_*.py")):
        files[f"wrong_{path.stem}/{path.name}"] = complete_submission(path, DINO).encode()
    for path in sorted(p for p in ADVERSARIAL.iterdir() if p.is_file()):
        if path.stem not in ("infinite_loop", "loop_at_import"):
            files[f"hostile_{path.stem}/{path.name}"] = path.read_bytes()
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True)
        (folder / name).write_bytes(data)
    return folder


def gradings_below(pid):
    """The sandboxed learner processes running below pid (one per submission being graded)."""
    found = []
    for child in descendants(pid):
        try:
            if alive(child) and b"child.py" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


@pytest.fixture
def dask_cluster(tmp_path):
    """(scheduler address, [worker processes]): `dask scheduler` and two `dask worker` processes, stopped after."""
    with local_dask_cluster(tmp_path, workers=2) as cluster:
        yield cluster


@pytest.mark.slow
def test_dask_grades_a_class_like_the_local_pool_despite_a_killed_worker_and_client(mixed_class, dask_cluster,
                                                                                       tmp_path):
    """With one of two Dask workers and then the client killed mid-run, does the resumed run end with one row per
    submission and the local pool's CSV, byte for byte, with each worker grading one submission at a time?"""
    address, (victim, survivor) = dask_cluster
    local = tmp_path / "local.csv"
    finish(batch(mixed_class, local, "--workers", "2", *OPTIONS))

    output = tmp_path / "dask.csv"
    client = batch(mixed_class, output, "--scheduler", address, *OPTIONS)
    total = sum(1 for path in mixed_class.rglob("*") if path.is_file())
    most_at_once = 0

    def rows_written(count):
        nonlocal most_at_once
        most_at_once = max(most_at_once, len(gradings_below(victim.pid)), len(gradings_below(survivor.pid)))
        assert client.poll() is None, "the run finished before it could be interrupted"
        return output.exists() and len(rows_of(output)) - 1 >= count

    wait_for(lambda: rows_written(total // 3) and gradings_below(victim.pid), "a third of the rows, victim busy")
    below = descendants(victim.pid)
    stop(victim)  # the worker, its grading process and the submission it was grading
    wait_for(lambda: not any(alive(pid) for pid in below), "the killed worker's processes to die", 10)

    wait_for(lambda: rows_written(2 * total // 3), "two thirds of the rows")
    stop(client)
    partial = rows_of(output)
    assert 2 * total // 3 <= len(partial) - 1 < total

    out = finish(batch(mixed_class, output, "--scheduler", address, *OPTIONS))
    assert "from an earlier run" in out
    assert most_at_once == 1
    names = [row[0] for row in rows_of(output)[1:]]
    assert len(names) == len(set(names)) == total >= 50
    assert output.read_bytes() == local.read_bytes()
    rows = {row["student"]: row for row in named_rows(local)}
    assert [name for name, row in rows.items() if row["status"] != "graded"] == ["a_endless"]
    assert (rows["a_endless"]["score"], rows["a_endless"]["max_score"]) == ("0", "20")
    assert all(row["score"] == "20" for name, row in rows.items() if name.startswith("right_"))
    assert all(float(row["score"]) < 20 for name, row in rows.items() if name.startswith("wrong_"))


def named_rows(output):
    """The CSV's rows as {column: cell}."""
    header, *rows = rows_of(output)
    return [dict(zip(header, row)) for row in rows]


def test_an_unreachable_scheduler_is_a_usage_error_that_grades_nothing(tmp_path):
    """With no scheduler at the address, does the batch say so and exit with 2, its CSV holding no row?"""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.py").write_text("def clip(gradients, maxValue):\n    return gradients\n")
    output = tmp_path / "results.csv"
    process = batch(folder, output, "--scheduler", "tcp://127.0.0.1:9", "--no-progress",
                    env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert len(rows_of(output)) == 1


def test_a_local_dask_cluster_writes_the_local_pools_file(tmp_path, grader_only_file):
    """With --scheduler local (a LocalCluster of --workers processes), is the CSV the local pool's, links and hard
    links included (refused, 0), and does the summary count its workers?"""
    folder = tmp_path / "class"
    for name, data in (("right/reference.py", (VARIANTS_DIR / "reference.py").read_bytes()),
                       ("wrong/clip_one_sided.py", complete_submission(MUTANTS_DIR / "clip_one_sided.py", DINO).encode()),
                       ("hostile/syntax_error.py", (ADVERSARIAL / "syntax_error.py").read_bytes())):
        (folder / name).parent.mkdir(parents=True)
        (folder / name).write_bytes(data)
    (folder / "mallory").mkdir()
    (folder / "mallory" / "notes.py").symlink_to(grader_only_file)
    os.link(grader_only_file, folder / "mallory" / "twin.py")
    options = ["--workers", "2", "--only", "clip", "--no-progress"]
    finish(batch(folder, tmp_path / "local.csv", *options))
    out = finish(batch(folder, tmp_path / "dask.csv", "--scheduler", "local", *options))
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    one_sided = grade(folder / "wrong" / "clip_one_sided.py", assignment=DINO, functions=["clip"]).score  # graded alone
    assert [[row["score"], row["max_score"], row["status"]] for row in named_rows(tmp_path / "dask.csv")] == [
        ["0", "20", "graded"], ["0", "20", "refused"], ["0", "20", "refused"], ["20", "20", "graded"],
        [f"{one_sided:g}", "20", "graded"]]
    assert "5 submissions (5 graded in this run" in out and "with 2 worker(s)" in out
    assert SECRET_LINE not in out + (tmp_path / "dask.csv").read_text()


def test_the_dask_client_never_reads_a_refused_file(tmp_path, grader_only_file, monkeypatch):
    """Does the client give a link, a file below a linked folder and a hard link a "refused" row without reading
    their bytes (so nothing of what they point to is shipped to a worker), and send only the real file?"""
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "clip.py").write_bytes((VARIANTS_DIR / "reference.py").read_bytes())
    (grader_only_file.parent / "answer.py").write_text(f"# {SECRET_LINE}\n")
    (folder / "mallory").symlink_to(grader_only_file.parent, target_is_directory=True)
    (folder / "eve.py").symlink_to(grader_only_file)
    os.link(grader_only_file, folder / "twin.py")
    jobs = [(name, folder / name) for name in ("alice/clip.py", "eve.py", "mallory/answer.py", "twin.py")]
    read, rows = [], {}
    monkeypatch.setattr(cluster, "read_submission", lambda path: read.append(path) or original_read(path))
    options = {"assignment": DINO.name, "functions": ["clip"], "folder": str(folder),
               "limits": {"call_seconds": 10.0, "load_seconds": 10.0, "memory_bytes": 512 * 2**20}}
    cluster.grade_on_cluster("local", jobs, 1, 120.0, options, lambda name, status, reply=None: rows.update(
        {name: (status, reply and reply["score"])}))
    assert rows == {"alice/clip.py": ("graded", 20.0), "eve.py": ("refused", None),
                    "mallory/answer.py": ("refused", None), "twin.py": ("refused", None)}
    assert read == [folder / "alice" / "clip.py"]
