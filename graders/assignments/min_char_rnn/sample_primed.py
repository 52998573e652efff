"""Checks for `sample_primed(parameters, char_to_ix, prefix, seed, max_draws=50)`: a name that begins with a prefix.

Each check looks at one part of the function through models built to show that part alone:
- `priming`: models whose predictions are certain, so the first drawn symbol depends only on how
  the prefix was read, not on the random numbers;
- `seeding`: models whose predictions do not depend on the hidden state at all, so the drawn
  symbols depend only on the random numbers, not on how anything was read;
- `reading`: models whose predictions are certain and in which reading the newline first leaves the
  zero state as it is, so the drawn symbols depend only on how each drawn symbol is read;
- `max_draws` and `vocabularies`: models that can never, or must at once, draw the newline, so only
  where the name stops matters.
A result is read leniently (characters turned into indices, a missing prefix tolerated) everywhere
but in `result`, which alone checks what the function returns.
"""
import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.min_char_rnn.names import CORPUS, text_vocabulary
from graders.checks import Check, CheckModule
from graders.checks.expect import hinted, require
from graders.checks.gating import needs_a_value
from graders.checks.properties import GRADING
from graders.context import CheckFailed, LearnerCodeError
from graders.reference import public_checks

CERTAIN = 60.0  # added to (or taken from) the newline's output bias: its probability becomes 1 (or 0) to 1e-26
PERTURBATION = 1e-9  # relative nudge of the parameters that stored samples must survive
ERROR_HINTS = [
    ("'p' must be 1-dimensional", "np.random.choice needs a flat vector of probabilities: p=p.ravel()."),
    ("must have same size", "the number of symbols comes from the parameters (by.shape[0]), not a fixed number."),
    ("probabilities do not sum to 1", "draw with the p that rnn_step_forward returned for this step."),
    ("local variable 'p'", "with an empty prefix there is no p to draw from unless the newline is read first: read "
                           "the newline, then the prefix."),
]


def corpus_vocabulary():
    """The notebook's char_to_ix: the corpus's 54 symbols, the newline first."""
    return text_vocabulary(CORPUS.read_text(encoding="utf-8"))[0]


