"""What an assignment is, declared once: its files, its graded functions in order, and their stand-ins.

Each assignment has one module `declaration.py` that defines `ASSIGNMENT = Assignment(...)`: the kit's
own assignments live in graders/assignments/<name>/, and any other folder holding a declaration.py can
be graded too (`python -m graders grade SUBMISSION --assignment FOLDER`). Everything else is derived
from the declaration: the command line's choices, nbgrader's test-cell ids, the batch columns, the
rubric in the README, the points the notebook's cells must carry, the mutation report's lists.
"""
import ast
import hashlib
import importlib
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graders.checks import CheckModule
from graders.submission import load_submission

KIT_ROOT = Path(__file__).resolve().parents[1]
KIT_ASSIGNMENTS = Path(__file__).with_name("assignments")
DECLARATION = "declaration.py"
COURSE_SOURCE, COURSE_RELEASE = "solutions", "assignment"  # nbgrader's folders in the kit (nbgrader_config.py)


class DeclarationError(Exception):
    """No such assignment, or a declaration that contradicts itself; the message says which."""


@dataclass(frozen=True)
class GradedFunction:
    """One graded function: its check module, and which references stand in while it is checked."""
    checks: CheckModule
    # other graded functions whose reference the learner's code calls in place of its own while this
    # function's hidden checks run, so that a mistake in one of them costs points in one place only
    stand_ins: tuple = ()
    # those of the stand-ins whose answers the grading process may remember and give again (graders/answers.py)
    remembered: tuple = ()

    @property
    def name(self):
        return self.checks.function


@dataclass(frozen=True, kw_only=True)
class Assignment:
    """One assignment, as its declaration.py states it."""
    name: str              # the nbgrader assignment id, also the name of its kit package
    notebook: str          # file name of the notebook, in the source and release folders
    source: Path           # nbgrader source folder: the instructor notebook (the reference) and the provided files
    release: Path          # nbgrader release folder (generated from the source, never edited)
    provided: tuple        # files shipped to learners and put beside their code while grading
    public_checks: str     # the provided file whose functions the public checks call ("" when there is none)
    functions: tuple       # GradedFunction, in rubric order
    expected: Path         # folder of the stored expected values, one <function>.json each

    def __post_init__(self):
        object.__setattr__(self, "provided", tuple(self.provided))
        object.__setattr__(self, "functions", tuple(self.functions))
        names = [graded.name for graded in self.functions]
        problems = [f"{name!r} is declared twice" for name in sorted(set(names)) if names.count(name) > 1]
        problems += [f"{graded.name}'s stand-in {other!r} is not another graded function"
                     for graded in self.functions for other in graded.stand_ins
                     if other not in names or other == graded.name]
        problems += [f"{graded.name}'s remembered {other!r} is not one of its stand-ins"
                     for graded in self.functions for other in graded.remembered if other not in graded.stand_ins]
        if self.public_checks and self.public_checks not in self.provided:
            problems.append(f"the public checks file {self.public_checks!r} is not among the provided files")
        if not self.functions:
            problems.append("no graded function")
        if problems:
            raise DeclarationError(f"assignment {self.name!r}: " + "; ".join(problems))

    @property
    def function_names(self):
        """The graded functions' names, in rubric order."""
        return tuple(graded.name for graded in self.functions)

    def function(self, name):
        """The GradedFunction called name."""
        return next(graded for graded in self.functions if graded.name == name)

    def checks(self, functions=None):
        """Every check, in rubric order; only those of `functions` when given."""
        return [check for graded in self.functions if functions is None or graded.name in functions
                for check in graded.checks.checks]

    def test_cells(self):
        """{nbgrader grade id: (function, public)} of the notebook's test cells, two per graded function."""
        return {f"test_{name}_{kind}": (name, kind == "public")
                for name in self.function_names for kind in ("public", "hidden")}

    def cell_points(self):
        """{nbgrader grade id: points} that the notebook's test cells must carry (the sum of their checks)."""
        points = dict.fromkeys(self.test_cells(), 0)
        for check in self.checks():
            points[f"test_{check.function}_{'public' if check.public else 'hidden'}"] += check.points
        return points


def course_folders(name):
    """{"source": ..., "release": ...}: a kit assignment's nbgrader folders in the kit's course folder."""
    return {"source": KIT_ROOT / COURSE_SOURCE / name, "release": KIT_ROOT / COURSE_RELEASE / name}


def kit_assignment_names():
    """Names of the kit's own assignments (the packages in graders/assignments/ with a declaration)."""
    return sorted(path.parent.name for path in KIT_ASSIGNMENTS.glob(f"*/{DECLARATION}"))


@lru_cache(maxsize=None)
def load_assignment(name_or_folder=None):
    """The kit's assignment of that name, or the one declared in that folder; None: the kit's only one."""
    names = kit_assignment_names()
    if name_or_folder is None:
        if len(names) != 1:
            raise DeclarationError(f"the kit has {len(names)} assignments ({', '.join(names)}): pass --assignment NAME")
        name_or_folder = names[0]
    if name_or_folder in names:
        module = importlib.import_module(f"graders.assignments.{name_or_folder}.declaration")
    elif (Path(name_or_folder) / DECLARATION).is_file():
        module = import_declaration(Path(name_or_folder).resolve())
    else:
        raise DeclarationError(f"no assignment {str(name_or_folder)!r}: name one of {', '.join(names)}, "
                               f"or a folder holding a {DECLARATION}")
    declared = getattr(module, "ASSIGNMENT", None)
    if not isinstance(declared, Assignment):
        raise DeclarationError(f"{module.__file__} does not define ASSIGNMENT = Assignment(...)")
    return declared


def import_declaration(folder):
    """The declaration module of a folder outside the kit, imported as a package of its own."""
    package = "_assignment_" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    if package not in sys.modules:  # the folder's modules import each other relatively (from . import ...)
        module = types.ModuleType(package)
        module.__path__ = [str(folder)]
        sys.modules[package] = module
    return importlib.import_module(f"{package}.declaration")


def choose_assignment(submission, candidates, read=True):
    """The assignment a submission is for, among candidates: the only one, else the one whose notebook
    name it has, else the only one some of whose graded functions it defines; DeclarationError if unsure.

    read=False: the file must not be opened (one graders.intake refuses, a link say): its name only.
    """
    if len(candidates) == 1:
        return candidates[0]
    by_notebook = [a for a in candidates if a.notebook == Path(submission).name]
    if len(by_notebook) == 1:
        return by_notebook[0]
    defined = defined_functions(submission) if read else set()
    by_functions = [a for a in candidates if defined & set(a.function_names)]
    if len(by_functions) == 1:
        return by_functions[0]
    raise DeclarationError(f"cannot tell which assignment {Path(submission).name} is for "
                           f"({', '.join(a.name for a in candidates)}): pass --assignment NAME")


def kit_assignments():
    """Every assignment the kit declares."""
    return [load_assignment(name) for name in kit_assignment_names()]


def kit_assignment_for(submission, functions=None, read=True):
    """The kit assignment a submission is for: the only one grading every function in `functions` (when given),
    else the one choose_assignment tells from the file (read=False: from its name only); DeclarationError if unsure."""
    candidates = kit_assignments()
    grading = [a for a in candidates if functions and set(functions) <= set(a.function_names)]
    return choose_assignment(submission, grading or candidates, read)


def defined_functions(submission):
    """Names of the functions a submission defines at the top level of its cells (empty if unreadable)."""
    names = set()
    for cell in load_submission(submission).cells:
        try:
            tree = ast.parse(cell["source"])
        except (SyntaxError, ValueError):
            continue
        names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return names
