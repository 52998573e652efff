"""What the notebook's hidden test cells call when nbgrader autogrades a submission.

`score("clip")` grades the notebook file being autograded (in the current folder, named as the
assignment's declaration says) with exactly the checks `python -m graders grade` runs for `clip`,
minus the public check (its own cell scores it),
prints a short verdict per check for the feedback, and returns the points as the cell's value:
nbgrader reads that value as the cell's partial credit. The learner's code runs in the grader's
sandbox, not in this kernel, so the score equals the command line's for the same file.
"""
import os
from pathlib import Path

# Set by the course's nbgrader_config.py where the GraderVerdicts preprocessor replaces these cells'
# outputs after autograde has run the notebook: grading here as well would only be thrown away.
VERDICTS_OUTSIDE_KERNEL = "DINO_VERDICTS_OUTSIDE_KERNEL"


def score(function, assignment=None):
    """Points earned by `function`'s hidden checks in the assignment's notebook (default: the kit's only one)."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and os.environ.get(VERDICTS_OUTSIDE_KERNEL) == "1":
        print(f"The hidden checks for {function} are scored by the graders once the notebook has run.")
        return 0.0
    from graders.assignment import load_assignment
    from graders.grading import grade
    declared = load_assignment(assignment)
    report = grade(Path(declared.notebook), assignment=declared, functions=[function])
    text, total = hidden_verdict([r for r in report.results if not r.public], function)
    print(text, end="")
    return total


def hidden_verdict(results, function):
    """(text, points) of a function's hidden checks: one verdict per check, hints under failures, the total."""
    lines = []
    for r in results:
        mark = "passed" if r.status == "passed" else r.status.upper()
        lines.append(f"{r.name}: {mark} ({r.score:g}/{r.max_score:g}) - {r.summary}")
        if r.status != "passed":
            lines += ["    " + line for line in r.message.splitlines()[:8]]
    total = sum(r.score for r in results)
    lines.append(f"Hidden checks for {function}: {total:g}/{sum(r.max_score for r in results):g}")
    return "\n".join(lines) + "\n", total
