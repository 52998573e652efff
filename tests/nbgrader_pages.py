"""What the leak tests look for in the pages learners get: the text of a page, hidden-test lines, expected values."""
import html.parser
import json
from pathlib import Path

from graders.course import SECRET_MARKERS, secret_lines

MIN_FLOAT_DIGITS = 12    # floats printed with this many significant digits are the graders' own numbers
MIN_INDEX_LIST = 6       # shorter lists of indices are too common to be a fingerprint
FLOATS_KEPT = 400        # a spread-out sample of the expected floats is plenty


class TextOfPage(html.parser.HTMLParser):
    """Collects the text a reader sees: everything outside <style> and <script>, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden_depth = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden_depth += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.hidden_depth -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def page_text(html):
    """The visible text of an HTML page (syntax highlighting's spans do not split a line of code)."""
    parser = TextOfPage()
    parser.feed(html)
    return "".join(parser.parts)


def hidden_test_lines(source_notebook):
    """The lines of the instructor notebook's hidden tests."""
    return secret_lines(source_notebook, markers=[pair for pair in SECRET_MARKERS if "HIDDEN" in pair[0]])


def leaves(value):
    """Every float and every list of integers inside a JSON value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        if len(value) >= MIN_INDEX_LIST and all(type(item) is int for item in value):
            yield value
        for item in value:
            yield from leaves(item)
    elif type(value) is float:
        yield value


def expected_value_strings(expected_dir, public):
    """How the graders' expected values would read if printed: long floats and index lists.

    Values that the released files (in the folder `public`) show anyway are left out.
    """
    shown = "\n".join(path.read_text(errors="replace") for path in Path(public).rglob("*") if path.is_file())
    floats, lists = set(), set()
    for path in sorted(Path(expected_dir).glob("*.json")):
        for leaf in leaves(json.loads(path.read_text())["values"]):
            if type(leaf) is float and len(repr(abs(leaf)).replace(".", "").lstrip("0").split("e")[0]) >= MIN_FLOAT_DIGITS:
                floats.add(repr(leaf))
            elif type(leaf) is list:
                lists.add(repr(leaf))
                lists.add(" ".join(map(str, leaf)))
    ordered = sorted(floats)
    sample = ordered[:: max(1, len(ordered) // FLOATS_KEPT)]
    return sorted(value for value in set(sample) | lists if value not in shown)
