"""Write a grading report as text, JSON, JUnit XML or Gradescope's results.json.

Every format but JUnit also says how the learner's code was confined: the layers in force, what each
missing layer means, and what the code was refused while it loaded (see graders/sandbox/layers.py).
The formats people read (text, Gradescope, the feedback's hidden test cells) show a message that several
checks give once, under the first of them, with how many give it (`messages_to_show`); JSON and JUnit,
read by programs, keep every check's message.
"""
import json
import xml.etree.ElementTree as ET
from collections import Counter

from graders.sandbox.layers import missing_layers

FORMATS = ("text", "json", "junit", "gradescope")
STATUS_MARK = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}


def render(report, fmt):
    """The report as a string in the given format."""
    return {"text": as_text, "json": as_json, "junit": as_junit, "gradescope": as_gradescope}[fmt](report)


def as_text(report):
    """A per-check table grouped by function, with subtotals, messages under failed checks."""
    lines = [f"Grading {report.submission}", ""]
    width = max(len(r.name) for r in report.results) if report.results else 10
    totals = report.by_function()
    current = None
    for r, message in zip(report.results, messages_to_show(report.results, 12)):
        if r.function != current:
            current = r.function
            got, out_of = totals[current]
            lines.append(f"{current}  {got:g}/{out_of:g}")
        lines.append(f"  {r.name:<{width}}  {STATUS_MARK[r.status]:<7}  {r.score:>4g}/{r.max_score:<4g}  {r.summary}")
        lines += ["      " + line for line in message]
    lines += [""] + [f"note: {note}" for note in report.notes]
    lines.append(f"Score: {report.score:g}/{report.max_score:g}")
    return "\n".join(lines + sandbox_lines(report)) + "\n"


def messages_to_show(results, most_lines):
    """[lines to show under each result]: nothing under a passed check; a message's first most_lines lines under
    the first check that gives it, with "(same for N checks)" when others give it too; under those others, only
    "(same message as FIRST)"."""
    failing = [r for r in results if r.status != "passed" and r.message.strip()]
    counts = Counter(r.message for r in failing)
    first, shown = {}, []
    for r in results:
        if r.status == "passed":
            shown.append([])
        elif r.message in first:
            shown.append([f"(same message as {first[r.message]})"])
        else:
            lines = r.message.splitlines()[:most_lines]
            if counts[r.message] > 1:
                first[r.message] = r.name
                lines.append(f"(same for {counts[r.message]} checks)")
            shown.append(lines)
    return shown


def sandbox_facts(report):
    """{"layers", "missing", "refused_at_load"} of the report's sandbox; None when no learner code ran."""
    if report.load is None:
        return None
    return {"layers": list(report.load.layers),
            "missing": [{"layer": layer, "meaning": meaning} for layer, meaning in missing_layers(report.load.layers)],
            "refused_at_load": list(report.load.violations)}


def sandbox_lines(report):
    """The footer on the sandbox: layers in force, missing ones and what that means, refusals while loading."""
    facts = sandbox_facts(report)
    if facts is None:
        return ["Sandbox: no learner code ran"]
    lines = [f"Sandbox: {', '.join(facts['layers']) or 'no layer'} in force"]
    lines += [f"  missing {item['layer']}: {item['meaning']}" for item in facts["missing"]]
    lines += [f"  refused while loading: {what}" for what in facts["refused_at_load"]]
    return lines


def as_json(report):
    """The contract's JSON object (score, max_score, one entry per check), plus the sandbox's facts (and
    "refused" for a file that is no submission)."""
    return json.dumps({
        "score": report.score,
        "max_score": report.max_score,
        **({"refused": report.refused} if report.refused else {}),
        "tests": [{"name": r.name, "function": r.function, "score": r.score, "max_score": r.max_score,
                   "status": r.status, "message": r.message} for r in report.results],
        "sandbox": sandbox_facts(report),
    }, indent=2) + "\n"


def as_junit(report):
    """JUnit XML: one testsuite per graded function, one testcase per check; points as properties."""
    root = ET.Element("testsuites", name=report.assignment, tests=str(len(report.results)),
                      failures=str(sum(r.status == "failed" for r in report.results)),
                      errors=str(sum(r.status in ("error", "timeout") for r in report.results)),
                      time=f"{report.seconds:.3f}")
    suites = {}
    for r in report.results:
        suite = suites.get(r.function)
        if suite is None:
            suite = suites[r.function] = ET.SubElement(root, "testsuite", name=r.function, tests="0", failures="0",
                                                       errors="0", skipped="0", time="0")
        suite.set("tests", str(int(suite.get("tests")) + 1))
        suite.set("time", f"{float(suite.get('time')) + r.seconds:.3f}")
        case = ET.SubElement(suite, "testcase", classname=f"{report.assignment}.{r.function}", name=r.name,
                             time=f"{r.seconds:.3f}")
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="score", value=f"{r.score:g}")
        ET.SubElement(properties, "property", name="max_score", value=f"{r.max_score:g}")
        if r.status == "failed":
            suite.set("failures", str(int(suite.get("failures")) + 1))
            ET.SubElement(case, "failure", message=first_line(r.message), type="failed").text = r.message
        elif r.status in ("error", "timeout"):
            suite.set("errors", str(int(suite.get("errors")) + 1))
            ET.SubElement(case, "error", message=first_line(r.message), type=r.status).text = r.message
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def as_gradescope(report):
    """Gradescope's results.json: total score, per-test score/max_score/status/output, all visible."""
    return json.dumps({
        "score": report.score,
        "execution_time": round(report.seconds, 3),
        "output": "\n".join(report.notes or [f"Score: {report.score:g}/{report.max_score:g}"]) + "\n"
                  + "\n".join(sandbox_lines(report)),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [{"name": r.name, "number": str(i + 1), "score": r.score, "max_score": r.max_score,
                   "status": "passed" if r.status == "passed" else "failed",
                   "output": "\n".join(message) if r.status != "passed" else r.summary, "visibility": "visible",
                   "tags": [r.function]}
                  for i, (r, message) in enumerate(zip(report.results, messages_to_show(report.results, None)))],
    }, indent=2) + "\n"


def first_line(text):
    return text.splitlines()[0][:200] if text else ""
