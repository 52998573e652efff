"""The names the graded functions share, for the graders: the classic vocabulary and the dict keys.

The learner's public checks (solutions/dinosaur_island/public_tests.py) spell the same facts for
learners; the graders never read that file's constants, so editing it cannot change hidden grading.
"""
GRADIENT_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")
VOCAB = ["\n"] + [chr(code) for code in range(ord("a"), ord("z") + 1)]  # the newline is index 0
CHAR_TO_IX = {ch: i for i, ch in enumerate(VOCAB)}
IX_TO_CHAR = {i: ch for i, ch in enumerate(VOCAB)}
