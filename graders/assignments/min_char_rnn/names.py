"""The names min_char_rnn's graded functions share, for the graders: the assignment, the corpus, the dict keys.

The learner's public checks (solutions/min_char_rnn/public_tests.py) and the provided helpers spell
the same facts for learners; the graders never read their constants, so editing them cannot change
hidden grading.
"""
from graders.assignment import course_folders

NAME = "min_char_rnn"
CORPUS = course_folders(NAME)["source"] / "names_and_dinos.txt"  # the notebook's text, one name per line
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")
GRADIENT_KEYS = tuple("d" + key for key in PARAMETER_KEYS)
MEMORY_KEYS = tuple("m" + key for key in PARAMETER_KEYS)


def text_vocabulary(text):
    """(char_to_ix, data_ix) of a text, its vocabulary read off it in sorted order (as the notebook does)."""
    char_to_ix = {ch: i for i, ch in enumerate(sorted(set(text)))}
    return char_to_ix, [char_to_ix[ch] for ch in text]
