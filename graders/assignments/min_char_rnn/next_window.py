"""Checks for `next_window(data_ix, pointer, seq_length)`: the data pointer and its reset rule.

The given last line returns `start + seq_length` and `start == 0`, so the returned pointer tells
where the learner's window started. Each check looks at one thing, on the beginning of the notebook's
text with its windows of 25: the slices (`inputs`, `targets`), where a window starts at the end of
the text (`last_window`, `wrap`); then the same rules on other texts and lengths (`other_texts`). The slices
of a window whose start is wrong are judged from the start the learner chose, so a wrong start
costs points only in the checks about the start.
"""
import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.min_char_rnn.names import CORPUS, text_vocabulary
from graders.checks import Check, CheckModule, nothing_fragile
from graders.checks.expect import require
from graders.checks.gating import needs_a_value
from graders.checks.properties import GRADING
from graders.context import CheckFailed
from graders.reference import public_checks

SEQ_LENGTH = 25        # the notebook's window length
STANDARD_LENGTH = 1013  # the standard text: the notebook's text up to here (its last window ends 12 symbols short)


def standard_text():
    """The beginning of the notebook's text, as indices of its vocabulary."""
    return text_vocabulary(CORPUS.read_text(encoding="utf-8"))[1][:STANDARD_LENGTH]


def standard_pointers(n):
    """{kind: pointers} on a text of n symbols: windows well inside it, the last ones that fit, those that do not."""
    passes = (n - 1) // SEQ_LENGTH  # windows in one pass from pointer 0
    return {"inside": [0, SEQ_LENGTH, n // 2],
            "last_fit": [(passes - 1) * SEQ_LENGTH, n - SEQ_LENGTH - 1],   # the pass's last window; the exact fit
            "no_fit": [passes * SEQ_LENGTH, n - SEQ_LENGTH, n - 1]}        # where the pass wraps; one past; the end


# (text length, vocabulary size, seq_length, seed): texts other than the notebook's, other window lengths
OTHER_TEXTS = [(11, 3, 1, 401), (30, 5, 3, 402), (101, 9, 7, 403), (64, 2, 10, 404), (200, 60, 40, 405)]


def other_text(case):
    """A text of random indices for a case."""
    length, vocab_size, _, seed = case
    return np.random.RandomState(seed).randint(0, vocab_size, length).tolist()


def other_pointers(n, seq_length):
    """Pointers inside another text: the first window and two after it."""
    return [0, seq_length, 2 * seq_length] if 3 * seq_length + 1 <= n else [0]


def compute_expected(reference):
    """The reference's windows on the notebook's text and on the other texts."""
    def run(text, pointer, seq_length):
        inputs, targets, after, reset = reference["next_window"](text, pointer, seq_length)
        return {"inputs": list(inputs), "targets": list(targets), "pointer": int(after), "reset": bool(reset)}
    text = standard_text()
    standard = {kind: [run(text, p, SEQ_LENGTH) for p in pointers] for kind, pointers in standard_pointers(len(text)).items()}
    others = [[run(other_text(case), p, case[2]) for p in other_pointers(case[0], case[2])] for case in OTHER_TEXTS]
    return {"standard": standard, "other_texts": others}


def integers(value):
    """value as a list of Python ints when it is a sequence of integers (list, tuple, 1-D array), else None."""
    if type(value) is np.ndarray and value.ndim == 1 and value.dtype.kind in "iu":
        return [int(item) for item in value]
    if type(value) in (list, tuple) and all(isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))
                                             for item in value):
        return [int(item) for item in value]
    return None


def learner_window(ctx, text, pointer, seq_length, key=None):
    """The learner's (inputs, targets, start, reset) for a call: start is the returned pointer minus seq_length.

    key: names the text, to run each call once per grading run (None: not remembered).
    """
    def compute():
        value = ctx.call("next_window", text, pointer, seq_length).value
        require(type(value) in (tuple, list) and len(value) == 4,
                f"next_window must return (inputs, targets, pointer, reset); got {type(value).__name__}"
                + (f" of length {len(value)}" if type(value) in (tuple, list) else "")
                + ". Keep the given last line, which returns them.")
        inputs, targets, after, reset = value
        start = int(after) - seq_length if isinstance(after, (int, np.integer)) and not isinstance(after, bool) else None
        return integers(inputs), integers(targets), start, reset
    return compute() if key is None else ctx.cached(("next_window", key, pointer, seq_length), compute)


