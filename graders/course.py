"""The nbgrader side of the kit: generate the release, check it, and autograde a demo class.

All of it drives the real nbgrader command line in a course folder (the kit's root, or a temporary
copy of it), with its SQLite gradebook, for the kit's assignments (graders/assignments/).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from graders.assignment import COURSE_RELEASE, COURSE_SOURCE, KIT_ROOT, kit_assignment_names, load_assignment
from graders.rubric import points_problems, with_rubric
from graders.submission import cell_source

README = KIT_ROOT / "README.md"
SECRET_MARKERS = (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))
MARKERS = tuple(marker for pair in SECRET_MARKERS for marker in pair)
MIN_SECRET_LINE = 8  # shorter lines ("else:", "idx = j") are too generic to count as a leak


def nbgrader(course, *args, check=True):
    """Run `nbgrader ARGS` in the course folder with this environment's nbgrader; return the process."""
    bindir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    command = [os.path.join(bindir, "nbgrader"), *args]
    done = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def make_course(root, kit_root=KIT_ROOT, with_release=False):
    """A course folder at root: config and source (symlinks resolved), optionally the committed release."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(kit_root / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(kit_root / COURSE_SOURCE, root / COURSE_SOURCE, symlinks=False, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    if with_release:
        shutil.copytree(kit_root / COURSE_RELEASE, root / COURSE_RELEASE, dirs_exist_ok=True)
    return root


def generate_release(course, assignment, db=False):
    """nbgrader generate_assignment into the course's release folder (with or without the gradebook)."""
    nbgrader(course, "generate_assignment", assignment.name, "--force", *([] if db else ["--no-db"]))
    return Path(course) / COURSE_RELEASE / assignment.name


def release(assignment):
    """Regenerate an assignment's committed release in the kit itself."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate_release(make_course(tmp), assignment)
        shutil.rmtree(assignment.release, ignore_errors=True)
        shutil.copytree(fresh, assignment.release)
    return assignment.release


def release_differences(assignment):
    """Files that differ between the committed release and a fresh generation (empty when in sync)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate_release(make_course(tmp), assignment)
        committed = assignment.release
        names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.exists() else set()
        return sorted(str(name) for name in names
                      if not (fresh / name).is_file() or not (committed / name).is_file()
                      or (fresh / name).read_bytes() != (committed / name).read_bytes())


def secret_lines(source_notebook, markers=SECRET_MARKERS):
    """Lines of the solutions and hidden tests in the instructor notebook (stripped, long enough to matter).

    A line that the notebook also gives away outside those regions (`seed += 1` in the provided part
    of `model`, say) is not a secret. `markers` chooses which regions' lines are returned: a subset
    of SECRET_MARKERS, e.g. only the hidden tests' pair.
    """
    notebook = json.loads(Path(source_notebook).read_text())
    secrets, public = set(), set()
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        inside = None
        for line in source.splitlines():
            stripped = line.strip()
            begins = [pair for pair in SECRET_MARKERS if stripped == pair[0]]
            if begins:
                inside = begins[0]
            elif inside and stripped == inside[1]:
                inside = None
            elif inside and len(stripped) >= MIN_SECRET_LINE and not stripped.startswith("#"):
                if inside in markers:
                    secrets.add(stripped)
            elif not inside:
                public.add(stripped)
    return secrets - public


def leaked_lines(release_dir, source_notebook):
    """(file, line) for every solution or hidden-test line found anywhere in the release."""
    secrets = secret_lines(source_notebook)
    leaks = []
    for path in sorted(Path(release_dir).rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".ipynb":  # compare cell lines, not JSON-escaped text
            text = notebook_text(text)
        leaks += [(str(path.relative_to(release_dir)), line.strip()) for line in text.splitlines()
                  if line.strip() in secrets]
    return leaks


def notebook_text(text):
    """The cells' sources of a notebook file's text, one after another (the text itself if it is no notebook)."""
    try:
        cells = json.loads(text)["cells"]
        return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
    except (ValueError, KeyError, TypeError):
        return text


def configure_release(parser):
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if the committed release or the README's rubric differs from a fresh "
                             "one, if the notebook's points disagree with the checks, or if a solution leaked")


