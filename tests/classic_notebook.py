"""Notebooks in the classic course's 2021 layout, written by the kit itself for its tests.

That layout has no nbgrader metadata: an imports cell with `from utils import *`, cells that read and
index the data, then for each graded function a cell headed by `# UNQ_C<n> (UNIQUE CELL IDENTIFIER,
DO NOT EDIT)` and `# GRADED FUNCTION: <name>`, followed by a cell that defines a small test of its own
and calls it, and at the end a training cell that runs the full model for 22001 iterations. The
functions' code is the kit's reference solution (the instructor notebook's solution cells).
"""
import json

from conftest import SOURCE_NOTEBOOK
from graders.course import without_markers
from graders.submission import cell_source, graded_function

IMPORTS = "import numpy as np\nfrom utils import *\nimport random\nimport pprint\nimport copy\n"
DATA = ("data = open('dinos.txt', 'r').read().lower()\nchars = sorted(set(data))\n"
        "data_size, vocab_size = len(data), len(chars)\n"
        "print(f'{data_size} characters, {vocab_size} symbols')\n")
INDEX = ("char_to_ix = {ch: i for i, ch in enumerate(chars)}\nix_to_char = {i: ch for i, ch in enumerate(chars)}\n"
         "pp = pprint.PrettyPrinter(indent=4)\npp.pprint(ix_to_char)\n")
TESTS = {
    "clip": "def clip_check(target, value):\n    np.random.seed(3)\n"
            "    grads = {k: np.random.randn(3, 2) * 10 for k in ('dWax', 'dWaa', 'dWya', 'db', 'dby')}\n"
            "    print(target(grads, value)['db'].max() <= value)\n\nclip_check(clip, 10)\nclip_check(clip, 5)\n",
    "sample": "def sample_check(target):\n    np.random.seed(2)\n"
              "    params = {'Wax': np.random.randn(100, 27), 'Waa': np.random.randn(100, 100),\n"
              "              'Wya': np.random.randn(27, 100), 'b': np.random.randn(100, 1), 'by': np.random.randn(27, 1)}\n"
              "    print(target(params, char_to_ix, 0)[-1] == char_to_ix['\\n'])\n\nsample_check(sample)\n",
    "optimize": "def optimize_check(target):\n    params = initialize_parameters(5, 27, 27)\n"
                "    loss, grads, a = target([None, 3, 5], [3, 5, 0], np.zeros((5, 1)), params)\n"
                "    print(loss > 0, a.shape)\n\noptimize_check(optimize)\n",
    "model": "parameters, last_name = model(data.split('\\n'), ix_to_char, char_to_ix, 2001, verbose=True)\n"
             "print(last_name)\n",
}
TRAINING = ("parameters, last_name = model(data.split('\\n'), ix_to_char, char_to_ix, 22001, verbose=True)\n"
            "print('The last name sampled was', last_name.strip())\n")


def reference_functions():
    """{name: source of its def} from the instructor notebook's solution cells, markers and header dropped."""
    cells = json.loads(SOURCE_NOTEBOOK.read_text())["cells"]
    return {graded_function(cell_source(cell)): without_markers(cell_source(cell)).split("\n", 2)[2]
            for cell in cells if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(source):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def classic_notebook(functions=None, headed=True):
    """The classic notebook as JSON text. functions: {name: source of its cell's code} (default: the reference);
    headed: whether the graded cells carry their UNQ_C and GRADED FUNCTION lines."""
    functions = functions if functions is not None else reference_functions()
    cells = [markdown("# Character level language model: dinosaur names\n\nWelcome to Dinosaurus Island!"),
             code(IMPORTS), markdown("## 1 - Problem statement\n\n### 1.1 - Dataset and preprocessing"),
             code(DATA), code(INDEX)]
    for number, (name, source) in enumerate(functions.items(), start=1):
        header = f"# UNQ_C{number} (UNIQUE CELL IDENTIFIER, DO NOT EDIT)\n# GRADED FUNCTION: {name}\n\n" if headed else ""
        cells += [markdown(f"### Exercise {number} - {name}"), code(header + source), code(TESTS.get(name, "pass\n"))]
    cells += [markdown("## 4 - Training the model"), code(TRAINING), markdown("## Conclusion")]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 2,
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}}
    return json.dumps(notebook, indent=1)
