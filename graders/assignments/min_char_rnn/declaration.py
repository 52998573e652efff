"""min_char_rnn: learners write next_window, adagrad_update, sample_primed and train (docs/min_char_rnn.md)."""
from pathlib import Path

from graders.assignment import Assignment, GradedFunction, course_folders
from graders.assignments.min_char_rnn import adagrad_update, next_window, sample_primed, train
from graders.assignments.min_char_rnn.names import NAME

ASSIGNMENT = Assignment(
    name=NAME,
    notebook=f"{NAME}.ipynb",
    **course_folders(NAME),
    provided=("rnn_utils.py", "public_tests.py"),
    public_checks="public_tests.py",
    functions=(
        GradedFunction(next_window.CHECKS),
        GradedFunction(adagrad_update.CHECKS),
        GradedFunction(sample_primed.CHECKS),
        GradedFunction(train.CHECKS, stand_ins=("next_window", "adagrad_update")),
    ),
    expected=Path(__file__).with_name("expected"),
)
