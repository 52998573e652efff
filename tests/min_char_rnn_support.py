"""The second assignment's files, for the kit's tests: its declaration, folders, reference and public checks."""
from graders.assignment import load_assignment
from graders.reference import load_module, load_reference, public_checks

MCR = load_assignment("min_char_rnn")
NAME = MCR.name
SOURCE = MCR.source
NOTEBOOK = SOURCE / MCR.notebook
RELEASE = MCR.release
GRADED = MCR.function_names


def load_rnn_utils(source):
    """A folder's rnn_utils.py as a module of its own."""
    return load_module(source / "rnn_utils.py")


def reference():
    """{name: function} of the solution cells of the instructor notebook, beside its own rnn_utils.py."""
    return load_reference(MCR)


def public_tests():
    """The learner's public_tests.py as a module, importing this assignment's rnn_utils.py (the first
    assignment's helpers of the same name are never shadowed)."""
    return public_checks(MCR)
