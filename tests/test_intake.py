"""Files that are not submissions (links, hard links, files outside their folder, instructor content) score 0 with a flag.

Each refused file is graded on the routes that take a path: `grade()`, the command line and the
batch. The Gradescope bundle's route is in test_export.py, nbgrader's in test_nbgrader_attack.py.
"""
import errno
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import DINO, KIT, RELEASED_NOTEBOOK, SOURCE_NOTEBOOK, perfect_submission
from graders.course import notebook_text, secret_lines, without_markers
from graders.grading import grade
from graders.intake import REASONS, refusal
from graders.reference import load_reference

SECRET_LINE = "grader-only: the answer key is 42 and no learner may read it"
WINDOW = 24  # characters of a target's text that must not show up together in any message


def windows(text):
    """Overlapping pieces of text (spaces squeezed) that would show it had been quoted."""
    squeezed = " ".join(text.split())
    return {squeezed[i:i + WINDOW] for i in range(0, max(len(squeezed) - WINDOW, 1), WINDOW // 2)}


def report_text(report):
    """Everything a report shows: notes and every check's message."""
    return "\n".join(report.notes + [r.message for r in report.results])


@pytest.fixture
def grader_only_file(tmp_path):
    """A file only its owner (the grader) may read, with a secret first line."""
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET_LINE + "\nmore\n")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("target, name", [(SOURCE_NOTEBOOK, "dinosaur_island.ipynb"),
                                          (DINO.expected / "model.json", "answer.py"),
                                          (None, "answer.py")])
def test_a_link_scores_zero_with_a_flag_and_shows_nothing_of_its_target(target, name, tmp_path, grader_only_file):
    """Does a submission that is a link (to the solutions, the expected values, a grader-only file) get 0, a
    REFUSED note and no piece of the file it points to in any message?"""
    target = target or grader_only_file
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / name).symlink_to(target)
    report = grade(folder / name, functions=["clip", "sample"])
    assert report.score == 0 and report.refused == REASONS["link"]
    assert report.notes == [f"REFUSED: {REASONS['link']}"]
    assert all(r.status == "error" and "your submission was not graded" in r.message for r in report.results)
    shown = " ".join(report_text(report).split())
    assert [piece for piece in windows(target.read_text()) if piece in shown] == []


def test_a_hard_link_and_a_file_outside_its_folder_are_refused(tmp_path, perfect_notebook):
    """Is a file with a second name, or one outside the folder it must be in, refused (0) without being graded?"""
    folder = tmp_path / "class"
    folder.mkdir()
    (tmp_path / "mine.ipynb").write_text(perfect_notebook.read_text())
    os.link(tmp_path / "mine.ipynb", folder / "twin.ipynb")
    assert grade(folder / "twin.ipynb", functions=["clip"]).refused == REASONS["hard-link"]
    report = grade(perfect_notebook, functions=["clip"], folder=folder)
    assert report.refused == REASONS["outside"] and report.score == 0
    assert refusal(folder / ".." / "class" / ".." / perfect_notebook.name, DINO, folder) == "outside"


def test_instructor_content_is_refused(tmp_path):
    """Are a copy of the instructor notebook, a notebook with a hidden-test cell pasted in (markers or not) and a
    .py with a solution marker refused as instructor content?"""
    copy = tmp_path / "copy.ipynb"
    copy.write_text(SOURCE_NOTEBOOK.read_text())
    source = json.loads(SOURCE_NOTEBOOK.read_text())
    hidden = next(cell for cell in source["cells"] if "### BEGIN HIDDEN TESTS" in "".join(cell["source"]))
    for number, text in enumerate(("".join(hidden["source"]), without_markers("".join(hidden["source"])))):
        notebook = json.loads(perfect_submission())
        notebook["cells"].append({"cell_type": "code", "metadata": {}, "source": text, "outputs": [],
                                  "execution_count": None})
        (tmp_path / f"pasted{number}.ipynb").write_text(json.dumps(notebook))
    marked = tmp_path / "marked.py"
    marked.write_text("import numpy as np\n### BEGIN SOLUTION\ndef clip(g, m):\n    return g\n")
    for path in (copy, tmp_path / "pasted0.ipynb", tmp_path / "pasted1.ipynb", marked):
        assert refusal(path, DINO) == "instructor-content", path.name
    report = grade(copy, functions=["clip"])
    assert report.score == 0 and report.refused == REASONS["instructor-content"]
    assert [line for line in secret_lines(SOURCE_NOTEBOOK) if line in report_text(report)] == []