def run_release(args):
    assignments = [load_assignment(name) for name in kit_assignment_names()]
    readme = README.read_text(encoding="utf-8")
    fresh_readme = readme
    for assignment in assignments:
        fresh_readme = with_rubric(fresh_readme, assignment)
    problems = [f"{a.name}: {problem}" for a in assignments for problem in points_problems(a)]
    if args.check:
        if fresh_readme != readme:
            problems.append("README.md: the rubric differs from the declarations (run python -m graders release)")
        for assignment in assignments:
            differences = [f"differs from a fresh release: {assignment.release.relative_to(KIT_ROOT)}/{name}"
                           for name in release_differences(assignment)]
            leaks = [f"solution or hidden test in the release: {name}: {line}"
                     for name, line in leaked_lines(assignment.release, assignment.source / assignment.notebook)]
            problems += differences + leaks
            print(f"{assignment.name}: release " + ("up to date" if not differences else "OUT OF DATE")
                  + (", no leaks" if not leaks else f", {len(leaks)} leaked lines"))
        for problem in problems:
            print(problem, file=sys.stderr)
        print("release: " + ("up to date, no leaks" if not problems else "PROBLEMS (see above)"))
        return 0 if not problems else 1
    if problems:  # a notebook whose points disagree with its checks is not released
        print("\n".join(problems), file=sys.stderr)
        return 1
    README.write_text(fresh_readme, encoding="utf-8")
    leaks = []
    for assignment in assignments:
        target = release(assignment)
        leaks += leaked_lines(target, assignment.source / assignment.notebook)
        print(f"released to {target}")
    print(f"README.md rubric regenerated; {len(leaks)} leaked lines" + ("!" if leaks else ", no solution or hidden test in the release"))
    return 1 if leaks else 0


def filled_in(release_notebook, source_notebook):
    """The released notebook with the instructor's solutions in its solution cells (a perfect learner).

    Each solution cell is the instructor's without the marker lines, as a learner who wrote the same
    code would hand it in.
    """
    released = json.loads(Path(release_notebook).read_text())
    solutions = {cell["metadata"]["nbgrader"]["grade_id"]: without_markers(cell_source(cell))
                 for cell in json.loads(Path(source_notebook).read_text())["cells"]
                 if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in released["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    return released


def without_markers(source):
    """Source text without the lines that hold nbgrader's solution and hidden-test markers."""
    return "".join(line for line in source.splitlines(True) if not line.strip().startswith(MARKERS))


def submit(course, assignment, student, notebook_json, timestamp="2026-11-20 12:00:00.000000 UTC"):
    """Place a notebook as `student`'s submission, the way nbgrader collect leaves it."""
    folder = Path(course) / "submitted" / student / assignment.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / assignment.notebook).write_text(notebook_json if isinstance(notebook_json, str) else json.dumps(notebook_json, indent=1))
    (folder / "timestamp.txt").write_text(timestamp)
    return folder


def gradebook_scores(course, assignment):
    """{student: (score, max_score)} of an assignment, read from the course's SQLite gradebook."""
    from nbgrader.api import Gradebook
    url = f"sqlite:///{Path(course) / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        return {s.student.id: (s.score, s.max_score) for s in gradebook.assignment_submissions(assignment.name)}


def demo(workdir, assignments):
    """Release, then autograde the reference and the untouched stubs with nbgrader; {name: their scores}."""
    course = make_course(workdir)
    scores = {}
    for assignment in assignments:
        release_dir = generate_release(course, assignment, db=True)
        source = course / COURSE_SOURCE / assignment.name / assignment.notebook
        submit(course, assignment, "reference", filled_in(release_dir / assignment.notebook, source))
        submit(course, assignment, "stubs", (release_dir / assignment.notebook).read_text())
        nbgrader(course, "autograde", assignment.name)
        scores[assignment.name] = gradebook_scores(course, assignment)
    return scores


def configure_demo(parser):
    parser.add_argument("--keep", type=Path, help="build the demo course here and keep it (default: a temporary folder)")


def run_demo(args):
    assignments = [load_assignment(name) for name in kit_assignment_names()]
    print("1/3 regenerating the release with nbgrader ...")
    for assignment in assignments:
        target = release(assignment)
        print(f"    {target}: {len(leaked_lines(target, assignment.source / assignment.notebook))} leaked lines")
    print("2/3 autograding the reference solution and the untouched stubs with nbgrader (SQLite gradebook) ...")
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        scores = demo(args.keep, assignments)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            scores = demo(Path(tmp) / "course", assignments)
    print("3/3 scores from the gradebook:")
    expected = True
    for name, by_student in scores.items():
        for student in ("reference", "stubs"):
            got, out_of = by_student[student]
            print(f"  {name} {student:<10} {got:g}/{out_of:g}")
        expected = expected and by_student["reference"][0] == by_student["reference"][1] and by_student["stubs"][0] == 0
    print("as expected: the reference gets full marks and the stubs 0" if expected else "UNEXPECTED SCORES")
    return 0 if expected else 1
