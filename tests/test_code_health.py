"""The code's shape: no import cycles, the grading package never needs the maintainers' tools, no dead code."""
import ast
import subprocess
import sys
from pathlib import Path

from conftest import KIT

PACKAGES = ("graders", "tools")
# vulture at 60% confidence reports every unused function, class, method, attribute, variable, import and
# unreachable line; names that only a framework uses are left out by pattern (verbs found by getattr in
# graders/cli.py, pytest's tests and hooks) or listed in tests/vulture_whitelist.py
VULTURE = ("--min-confidence", "60", "--ignore-names", "configure_*,run_*,test_*,pytest_*")
VULTURE_PATHS = ("graders", "tools", "tests", "benchmarks", "nbgrader_config.py", "tests/vulture_whitelist.py")
NOT_KIT_CODE = "tests/adversarial,tests/mutants,tests/variants,tests/fixtures,tests/trivial"  # submissions: learners' code


def module_name(path, root):
    """The dotted module name of a .py file below root (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root, packages):
    """{module: modules of packages it imports anywhere in its code, the parent packages Python runs too}."""
    modules = {module_name(path, root): path for package in packages for path in (root / package).rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from .a import b
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
                found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
        edges = set()
        for target in found:
            parts = target.split(".")
            edges |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & set(modules)
        graph[name] = edges - {name}
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm), each sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_packages_have_no_import_cycle():
    """Does no module of graders/ or tools/ import, directly or not, a module that imports it back?"""
    graph = import_graph(KIT, PACKAGES)
    assert "graders.grading" in graph and "graders.assignments.dinosaur_island.clip" in graph
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path):
    """Would a cycle through a function-level import and a relative import be found?"""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.b import g\n")
    (package / "b.py").write_text("from . import c\n")
    (package / "c.py").write_text("import pkg.a\n")
    assert cycles(import_graph(tmp_path, ["pkg"])) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_the_grading_package_never_imports_the_tools():
    """Is every module the graders import a module of graders/ (the tools stay out of the shipped package)?"""
    graph = import_graph(KIT, PACKAGES)
    assert {(name, target) for name, targets in graph.items() if name.startswith("graders")
            for target in targets if not target.startswith("graders")} == set()


def test_vulture_finds_no_dead_code():
    """Does vulture find no unused code in the kit (submissions in tests/ aside)?"""
    done = subprocess.run([sys.executable, "-m", "vulture", *VULTURE_PATHS, "--exclude", NOT_KIT_CODE, *VULTURE],
                          cwd=KIT, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_vulture_would_report_dead_code(tmp_path):
    """Would an unused import, function and variable be reported with those settings, and a verb's function not?"""
    (tmp_path / "dead.py").write_text("import os\n\n\ndef is_opaque():\n    x = 1\n    return 2\n\n\n"
                                      "def run_grade():\n    return 0\n")
    done = subprocess.run([sys.executable, "-m", "vulture", str(tmp_path / "dead.py"), *VULTURE],
                          capture_output=True, text=True, timeout=300)
    found = {line.split(": ", 1)[1].split(" (")[0] for line in done.stdout.splitlines()}
    assert found == {"unused import 'os'", "unused function 'is_opaque'", "unused variable 'x'"}
