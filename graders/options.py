"""Command-line options the verbs share: which assignment, and which of its graded functions.

Without --assignment, `grade` takes the kit's only assignment; when the kit has several, the only one
grading the functions --only names, else the one whose notebook name the submission has, else the only
one whose graded functions it defines (see graders.assignment.kit_assignment_for); other verbs take the
kit's only one (or the one --only points to), or work on every one.
"""
from pathlib import Path

from graders.assignment import DeclarationError, kit_assignment_for, kit_assignments, load_assignment
from graders.intake import file_refusal


def add_assignment_options(parser, only=False):
    """--assignment, and with only=True --only (repeatable)."""
    parser.add_argument("--assignment", metavar="NAME|FOLDER",
                        help="a kit assignment's name, or a folder holding a declaration.py (default: see README)")
    if only:
        parser.add_argument("--only", action="append", metavar="FUNCTION",
                            help="grade only this graded function (repeatable)")


def chosen_assignment(args, submission=None):
    """The Assignment --assignment names, else the kit's one (the one the submission is for).

    Raises DeclarationError, a usage error, when there is no such assignment or --only names a
    function it does not grade.
    """
    if args.assignment:
        assignment = load_assignment(args.assignment)
    elif submission is None and not getattr(args, "only", None):
        assignment = load_assignment()
    else:
        # a link or a file outside its folder is never opened, not even to tell its assignment
        read = submission is not None and not file_refusal(submission, Path(submission).parent)
        assignment = kit_assignment_for(submission or "", getattr(args, "only", None), read)
    unknown = [name for name in getattr(args, "only", None) or () if name not in assignment.function_names]
    if unknown:
        raise DeclarationError(f"--only {unknown[0]}: {assignment.name} grades "
                               f"{', '.join(assignment.function_names)}")
    return assignment


def chosen_assignments(args):
    """[the assignment --assignment names], else every kit assignment."""
    if args.assignment:
        return [load_assignment(args.assignment)]
    return kit_assignments()
