"""The course's feedback pages: nbgrader's, readable offline and in a narrow window.

`nbgrader generate_feedback` renders each autograded notebook with nbconvert's HTMLExporter and nbgrader's
`feedback` template. The course's nbgrader_config.py names the template in
graders/feedback_template/readable_feedback instead, which extends nbgrader's:

- math is typeset by MathJax 3 (mathjax-full 3.2.2, as the pinned django-static-mathjax package installs
  it), embedded in the page as a data: URL, because nbgrader releases the .html file alone: the page
  renders its math wherever a learner opens it, offline too, and asks nothing of the network;
- long lines wrap (code, printed output, tracebacks, the graders' verdicts);
- the list of graded cells at the top names what each test cell checks (nbgrader_plugins.LabelTestCells).
"""
import base64
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

TEMPLATE = "readable_feedback"  # the folder; its page, readable.html.j2, extends the index.html.j2 after it in the path
TEMPLATE_FILE = "readable.html.j2"
TEMPLATE_FOLDER = Path(__file__).with_name("feedback_template")
MATHJAX = ("mathjax", "static/mathjax/es5/tex-svg.js")  # (package, file): MathJax with its fonts in one script
REMOTE_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.IGNORECASE)
MATHJAX2_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>\s*', re.IGNORECASE | re.DOTALL)


def template_basedirs():
    """The folders nbconvert looks for templates in: nbgrader's (its `feedback` template) and the course's."""
    import nbgrader
    return [str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"), str(TEMPLATE_FOLDER)]


@lru_cache(maxsize=1)
def mathjax_url():
    """MathJax as a data: URL, read from the installed package."""
    package, name = MATHJAX
    source = resources.files(package).joinpath(name).read_bytes()
    return "data:text/javascript;base64," + base64.b64encode(source).decode("ascii")


def offline_head(head, extra):
    """A page's <head> without scripts from the network nor MathJax 2's configuration, with `extra` at its end."""
    kept = MATHJAX2_CONFIG.sub("", REMOTE_SCRIPT.sub("", head))
    return kept.replace("</head>", f"{extra}\n</head>", 1)