def vocabulary(name):
    """char_to_ix of a named vocabulary."""
    if name == "corpus":
        return corpus_vocabulary()
    if name == "corpus_reversed":  # the same indices, the dict's keys listed in reverse order
        return dict(reversed(list(corpus_vocabulary().items())))
    if name == "newline_3":  # 11 symbols, the newline at index 3
        return {ch: i for i, ch in enumerate("abc\ndefghij")}
    if name == "newline_last":  # 20 symbols, the newline last
        return {ch: i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRS\n")}
    raise KeyError(name)


SCALES = {"priming": (3.0, 1.5), "reading": (1.0, 1.0)}  # (Wax, Waa) scales of the models whose predictions are certain


def model(kind, seed, n_a, char_to_ix):
    """Parameters of a kind of model for a vocabulary (see the module's docstring)."""
    rng = np.random.RandomState(seed)
    v, newline = len(char_to_ix), char_to_ix["\n"]
    if kind in SCALES:  # outputs 1000 times the state's entries: one symbol gets all but 1e-12 of the probability
        wax, waa = SCALES[kind]
        parameters = {"Wax": rng.randn(n_a, v) * wax, "Waa": rng.randn(n_a, n_a) * waa,
                      "Wya": rng.randn(v, n_a) * 1000.0, "b": rng.randn(n_a, 1) * 0.5, "by": np.zeros((v, 1))}
    else:
        parameters = {"Wax": rng.randn(n_a, v), "Waa": rng.randn(n_a, n_a), "Wya": rng.randn(v, n_a),
                      "b": rng.randn(n_a, 1), "by": rng.randn(v, 1)}
    if kind == "reading":  # reading the newline from the zero state leaves it at zero
        parameters["Wax"][:, newline] = -parameters["b"][:, 0]
    if kind == "state_free":  # predictions that do not depend on the hidden state; a newline about one time in four
        parameters["Wya"][:] = 0.0
        parameters["by"] = np.log(rng.dirichlet(np.ones(v)) * 0.75).reshape(v, 1)
        parameters["by"][newline] = np.log(0.25)
    if kind == "never_newline":
        parameters["by"][newline] -= CERTAIN
    if kind == "newline_now":
        parameters["by"][newline] += CERTAIN
    return parameters


# (model kind, parameter seed, n_a, vocabulary, prefix, seed, max_draws or None for the default)
PRIMING = [("priming", 981650, 12, "corpus", prefix, 0, None)
           for prefix in ("T", "Ty", "Tyranno", "Mar", "Juan ", "sau", "Maria Luz", "")]
READING = [("reading", 860946, 10, "corpus", prefix, 0, None) for prefix in ("T", "M", "s", "J")]
SEEDING = [("state_free", 603, 8, "corpus", prefix, seed, None) for prefix, seed in (("Ma", 0), ("J", 3), ("Tyr", 17))]
# the prefix is never empty below: reading an empty prefix is priming's business
MAX_DRAWS = [("never_newline", 604, 10, "corpus", "Ty", 1, None), ("never_newline", 604, 10, "corpus", "E", 2, 7),
             ("never_newline", 604, 10, "corpus", "Ju", 3, 1), ("newline_now", 605, 10, "corpus", "Ty", 4, 1),
             ("newline_now", 605, 10, "corpus", "L", 5, 4)]
VOCABULARIES = [("newline_now", 606, 6, "newline_3", "ab", 0, None), ("never_newline", 606, 6, "newline_3", "j", 1, None),
                ("newline_now", 607, 8, "corpus_reversed", "Ma", 2, None),
                ("never_newline", 608, 5, "newline_last", "S", 3, None), ("newline_now", 608, 5, "newline_last", "AB", 4, None)]
RESULT = [("random", 609, 16, "corpus", prefix, seed, None) for prefix, seed in (("Tyr", 0), ("E", 1), ("Mar", 2))]
UNKNOWN = [("Tyré", "é"), ("Zoë", "ë"), ("Ça va", "Ç"), ("Jean-Luc", "-")]  # (prefix, the first unknown character)
GLOBAL_STATES = (1, 2)  # numpy's random state before a call, unlike any case's seed


def arguments(case):
    """(parameters, char_to_ix, prefix, seed, options) of a case."""
    kind, parameter_seed, n_a, name, prefix, seed, max_draws = case
    char_to_ix = vocabulary(name)
    options = {} if max_draws is None else {"max_draws": max_draws}
    return model(kind, parameter_seed, n_a, char_to_ix), char_to_ix, prefix, seed, options


def reference_indices(reference, case, nudge=None):
    """The reference's indices for a case (parameters nudged by nudge(array) when given)."""
    parameters, char_to_ix, prefix, seed, options = arguments(case)
    if nudge:
        parameters = {key: nudge(value) for key, value in parameters.items()}
    return [int(i) for i in reference["sample_primed"](parameters, char_to_ix, prefix, seed, **options)]


def compute_expected(reference):
    """The reference's first drawn index (priming) and drawn indices (reading, seeding) for every case."""
    def drawn(case):
        return reference_indices(reference, case)[len(case[4]):]
    return {"priming": [drawn(case)[0] for case in PRIMING], "reading": [drawn(case) for case in READING],
            "seeding": [drawn(case) for case in SEEDING]}


def fragile(reference):
    """Stored cases whose indices change when the parameters are nudged by one part in 1e9."""
    rng = np.random.RandomState(12345)
    problems = []
    for case in PRIMING + READING + SEEDING:
        plain = reference_indices(reference, case)
        for _ in range(3):
            if reference_indices(reference, case, lambda v: v * (1 + PERTURBATION * rng.randn(*v.shape))) != plain:
                problems.append(f"sample_primed case {case}: the indices change under a {PERTURBATION:g} perturbation")
                break
    return problems


def as_indices(value, char_to_ix):
    """value as a list of ints, read leniently (numpy arrays, characters, a string), or None."""
    if type(value) is np.ndarray and value.ndim == 1 and value.dtype.kind in "iu":
        return [int(i) for i in value]
    if type(value) is str:
        value = list(value)
    if type(value) not in (list, tuple):
        return None
    if all(type(item) is str and item in char_to_ix for item in value):
        return [char_to_ix[item] for item in value]
    if all(isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)) for item in value):
        return [int(item) for item in value]
    return None


