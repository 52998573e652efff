"""What the instructor notebook's hidden test cells call when they run in a Jupyter kernel.

That happens when the instructor runs an assignment's source notebook (solutions/<name>/) in Jupyter:
`score("clip")` grades the notebook file in the current folder (named as the assignment's declaration
says) with exactly the checks `python -m graders grade` runs for `clip`, minus the public check (its own
cell scores it), prints a short verdict per check, and returns the points as the cell's value. Under the
course's nbgrader_config.py hidden tests never run at all: SandboxExecute cuts them out of the cells it
runs in the sandbox, and GraderVerdicts sets these cells' outputs with `hidden_verdict`.
"""
from pathlib import Path

from graders.formats import messages_to_show


def score(function, assignment=None):
    """Points earned by `function`'s hidden checks in the assignment's notebook (default: the kit's assignment that
    grades `function`)."""
    from graders.assignment import kit_assignment_for, load_assignment
    from graders.grading import grade
    declared = load_assignment(assignment) if assignment else kit_assignment_for("", [function], read=False)
    report = grade(Path(declared.notebook), assignment=declared, functions=[function])
    text, total = hidden_verdict([r for r in report.results if not r.public], function)
    print(text, end="")
    return total


def hidden_verdict(results, function):
    """(text, points) of a function's hidden checks: one verdict per check, hints under failures (a hint several
    checks give, once), the total."""
    lines = []
    for r, message in zip(results, messages_to_show(results, 8)):
        mark = "passed" if r.status == "passed" else r.status.upper()
        lines.append(f"{r.name}: {mark} ({r.score:g}/{r.max_score:g}) - {r.summary}")
        lines += ["    " + line for line in message]
    total = sum(r.score for r in results)
    lines.append(f"Hidden checks for {function}: {total:g}/{sum(r.max_score for r in results):g}")
    return "\n".join(lines) + "\n", total
