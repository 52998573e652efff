"""The instructor's whole workflow with the real nbgrader, on a class of learners, for every assignment.

One temporary course holds both of the kit's assignments (eight learners hand in the first, five the
second: see tests/nbgrader_class.py), with one SQLite gradebook and one exchange:
generate each release (with the gradebook), release it through nbgrader's exchange, learners fetch
and submit both, the instructor sets the due dates, one learner submits late, collect, autograde,
generate feedback, export. The tests then read the gradebook, the CSV, the feedback pages (as text
and in a real headless Chromium) and compare every score with `python -m graders grade` on the same
notebook; each test that is about one assignment's class runs once per assignment.
"""
import csv
import datetime
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from browser_pages import offline_browser, readability, screenshot
from graders.assignment import KIT_ROOT, kit_assignments
from graders.course import (generate_release, gradebook_scores, leaked_lines, make_course,
                            nbgrader, notebook_text, secret_lines)
from nbgrader_class import CLASSES, LATE, MISTAKES, ON_TIME, class_notebooks, expected_scores, grade_id_of
from nbgrader_exchange import COURSE_ID, collect, hand_in, release_to_exchange, set_due_date
from nbgrader_pages import expected_value_strings, hidden_test_lines, page_text

ASSIGNMENTS = kit_assignments()

# Public test cells run learners' code (in the sandbox, cell by cell), so an endless loop there lasts
# one cell time limit; the course's limit is generous, the test's is lower so that the endless learner
# costs less. The longest legitimate cell here (a hidden cell of the training loop) takes a few seconds.
CELL_SECONDS = 30
POINTS_PER_LATE_DAY = 10.0   # the course's late policy (nbgrader_config.py)


