"""Which files are not submissions at all: links, files outside their folder, the instructor's own content.

Every route runs this before it grades (`graders.grading.grade`, and so the command line, batch,
Gradescope and nbgrader's GraderVerdicts; nbgrader's collect and autograde see links themselves, in
graders/nbgrader_intake.py). A refused file scores 0 with the reason, which names what is wrong and
never what the file holds or points to: a link is never followed, and instructor content is named
as such, never quoted.

Instructor-only content is what no learner is given: the solution and hidden-test markers of
nbgrader's source notebook, and its hidden-test cells. It is looked for only in what a learner
writes (solution cells and cells without nbgrader metadata; nbgrader puts its own test cells back
into the notebooks it grades). A learner's cell that equals the instructor's solution without its
markers is a correct answer, not a leak.
"""
import json
import os
import stat
from pathlib import Path

from graders.course import MARKERS, SECRET_MARKERS, without_markers
from graders.submission import MAX_SUBMISSION_BYTES, cell_source

HIDDEN_TESTS = next(pair for pair in SECRET_MARKERS if "HIDDEN" in pair[0])
REFUSED_KEY = "graders_refused"  # notebook metadata set where nbgrader refused what a learner handed in
REASONS = {
    "link": "the submission is a symbolic link, not a file of its own; it was not opened",
    "outside": "the submission lies outside its submission folder; it was not opened",
    "hard-link": "the submission file has more than one name (a hard link); copy it (without cp -l or ln) to grade it",
    "not-a-file": "the submission is not a regular file",
    "instructor-content": "the submission holds instructor-only content (solution or hidden-test markers, or a hidden "
                          "test), which no learner is given",
}


def refusal(path, assignment, folder=None):
    """Why the file at path is not a submission of assignment (a key of REASONS), or "" when it may be graded.

    folder: the submission folder path must lie in (default: its own folder, as given).
    """
    path = Path(path)
    folder = Path(folder) if folder is not None else path.parent
    return file_refusal(path, folder) or content_refusal(path, assignment)


def file_refusal(path, folder):
    """The REASONS key for a path that is a link, has a link above it up to folder, lies outside folder, or is
    no regular file with a single name ("" when it is none of these, or missing: grading then says so)."""
    code, _ = linked_part(path, folder)
    if code:
        return code
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    if not stat.S_ISREG(info.st_mode):
        return "not-a-file"
    return "hard-link" if info.st_nlink > 1 else ""


def linked_part(path, folder):
    """("outside", folder) for a path outside folder; ("link", the link) for a path with a link at or below
    folder; ("", None) otherwise. Paths are taken as given (absolute, not resolved)."""
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    if top not in absolute.parents:
        return "outside", top
    below = absolute.relative_to(top).parts
    for depth in range(1, len(below) + 1):
        part = top.joinpath(*below[:depth])
        if os.path.islink(part):
            return "link", part
    return "", None


def content_refusal(path, assignment):
    """The REASONS key for a file whose learner-written part holds instructor-only content ("" if none).

    The assignment's instructor notebook in its own place is the reference, not a submission: it is never refused.
    """
    if os.path.realpath(path) == os.path.realpath(assignment.source / assignment.notebook):
        return ""
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NOFOLLOW)) as handle:
            text = handle.read(MAX_SUBMISSION_BYTES + 1).decode("utf-8-sig", errors="replace")
    except OSError:
        return ""  # grading says it cannot be read
    if Path(path).suffix != ".ipynb":
        return "instructor-content" if has_marker(text) else ""
    try:
        notebook = json.loads(text)
    except ValueError:
        return ""  # not JSON: grading says so
    return notebook_refusal(notebook, assignment)


def notebook_refusal(notebook, assignment):
    """The REASONS key for a notebook (parsed JSON) that nbgrader refused or that holds assignment's instructor-only
    content."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return ""  # not a notebook: grading says so (nbformat's NotebookNode is a dict too)
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict) and metadata.get(REFUSED_KEY) in REASONS:
        return metadata[REFUSED_KEY]
    hidden = hidden_test_cells(assignment)
    for cell in learner_cells(notebook["cells"]):
        source = cell_source(cell)
        if has_marker(source) or normalized(source) in hidden:
            return "instructor-content"
    return ""


def learner_cells(cells):
    """The cells a learner writes: solution cells, and cells without nbgrader metadata."""
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        metadata = cell.get("metadata")
        nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        if not isinstance(nbgrader, dict) or nbgrader.get("solution") is True:
            yield cell


def has_marker(text):
    """Does a line of text begin with one of nbgrader's solution or hidden-test markers?"""
    return any(line.strip().startswith(MARKERS) for line in text.splitlines())


def hidden_test_cells(assignment):
    """The instructor notebook's hidden-test cells, normalised, with and without their markers."""
    cells = json.loads((assignment.source / assignment.notebook).read_text(encoding="utf-8"))["cells"]
    found = set()
    for cell in cells:
        source = cell_source(cell)
        if any(line.strip().startswith(HIDDEN_TESTS[0]) for line in source.splitlines()):
            found.add(normalized(source))
            found.add(normalized(without_markers(source)))
    return found


def normalized(source):
    """A cell's source with trailing spaces and blank lines dropped, for comparing whole cells."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())
