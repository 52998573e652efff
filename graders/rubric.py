"""The rubric, derived from an assignment's declaration: the README's table and the notebook's cell points.

`python -m graders release` writes each kit assignment's table into README.md between its two
markers, and refuses a source notebook whose test cells carry other points than their checks add up
to; `release --check` (run by the tests) reports either difference instead of writing.
"""
import json

from graders.checks.gating import is_gated

GATED = "†"
GATED_RULE = (f"{GATED} No points without a correct value: such a check (a type, a shape, a bound, an input left "
              "untouched, a relation between calls: things a function computing nothing can get right) gives its "
              "points only when the same function also gets at least one of its values right, compared with the "
              "reference on the same inputs. The other hidden checks compare values with the reference's. What a function "
              "returns, changes and calls is graded, and its signature's defaults; what it prints is not (the "
              "scaffold's prints may be dropped or reworded).")

BEGIN = "<!-- BEGIN RUBRIC {name}: generated from its declaration by `python -m graders release`; do not edit -->"
END = "<!-- END RUBRIC {name} -->"


def rubric_markdown(assignment):
    """The rubric table of an assignment, between its markers: every check, its points, what a pass means."""
    checks = assignment.checks()
    lines = [BEGIN.format(name=assignment.name), f"### Rubric ({sum(c.points for c in checks):g} points)", "",
             "| check | cell | points | passes when |", "| --- | --- | ---: | --- |"]
    for name in assignment.function_names:
        own = [check for check in checks if check.function == name]
        lines.append(f"| **`{name}`** | | **{sum(c.points for c in own):g}** | |")
        lines += [f"| `{c.name}` | {'public' if c.public else 'hidden'} | {c.points:g}{GATED if is_gated(c) else ''} "
                  f"| {c.summary} |" for c in own]
    standing = [f"your `{graded.name}` calls the reference " + " and ".join(f"`{name}`" for name in graded.stand_ins)
                for graded in assignment.functions if graded.stand_ins]
    if standing:
        lines += ["", "While the hidden checks run, " + "; ".join(standing) + "."]
    if any(is_gated(c) for c in checks):
        lines += ["", GATED_RULE]
    return "\n".join(lines + [END.format(name=assignment.name)])


def with_rubric(text, assignment):
    """text (the README) with the assignment's rubric table regenerated between its markers."""
    begin, end = BEGIN.format(name=assignment.name), END.format(name=assignment.name)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ValueError(f"the README needs the lines {begin!r} and {end!r} once each")
    head, rest = text.split(begin)
    return head + rubric_markdown(assignment) + rest.split(end, 1)[1]


def notebook_points(notebook):
    """{grade id: points} of the graded cells of a notebook file."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {meta["grade_id"]: meta.get("points", 0)
            for meta in (cell.get("metadata", {}).get("nbgrader", {}) for cell in cells) if meta.get("grade")}


def points_problems(assignment):
    """Where the source notebook's graded cells disagree with the declared checks (empty when they agree)."""
    found = notebook_points(assignment.source / assignment.notebook)
    declared = assignment.cell_points()
    problems = [f"the notebook has no graded cell {cell!r} (worth {points:g} points)"
                for cell, points in declared.items() if cell not in found]
    problems += [f"the notebook's graded cell {cell!r} grades no declared function" for cell in found if cell not in declared]
    problems += [f"the notebook gives {cell!r} {found[cell]:g} points; its checks add up to {points:g}"
                 for cell, points in declared.items() if cell in found and found[cell] != points]
    return problems
