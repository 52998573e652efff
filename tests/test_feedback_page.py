"""The course's feedback page: MathJax embedded from an installed package, lines that wrap, test cells named.

The page is made as `nbgrader generate_feedback` makes it (its converter, with the course's
nbgrader_config.py), from the released notebook with scores and long outputs put in, and opened in the real
headless Chromium at 1,000 px (tests/test_nbgrader_e2e.py does the same on a real class's pages).
"""
import base64
import tomllib

import nbformat
import pytest
from nbformat.v4 import new_output

from browser_pages import offline_browser, readability, screenshot
from conftest import DINO, KIT
from graders.feedback_page import MATHJAX, mathjax_url, offline_head
from graders.nbgrader_plugins import LabelTestCells

LONG_WORD = "x" * 600
LONG_LINE = "model.hidden_state: FAILED (0/3) - " + "the hidden state must be carried from one step to the next " * 8


def course_config():
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader("nbgrader_config.py", path=str(KIT)).load_config()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The feedback page of the released notebook with a score in every graded cell and a very long output line."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    folder = tmp_path_factory.mktemp("feedback")
    nb = nbformat.read(DINO.release / DINO.notebook, as_version=4)
    for cell in nb.cells:
        grade = cell.metadata.get("nbgrader", {})
        if grade.get("grade"):
            grade["score"] = 0.0
            cell.outputs = [new_output("stream", name="stdout", text=f"{LONG_LINE}\n{LONG_WORD}\n")]
    resources = {"nbgrader": {"notebook": DINO.notebook.removesuffix(".ipynb"), "assignment": DINO.name,
                              "score": 0.0, "max_score": 100.0, "late_penalty": 0.0}}
    converter = GenerateFeedback(coursedir=CourseDirectory(root=str(folder)), config=course_config())
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    exporter.register_preprocessor(LabelTestCells)
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    path = folder / "feedback.html"
    path.write_text(html)
    return path


def test_mathjax_is_the_pinned_package_s(page):
    """Is the page's MathJax the installed django-static-mathjax's MathJax 3.2.2 (as pinned), embedded, with no
    script loaded from the network?"""
    pins = tomllib.loads((KIT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "django-static-mathjax==3.2.2.1" in pins
    url = mathjax_url()
    assert url.startswith("data:text/javascript;base64,")
    assert b'VERSION="3.2.2"' in base64.b64decode(url.split(",", 1)[1])
    html = page.read_text()
    assert f'<script src="{url}">' in html and MATHJAX[1].split("/")[-1] not in html
    assert "cdnjs" not in html and "x-mathjax-config" not in html


def test_offline_head_drops_network_scripts_and_the_old_configuration():
    """Does offline_head remove scripts with http(s) sources and MathJax 2's configuration, keep the rest, and add
    its extra part at the end of the head?"""
    head = ('<head><meta charset="utf-8" /><script src="https://cdn.example/mathjax.js?config=x"> </script>\n'
            '<script type="text/x-mathjax-config">\nMathJax.Hub.Config({});\n</script>\n<style>p {}</style></head>')
    assert offline_head(head, "<b>extra</b>") == '<head><meta charset="utf-8" /><style>p {}</style><b>extra</b>\n</head>'


def test_the_list_of_graded_cells_names_what_each_checks(page):
    """Does the list at the top of the page name each test cell by its function and kind, never "Test cell"?"""
    html = page.read_text()
    for function in DINO.function_names:
        for kind in ("public", "hidden"):
            assert f'<a href="#test_{function}_{kind}">{function}: {kind} checks</a> (Score: 0.0 /' in html
    assert ">Test cell<" not in html


def test_the_page_fits_1000_px_and_renders_its_math_offline(page, tmp_path):
    """In Chromium at 1,000 px, with the network cut off, is nothing wider than the window or its box (the long
    output lines wrap), is the math typeset (no TeX left), and is nothing asked of the network?"""
    with offline_browser(tmp_path / "profile", 1000) as (browser, external):
        tab = browser.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(page.as_uri(), wait_until="load")
        seen = readability(tab)
        screenshot(tab, "feedback_page_1000px.png")
        long_line = tab.get_by_text(LONG_WORD[:50]).first.bounding_box()
    assert (seen["width"], seen["viewport"]) == (1000, 1000), seen
    assert seen["cut"] == [] and seen["beyond"] == [], seen
    assert seen["math"] >= 10 and not seen["raw_tex"], seen
    assert long_line["width"] <= 1000 and external == [] and errors == []