def learner_result(ctx, case, global_state=None):
    """The learner's raw result for a case (cached by case and global state); errors come with a hint."""
    def compute():
        parameters, char_to_ix, prefix, seed, options = arguments(case)
        try:
            return ctx.call("sample_primed", parameters, char_to_ix, prefix, seed, global_seed=global_state,
                            **options).value
        except LearnerCodeError as error:
            raise hinted(error, ERROR_HINTS) from None
    return ctx.cached(("sample_primed", case, global_state), compute)


def learner_drawn(ctx, case, global_state=None):
    """The symbols the learner's code drew for a case: its result without the prefix's indices (if it has them)."""
    char_to_ix, prefix = vocabulary(case[3]), case[4]
    indices = as_indices(learner_result(ctx, case, global_state), char_to_ix)
    require(indices is not None, "sample_primed must return a list of indices (sample_primed.result says more)")
    prefix_ix = [char_to_ix[ch] for ch in prefix]
    return indices[len(prefix_ix):] if indices[:len(prefix_ix)] == prefix_ix else indices


def until_newline(drawn, newline):
    """The drawn symbols up to the first newline, included."""
    return drawn[:drawn.index(newline) + 1] if newline in drawn else drawn


def sample_like(ctx, case, *, newline_first=True, carry_in_prefix=True, seeding="once", read_draws=True,
                carry_in_draws=True, argmax=False):
    """The symbols the contract's sampler draws for a case, with one known mistake switched on, to name it."""
    parameters, char_to_ix, prefix, seed, options = arguments(case)
    step = ctx.reference["rnn_step_forward"]
    vocab_size, n_a, newline = parameters["by"].shape[0], parameters["Waa"].shape[0], char_to_ix["\n"]
    a = np.zeros((n_a, 1))
    p = ctx.reference["softmax"](parameters["by"])  # what an empty prefix read without the newline leaves
    for ix in ([newline] if newline_first else []) + [char_to_ix[ch] for ch in prefix]:
        a, p = step(parameters, a if carry_in_prefix else np.zeros((n_a, 1)), ix)
    generator, drawn, primed = np.random.RandomState(seed), [], a
    for count in range(options.get("max_draws", 50)):
        if seeding != "once":
            generator = np.random.RandomState(seed + count * (seeding == "counter"))
        idx = int(np.argmax(p)) if argmax else int(generator.choice(vocab_size, p=p.ravel()))
        drawn.append(idx)
        if idx == newline:
            break
        if read_draws:
            a_next, p = step(parameters, a if carry_in_draws else primed, idx)
            a = a_next if carry_in_draws else primed
    return drawn


def known_mistake(ctx, case, got, mistakes, newline):
    """The hint of the first known mistake whose drawn symbols (up to the newline) are got, else None."""
    for options, hint in mistakes:
        try:
            if until_newline(sample_like(ctx, case, **options), newline) == got:
                return hint
        except (ValueError, IndexError):  # the mistake does not even run on this case
            continue
    return None


def check_public(ctx):
    """The released checks: two samples from a small random model, and a prefix outside the vocabulary."""
    public_checks(ctx.assignment).sample_primed_test(ctx.target("sample_primed"))


def check_result(ctx):
    """Returns a list of integer indices: the prefix's, then the drawn ones, ending with the newline index."""
    for case in RESULT:
        char_to_ix, prefix = vocabulary(case[3]), case[4]
        value = learner_result(ctx, case)
        if type(value) is list and value and all(type(item) is str for item in value):
            raise CheckFailed("sample_primed returned characters: return their indices (char_to_ix), not the characters")
        require(type(value) is list, f"sample_primed must return a list of indices, got {type(value).__name__}"
                + (": did you forget `return indices`?" if value is None else ""))
        for item in value:
            require(isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))
                    and 0 <= int(item) < len(char_to_ix),
                    f"sample_primed must return indices between 0 and vocab_size - 1; found {item!r}")
        prefix_ix = [char_to_ix[ch] for ch in prefix]
        require([int(i) for i in value[:len(prefix_ix)]] == prefix_ix,
                f"with prefix {prefix!r} the result does not start with the prefix's indices: start the list with "
                "them, then append every drawn index")
        require(len(value) > len(prefix_ix) and int(value[-1]) == char_to_ix["\n"],
                "the result must end with the newline index, char_to_ix['\\n']")