def grade_with_cli(notebook):
    """`python -m graders grade NOTEBOOK --format json`, in a subprocess; the parsed report."""
    done = subprocess.run([sys.executable, "-m", "graders", "grade", str(notebook), "--format", "json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cell_scores(course, assignment):
    """{learner: {grade cell id: score}} of an assignment, from the course's gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gradebook:
        scores = {}
        for submission in gradebook.assignment_submissions(assignment.name):
            notebook = gradebook.find_submission_notebook(Path(assignment.notebook).stem, assignment.name,
                                                          submission.student.id)
            scores[submission.student.id] = {grade.name: grade.score for grade in notebook.grades}
        return scores


def late_penalties(course, assignment):
    """{learner: late penalty} of an assignment, from the course's gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gradebook:
        return {s.student.id: s.late_submission_penalty for s in gradebook.assignment_submissions(assignment.name)}


def course_config():
    """The course's nbgrader_config.py, loaded as nbgrader loads it."""
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader("nbgrader_config.py", path=str(KIT_ROOT)).load_config()


@pytest.fixture(scope="module")
def course_run(tmp_path_factory):
    """The course after the whole workflow for every assignment, with nbgrader's and the command line's results."""
    root = tmp_path_factory.mktemp("nbgrader_e2e")
    exchange = root / "exchange"
    # The instructor makes the course and the releases, and releases them through the exchange
    course = make_course(root / "course")
    notebooks = {}
    for assignment in ASSIGNMENTS:
        release = generate_release(course, assignment, db=True)
        release_to_exchange(course, exchange, assignment)
        source = course / "solutions" / assignment.name / assignment.notebook
        notebooks[assignment.name] = class_notebooks(release / assignment.notebook, source, assignment)
    # Learners hand in on time; then the due dates pass; then the late learner hands in
    for assignment in ASSIGNMENTS:
        for student in [s for s in ON_TIME if s in CLASSES[assignment.name]]:
            hand_in(root / "home" / student, exchange, student, notebooks[assignment.name][student], assignment)
    due = datetime.datetime.now(datetime.timezone.utc)
    for assignment in ASSIGNMENTS:
        set_due_date(course, due, assignment)
    for assignment in ASSIGNMENTS:
        for student in [s for s in LATE if s in CLASSES[assignment.name]]:
            hand_in(root / "home" / student, exchange, student, notebooks[assignment.name][student], assignment)
        collect(course, exchange, assignment)
    submitted = {a.name: {s: course / "submitted" / s / a.name / a.notebook for s in CLASSES[a.name]}
                 for a in ASSIGNMENTS}
    # The command line grades the same notebooks, one at a time, while nbgrader autogrades them
    with ThreadPoolExecutor(max_workers=1) as pool:
        cli = {name: {s: pool.submit(grade_with_cli, path) for s, path in paths.items()} for name, paths in submitted.items()}
        autograde = {a.name: nbgrader(course, "autograde", a.name, f"--Execute.timeout={CELL_SECONDS}", check=False)
                     for a in ASSIGNMENTS}
        cli = {name: {s: future.result() for s, future in futures.items()} for name, futures in cli.items()}
    feedback = {a.name: nbgrader(course, "generate_feedback", a.name, check=False) for a in ASSIGNMENTS}
    nbgrader(course, "export", "--to=grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        exported = list(csv.DictReader(handle))
    return SimpleNamespace(root=root, course=course, exchange=exchange, notebooks=notebooks, submitted=submitted,
                           due=due, autograde=autograde, feedback=feedback, cli=cli, exported=exported)


@pytest.fixture(scope="module", params=[assignment.name for assignment in ASSIGNMENTS])
def graded_class(request, course_run):
    """One assignment's class in the course: its notebooks, results, gradebook scores and exported rows."""
    assignment = next(a for a in ASSIGNMENTS if a.name == request.param)
    course = course_run.course
    return SimpleNamespace(
        assignment=assignment, root=course_run.root, course=course, exchange=course_run.exchange, due=course_run.due,
        notebooks=course_run.notebooks[assignment.name], submitted=course_run.submitted[assignment.name],
        autograde=course_run.autograde[assignment.name], feedback=course_run.feedback[assignment.name],
        cli=course_run.cli[assignment.name], expected=expected_scores(assignment), mistakes=MISTAKES[assignment.name],
        exported={row["student_id"]: row for row in course_run.exported if row["assignment"] == assignment.name},
        scores=gradebook_scores(course, assignment), cells=cell_scores(course, assignment),
        penalties=late_penalties(course, assignment))


def classes_with(learner):
    """The graded_class parameters of the assignments whose class has this learner (indirect parametrization)."""
    return pytest.mark.parametrize("graded_class", [a.name for a in ASSIGNMENTS if learner in CLASSES[a.name]],
                                   indirect=True)


def feedback_page(course, student, assignment):
    """Where generate_feedback puts a learner's feedback page for an assignment."""
    return course / "feedback" / student / assignment.name / f"{Path(assignment.notebook).stem}.html"


def function_cells(assignment, function):
    """The two test cells of a graded function."""
    return {f"test_{function}_public", f"test_{function}_hidden"}


@pytest.mark.slow
def test_one_course_holds_every_assignment(course_run):
    """Does the one gradebook hold every submission of every assignment, and the one CSV exported from it a row for
    every learner of the course and every assignment (nbgrader exports a learner who handed nothing in with 0)?"""
    learners = {student for assignment in ASSIGNMENTS for student in CLASSES[assignment.name]}
    assert {(row["assignment"], row["student_id"]) for row in course_run.exported} \
        == {(assignment.name, student) for assignment in ASSIGNMENTS for student in learners}
    assert len(ASSIGNMENTS) >= 2
    for assignment in ASSIGNMENTS:
        assert set(gradebook_scores(course_run.course, assignment)) == set(CLASSES[assignment.name]), assignment.name


@pytest.mark.slow
def test_every_learner_has_the_expected_score_in_the_gradebook(graded_class):
    """Does the gradebook hold the expected raw score (out of 100) for every learner?"""
    assert set(graded_class.scores) == set(graded_class.expected)
    for student, expected in graded_class.expected.items():
        score, max_score = graded_class.scores[student]
        assert max_score == 100, student
        if expected is not None:
            assert score == expected, student
    buggy = graded_class.scores["buggy"][0]
    assert 0 < buggy < 100


@pytest.mark.slow
def test_points_are_lost_exactly_where_the_mistakes_are(graded_class):
    """Do the buggy and endless learners lose points only in the cells that run the function they got wrong?"""
    assignment, mistakes = graded_class.assignment, graded_class.mistakes
    buggy, endless = grade_id_of(assignment, mistakes.buggy), grade_id_of(assignment, mistakes.endless)
    # When graded, the checks of a function that calls the wrong one (released or hidden) run the reference's.
    losing = {"buggy": function_cells(assignment, buggy), "endless": function_cells(assignment, endless)}
    full = graded_class.cells["reference"]
    for student, cells_lost in losing.items():
        cells = graded_class.cells[student]
        assert {cell for cell, points in full.items() if cells[cell] < points} == cells_lost, student
    assert graded_class.cells["endless"][f"test_{endless}_hidden"] == 0
    assert graded_class.cells["buggy"][f"test_{buggy}_hidden"] > 0, f"a {buggy} that caps from above earns some points"


@pytest.mark.slow
@classes_with("deleted_cell")
def test_a_deleted_test_cell_is_put_back_and_scored(graded_class):
    """Is a hidden-test cell the learner deleted re-added by nbgrader and scored as if present?"""
    deleted, assignment = graded_class.mistakes.deleted_cell, graded_class.assignment
    assert deleted not in graded_class.submitted["deleted_cell"].read_text()
    autograded = graded_class.course / "autograded" / "deleted_cell" / assignment.name / assignment.notebook
    assert deleted in autograded.read_text()
    assert graded_class.cells["deleted_cell"] == graded_class.cells["reference"]


@pytest.mark.slow
@classes_with(LATE[0])
def test_the_late_learner_loses_the_late_penalty(graded_class):
    """Is only the late learner penalised, by the course's points per started day?"""
    late = LATE[0]
    timestamp = (graded_class.submitted[late].parent / "timestamp.txt").read_text()
    assert timestamp > graded_class.due.strftime("%Y-%m-%d %H:%M:%S.%f"), "the late learner submitted after the due date"
    for student, penalty in graded_class.penalties.items():
        assert (penalty or 0) == (POINTS_PER_LATE_DAY if student == late else 0), student
    assert float(graded_class.exported[late]["score"]) == graded_class.expected[late] - POINTS_PER_LATE_DAY


@pytest.mark.slow
def test_the_exported_csv_matches_the_gradebook(graded_class):
    """Does `nbgrader export` write every learner's raw score, penalty and final score as in the gradebook, and 0
    for a learner of the course who did not hand this assignment in?"""
    assert set(graded_class.exported) >= set(graded_class.expected)
    for student in set(graded_class.exported) - set(graded_class.expected):
        row = graded_class.exported[student]
        assert (float(row["raw_score"]), float(row["score"]), float(row["max_score"])) == (0, 0, 100), student
    for student, row in graded_class.exported.items():
        if student not in graded_class.expected:
            continue
        raw, max_score = graded_class.scores[student]
        penalty = graded_class.penalties[student] or 0
        assert (float(row["raw_score"]), float(row["late_submission_penalty"])) == (raw, penalty), student
        assert (float(row["score"]), float(row["max_score"])) == (raw - penalty, max_score), student


@pytest.mark.slow
def test_nbgrader_and_the_command_line_give_the_same_score(graded_class):
    """For every learner, does nbgrader's raw score equal `python -m graders grade`'s on the submitted notebook?"""
    assignment = graded_class.assignment
    for student in graded_class.expected:
        report = graded_class.cli[student]
        assert report["max_score"] == 100, student
        assert {test["function"] for test in report["tests"]} == set(assignment.function_names), "graded as this assignment"
        assert graded_class.scores[student][0] == report["score"], student
        by_function = {}
        for test in report["tests"]:
            by_function[test["function"]] = by_function.get(test["function"], 0) + test["score"]
        cells = graded_class.cells[student]
        for function in assignment.function_names:
            assert sum(cells[cell] for cell in function_cells(assignment, function)) == by_function[function], \
                (student, function)


@pytest.mark.slow
@classes_with("invalid_json")
def test_an_unreadable_notebook_scores_zero_both_ways_and_is_reported(graded_class):
    """Does a notebook that is not valid JSON get 0 from both graders, with the problem reported by both?"""
    report = graded_class.cli["invalid_json"]
    assert report["score"] == 0
    assert all("not valid JSON" in test["message"] for test in report["tests"])
    # nbgrader records the submission with 0, fails the run, names the learner and gives no feedback
    assert graded_class.scores["invalid_json"] == (0, 100)
    assert graded_class.autograde.returncode != 0
    log = graded_class.autograde.stdout + graded_class.autograde.stderr
    assert f"error processing assignment '{graded_class.assignment.name}' for student 'invalid_json'" in log
    assert "NotJSONError" in log or "JSONDecodeError" in log
    assert not feedback_page(graded_class.course, "invalid_json", graded_class.assignment).exists()
    assert float(graded_class.exported["invalid_json"]["score"]) == 0


@pytest.mark.slow
def test_the_release_holds_no_hidden_test_or_solution(graded_class):
    """Are hidden tests and solutions absent from the release, the exchange and the files learners fetched?"""
    name, notebook = graded_class.assignment.name, graded_class.assignment.notebook
    source = graded_class.course / "solutions" / name / notebook
    for place in (graded_class.course / "assignment" / name, graded_class.exchange / COURSE_ID / "outbound" / name,
                  graded_class.root / "home" / "stubs" / name):
        assert (place / notebook).exists(), place
        assert leaked_lines(place, source) == [], place
    for student in graded_class.expected:  # learners' notebooks hold their own answers; the files around them nothing
        fetched = graded_class.root / "home" / student / name
        assert [leak for leak in leaked_lines(fetched, source) if leak[0] != notebook] == [], student


@pytest.mark.slow
def test_feedback_shows_no_hidden_test_expected_value_or_grader_path(graded_class):
    """Is every feedback page free of hidden-test code, the graders' expected values and the graders' paths?"""
    assignment = graded_class.assignment
    source = graded_class.course / "solutions" / assignment.name / assignment.notebook
    hidden = hidden_test_lines(source)
    release = graded_class.course / "assignment" / assignment.name
    values = expected_value_strings(assignment.expected, public=release)
    assert hidden and len(values) > 50
    pages = [s for s in graded_class.expected if s != "invalid_json"]
    for student in pages:
        html = feedback_page(graded_class.course, student, assignment).read_text()
        text = page_text(html)
        assert "Hidden checks for " in text, "the hidden checks' verdicts are shown"
        assert [line for line in hidden if line in text] == [], student
        assert [value for value in values if value in text] == [], student
        for path in ("graders/", "expected/", str(KIT_ROOT), "BEGIN HIDDEN TESTS"):
            assert path not in html, (student, path)


@pytest.mark.slow
def test_feedback_for_the_stubs_gives_no_solution_away(graded_class):
    """Does the feedback of a learner who wrote nothing contain no solution line beyond what the notebook says?"""
    assignment = graded_class.assignment
    solutions = secret_lines(graded_class.course / "solutions" / assignment.name / assignment.notebook)
    released = notebook_text((graded_class.course / "assignment" / assignment.name / assignment.notebook).read_text())
    text = page_text(feedback_page(graded_class.course, "stubs", assignment).read_text())
    assert [line for line in solutions if line in text and line not in released] == []


@pytest.mark.slow
def test_an_endless_learner_is_stopped_with_short_feedback(graded_class):
    """Is the endless loop stopped in both kinds of cell (the notebook's at the cell time limit, the graders' at
    theirs), with feedback that gives the graders' reason?"""
    assignment = graded_class.assignment
    endless = grade_id_of(assignment, graded_class.mistakes.endless)
    first_hidden = next(check.name for check in assignment.checks([endless]) if not check.public)
    text = page_text(feedback_page(graded_class.course, "endless", assignment).read_text())
    assert f"CheckFailed: {endless} did not finish within" in text, f"the public {endless} cell shows the graders' verdict"
    assert f"{first_hidden}: TIMEOUT" in text, f"the hidden {endless} checks report the sandbox's time limit"
    assert "loop that never ends" in text


@pytest.mark.slow
def test_feedback_opens_in_a_real_browser_with_its_scores(graded_class):
    """Does each feedback page load in headless Chromium, cut off from the network, without a failed resource or an
    error, showing its scores with every test cell named by what it checks, and asking nothing of the network?"""
    assignment = graded_class.assignment
    shown = {"reference": "100.0 / 100.0", "stubs": "0.0 / 100.0", "buggy": f"{graded_class.scores['buggy'][0]} / 100.0"}
    shown.update({late: f"{graded_class.expected[late] - POINTS_PER_LATE_DAY} / 100.0" for late in LATE
                  if late in graded_class.expected})
    last_function = assignment.function_names[-1]
    with offline_browser(graded_class.root / f"chromium-profile-{assignment.name}", 1280) as (browser, external):
        for student, score in shown.items():
            page = browser.new_page()
            failed, errors = [], []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(feedback_page(graded_class.course, student, assignment).as_uri(), wait_until="load")
            heading = page.locator("h4").first.inner_text()
            body = page.locator("body").inner_text()
            screenshot(page, f"nbgrader_feedback_{assignment.name}_{student}.png")
            page.close()
            assert heading == f"{assignment.name} (Score: {score})", student
            assert f"{last_function}: hidden checks (Score:" in body and "Test cell" not in body
            assert f"Hidden checks for {last_function}" in body
            if student in LATE:
                assert f"Late submission penalty (Score: -{POINTS_PER_LATE_DAY})" in body
            assert failed == [] and errors == [], student
    assert external == [], "a feedback page asked for something off the machine"


@pytest.mark.slow
def test_feedback_reads_well_at_1000_px_with_its_math_rendered(graded_class):
    """At 1,000 px, does every feedback page fit its window and every box its content (long verdicts and tracebacks
    wrap), with its formulas typeset offline? Screenshots are kept in artifacts/."""
    assignment = graded_class.assignment
    pages = [s for s in graded_class.expected if s != "invalid_json"]
    with offline_browser(graded_class.root / f"chromium-narrow-{assignment.name}", 1000) as (browser, external):
        for student in pages:
            page = browser.new_page()
            page.goto(feedback_page(graded_class.course, student, assignment).as_uri(), wait_until="load")
            seen = readability(page)
            screenshot(page, f"nbgrader_feedback_1000px_{assignment.name}_{student}.png")
            page.close()
            assert (seen["width"], seen["cut"], seen["beyond"]) == (1000, [], []), (student, seen)
            assert seen["math"] >= 10 and not seen["raw_tex"], (student, seen)
    assert external == []


def test_late_penalty_grows_per_started_day_and_never_exceeds_the_score():
    """Does the course's late policy take 10 points per started day late, never more than the score?"""
    policy = course_config().AssignLatePenalties.plugin_class(points_per_day=POINTS_PER_LATE_DAY)
    day = 86400
    assert [policy.late_submission_penalty("x", 100, seconds) for seconds in (0.5, day, day + 1, 3 * day)] \
        == [10, 10, 20, 30]
    assert policy.late_submission_penalty("x", 15, 5 * day) == 15


def test_feedback_clears_hidden_tests_and_cuts_tracebacks():
    """Does the feedback step drop hidden tests from test cells only, cut their traceback to one line, others to the learner's frames?"""
    import nbformat
    clear = [p for p in course_config().GenerateFeedback.preprocessors if p.__name__ == "HideGraderDetails"][0]()
    error = nbformat.v4.new_output("error", ename="KeyboardInterrupt", evalue="",
                                   traceback=["Traceback", f"File {KIT_ROOT}/graders/grading.py:120", "KeyboardInterrupt"])
    cell = nbformat.v4.new_code_cell("check_runs('clip', clip)\n### BEGIN HIDDEN TESTS\nscore('clip')\n### END HIDDEN TESTS",
                                     metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1, "solution": False}},
                                     outputs=[error])
    frames = ["-" * 20, "AssertionError   Traceback (most recent call last)", "Cell In[4], line 2\n----> 2 clip_test(clip, 10)",
              f"\x1b[0;32mFile {KIT_ROOT}/autograded/a/dinosaur_island/public_tests.py:30\x1b[0m, in clip_test()",
              "Cell In[3], line 5, in clip(gradients, maxValue)", "File /usr/lib/numpy/core.py:9, in clip()",
              "AssertionError: wrong"]
    public = nbformat.v4.new_code_cell("clip_test(clip, 10)", outputs=[nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="wrong", traceback=frames)])
    learners = nbformat.v4.new_code_cell("x = 1  ### BEGIN HIDDEN TESTS (a learner's comment)",
                                         metadata={"nbgrader": {"grade": False, "grade_id": "clip", "solution": True}})
    cell, _ = clear.preprocess_cell(cell, {}, 0)
    public, _ = clear.preprocess_cell(public, {}, 1)
    assert clear.preprocess_cell(learners, {}, 2)[0].source == "x = 1  ### BEGIN HIDDEN TESTS (a learner's comment)"
    assert cell.source == "check_runs('clip', clip)"
    assert cell.outputs[0].traceback == ["KeyboardInterrupt"]
    assert public.outputs[0].traceback == [*frames[:3], frames[4], "(frames outside your notebook are not shown)",
                                           frames[-1]], "a learner's own cells stay in the traceback"


