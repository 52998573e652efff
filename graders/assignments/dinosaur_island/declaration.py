"""Dinosaur Island: learners write clip, sample, optimize and model for a character-level RNN."""
from pathlib import Path

from graders.assignment import Assignment, GradedFunction, course_folders
from graders.assignments.dinosaur_island import clip, model, optimize, sample

NAME = "dinosaur_island"
ASSIGNMENT = Assignment(
    name=NAME,
    notebook=f"{NAME}.ipynb",
    **course_folders(NAME),
    provided=("rnn_utils.py", "public_tests.py"),
    public_checks="public_tests.py",
    functions=(
        GradedFunction(clip.CHECKS),
        GradedFunction(sample.CHECKS),
        GradedFunction(optimize.CHECKS, stand_ins=("clip",)),
        GradedFunction(model.CHECKS, stand_ins=("optimize", "sample"), remembered=("optimize",)),
    ),
    expected=Path(__file__).with_name("expected"),
)