PRIMING_MISTAKES = [
    ({"newline_first": False}, "your first draw is what reading the prefix without the newline first gives: read "
                               "the newline, then the prefix, from the zero state"),
    ({"carry_in_prefix": False}, "your first draw is what reading each prefix character from the zero state gives: "
                                 "carry the hidden state from one character of the prefix to the next"),
]


def check_priming(ctx):
    """The first symbol drawn after reading the newline and then the prefix, from the zero state, on models
    whose prediction is certain (prefixes of 0 to 9 characters)."""
    newline = corpus_vocabulary()["\n"]
    for case, want in zip(PRIMING, ctx.expected["sample_primed"]["priming"]):
        got = learner_drawn(ctx, case)
        if got[:1] == [want]:
            continue
        mistake = known_mistake(ctx, case, got[:1], [(o, h) for o, h in PRIMING_MISTAKES], newline) if got else None
        raise CheckFailed(f"with prefix {case[4]!r}, the first symbol your code drew is not the one the model predicts "
                          f"after reading the prefix, on a model whose prediction is certain. "
                          + (mistake or "Start from a zero hidden state of shape (n_a, 1); read the newline, then "
                                        "every character of the prefix, one rnn_step_forward each, carrying the state; "
                                        "draw from the p of the last of these steps."))


SEEDING_MISTAKES = [
    ({"seeding": "each"}, "your draws are what calling np.random.seed(seed) before every draw gives: seed once, "
                          "before the first draw"),
    ({"seeding": "counter"}, "your draws are what reseeding with seed + a counter before every draw gives (the first "
                             "assignment's rule): here np.random.seed(seed) is called once, before the first draw"),
    ({"argmax": True}, "your draws are always the most likely symbol: draw at random with "
                       "np.random.choice(vocab_size, p=p.ravel())"),
]


def check_seeding(ctx):
    """On models whose predictions do not depend on the state: the draws are those of numpy seeded once with
    seed, whatever numpy's random state was before the call."""
    newline = corpus_vocabulary()["\n"]
    for case, want in zip(SEEDING, ctx.expected["sample_primed"]["seeding"]):
        runs = [until_newline(learner_drawn(ctx, case, state), newline) for state in GLOBAL_STATES]
        require(runs[0] == runs[1], "two calls with the same arguments drew different symbols, depending on numpy's "
                                    "random state before the call: call np.random.seed(seed) after reading the prefix, "
                                    "before the first draw")
        if runs[0] == want:
            continue
        mistake = known_mistake(ctx, case, runs[0], SEEDING_MISTAKES, newline)
        raise CheckFailed(f"with seed={case[5]} your draws are not those of numpy seeded once with seed, on a model whose "
                          "predictions are the same at every step. " + (mistake or "Call np.random.seed(seed) once, "
                          "then draw each symbol with np.random.choice(vocab_size, p=p.ravel()), nothing else drawing "
                          "random numbers in between."))


READING_MISTAKES = [
    ({"read_draws": False}, "your draws all come from the prediction after the prefix: read every drawn symbol "
                            "(rnn_step_forward) to get the p for the next draw"),
    ({"carry_in_draws": False}, "your code reads each drawn symbol from the state left by the prefix: carry the new "
                                "hidden state from each step to the next"),
]


def check_reading(ctx):
    """On models whose predictions are certain: each drawn symbol is read, from the state the step before
    left, before the next draw, until the newline."""
    newline = corpus_vocabulary()["\n"]
    for case, want in zip(READING, ctx.expected["sample_primed"]["reading"]):
        got = until_newline(learner_drawn(ctx, case), newline)
        if got == want:
            continue
        mistake = known_mistake(ctx, case, got, READING_MISTAKES, newline)
        raise CheckFailed(f"with prefix {case[4]!r}, on a model whose predictions are certain, your drawn symbols differ "
                          "from what the model writes, from the second draw on. " + (mistake or "After each draw that "
                          "is not the newline, read the drawn symbol with rnn_step_forward from the current state, and "
                          "draw the next symbol from the p it returns."))


