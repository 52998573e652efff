"""Turn a submission file into the cells the sandbox runs.

A notebook contributes its imports cell and its solution cells, found by nbgrader metadata (the
training and demo cells never run while grading). A Python file is one cell. Whatever is wrong
with the file (not JSON, not a notebook, no solution cells, not UTF-8) becomes a `problem` string
that the checks report, instead of an exception.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_SUBMISSION_BYTES = 20 * 2**20


@dataclass
class Submission:
    """The code to run for one submission, or the reason there is none."""
    path: Path
    cells: list = field(default_factory=list)  # [{"id": ..., "source": ...}]
    problem: str = ""
    notes: list = field(default_factory=list)  # things worth telling the learner that are not errors


def load_submission(path, imports=""):
    """Read a notebook or a .py file; never raises for a bad file.

    imports: the source a notebook without an imports cell runs in its place (the assignment's imports cell).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SUBMISSION_BYTES:
            return Submission(path, problem=f"the file is {size} bytes, more than the limit of {MAX_SUBMISSION_BYTES}")
        raw = path.read_bytes()
    except OSError as exc:
        return Submission(path, problem=f"the file could not be read: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Submission(path, problem=f"the file is not UTF-8 text (byte {exc.start})")
    if path.suffix == ".py":
        return Submission(path, cells=[{"id": "submission", "source": text}])
    if path.suffix == ".ipynb":
        return notebook_submission(path, text, imports)
    return Submission(path, problem=f"a submission must be a .ipynb notebook or a .py file, not {path.name!r}")


def notebook_submission(path, text, imports):
    """The imports cell and the solution cells of a notebook, in notebook order."""
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        return Submission(path, problem=f"the notebook is not valid JSON (line {exc.lineno}, column "
                                                    f"{exc.colno}: {exc.msg}); was it saved completely?")
    cells = notebook.get("cells") if type(notebook) is dict else None
    if type(cells) is not list:
        return Submission(path, problem="the file is JSON but not a Jupyter notebook (it has no list of cells)")
    chosen, notes, has_imports = [], [], False
    for position, cell in enumerate(cells):
        if type(cell) is not dict or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) if type(cell.get("metadata")) is dict else {}
        meta = meta if type(meta) is dict else {}
        grade_id = str(meta.get("grade_id", f"cell-{position}"))
        if grade_id == "imports" or meta.get("solution") is True:
            source = cell_source(cell)
            source, stripped = strip_magics(source)
            if stripped:
                notes.append(f"cell {grade_id}: IPython magics and shell lines were skipped while grading")
            chosen.append({"id": grade_id, "source": source})
            has_imports = has_imports or grade_id == "imports"
    if not any(cell["id"] != "imports" for cell in chosen):
        return Submission(path, problem="the notebook has no solution cells (no cell carries nbgrader's "
                                                    "solution metadata): start from the released notebook and write "
                                                    "your code in its cells", notes=notes)
    if not has_imports:
        chosen.insert(0, {"id": "imports", "source": imports})
        notes.append("the imports cell was missing; the standard imports were used")
    return Submission(path, cells=chosen, notes=notes)


def cell_source(cell):
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "")
    if type(source) is list:
        return "".join(str(line) for line in source)
    return str(source)


def strip_magics(source):
    """Comment out IPython magics and shell escapes, which are not Python; report whether any were."""
    lines, stripped = [], False
    for line in source.splitlines(True):
        if line.lstrip().startswith(("%", "!")):
            lines.append("# " + line)
            stripped = True
        else:
            lines.append(line)
    return "".join(lines), stripped
