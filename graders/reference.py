"""The reference solution and the provided files, read from an assignment's source folder.

The reference is not kept anywhere else: it is the solution cells of the instructor notebook, run
here, in the grader's own process, after the notebook's imports cell (which imports the provided
helpers, loaded by path under private names). It is used to compute expected values (`regenerate`)
and to stand in for other graded functions while one is checked (the reference `clip` while the
learner's `optimize` runs, for instance): `stand_ins` and `standing_in` are the one way to do that.
"""
import contextlib
import hashlib
import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path

from graders.answers import forget, remembering
from graders.submission import IMPORTS_CELL, cell_source, nbgrader_metadata, strip_magics

SOURCE_DIGEST = "__source_digest__"  # load_reference's entry for the digest of the code it ran
CLASSIC_HELPERS = "utils"  # the module the classic course's notebooks import the provided helpers from


def released_files(assignment):
    """{file name: bytes} of the files a submission runs beside, on every route: those released beside the
    notebook (helpers, public checks, data), read from the assignment's source folder, and a `utils` module
    that re-exports the provided helpers (`from utils import *`, as the classic course's notebooks write).
    Learners' own files are never among them: nothing a learner hands in besides the notebook is read.
    """
    files = {path.name: path.read_bytes() for path in sorted(assignment.source.iterdir())
             if path.is_file() and path.suffix != ".ipynb" and not path.name.startswith(".")}
    helpers = [Path(name).stem for name in assignment.provided
               if name.endswith(".py") and name != assignment.public_checks]
    if helpers:
        files.setdefault(f"{CLASSIC_HELPERS}.py", "".join(
            f"from {helper} import *  # noqa: F401,F403\n" for helper in helpers).encode())
    return files


def load_module(path):
    """The Python file at path as a module object of its own (never added to sys.modules for good)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"_provided_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=None)
def public_checks(assignment):
    """The learner's public checks file of the assignment, loaded by path (None when it has none)."""
    if not assignment.public_checks:
        return None
    with provided_modules(assignment) as modules:  # the file may import the provided helpers
        return modules[Path(assignment.public_checks).stem]


@contextlib.contextmanager
def provided_modules(assignment):
    """While the block runs, importing a provided Python file (`from rnn_utils import *`) finds the
    assignment's own, loaded in declared order (a later file may import an earlier one); yields {name: module}."""
    stems = [Path(name).stem for name in assignment.provided if name.endswith(".py")]
    with importable(stems):
        for stem in stems:
            sys.modules[stem] = load_module(assignment.source / f"{stem}.py")
        yield {stem: sys.modules[stem] for stem in stems}


def reference_cells(assignment):
    """The imports cell and the solution cells of the instructor notebook, in notebook order."""
    cells = json.loads((assignment.source / assignment.notebook).read_text(encoding="utf-8"))["cells"]
    return [{"id": meta["grade_id"], "source": strip_magics(cell_source(cell))}
            for cell, meta in ((cell, nbgrader_metadata(cell)) for cell in cells if cell["cell_type"] == "code")
            if meta.get("grade_id") == IMPORTS_CELL or meta.get("solution") is True]


def imports_cell(assignment):
    """The source of the instructor notebook's imports cell ("" when it has none)."""
    return next((cell["source"] for cell in reference_cells(assignment) if cell["id"] == IMPORTS_CELL), "")


def load_reference(assignment):
    """{name: object} of the reference notebook's namespace: the graded functions, the helpers, the imports, and
    under SOURCE_DIGEST a digest of the code it ran (two namespaces with the same digest behave the same)."""
    namespace = {"__name__": f"{assignment.name}_reference"}
    cells = reference_cells(assignment)
    with provided_modules(assignment):  # `from rnn_utils import *` finds these, nothing else
        for cell in cells:
            exec(compile(cell["source"], f"<reference {cell['id']}>", "exec"), namespace)
    digest = hashlib.sha256(json.dumps(cells).encode())
    for name in assignment.provided:
        if name.endswith(".py"):
            digest.update((assignment.source / name).read_bytes())
    namespace[SOURCE_DIGEST] = digest.hexdigest()
    return namespace


@contextlib.contextmanager
def importable(names):
    """While the block runs, the block may put modules called `names` in sys.modules; restored afterwards."""
    saved = {name: sys.modules.pop(name, None) for name in names}
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def stand_ins(reference, names, recorders=None, remembered=()):
    """{name: function}: the reference functions `names`, each wrapped by recorders[name] where given.

    recorders: {name: wrap}, wrap(reference function) -> the function to use instead (one that records
    its calls, say). Pass the result to Context.call, or to standing_in for the reference's own code.
    remembered: names among them whose answers this process may remember and give again (graders/answers.py).
    """
    recorders = recorders or {}
    functions = {name: remembering(reference[name], reference.get(SOURCE_DIGEST)) if name in remembered
                 else reference[name] for name in names}
    return {name: recorders[name](function) if name in recorders else function for name, function in functions.items()}


@contextlib.contextmanager
def standing_in(reference, functions):
    """While the block runs, the reference's own code calls functions[name] wherever it calls name (answers
    remembered before or during the block are forgotten: they may have come from the other functions)."""
    saved = {name: reference[name] for name in functions}
    forget()
    reference.update(functions)  # the reference functions' globals are this namespace
    try:
        yield
    finally:
        reference.update(saved)
        forget()