def standard_calls(ctx):
    """(kind, pointer, learner's window, expected) for every call on the notebook's text."""
    text = ctx.cached("standard text", standard_text)
    want = ctx.expected["next_window"]["standard"]
    for kind, pointers in standard_pointers(len(text)).items():
        for pointer, expected in zip(pointers, want[kind]):
            yield kind, pointer, learner_window(ctx, text, pointer, SEQ_LENGTH, "standard"), expected


def judged_start(kind, pointer, start, expected):
    """The start a window's slices are judged from: the expected one inside the text, else the learner's own."""
    if kind == "inside" or start is None or start < 0:
        return expected["pointer"] - SEQ_LENGTH
    return start


def slice_problem(got, text, start, seq_length, shift, what, pointer):
    """A sentence when got is not the seq_length indices of text from start + shift on, else None."""
    if got is None:
        return f"{what} must be a list of symbol indices, a slice of data_ix"
    want = text[start + shift:start + shift + seq_length]
    if got == want:
        return None
    where = f"with pointer={pointer} and seq_length={seq_length}, the window starts at {start}, and"
    if len(got) != len(want):
        return (f"{where} your {what} have {len(got)} indices instead of {len(want)}: a window holds seq_length "
                "inputs and as many targets.")
    if what == "targets" and got == text[start:start + seq_length]:
        return f"{where} your targets are the inputs themselves: each target is the symbol right after its input."
    if what == "targets" and start >= 1 and got == text[start - 1:start - 1 + seq_length]:
        return f"{where} your targets are the symbols before the inputs: each target is the symbol right after its input."
    if what == "inputs" and got == text[pointer:pointer + seq_length]:
        return f"{where} your inputs start at the pointer you were given: slice the window from start."
    return (f"{where} your {what} are not the {seq_length} symbols of data_ix from position {start + shift} on"
            + (": the targets are the symbols one position after the inputs." if what == "targets" else "."))


def check_slices(ctx, what, shift):
    text = ctx.cached("standard text", standard_text)
    for kind, pointer, window, expected in standard_calls(ctx):
        inputs, targets, start, _ = window
        got = inputs if what == "inputs" else targets
        problem = slice_problem(got, text, judged_start(kind, pointer, start, expected), SEQ_LENGTH, shift, what, pointer)
        require(problem is None, problem)


def check_public(ctx):
    """The released check: four windows of a 10-character text, the wrap included."""
    public_checks(ctx.assignment).next_window_test(ctx.target("next_window"))


def check_inputs(ctx):
    """On the notebook's text with windows of 25: the inputs are the 25 symbols from the window's start on."""
    check_slices(ctx, "inputs", 0)


def check_targets(ctx):
    """On the notebook's text with windows of 25: each target is the symbol after its input."""
    check_slices(ctx, "targets", 1)


def start_sentence(pointer, start, n):
    return (f"with pointer={pointer} and seq_length={SEQ_LENGTH} on a text of {n} symbols, your window started at "
            f"{start if start is not None else 'an unknown position (the returned pointer is not an integer)'}")


def check_last_window(ctx):
    """The last window that fits (its last target is the text's last symbol or before) is used, not skipped."""
    n = len(ctx.cached("standard text", standard_text))
    for kind, pointer, (_, _, start, _), expected in standard_calls(ctx):
        if kind != "last_fit" or start == pointer:
            continue
        ending = pointer + SEQ_LENGTH + 1
        raise CheckFailed(f"{start_sentence(pointer, start, n)}; it should start at {pointer}: its last target is at "
                          f"position {ending - 1}, inside the text ({ending} <= len(data_ix)), so this window fits and "
                          "must be used before the text starts over. A window fits when "
                          "pointer + seq_length + 1 <= len(data_ix).")


def check_wrap(ctx):
    """A window that would not fit starts over at 0, with reset True."""
    n = len(ctx.cached("standard text", standard_text))
    for kind, pointer, (_, _, start, reset), _ in standard_calls(ctx):
        if kind != "no_fit":
            continue
        require(start == 0, f"{start_sentence(pointer, start, n)}; the window from {pointer} would need a target beyond "
                            f"the end of the text ({pointer} + {SEQ_LENGTH} + 1 > {n}): when the window does not fit, "
                            "the text starts over at 0.")
        require(type(reset) in (bool, np.bool_) and bool(reset),
                f"with pointer={pointer} the window starts over at 0, so reset must be True (a bool)")


