"""Every output format, read back by a parser of that format; exit codes of `grade`."""
import json
import subprocess
import sys

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from conftest import DINO, KIT, RELEASED_NOTEBOOK, perfect_submission
from graders.formats import as_gradescope, as_json, as_junit, as_text
from graders.sandbox.layers import LAYERS

# docs/contract.md's JSON object: the contract's fields, plus what the sandbox reports
SPEC_JSON_SCHEMA = {
    "type": "object", "required": ["score", "max_score", "tests", "sandbox"], "additionalProperties": False,
    "properties": {
        "score": {"type": "number"}, "max_score": {"type": "number"}, "refused": {"type": "string"},
        "tests": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "function", "score", "max_score", "status", "message"],
            "properties": {"name": {"type": "string"}, "function": {"enum": list(DINO.function_names)},
                           "score": {"type": "number"}, "max_score": {"type": "number"},
                           "status": {"enum": ["passed", "failed", "error", "timeout"]},
                           "message": {"type": "string"}}}},
        "sandbox": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["layers", "missing", "refused_at_load"],
            "properties": {
                "layers": {"type": "array", "items": {"type": "string"}},
                "missing": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["layer", "meaning"],
                    "properties": {"layer": {"enum": list(LAYERS)}, "meaning": {"type": "string"}}}},
                "refused_at_load": {"type": "array", "items": {"type": "string"}}}}]},
    },
}
# Gradescope's documented results.json fields (autograder specifications): top-level score or tests,
# execution_time, output, visibility, stdout_visibility; per test score, max_score, status, name,
# number, output, tags, visibility.
GRADESCOPE_SCHEMA = {
    "type": "object", "required": ["score", "tests"],
    "properties": {
        "score": {"type": "number"}, "execution_time": {"type": "number"}, "output": {"type": "string"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {"type": "array", "items": {
            "type": "object", "required": ["name", "score", "max_score"], "additionalProperties": False,
            "properties": {"score": {"type": "number"}, "max_score": {"type": "number"},
                           "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                           "number": {"type": "string"}, "output": {"type": "string"},
                           "tags": {"type": "array", "items": {"type": "string"}},
                           "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]}}}},
    },
}


@pytest.fixture(scope="module")
def mixed_report():
    """A report with passed, failed and error checks: a notebook whose clip is one-sided."""
    import tempfile
    from pathlib import Path

    from graders.grading import grade
    notebook = json.loads(perfect_submission())
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "clip":
            cell["source"] = "".join(cell["source"]).replace("-maxValue, maxValue", "None, maxValue")
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "sample":
            cell["source"] = "def sample(parameters, char_to_ix, seed):\n    raise ValueError('oops')\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.ipynb"
        path.write_text(json.dumps(notebook))
        return grade(path, functions=["clip", "sample"])


def test_json_matches_the_documented_shape(mixed_report):
    """Does --format json produce exactly the documented object, with consistent totals and the sandbox's layers?"""
    document = json.loads(as_json(mixed_report))
    jsonschema.validate(document, SPEC_JSON_SCHEMA)
    assert document["score"] == sum(t["score"] for t in document["tests"])
    assert {t["status"] for t in document["tests"]} == {"passed", "failed", "error"}
    assert "rlimits" in document["sandbox"]["layers"] and "audit-hook" in document["sandbox"]["layers"]


@pytest.fixture(scope="module")
def refused_report(tmp_path_factory):
    """A report on a .py file that tries to read /etc/passwd while it loads, graded on clip only."""
    from graders.grading import grade
    path = tmp_path_factory.mktemp("refused") / "snoop.py"
    path.write_text("try:\n    open('/etc/passwd').read()\nexcept OSError:\n    pass\n\n"
                    "def clip(gradients, maxValue):\n    return gradients\n")
    return grade(path, functions=["clip"])


def test_every_format_but_junit_reports_the_layers_and_what_was_refused(refused_report):
    """Do the JSON field, the text footer and Gradescope's output all name the layers and the refused read?"""
    document = json.loads(as_json(refused_report))
    jsonschema.validate(document, SPEC_JSON_SCHEMA)
    assert document["sandbox"]["refused_at_load"] == ["open '/etc/passwd'"]
    layers = ", ".join(document["sandbox"]["layers"])
    for text in (as_text(refused_report), json.loads(as_gradescope(refused_report))["output"]):
        assert f"Sandbox: {layers} in force" in text
        assert "refused while loading: open '/etc/passwd'" in text
        for missing in document["sandbox"]["missing"]:
            assert f"missing {missing['layer']}: {missing['meaning']}" in text


def test_a_missing_layer_is_reported_with_what_its_absence_means(refused_report):
    """With only the limits and the audit hook reported, does the JSON list every other layer with its meaning,
    and the text too?"""
    from dataclasses import replace
    weaker = replace(refused_report, load=replace(refused_report.load, layers=["rlimits", "audit-hook"]))
    missing = {item["layer"]: item["meaning"] for item in json.loads(as_json(weaker))["sandbox"]["missing"]}
    assert {"unused-uid or user-namespace", "capabilities-dropped", "landlock", "seccomp-allowlist"} == set(missing)
    assert missing["seccomp-allowlist"] == LAYERS["seccomp-allowlist"]
    assert "missing landlock: " + LAYERS["landlock"] in as_text(weaker)


def test_either_identity_layer_is_enough(refused_report):
    """When the process reports a user namespace instead of an unused uid (or the other way round), is neither
    reported missing, while a report with neither names the pair once?"""
    from dataclasses import replace
    full = ["rlimits", "capabilities-dropped", "landlock-abi-7", "seccomp-allowlist", "audit-hook"]
    for identity, missing in (["unused-uid"], []), (["user-namespace"], []), ([], ["unused-uid or user-namespace"]):
        report = replace(refused_report, load=replace(refused_report.load, layers=full + identity))
        assert [item["layer"] for item in json.loads(as_json(report))["sandbox"]["missing"]] == missing


def test_no_layers_are_claimed_when_no_code_ran(tmp_path):
    """For a file that could not be read, is the sandbox null in JSON and said to have run nothing in the text?"""
    from graders.grading import grade
    path = tmp_path / "broken.ipynb"
    path.write_text("{")
    report = grade(path, functions=["clip"])
    assert json.loads(as_json(report))["sandbox"] is None
    assert "Sandbox: no learner code ran" in as_text(report)


def test_junit_is_read_by_a_junit_reader(mixed_report, tmp_path):
    """Does junitparser read one case per check, with failures and errors where the report has them?"""
    path = tmp_path / "report.xml"
    path.write_text(as_junit(mixed_report))
    cases = [case for suite in JUnitXml.fromfile(str(path)) for case in suite]
    assert [case.name for case in cases] == [r.name for r in mixed_report.results]
    for case, result in zip(cases, mixed_report.results):
        kinds = {type(item) for item in case.result}
        expected = {"passed": set(), "failed": {Failure}, "error": {Error}, "timeout": {Error}}[result.status]
        assert kinds == expected, (case.name, kinds)


def test_gradescope_results_have_the_documented_fields(mixed_report):
    """Does results.json carry Gradescope's documented fields, and do the test scores add up?"""
    document = json.loads(as_gradescope(mixed_report))
    jsonschema.validate(document, GRADESCOPE_SCHEMA)
    assert document["score"] == pytest.approx(sum(t["score"] for t in document["tests"]))
    assert sum(t["max_score"] for t in document["tests"]) == mixed_report.max_score


def test_text_table_names_every_check_and_the_total(mixed_report):
    """Does the text table list every check, the failure messages and the total score?"""
    text = as_text(mixed_report)
    assert all(r.name in text for r in mixed_report.results)
    assert f"Score: {mixed_report.score:g}/{mixed_report.max_score:g}" in text
    assert "oops" in text


def test_a_message_several_checks_give_is_shown_once(mixed_report):
    """When every sample check fails with the same message (its sample raises), do the text table, Gradescope's
    tests and the feedback's hidden verdict show it once, with how many checks give it and a pointer under the
    others, while JSON and JUnit keep it on every check?"""
    from graders.nbgrader_cell import hidden_verdict
    failing = [r for r in mixed_report.results if r.function == "sample"]
    assert len(failing) > 2 and len({r.message for r in failing}) == 1 and "oops" in failing[0].message
    message, first = failing[0].message, failing[0].name
    text = as_text(mixed_report)
    assert text.count(message.splitlines()[0]) == 1 and f"(same for {len(failing)} checks)" in text
    assert text.count(f"(same message as {first})") == len(failing) - 1
    outputs = [test["output"] for test in json.loads(as_gradescope(mixed_report))["tests"] if "sample" in test["tags"]]
    assert outputs[0] == f"{message}\n(same for {len(failing)} checks)"
    assert outputs[1:] == [f"(same message as {first})"] * (len(failing) - 1)
    hidden = [r for r in failing if not r.public]
    verdict, _ = hidden_verdict(hidden, "sample")
    assert verdict.count(message.splitlines()[0]) == 1 and f"(same for {len(hidden)} checks)" in verdict
    assert verdict.count(f"(same message as {hidden[0].name})") == len(hidden) - 1
    assert [t["message"] for t in json.loads(as_json(mixed_report))["tests"] if t["function"] == "sample"] == [
        message] * len(failing)
    assert as_junit(mixed_report).count("oops") >= len(failing)


def test_different_messages_are_each_shown(mixed_report):
    """Does clip's one-sided mistake keep each distinct message under the first check that gives it, and point
    to it from exactly the other checks that give the same one?"""
    failing = [r for r in mixed_report.results if r.function == "clip" and r.status != "passed"]
    distinct = {r.message for r in failing}
    assert len(failing) >= 2 and all(message.strip() for message in distinct)
    text = as_text(mixed_report)
    assert all("\n".join("      " + line for line in message.splitlines()[:12]) in text for message in distinct)
    assert text.count("(same message as clip.") == len(failing) - len(distinct)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=KIT, capture_output=True, text=True,
                          timeout=600)


def test_fail_under_gives_exit_code_one_and_output_file(tmp_path):
    """Does --fail-under exit with 1 below the threshold and 0 above, writing --output either way?"""
    out = tmp_path / "report.json"
    below = run_cli("grade", str(RELEASED_NOTEBOOK), "--only", "clip", "--format", "json", "--output", str(out),
                    "--fail-under", "1")
    assert below.returncode == 1 and json.loads(out.read_text())["score"] == 0
    above = run_cli("grade", str(RELEASED_NOTEBOOK), "--only", "clip", "--fail-under", "0")
    assert above.returncode == 0 and "Score: 0/20" in above.stdout


def test_usage_errors_exit_with_two():
    """Does a bad command line exit with 2 (and only that)?"""
    assert run_cli("grade").returncode == 2
    assert run_cli("grade", "x.ipynb", "--format", "yaml").returncode == 2
    assert run_cli("no-such-verb").returncode == 2


@pytest.mark.parametrize("path, why", [("does-not-exist.ipynb", "No such file or directory"),
                                       ("tests", "it is a folder, not a notebook or a Python file")])
def test_grading_a_path_that_cannot_be_read_exits_with_two_and_one_line(path, why):
    """Does grading a path that does not exist, or a folder, exit with 2 and one line on stderr naming the path and
    why, printing no report?"""
    done = run_cli("grade", path, "--only", "clip", "--format", "json")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"python -m graders grade: cannot read {path}: {why}\n"


def test_a_refused_file_has_its_reason_and_claims_no_sandbox(tmp_path):
    """For a link, does the JSON match the documented object with the reason in "refused" and a null sandbox,
    and do the text and Gradescope's output say REFUSED and that no learner code ran?"""
    from graders.grading import grade
    from graders.intake import REASONS
    link = tmp_path / "answer.py"
    link.symlink_to(KIT / "README.md")
    report = grade(link, functions=["clip"])
    document = json.loads(as_json(report))
    jsonschema.validate(document, SPEC_JSON_SCHEMA)
    assert document["refused"] == REASONS["link"] and document["sandbox"] is None
    for text in (as_text(report), json.loads(as_gradescope(report))["output"]):
        assert f"REFUSED: {REASONS['link']}" in text and "Sandbox: no learner code ran" in text
