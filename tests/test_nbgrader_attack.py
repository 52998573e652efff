"""A hostile learner in a real nbgrader course: her code runs in the graders' sandbox, and links are refused.

One temporary course (SQLite gradebook, nbgrader's exchange) with seven learners, handed in through
the exchange and collected: alice (the reference), bob (a clip that only caps from above), carol (a
copy of the instructor's notebook), dave (whose notebook in submitted/ is then replaced by a link to
alice's, as an unpacked download could leave it), eve (who replaces her notebook in the exchange with a
link to the instructor's solutions, and adds a hard link), mallory (the stubs, with a clip cell that
attacks the course: tests/fixtures/clip_attacks_the_course.py) and trent (the untouched stubs).
nbgrader autogrades them in name order (mallory between honest learners), then everyone again with
--force, then writes feedback; `nbgrader validate` runs mallory's notebook too.
The tests compare the course, the kit and the environment before and after, and read the gradebook,
the autograded notebooks and the feedback.
"""
import hashlib
import inspect
import json
import os
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import DINO
from graders.assignment import KIT_ROOT
from graders.course import SECRET_MARKERS, filled_in, generate_release, make_course, notebook_text, secret_lines
from graders.intake import REASONS
from graders.submission import SKIP_TAG
from nbgrader_class import FIXTURES, with_cell
from nbgrader_exchange import COURSE_ID, collect, hand_in, release_to_exchange
from nbgrader_pages import expected_value_strings, page_text
from test_nbgrader_e2e import cell_scores, feedback_page, grade_with_cli

ASSIGNMENT, NOTEBOOK = DINO.name, DINO.notebook
LEARNERS = ("alice", "bob", "carol", "dave", "eve", "mallory", "trent")
EXPECTED = {"alice": 100, "carol": 0, "dave": 0, "eve": 0, "mallory": 0, "trent": 0}  # bob: partial credit
REFUSED = {"carol": "instructor-content", "dave": "link", "eve": "link"}
KIT_PARTS = ("graders", "solutions", "assignment", "nbgrader_config.py", "pyproject.toml")
PROBES = ("expected_values", "grading_module", "bytecode", "gradebook", "detached_process", "classmate",
          "classmate_read", "network", "site_packages", "solution", "stored_expected", "check_source", "import_graders")
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
PLANTED_PTH = SITE_PACKAGES / "mallory.pth"
PLANTED_BYTECODE = KIT_ROOT / "graders" / "__pycache__" / "mallory.cpython-311.pyc"


def check_source(function="sample"):
    """The file holding the hidden checks of `function`."""
    return Path(inspect.getsourcefile(next(c.run for c in DINO.checks([function]) if not c.public)))


def mallory_notebook(release_notebook, course):
    """The released stubs, with the attacking clip cell aimed at this course and this kit."""
    targets = {"expected": str(DINO.expected / "clip.json"), "grading": str(KIT_ROOT / "graders" / "grading.py"),
               "bytecode": str(PLANTED_BYTECODE), "gradebook": str(course / "gradebook.db"),
               "classmate": str(course / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK), "pth": str(PLANTED_PTH),
               "solution": str(course / "solutions" / ASSIGNMENT / NOTEBOOK), "check": str(check_source())}
    source = f'TARGETS = "{json.dumps(targets).encode().hex()}"\n' + (FIXTURES / "clip_attacks_the_course.py").read_text()
    return json.dumps(with_cell(json.loads(Path(release_notebook).read_text()), "clip", source), indent=1)


def file_hashes(root, parts, skip=()):
    """{relative path: sha256} of every file under root/part for each part (links as their target text)."""
    hashes = {}
    for part in parts:
        top = Path(root) / part
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if "__pycache__" in path.parts or any(relative == s or relative.startswith(s + "/") for s in skip):
                continue
            if path.is_symlink():
                hashes[relative] = "link:" + os.readlink(path)
            elif path.is_file():
                hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def site_packages():
    """{entry of site-packages: sha256 for .pth files, '' for the rest}."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() if path.suffix == ".pth" else ""
            for path in SITE_PACKAGES.iterdir()}


def processes_in(root):
    """(pid, command line) of every process whose working folder is under root."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.readlink(entry / "cwd").startswith(str(root)):
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except OSError:
            continue
    return found