def check_other_texts(ctx):
    """Other texts and window lengths (1 to 40): the arguments are used, not the notebook's text or length."""
    standard = ctx.cached("standard text", standard_text)
    rules = ctx.cached(("next_window", "slice rules"), lambda: slice_rules(ctx, standard))
    for case, wants in zip(OTHER_TEXTS, ctx.expected["next_window"]["other_texts"]):
        text, seq_length = other_text(case), case[2]
        for pointer, want in zip(other_pointers(case[0], seq_length), wants):
            inputs, targets, start, _ = learner_window(ctx, text, pointer, seq_length, case)
            where = f"on a text of {len(text)} symbols with seq_length={seq_length} and pointer={pointer}"
            require(start == want["pointer"] - seq_length,
                    f"{where}, your window started at {start}, not at {pointer}: use the pointer and seq_length "
                    "arguments, not numbers from the notebook.")
            for what, got, (lo, hi) in (("inputs", inputs, rules["inputs"]), ("targets", targets, rules["targets"])):
                if got != text[start + lo:start + seq_length + hi]:
                    raise CheckFailed(f"{where}, your {what} differ from what your code gives on the notebook's text: "
                                      "use data_ix and seq_length as given (a length of 25, the notebook's text or its "
                                      "length written into the function only work for the notebook).")


def slice_rules(ctx, standard):
    """{"inputs": (lo, hi), "targets": (lo, hi)}: the learner's slices on the notebook's text are
    text[start + lo : start + seq_length + hi]; the reference's (0, 0) and (1, 1) when no such rule fits."""
    inside = [(window, expected["pointer"] - SEQ_LENGTH) for kind, _, window, expected in standard_calls(ctx)
              if kind == "inside"]
    rules = {}
    for position, what, default in ((0, "inputs", (0, 0)), (1, "targets", (1, 1))):
        fitting = [(lo, hi) for lo in range(-2, 3) for hi in range(-2, 3)
                   if all(window[position] == standard[start + lo:start + SEQ_LENGTH + hi] for window, start in inside)]
        rules[what] = fitting[0] if fitting else default
    return rules


@st.composite
def texts(draw):
    """(length, symbols, seq_length, seed): a text of 2 to 60 random indices over 1 to 6 symbols, and a window
    length that fits it 1 to 8 times (the text is built from the seed, so that a failing example reads short)."""
    length = draw(st.integers(2, 60))
    return length, draw(st.integers(1, 6)), draw(st.integers(max(1, (length - 1) // 8), length - 1)), draw(st.integers(0, 999))


# The examples check_properties draws, the same in every grading run (Hypothesis would otherwise derive
# them from the property's source text, so that editing it would change them).
EXAMPLES = 0x6e6578745f77696e646f775f70726f70657274696573


def check_properties(ctx):
    """For any text and window length, a pass from pointer 0 and the call after it give the reference's
    windows: they cover the text in order, the targets one symbol ahead, then start over with reset True."""
    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(problem=texts())
    def next_window_properties(problem):
        length, symbols, seq_length, seed = problem
        text = np.random.RandomState(seed).randint(0, symbols, length).tolist()
        pointer = 0
        for call in range((len(text) - 1) // seq_length + 1):
            want = ctx.reference["next_window"](text, pointer, seq_length)
            inputs, targets, start, reset = learner_window(ctx, text, pointer, seq_length)
            where = f"call {call + 1} of a pass (pointer={pointer}, seq_length={seq_length}, {len(text)} symbols)"
            assert start == want[2] - seq_length, f"{where}: the window started at {start}, not at {want[2] - seq_length}"
            assert inputs == list(want[0]) and targets == list(want[1]), f"{where}: wrong inputs or targets"
            assert type(reset) in (bool, np.bool_) and bool(reset) == want[3], f"{where}: reset should be {want[3]}"
            pointer = want[2]

    next_window_properties()


VALUES = (check_inputs, check_targets, check_other_texts)  # the start alone can be right for a function that slices nothing
CHECKS = CheckModule(function="next_window", compute_expected=compute_expected, fragile=nothing_fragile, checks=[
    Check("next_window.public", 5, check_public, "the released check (four windows of a 10-character text)", public=True),
    Check("next_window.inputs", 3, check_inputs, "the inputs are the seq_length symbols from the window's start on"),
    Check("next_window.targets", 3, check_targets, "each target is the symbol after its input"),
    Check("next_window.last_window", 3, needs_a_value(check_last_window, VALUES, "next_window"),
          "the last window that fits is used before the text starts over"),
    Check("next_window.wrap", 3, needs_a_value(check_wrap, VALUES, "next_window"),
          "a window that does not fit starts over at 0, with reset True"),
    Check("next_window.other_texts", 2, check_other_texts, "other texts and window lengths (1 to 40)"),
    Check("next_window.properties", 1, check_properties, "a pass over random texts gives the reference's windows"),
])
