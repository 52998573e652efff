"""The second assignment's files, for the kit's tests: its folders, its reference and its public checks."""
import importlib.util
import sys
from types import SimpleNamespace

from conftest import KIT
from graders.reference import load_module, load_reference

NAME = "min_char_rnn"
SOURCE = KIT / "solutions" / NAME
NOTEBOOK = SOURCE / f"{NAME}.ipynb"
RELEASE = KIT / "assignment" / NAME
GRADED = ("next_window", "adagrad_update", "sample_primed", "train")
# what graders.reference.load_reference reads of an assignment (the graders do not declare this one yet)
FILES = SimpleNamespace(name=NAME, source=SOURCE, notebook=f"{NAME}.ipynb", provided=("rnn_utils.py", "public_tests.py"))


def load_rnn_utils(source):
    """A folder's rnn_utils.py as a module of its own."""
    return load_module(source / "rnn_utils.py")


def reference():
    """{name: function} of the solution cells of the instructor notebook, beside its own rnn_utils.py."""
    return load_reference(FILES)


def public_tests():
    """The learner's public_tests.py as a module, importing this assignment's rnn_utils.py.

    `rnn_utils` is put in sys.modules only while public_tests.py is loaded, so the first assignment's
    helpers of the same name are never shadowed.
    """
    saved = sys.modules.get("rnn_utils")
    sys.modules["rnn_utils"] = load_rnn_utils(SOURCE)
    try:
        spec = importlib.util.spec_from_file_location(f"{NAME}_public_tests", SOURCE / "public_tests.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["rnn_utils"]
        else:
            sys.modules["rnn_utils"] = saved
    return module
