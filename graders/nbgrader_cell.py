"""What the notebook's hidden test cells call when nbgrader autogrades a submission.

`score("clip")` grades the notebook file being autograded (in the current folder) with exactly the
checks `python -m graders grade` runs for `clip`, minus the public check (its own cell scores it),
prints a short verdict per check for the feedback, and returns the points as the cell's value:
nbgrader reads that value as the cell's partial credit. The learner's code runs in the grader's
sandbox, not in this kernel, so the score equals the command line's for the same file.
"""
from pathlib import Path

NOTEBOOK = "dinosaur_island.ipynb"


def score(function, notebook=NOTEBOOK):
    """Points earned by `function`'s hidden checks in the notebook at `notebook`."""
    from graders.grading import grade
    report = grade(Path(notebook), functions=[function])
    hidden = [r for r in report.results if not r.public]
    for r in hidden:
        mark = "passed" if r.status == "passed" else r.status.upper()
        print(f"{r.name}: {mark} ({r.score:g}/{r.max_score:g}) - {r.summary}")
        if r.status != "passed":
            print("    " + "\n    ".join(r.message.splitlines()[:8]))
    total = sum(r.score for r in hidden)
    print(f"Hidden checks for {function}: {total:g}/{sum(r.max_score for r in hidden):g}")
    return total
