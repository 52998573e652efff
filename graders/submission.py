"""Turn a submission file into the cells the sandbox runs: the one rule for every route.

A notebook made from the released one (nbgrader metadata on its cells) runs every code cell, in
order, as a kernel would, so helpers, constants and imports in cells of the learner's own work:

- except the cells the instructor tagged SKIP_TAG (training, plots: work grading does not need);
- except the instructor's test cells when grading: the graders run their checks themselves, outside
  the learner's process. nbgrader's SandboxExecute runs them (tests=True) without their hidden tests,
  so that the feedback shows what the public checks printed.

A notebook without nbgrader metadata is taken to be in the classic course's layout: only its cells
marked `# GRADED FUNCTION: <name>` and its cells that only define things (imports, functions,
classes, constants) run; its data, test and training cells do not (its imports cell's
`from utils import *` finds the provided helpers: see graders.reference.released_files). A Python
file is one cell. IPython magics and shell lines are commented out everywhere.

Whatever is wrong with the file (not JSON, not a notebook, not UTF-8, too large) becomes a `problem`
string that the checks report, instead of an exception.
"""
import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_SUBMISSION_BYTES = 20 * 2**20
SKIP_TAG = "skip-grading"  # the cell tag with which the instructor keeps a cell from running while grading
IMPORTS_CELL = "imports"   # nbgrader grade id of the notebook cell that imports the provided helpers
GRADED_FUNCTION = re.compile(r"^[ \t]*#+[ \t]*GRADED FUNCTION:[ \t]*([A-Za-z_]\w*)", re.MULTILINE)
DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass)


@dataclass
class Submission:
    """The code to run for one submission, or the reason there is none."""
    path: Path
    cells: list = field(default_factory=list)  # [{"id": ..., "source": ...}]
    problem: str = ""
    notes: list = field(default_factory=list)  # things worth telling the learner that are not errors


@dataclass(frozen=True)
class CellRule:
    """What the rule decided for one code cell of a notebook."""
    position: int      # index in the notebook's list of cells
    id: str            # the nbgrader grade id, the classic graded function's name, else "#<position + 1>"
    source: str        # the code to run, magics commented out ("" when the cell does not run)
    runs: bool
    why_not: str = ""  # why the cell does not run


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
    """The cells of a notebook that run while grading, in notebook order, and what to tell the learner about them."""
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        return Submission(path, problem=f"the notebook is not valid JSON (line {exc.lineno}, column "
                                        f"{exc.colno}: {exc.msg}); was it saved completely?")
    cells = notebook.get("cells") if type(notebook) is dict else None
    if type(cells) is not list:
        return Submission(path, problem="the file is JSON but not a Jupyter notebook (it has no list of cells)")
    rules = cells_to_run(cells)
    running = [rule for rule in rules if rule.runs]
    chosen = [{"id": rule.id, "source": rule.source} for rule in running]
    notes = [f"cell {rule.id}: IPython magics and shell lines were skipped while grading"
             for rule in running if rule.source != cell_source(cells[rule.position])]
    if is_classic(cells):
        notes.insert(0, classic_note(running))
    elif not any(rule.id == IMPORTS_CELL for rule in running):
        chosen.insert(0, {"id": IMPORTS_CELL, "source": imports})
        notes.append("the imports cell was missing; the standard imports were used")
    return Submission(path, cells=chosen, notes=notes)


def cells_to_run(cells, tests=False):
    """[CellRule] for every code cell of a notebook (its list of cells, as parsed JSON): the one rule of grading.

    tests: whether the instructor's test cells run too (nbgrader's SandboxExecute; their hidden tests are
    the caller's to cut out).
    """
    classic = is_classic(cells)
    rules = []
    for position, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        meta = nbgrader_metadata(cell)
        named = meta.get("grade_id") or (classic and graded_function(source)) or f"#{position + 1}"
        code = strip_magics(source)
        if SKIP_TAG in cell_tags(cell):
            rules.append(CellRule(position, str(named), code, False, f"the instructor tagged it {SKIP_TAG}"))
        elif meta.get("grade") is True and meta.get("solution") is not True:
            rules.append(CellRule(position, str(named), code, tests, "" if tests else "the graders run its checks"))
        elif classic and not (graded_function(source) or only_definitions(code)):
            rules.append(CellRule(position, str(named), code, False, "in a notebook without nbgrader metadata only "
                                  "the cells marked # GRADED FUNCTION and the cells of definitions run"))
        else:
            rules.append(CellRule(position, str(named), code, True))
    return rules


def is_classic(cells):
    """Is the notebook in the classic course layout: no solution cell carrying nbgrader's metadata?

    (nbgrader puts deleted test cells back before it grades, so test cells alone do not make a notebook nbgrader's.)
    """
    return not any(nbgrader_metadata(cell).get("solution") is True for cell in cells if isinstance(cell, dict))


def classic_note(running):
    """The note that says, once, which cells of a classic notebook were recognised (or that none was)."""
    graded = [rule.id for rule in running if not rule.id.startswith("#")]
    others = [rule.id for rule in running if rule.id.startswith("#")]
    if not graded and not any(re.search(r"^(async\s+)?def\s", rule.source, re.MULTILINE) for rule in running):
        return ("this notebook has no nbgrader metadata, and none of its cells is marked `# GRADED FUNCTION: <name>` "
                "or holds only definitions (imports, functions, constants), so none of its code ran: put each graded "
                "function in a cell that starts with `# GRADED FUNCTION: <name>`, or start from the released notebook")
    parts = [f"the cells marked # GRADED FUNCTION ({', '.join(graded)})"] if graded else []
    parts += [f"{len(others)} cell(s) of definitions only ({', '.join(others)})"] if others else []
    return ("this notebook has no nbgrader metadata, so it was graded as a classic notebook: what ran is "
            + " and ".join(parts) + "; its other cells (data, tests, training) did not run")


def nbgrader_metadata(cell):
    """A cell's nbgrader metadata ({} when it has none or it is malformed)."""
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def cell_tags(cell):
    """A cell's tags (metadata.tags), as strings."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return [str(tag) for tag in tags] if isinstance(tags, list) else []


def graded_function(source):
    """The name in a cell's `# GRADED FUNCTION: <name>` line ("" when it has none)."""
    found = GRADED_FUNCTION.search(source)
    return found.group(1) if found else ""


def only_definitions(source):
    """Does the code only define things: imports, functions, classes, names bound to literal constants?"""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return bool(tree.body) and all(defines_only(statement) for statement in tree.body)


def defines_only(statement):
    """Is one top-level statement a definition (a docstring or a constant bound to a name counts as one)?"""
    if isinstance(statement, DEFINITIONS):
        return True
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        try:
            ast.literal_eval(statement.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        return all(isinstance(target, ast.Name) for target in targets)
    return False


def cell_source(cell):
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "")
    if type(source) is list:
        return "".join(str(line) for line in source)
    return str(source)


def strip_magics(source):
    """The source with IPython magics and shell escapes, which are not Python, commented out."""
    return "".join("# " + line if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines(True))