def check_max_draws(ctx):
    """At most max_draws symbols are drawn (50 by default); after max_draws draws without a newline, the newline
    is appended; a newline drawn last is not doubled."""
    for case in MAX_DRAWS:
        newline, limit = vocabulary(case[3])["\n"], case[6] or 50
        drawn = learner_drawn(ctx, case)
        if case[0] == "never_newline":
            require(len(drawn) == limit + 1 and drawn[-1] == newline and newline not in drawn[:-1],
                    f"with max_draws={limit} and a model that never draws the newline, the result should hold the prefix, "
                    f"{limit} drawn indices and the newline index; yours holds {len(drawn)} indices after the prefix"
                    + ("" if drawn and drawn[-1] == newline else ", not ending with the newline")
                    + ". Draw at most max_draws times.")
        else:
            require(drawn == [newline], f"with max_draws={limit} and a model that draws the newline at once, the result "
                                        f"should be the prefix and one newline; yours has {len(drawn)} indices after the "
                                        "prefix. Stop at the first newline drawn, and append one only when none was.")


def check_vocabularies(ctx):
    """Other vocabularies: 11 and 20 symbols, the newline at index 3 or last, a char_to_ix listing its keys in
    another order (where the name stops, on models that never or at once draw the newline)."""
    for case in VOCABULARIES:
        char_to_ix = vocabulary(case[3])
        newline = char_to_ix["\n"]
        drawn = learner_drawn(ctx, case)
        where = f"with a vocabulary of {len(char_to_ix)} symbols whose newline is index {newline}"
        bad = [i for i in drawn if not 0 <= i < len(char_to_ix)]
        require(not bad, f"{where}, your code drew indices outside 0..{len(char_to_ix) - 1}: draw from range(vocab_size)")
        if case[0] == "newline_now":
            if drawn[:1] != [newline] and case[3] == "corpus_reversed":
                raise CheckFailed(f"{where}, listed in another order in char_to_ix, your code did not draw the newline "
                                  "that the model draws at once: draw an index from range(vocab_size), not from "
                                  "char_to_ix's values (the k-th probability belongs to index k)")
            # a second newline appended after the loop is max_draws's business
            require(drawn in ([newline], [newline, newline]),
                    f"{where}, a model that draws the newline at once gave {len(drawn)} indices after the prefix: stop "
                    "when the drawn index is char_to_ix['\\n'], not 0")
        else:  # how many were drawn is max_draws's business
            require(drawn[-1:] == [newline] and newline not in drawn[:-1],
                    f"{where}, a model that never draws the newline gave a name that does not end with its newline "
                    "index only: compare the drawn index with char_to_ix['\\n'], not 0")


def check_unknown_characters(ctx):
    """A prefix holding a character outside the vocabulary raises ValueError naming the first such character."""
    parameters, char_to_ix, _, _, _ = arguments(RESULT[0])
    for prefix, unknown in UNKNOWN:
        try:
            ctx.call("sample_primed", parameters, char_to_ix, prefix, 0)
        except LearnerCodeError as error:
            kind, message = error.raised or ("no exception", "")
            require(kind == "ValueError", f"with prefix {prefix!r} your code raised {kind}: check every character of "
                                          "the prefix first and raise ValueError for one that is not in char_to_ix")
            require(unknown in message or repr(unknown) in message,
                    f"with prefix {prefix!r} the ValueError's message does not show {unknown!r}, the first character "
                    "that is not in the vocabulary: put that character in the message")
        else:
            raise CheckFailed(f"with prefix {prefix!r}, which holds {unknown!r}, a character outside the vocabulary, "
                              "sample_primed returned instead of raising ValueError")


