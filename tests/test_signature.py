"""Are a function's defaults read from the learner's process and judged against the stub's signature?"""

from graders.checks.signature import defaults_of, same_default
from graders.grading import grade
from graders.sandbox.session import Limits, Sandbox
from tools.mutation_judge import VARIANTS_DIR


def test_the_sandbox_reports_a_functions_parameters():
    """Does Sandbox.signature give each parameter's name and default, and report a signature that raises as the
    learner's error?"""
    source = ("def f(x, rate=0.01, *, n=50, flag=False):\n    return x\n"
              "class Odd:\n    @property\n    def __signature__(self):\n        raise RuntimeError('no')\n"
              "    def __call__(self):\n        return 1\nodd = Odd()\n")
    with Sandbox([{"id": "cell", "source": source}], {}, Limits(call_seconds=5)) as box:
        parameters = box.signature("f").value
        odd = box.signature("odd")
        missing = box.signature("g")
    assert [(name, has, default) for name, _, has, default in parameters] == [
        ("x", False, None), ("rate", True, 0.01), ("n", True, 50), ("flag", True, False)]
    assert odd.status == "raised" and odd.error_type == "RuntimeError" and missing.status == "missing"


def test_a_default_is_the_same_only_with_the_same_type():
    """Is 0.01 the same default as 1e-2, while 0 is not False and 35000.0 is not 35000?"""
    assert same_default(1e-2, 0.01) and same_default(False, False)
    assert not same_default(0, False) and not same_default(35000.0, 35000) and not same_default(None, 0.01)
    assert defaults_of(lambda x, rate=0.01, *, n=5: x) == [("rate", 0.01), ("n", 5)]


def test_a_changed_default_costs_the_defaults_check_only(tmp_path):
    """Does a model whose n_a defaults to 49 fail model.defaults, naming n_a, and pass every other check?"""
    source = (VARIANTS_DIR / "reference.py").read_text()
    assert source.count("n_a=50, dino_names=7") == 1
    path = tmp_path / "changed_default.py"
    path.write_text(source.replace("n_a=50, dino_names=7", "n_a=49, dino_names=7"))
    report = grade(path, functions=["model"])
    failed = {r.name: r.message for r in report.results if r.status != "passed"}
    assert list(failed) == ["model.defaults"] and "n_a" in failed["model.defaults"], failed
    assert "49" in failed["model.defaults"] and "n_a=50" in failed["model.defaults"]