def gradebook_state(course, learners):
    """What the gradebook holds for these learners (cell scores, comments, timestamps, penalties) and its tables."""
    from nbgrader.api import Gradebook
    state = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for learner in learners:
            submission = gradebook.find_submission(ASSIGNMENT, learner)
            notebook = gradebook.find_submission_notebook(Path(NOTEBOOK).stem, ASSIGNMENT, learner)
            state[learner] = (str(submission.timestamp), submission.late_submission_penalty,
                              sorted((g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in notebook.grades),
                              sorted((c.name, c.auto_comment, c.manual_comment) for c in notebook.comments))
    with sqlite3.connect(course / "gradebook.db") as db:
        tables = sorted(row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    return state, tables


def shown_secrets(shown, source, release, markers=SECRET_MARKERS):
    """The instructor notebook's secret lines (of the regions `markers` names) that `shown` holds and the released
    notebook does not say anyway."""
    released = notebook_text((Path(release) / NOTEBOOK).read_text())
    return [line for line in secret_lines(source, markers) if line in shown and line not in released]


def nbgrader_run(course, environment, *args):
    """nbgrader ARGS in the course folder with the given environment; the finished process."""
    return subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course, env=environment,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The course before and after two rounds of autograding with mallory in the class."""
    root = tmp_path_factory.mktemp("nbgrader_attack")
    temporary = root / "tmp"  # every process nbgrader starts keeps its temporary files here
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary), "PYTHONDONTWRITEBYTECODE": "1",
                   "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    course = make_course(root / "course")
    release = generate_release(course, DINO, db=True)
    exchange = root / "exchange"
    release_to_exchange(course, exchange, DINO)
    source = course / "solutions" / ASSIGNMENT / NOTEBOOK
    perfect = json.loads(json.dumps(filled_in(release / NOTEBOOK, source)))
    notebooks = {"alice": json.dumps(perfect, indent=1),
                 "bob": json.dumps(with_cell(perfect, "clip", (FIXTURES / "clip_upper_bound_only.py").read_text())),
                 "carol": source.read_text(), "dave": (release / NOTEBOOK).read_text(),
                 "eve": (release / NOTEBOOK).read_text(), "mallory": mallory_notebook(release / NOTEBOOK, course),
                 "trent": (release / NOTEBOOK).read_text()}
    for learner in LEARNERS:
        hand_in(root / "home" / learner, exchange, learner, notebooks[learner], DINO)
    inbound = exchange / COURSE_ID / "inbound"
    eve = next(path for path in inbound.iterdir() if path.name.startswith("eve+"))
    (eve / NOTEBOOK).unlink()
    (eve / NOTEBOOK).symlink_to(source)  # eve's notebook in the exchange is now a link to the solutions
    (eve / "gradebook.txt").symlink_to(course / "gradebook.db")
    os.link(course / "solutions" / ASSIGNMENT / "rnn_utils.py", eve / "helpers.py")
    collected = collect(course, exchange, DINO)
    dave = course / "submitted" / "dave" / ASSIGNMENT / NOTEBOOK
    dave.unlink()
    dave.symlink_to(course / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK)
    with sqlite3.connect(course / "gradebook.db") as db:
        fresh_tables = sorted(row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    before = SimpleNamespace(course=file_hashes(course, ["."], skip=["gradebook.db", "submitted/dave"]),
                             kit=file_hashes(KIT_ROOT, KIT_PARTS), site=site_packages(),
                             processes=processes_in(root))
    first = nbgrader_run(course, environment, "autograde", ASSIGNMENT)
    after_first = gradebook_state(course, LEARNERS)
    second = nbgrader_run(course, environment, "autograde", ASSIGNMENT, "--force")
    after_second = gradebook_state(course, LEARNERS)
    feedback = nbgrader_run(course, environment, "generate_feedback", ASSIGNMENT, "--force")
    validated = nbgrader_run(course, environment, "validate",
                             str(course / "submitted" / "mallory" / ASSIGNMENT / NOTEBOOK))
    after = SimpleNamespace(course=file_hashes(course, ["."], skip=["gradebook.db", "autograded", "feedback",
                                                                     "submitted/dave"]),
                            kit=file_hashes(KIT_ROOT, KIT_PARTS), site=site_packages(),
                            processes=processes_in(root), temporary=sorted(p.name for p in temporary.iterdir()))
    cli = {learner: grade_with_cli(course / "submitted" / learner / ASSIGNMENT / NOTEBOOK) for learner in LEARNERS}
    return SimpleNamespace(root=root, course=course, source=source, release=release, collected=collected,
                           runs=(first, second, feedback, validated), before=before, after=after,
                           fresh_tables=fresh_tables, first=after_first, second=after_second, cli=cli,
                           cells=cell_scores(course, DINO))


def mallory_outputs(course):
    """The text of every output in mallory's autograded notebook, and the notebook's whole file."""
    path = course / "autograded" / "mallory" / ASSIGNMENT / NOTEBOOK
    notebook = json.loads(path.read_text())
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
                         + "\n".join(output.get("traceback", [])))
    return "\n".join(texts), path.read_text()


@pytest.mark.slow
def test_every_run_finished(attacked):
    """Did collect, both autograde rounds, feedback and validate all finish without an error?"""
    for run in (attacked.collected, *attacked.runs[:3]):
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "VALIDATION FAILED" in attacked.runs[3].stdout, "mallory's stubs fail validation, as they should"


@pytest.mark.slow
def test_mallorys_probes_all_ran_and_all_were_refused(attacked):
    """Did every probe of mallory's cell run, with the audit hook on and off, was every one refused, and does
    autograde's log name the cell that tried?"""
    text, _ = mallory_outputs(attacked.course)
    assert "audit_hook: DONE 'switched off'" in text, text[:3000]
    for probe in PROBES:
        for suffix in ("", " (hook off)"):
            assert f"{probe}{suffix}: refused (" in text, (probe, suffix, text[:3000])
    assert ": DONE" not in text.replace("audit_hook: DONE", "")
    log = attacked.runs[0].stdout + attacked.runs[0].stderr
    assert "cell clip tried what the sandbox does not allow: open" in log, "the instructor is told"


@pytest.mark.slow
def test_honest_scores_for_everyone_equal_to_the_command_line(attacked):
    """Does the gradebook give every learner the command line's score (per function too): alice 100, bob partial,
    the others 0, the refused ones flagged, with the same rows for everyone after the re-grade?"""
    for learner in LEARNERS:
        report = attacked.cli[learner]
        cells = attacked.cells[learner]
        assert sum(cells.values()) == report["score"], learner
        for function in DINO.function_names:
            from_cli = sum(test["score"] for test in report["tests"] if test["function"] == function)
            assert cells[f"test_{function}_public"] + cells[f"test_{function}_hidden"] == from_cli, (learner, function)
        if learner in EXPECTED:
            assert report["score"] == EXPECTED[learner], learner
        assert report.get("refused") == (REASONS[REFUSED[learner]] if learner in REFUSED else None), learner
    assert 0 < attacked.cli["bob"]["score"] < 100
    assert attacked.first[0] == attacked.second[0], "a re-grade changes nobody's rows"


@pytest.mark.slow
def test_the_course_the_kit_and_the_environment_are_unchanged(attacked):
    """Are the course (but for nbgrader's own outputs), the kit's files and site-packages byte for byte as before,
    with no extra table in the gradebook and nothing planted?"""
    assert attacked.after.course == attacked.before.course
    assert attacked.after.kit == attacked.before.kit
    assert attacked.after.site == attacked.before.site
    assert not PLANTED_PTH.exists() and not PLANTED_BYTECODE.exists()
    assert attacked.first[1] == attacked.second[1] == attacked.fresh_tables


@pytest.mark.slow
def test_no_process_is_left_and_no_temporary_file(attacked):
    """After grading, is no process working in the course or its temporary folder (none before either), and are
    the sandboxes' folders gone?"""
    assert attacked.before.processes == [] and attacked.after.processes == []
    assert [name for name in attacked.after.temporary if name != "graders-hypothesis"] == []


@pytest.mark.slow
def test_mallory_sees_nothing_hidden(attacked):
    """Are mallory's outputs, her autograded notebook, her feedback page and validate's report free of solution
    lines, expected values, check source and grader paths, and all but the notebook of hidden-test lines (nbgrader
    puts the hidden tests back into the test cells of the notebook it grades, for the instructor)?"""
    text, whole = mallory_outputs(attacked.course)
    page = page_text(feedback_page(attacked.course, "mallory", DINO).read_text())
    values = expected_value_strings(DINO.expected, public=attacked.release)
    released = "\n".join(notebook_text(path.read_text(errors="replace")) for path in attacked.release.iterdir())
    checks = {line.strip() for line in check_source().read_text().splitlines()
              if len(line.strip()) >= 12 and line.strip() not in released}
    assert values and checks
    for shown in (text, whole, page, attacked.runs[3].stdout):
        markers = [SECRET_MARKERS[0]] if shown is whole else SECRET_MARKERS
        assert shown_secrets(shown, attacked.source, attacked.release, markers) == []
        assert [value for value in values if value in shown] == []
        assert [line for line in checks if line in shown] == []
        assert str(KIT_ROOT) not in shown and "graders/" not in shown


@pytest.mark.slow
def test_honest_notebooks_ran_to_the_end(attacked):
    """Did the honest learners' notebooks run every cell in the sandbox but the training cell, which says it was
    not run (the instructor tagged it skip-grading)?"""
    for learner in ("alice", "bob", "trent"):
        notebook = json.loads((attacked.course / "autograded" / learner / ASSIGNMENT / NOTEBOOK).read_text())
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        assert [cell["execution_count"] for cell in code[:-1]] == list(range(1, len(code))), learner
        training = "".join("".join(output.get("text", "")) for output in code[-1]["outputs"])
        assert code[-1]["execution_count"] is None, learner
        assert training == f"This cell is not run while grading: the instructor tagged it {SKIP_TAG}.\n", learner


@pytest.mark.slow
def test_refused_notebooks_score_zero_with_the_reason_in_every_test_cell(attacked):
    """Are carol's copy of the instructor notebook and dave's link in submitted/ replaced by refusal notebooks, with
    a warning naming them, the reason at the top and in every test cell, and nothing of what they held or pointed
    to in their autograded notebooks or feedback?"""
    log = attacked.runs[0].stdout + attacked.runs[0].stderr
    assert f"carol's dinosaur_island was not graded: {REASONS['instructor-content']}" in log
    assert f"{NOTEBOOK} was not graded: {REASONS['link']}" in log
    assert not (attacked.course / "submitted" / "dave" / ASSIGNMENT / NOTEBOOK).is_symlink()
    alice = (attacked.course / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK).read_text()
    alices = [line.strip() for line in notebook_text(alice).splitlines() if len(line.strip()) >= 12]
    for learner, code in REFUSED.items():
        notebook = json.loads((attacked.course / "autograded" / learner / ASSIGNMENT / NOTEBOOK).read_text())
        assert "".join(notebook["cells"][0]["source"]) == f"**This submission was not graded**: {REASONS[code]}."
        tests = [cell for cell in notebook["cells"] if cell["metadata"].get("nbgrader", {}).get("grade")]
        for cell in tests:
            shown = json.dumps(cell["outputs"])
            assert "your submission was not graded" in shown, (learner, cell["metadata"]["nbgrader"]["grade_id"])
        page = page_text(feedback_page(attacked.course, learner, DINO).read_text())
        assert shown_secrets(page, attacked.source, attacked.release) == [], learner
        assert shown_secrets(notebook_text(json.dumps(notebook)), attacked.source, attacked.release,
                             [SECRET_MARKERS[0]]) == [], learner  # its test cells hold the hidden tests, for nbgrader
        if learner == "dave":
            released = notebook_text((attacked.release / NOTEBOOK).read_text())
            assert [line for line in alices if line in page and line not in released] == []


@pytest.mark.slow
def test_a_link_in_the_exchange_is_not_collected_and_scores_zero_with_a_flag(attacked):
    """Is eve's link left in the exchange (a warning names it), replaced by a refusal notebook that scores 0 with
    the reason in her feedback, and is nothing of the solutions in her folder or feedback?"""
    log = attacked.collected.stdout + attacked.collected.stderr
    assert f"{NOTEBOOK} in the exchange was not collected: {REASONS['link']}" in log
    assert "gradebook.txt in the exchange was not collected" in log
    assert f"helpers.py in the exchange was not collected: {REASONS['hard-link']}" in log
    folder = attacked.course / "submitted" / "eve" / ASSIGNMENT
    assert not (folder / "gradebook.txt").exists() and not (folder / "helpers.py").exists()
    assert not (folder / NOTEBOOK).is_symlink()
    page = page_text(feedback_page(attacked.course, "eve", DINO).read_text())
    assert f"This submission was not graded: {REASONS['link']}" in page
    assert attacked.cli["eve"]["refused"] == REASONS["link"]
    for shown in (page, (folder / NOTEBOOK).read_text()):
        assert shown_secrets(shown, attacked.source, attacked.release) == []
    autograded = (attacked.course / "autograded" / "eve" / ASSIGNMENT / NOTEBOOK).read_text()
    assert shown_secrets(autograded, attacked.source, attacked.release, [SECRET_MARKERS[0]]) == []
