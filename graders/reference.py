"""The reference solution and the files every submission runs with, read from the course folder.

The reference is not kept anywhere else: it is the solution cells of the instructor notebook in
`solutions/dinosaur_island/`, executed here, in the grader's own process, next to the provided
helpers. It is used to compute expected values (`regenerate`) and to stand in for the other graded
functions while one is checked (the reference `clip` while grading `optimize`, for instance).
"""
import copy
import importlib.util
from pathlib import Path

import numpy as np

from graders.submission import load_submission

KIT_ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = KIT_ROOT / "solutions" / "dinosaur_island"
SOLUTION_NOTEBOOK = SOURCE_DIR / "dinosaur_island.ipynb"
PROVIDED_FILES = ("rnn_utils.py", "public_tests.py")  # shipped to learners and put beside their code


def provided_files(source_dir=SOURCE_DIR):
    """{file name: bytes} of the files a submission runs beside (the released helpers)."""
    return {name: (Path(source_dir) / name).read_bytes() for name in PROVIDED_FILES}


def load_rnn_utils(source_dir=SOURCE_DIR):
    """The provided helpers as a module object of its own (not added to sys.modules)."""
    spec = importlib.util.spec_from_file_location("dino_rnn_utils", Path(source_dir) / "rnn_utils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_reference(notebook=SOLUTION_NOTEBOOK, source_dir=SOURCE_DIR):
    """{name: function} for the graded functions and the helpers, from the instructor notebook."""
    submission = load_submission(notebook)
    if submission.problem:
        raise RuntimeError(f"the reference notebook {notebook} cannot be read: {submission.problem}")
    helpers = load_rnn_utils(source_dir)
    namespace = {"copy": copy, "np": np, "__name__": "dino_reference"}
    namespace.update({name: value for name, value in vars(helpers).items() if not name.startswith("_")})
    for cell in submission.cells:
        if cell["id"] != "imports":
            exec(compile(cell["source"], f"<reference {cell['id']}>", "exec"), namespace)
    return namespace