def free_port():
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url, deadline):
    """GET a JSON document, retrying until the server answers or the deadline (time.monotonic) passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.slow
def test_formgrader_shows_the_autograded_class(course_run):
    """Does `jupyter lab` started in the course folder serve the formgrader, listing every learner's submission and
    score for every assignment?"""
    port, token = free_port(), secrets.token_hex(16)
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--LabApp.workspaces_dir={course_run.root / 'workspaces'}"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(course_run.root / "jupyter-runtime")}
    server = subprocess.Popen(command, cwd=course_run.course, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        get_json(f"{base}/api/status?token={token}", deadline)
        submissions = {a.name: get_json(f"{base}/formgrader/api/submissions/{a.name}?token={token}", deadline)
                       for a in ASSIGNMENTS}
        with urllib.request.urlopen(f"{base}/formgrader/gradebook?token={token}", timeout=10) as page:
            assert page.status == 200 and b"nbgrader" in page.read().lower()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for assignment in ASSIGNMENTS:
        rows = {row["student"]: row for row in submissions[assignment.name]}
        assert set(rows) == set(CLASSES[assignment.name]), assignment.name
        for student, (score, max_score) in gradebook_scores(course_run.course, assignment).items():
            row = rows[student]
            # the unreadable notebook is listed as submitted but not autograded, so the instructor sees it
            assert (row["submitted"], row["autograded"]) == (True, student != "invalid_json"), (assignment.name, student)
            if row["autograded"]:
                assert (row["score"], row["max_score"], row["needs_manual_grade"]) == (score, max_score, False), \
                    (assignment.name, student)