def test_honest_notebooks_and_the_reference_are_not_refused(tmp_path, perfect_notebook):
    """Are the perfect learner, the stubs, a learner line that equals a solution line, a learner's comment that
    mentions a marker, test cells nbgrader put back (markers and all) and the instructor notebook in its own
    place all accepted, and does the reference still load?"""
    notebook = json.loads(perfect_submission())
    solution = sorted(secret_lines(SOURCE_NOTEBOOK))[0]
    notebook["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                              "source": f"{solution}\nx = 1  ### BEGIN HIDDEN TESTS (my own note)\n"})
    restored = [cell for cell in json.loads(SOURCE_NOTEBOOK.read_text())["cells"]
                if cell["metadata"].get("nbgrader", {}).get("grade")]
    notebook["cells"] += restored
    mine = tmp_path / "mine.ipynb"
    mine.write_text(json.dumps(notebook))
    for path in (perfect_notebook, RELEASED_NOTEBOOK, mine, SOURCE_NOTEBOOK):
        assert refusal(path, DINO) == "", path
    assert callable(load_reference(DINO)["clip"])


def test_the_command_line_flags_a_refused_file(tmp_path):
    """Does `python -m graders grade` say REFUSED in its text and give "refused" in its JSON, exiting 0?"""
    link = tmp_path / "dinosaur_island.ipynb"
    link.symlink_to(SOURCE_NOTEBOOK)
    text = subprocess.run([sys.executable, "-m", "graders", "grade", str(link), "--only", "clip"], cwd=KIT,
                          capture_output=True, text=True, timeout=300)
    assert text.returncode == 0 and f"note: REFUSED: {REASONS['link']}" in text.stdout and "Score: 0/20" in text.stdout
    done = subprocess.run([sys.executable, "-m", "graders", "grade", str(link), "--only", "clip", "--format", "json"],
                          cwd=KIT, capture_output=True, text=True, timeout=300)
    assert json.loads(done.stdout)["refused"] == REASONS["link"]


def test_batch_gives_refused_files_their_own_status(tmp_path, grader_only_file):
    """In a batch, do links get status "refused" and 0, named in the summary, while a real file is graded?"""
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "mallory").mkdir()
    (folder / "alice" / "dinosaur_island.ipynb").write_text(RELEASED_NOTEBOOK.read_text())
    (folder / "mallory" / "dinosaur_island.ipynb").symlink_to(SOURCE_NOTEBOOK)
    (folder / "mallory" / "notes.py").symlink_to(grader_only_file)
    output = tmp_path / "results.csv"
    done = subprocess.run([sys.executable, "-m", "graders", "batch", str(folder), "--output", str(output), "--workers",
                           "1", "--only", "clip", "--no-progress"], cwd=KIT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = {line.split(",")[0]: line.split(",")[1:5] for line in output.read_text().splitlines()[1:]}
    assert rows == {"alice/dinosaur_island.ipynb": ["alice", "0", "20", "graded"],
                    "mallory/dinosaur_island.ipynb": ["mallory", "0", "20", "refused"],
                    "mallory/notes.py": ["mallory", "0", "20", "refused"]}
    assert "REFUSED" in done.stdout and "mallory/dinosaur_island.ipynb, mallory/notes.py" in done.stdout
    assert SECRET_LINE not in done.stdout + done.stderr + output.read_text()


def test_collect_copies_a_submission_without_following_links(tmp_path, grader_only_file):
    """Does the exchange copy take only regular single-name files, leaving out links (to files and folders), a
    hard link and a pipe, and write a refusal notebook where a notebook was left out?"""
    from graders.intake import notebook_refusal
    from graders.nbgrader_intake import copy_without_links, write_refusals
    inbound = tmp_path / "inbound" / "eve+dinosaur_island+2026"
    (inbound / "sub").mkdir(parents=True)
    (inbound / "timestamp.txt").write_text("2026-11-20 12:00:00 UTC")
    (inbound / "sub" / "mine.py").write_text("x = 1\n")
    (inbound / "dinosaur_island.ipynb").symlink_to(SOURCE_NOTEBOOK)
    (inbound / "secret.txt").symlink_to(grader_only_file)
    (inbound / "kit").symlink_to(KIT / "graders", target_is_directory=True)
    os.link(grader_only_file, inbound / "twin.txt")
    os.mkfifo(inbound / "pipe")
    target = tmp_path / "submitted" / "eve" / "dinosaur_island"
    refused = copy_without_links(inbound, target, 10**8)
    assert refused == {"dinosaur_island.ipynb": "link", "secret.txt": "link", "kit": "link", "twin.txt": "hard-link",
                       "pipe": "not-a-file"}
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["sub", "sub/mine.py", "timestamp.txt"]
    write_refusals(target, refused, DINO.name)
    notebook = json.loads((target / DINO.notebook).read_text())
    assert notebook_refusal(notebook, DINO) == "link"
    released = notebook_text(RELEASED_NOTEBOOK.read_text())
    shown = notebook_text(json.dumps(notebook))
    assert [line for line in secret_lines(SOURCE_NOTEBOOK) if line in shown and line not in released] == []
    whole = tmp_path / "linked"
    whole.symlink_to(inbound, target_is_directory=True)
    assert copy_without_links(whole, tmp_path / "copy", 10**8) == {".": "link"}
    assert list((tmp_path / "copy").iterdir()) == []


def test_the_guides_nosymfollow_mount_makes_links_in_the_exchange_unfollowable(tmp_path):
    """Run as docs/instructor.md says (as root), does the exchange's mount make every link in it fail to open?"""
    import re
    guide = (KIT / "docs" / "instructor.md").read_text()
    commands = [line[len("$ sudo "):].replace("/srv/nbgrader/exchange", str(tmp_path / "exchange"))
                for line in guide.splitlines() if line.startswith("$ sudo mount")]
    assert len(commands) == 2 and all(re.fullmatch(r"mount [\w,\- /.]+", command) for command in commands)
    (tmp_path / "exchange").mkdir()
    (tmp_path / "exchange" / "link.ipynb").symlink_to(SOURCE_NOTEBOOK)
    mounted = subprocess.run(commands[0].split(), capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting is not allowed here: {mounted.stderr.decode().strip()}")
    try:
        assert subprocess.run(commands[1].split(), capture_output=True).returncode == 0
        with pytest.raises(OSError) as refused:
            (tmp_path / "exchange" / "link.ipynb").read_text()
        assert refused.value.errno == errno.ELOOP  # the link is not followed
    finally:
        subprocess.run(["umount", str(tmp_path / "exchange")], check=True)


def test_the_assignment_of_a_link_is_never_told_from_what_it_points_to(tmp_path, monkeypatch):
    """With two assignments in the kit, is a link's assignment never guessed from its target's content (a usage
    error asking for --assignment), while a real copy of the same file is told apart by its functions?"""
    from graders import assignment, options
    from graders.assignment import DeclarationError
    toy = KIT / "tests" / "fixtures" / "toy_assignment"
    monkeypatch.setattr(assignment, "kit_assignments", lambda: [DINO, assignment.load_assignment(str(toy))])
    args = SimpleNamespace(assignment=None, only=None)
    copy, link = tmp_path / "copy.py", tmp_path / "link.py"
    copy.write_bytes((toy / "submissions" / "right.py").read_bytes())
    link.symlink_to(toy / "submissions" / "right.py")
    assert options.chosen_assignment(args, copy).name != DINO.name
    with pytest.raises(DeclarationError, match="cannot tell which assignment link.py is for"):
        options.chosen_assignment(args, link)