def sampling_problem(size, n_a, seed, scale, prefix_length):
    """(parameters, char_to_ix, prefix): a random model, a vocabulary of `size` symbols with the newline anywhere
    and the keys in any order, a prefix of its other characters."""
    rng = np.random.RandomState(seed)
    symbols = ["\n"] + list("abcdefghi"[:size - 1])
    indices, order = rng.permutation(size), rng.permutation(size)
    char_to_ix = {symbols[k]: int(indices[k]) for k in order}
    parameters = {"Wax": rng.randn(n_a, size) * scale, "Waa": rng.randn(n_a, n_a) * scale,
                  "Wya": rng.randn(size, n_a) * scale, "b": rng.randn(n_a, 1), "by": rng.randn(size, 1)}
    prefix = "".join(rng.choice(symbols[1:], prefix_length)) if size > 1 else ""
    return parameters, char_to_ix, prefix


problems = st.tuples(st.integers(2, 10), st.integers(1, 8), st.integers(0, 999), st.sampled_from([0.5, 2.0, 6.0]),
                     st.integers(0, 4), st.integers(0, 10**6), st.integers(1, 12))
# (vocabulary size, n_a, model seed, scale, prefix length, seed, max_draws)


EXAMPLES = 0x73616d706c655f7072696d65645f70726f70657274696573  # the pinned examples of check_properties


def check_properties(ctx):
    """For random models and vocabularies: the reference's indices (where they survive a 1e-9 nudge of the
    parameters): the prefix, then 1 to max_draws draws, ending with exactly one newline after the prefix."""
    rng = np.random.RandomState(12345)

    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(problem=problems)
    def sample_primed_properties(problem):
        parameters, char_to_ix, prefix = sampling_problem(*problem[:5])
        seed, max_draws = problem[5:]
        want = [int(i) for i in ctx.reference["sample_primed"](parameters, char_to_ix, prefix, seed, max_draws)]
        nudged = {key: value * (1 + PERTURBATION * rng.randn(*value.shape)) for key, value in parameters.items()}
        robust = want == [int(i) for i in ctx.reference["sample_primed"](nudged, char_to_ix, prefix, seed, max_draws)]
        try:
            value = ctx.call("sample_primed", parameters, char_to_ix, prefix, seed, max_draws, global_seed=seed + 1).value
        except LearnerCodeError as error:
            raise hinted(error, ERROR_HINTS) from None
        got = as_indices(value, char_to_ix)
        newline, start = char_to_ix["\n"], len(prefix)
        assert got is not None, "sample_primed did not return a list of indices"
        assert got[:start] == [char_to_ix[ch] for ch in prefix], "the result does not start with the prefix"
        assert 1 <= len(got) - start <= max_draws + 1, f"{len(got) - start} indices after the prefix, max_draws={max_draws}"
        assert got[-1] == newline and newline not in got[start:-1], "the result does not end with exactly one newline"
        assert not robust or got == want, "the indices differ from the reference's"

    sample_primed_properties()


VALUES = (check_priming, check_seeding, check_reading)
CHECKS = CheckModule(function="sample_primed", compute_expected=compute_expected, fragile=fragile, checks=[
    Check("sample_primed.public", 5, check_public, "the released checks (two samples, an unknown character)", public=True),
    Check("sample_primed.result", 2, needs_a_value(check_result, VALUES, "sample_primed"),
          "returns a list of indices: the prefix's, the drawn ones, the newline"),
    Check("sample_primed.priming", 5, check_priming, "reads the newline, then the prefix, before the first draw"),
    Check("sample_primed.seeding", 4, check_seeding, "seeds numpy once with seed, before the first draw"),
    Check("sample_primed.reading", 4, check_reading, "reads every drawn symbol before the next draw"),
    Check("sample_primed.max_draws", 3, needs_a_value(check_max_draws, VALUES, "sample_primed"),
          "at most max_draws draws, one newline at the end, never two"),
    Check("sample_primed.vocabularies", 3, needs_a_value(check_vocabularies, VALUES, "sample_primed"),
          "other vocabulary sizes, newline indices and dict orders"),
    Check("sample_primed.unknown_characters", 2, needs_a_value(check_unknown_characters, VALUES, "sample_primed"),
          "a prefix character outside the vocabulary raises ValueError naming it"),
    Check("sample_primed.properties", 2, check_properties, "random models: the reference's indices and the contract's shape"),
])
