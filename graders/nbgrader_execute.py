"""nbgrader's Execute step without a Jupyter kernel: a notebook's cells run in the graders' sandbox.

`SandboxExecute` takes the place of nbgrader's `Execute` preprocessor in the course's
nbgrader_config.py, for `nbgrader autograde` and `nbgrader validate` alike. A kernel runs learner code
with the instructor's rights; here the cells run in order in one sandboxed process
(graders/sandbox: no writes, no reads beyond Python, numpy and the assignment's released files, no
processes, threads or sockets), and what each printed, displayed as its value or raised is written back
into the cell as the kernel's outputs would be, so nbgrader's later steps and the feedback see the same
kind of notebook as before. Which cells run is the rule every route follows (graders/submission.py:
cells_to_run), with the test cells too, so that the feedback shows what the public checks printed;
hidden tests are cut out of the cells before they are sent (the graders score them, outside the
learner's process: see GraderVerdicts). A cell that does not run says so in its output. The cell time
limit is Execute's `timeout`; a cell that does not stop then ends the process, and the cells after it
are not run.
"""
import os
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

from graders.assignment import kit_assignment_names, load_assignment
from graders.intake import HIDDEN_TESTS
from graders.reference import released_files
from graders.sandbox.session import Limits, Sandbox, modules_to_preload
from graders.submission import cells_to_run

ENVIRONMENT = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")  # set by nbgrader; notebooks may check them
UNSET_SECONDS = 120.0  # a cell's limit when Execute's timeout is unset (for a kernel: no limit at all)


class SandboxExecute(Execute):
    """Run the notebook's cells in the graders' sandbox and record their outputs (Execute's `timeout` per cell)."""

    def preprocess(self, nb, resources):
        seconds = float(self.timeout) if self.timeout and self.timeout > 0 else UNSET_SECONDS
        environ = {name: os.environ[name] for name in ENVIRONMENT if name in os.environ}
        for cell, violations in run_cells(nb, notebook_assignment(resources, nb), seconds, environ):
            self.log.warning("cell %s tried what the sandbox does not allow: %s", cell, "; ".join(violations[:5]))
        return nb, resources


def notebook_assignment(resources, nb=None):
    """The assignment of the notebook being run: nbgrader's assignment id when autograding. When validating,
    nbgrader passes no id: the kit's assignment whose test cells the notebook carries, else the one named
    like the notebook's folder (validate runs there), else the kit's only one (DeclarationError, naming the
    choices, when there are several)."""
    named = resources.get("nbgrader", {}).get("assignment")
    if named:
        return load_assignment(named)
    grade_ids = {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in (nb or {}).get("cells", [])}
    carrying = [name for name in kit_assignment_names() if grade_ids & set(load_assignment(name).test_cells())]
    if len(carrying) == 1:
        return load_assignment(carrying[0])
    folder = Path.cwd().name
    return load_assignment(folder if folder in kit_assignment_names() else None)


def sources_to_run(cells):
    """[(cell, the code it runs, or None and why it does not run)] for a notebook's code cells, by the rule of
    every route, test cells included, with their hidden tests cut out."""
    return [(cells[rule.position], without_hidden_tests(rule.source) if rule.runs else None, rule.why_not)
            for rule in cells_to_run(cells, tests=True)]


def without_hidden_tests(source):
    """The source without its hidden-test regions (markers included); an unclosed region runs to the end."""
    begin, end = HIDDEN_TESTS
    kept, hidden = [], False
    for line in source.splitlines(True):
        if line.strip().startswith(begin):
            hidden = True
        elif hidden and line.strip().startswith(end):
            hidden = False
        elif not hidden:
            kept.append(line)
    return "".join(kept)


def run_cells(nb, assignment, seconds, environ):
    """Run nb's cells in order in one sandboxed process beside assignment's files, setting their outputs;
    [(cell, refused attempts)]."""
    planned = sources_to_run(nb.cells)
    runnable = [(cell, source) for cell, source, _ in planned if source is not None]
    for cell, source, why_not in planned:
        if source is None:
            cell.execution_count = None
            cell.outputs = [new_output("stream", name="stdout", text=f"This cell is not run while grading: {why_not}.\n")]
    limits = Limits(load_seconds=seconds, cpu_seconds=int(seconds * len(runnable)) + 60)
    stopped, refused = None, []
    preload = modules_to_preload([source for _, source in runnable])
    with Sandbox([], released_files(assignment), limits, environ, preload) as sandbox:
        for count, (cell, source) in enumerate(runnable, start=1):
            cell.execution_count = count
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"In[{count}]"
            if stopped:
                cell.outputs = [error_output("CellNotRun", f"not run: {stopped}", [])]
                continue
            run = sandbox.run_cell(name, source, seconds)
            cell.outputs = cell_outputs(run, count, seconds)
            if run.violations:
                refused.append((name, run.violations))
            if run.status != "ran":
                stopped = f"the process running the notebook was ended in cell {name}"
    return refused


def cell_outputs(run, count, seconds):
    """The outputs a kernel would have recorded for a cell: printed text, the value shown, the error."""
    outputs = [new_output("stream", name=stream, text=text)
               for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)) if text]
    if run.result is not None:
        outputs.append(new_output("execute_result", data={"text/plain": run.result}, execution_count=count))
    if run.status == "timeout":
        outputs.append(error_output("CellTimeoutError", f"the cell did not stop at its time limit of {seconds:g} s",
                                    []))
    elif run.error is not None:
        frames = run.error["traceback"].splitlines()
        outputs.append(error_output(run.error["type"] or "Error", run.error["message"], frames))
    return outputs


def error_output(name, message, frames):
    """An error output in the kernel's shape: the learner's frames, then the error's line."""
    last = f"{name}: {message}" if message else name
    return new_output("error", ename=name, evalue=message, traceback=[*frames, last])


def validate_in_sandbox(validator_class):
    """Make `nbgrader validate` run notebooks with SandboxExecute too (its steps are a fixed list, not a setting)."""
    trait = validator_class.class_traits()["preprocessors"]
    trait.default_args = ([SandboxExecute if step is Execute else step for step in trait.default_args[0]],)
