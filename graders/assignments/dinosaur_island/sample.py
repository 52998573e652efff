"""Checks for `sample(parameters, char_to_ix, seed)`: drawing a name one index at a time."""
import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.dinosaur_island.expect import expect_indices
from graders.assignments.dinosaur_island.names import CHAR_TO_IX
from graders.checks import Check, CheckModule
from graders.checks.expect import first_difference, hinted, require
from graders.checks.gating import needs_a_value
from graders.checks.properties import GRADING
from graders.context import CheckFailed, LearnerCodeError
from graders.reference import public_checks

LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
VOCABULARIES = {
    "v27": dict(CHAR_TO_IX),                                                    # the classic one
    "v5": {ch: i for i, ch in enumerate(["\n", "a", "b", "c", "d"])},           # a tiny alphabet
    "v40": {ch: i for i, ch in enumerate(["a", "b", "c", "\n"] + LETTERS[3:] + list("0123456789-.'"))},  # newline at 3
    "v27_reversed": {ch: CHAR_TO_IX[ch] for ch in reversed(list(CHAR_TO_IX))},  # values() in reverse order
}
# (parameter seed, n_a, vocabulary, seed argument)
SEEDED = [(201, 50, "v27", 0), (202, 20, "v27", 7), (218, 60, "v27", 9), (204, 8, "v27", 2)]
OTHER_VOCABULARIES = [(213, 12, "v5", 2), (224, 16, "v40", 0), (207, 30, "v27_reversed", 5)]
NO_NEWLINE = (208, 12, "v27", 0)      # the newline made (almost) impossible: the 50-draw cap applies
LATE_NEWLINE = (209, 12, "v27")       # a newline exactly at the 50th draw; its seed is searched for
RESEED = (210, 20, "v27", 4)
CLASSIC = (24, 100, "v27", 0)         # the released check's model and seed
NEWLINE_PENALTY = {NO_NEWLINE: 60.0, LATE_NEWLINE: 3.2}  # subtracted from the newline's output bias
DISTRIBUTION = [0.5, 0.2, 0.1, 0.1, 0.05, 0.05]         # next-symbol probabilities, newline first
DISTRIBUTION_DRAWS = 600
Z_LIMIT = 6.0  # per symbol; a correct sampler trips it with probability < 6 * 2e-9 (normal approximation)
SHAPE = ("x must be a (vocab_size, 1) column of zeros with a 1 at row idx, not a 1-D array, and "
         "a_prev an (n_a, 1) column, so that y is a (vocab_size, 1) column; take vocab_size from by.shape[0].")
ERROR_HINTS = [  # (text in the error, what to look at)
    ("'p' must be 1-dimensional", "np.random.choice needs a 1-D vector of probabilities: pass p=y.ravel()."),
    ("must have same size", "the population and p must both have vocab_size entries: " + SHAPE),
    ("not aligned", SHAPE),
    ("could not be broadcast", SHAPE),
    ("probabilities do not sum to 1", "p must be the softmax output for this step, y.ravel()."),
    ("probabilities are not non-negative", "p must be the softmax output for this step, y.ravel()."),
]
# Known mistakes, as options of sample_like, and what to tell a learner whose indices they reproduce
MISTAKES = [
    ({"argmax": True}, "your indices are the most likely ones at every step: draw at random with "
                       "np.random.choice(range(vocab_size), p=y.ravel()), not with np.argmax."),
    ({"reseed": "once"}, "your indices are what seeding numpy once, before the loop, gives: call "
                         "np.random.seed(counter + seed) inside the loop, right before every draw."),
    ({"seed_step": 0}, "your draws use the seeds seed, seed+1, seed+2, ...: after each draw add 1 to seed and 1 "
                       "to counter, so that counter + seed grows by 2 per draw (the classic rule)."),
    ({"update_x": False}, "your code keeps feeding the zero input: after each draw, make x the one-hot column of "
                          "idx: a fresh (vocab_size, 1) column of zeros with a 1 at row idx."),
    ({"update_a": False}, "your code starts every step from the zero hidden state: after each draw, the new hidden state a becomes a_prev."),
    ({"bias": False}, "your probabilities leave out the output bias: add by to Wya a before the softmax."),
]


def sample_parameters(param_seed, n_a, vocabulary, newline_penalty=0.0):
    """Standard-normal parameters for a vocabulary, with an optional penalty on the newline."""
    rng = np.random.RandomState(param_seed)
    v = len(VOCABULARIES[vocabulary])
    parameters = {"Wax": rng.randn(n_a, v), "Waa": rng.randn(n_a, n_a), "Wya": rng.randn(v, n_a),
                  "b": rng.randn(n_a, 1), "by": rng.randn(v, 1)}
    parameters["by"][VOCABULARIES[vocabulary]["\n"]] -= newline_penalty
    return parameters


def case_inputs(case):
    """(parameters, char_to_ix, seed) for a case tuple."""
    param_seed, n_a, vocabulary, seed = case
    penalty = NEWLINE_PENALTY.get(case, NEWLINE_PENALTY.get(case[:3], 0.0))
    return sample_parameters(param_seed, n_a, vocabulary, penalty), dict(VOCABULARIES[vocabulary]), seed


def late_newline_seed(reference):
    """The first seed for which the reference draws its first newline exactly at the 50th draw."""
    parameters, char_to_ix, _ = case_inputs(LATE_NEWLINE + (0,))
    newline = char_to_ix["\n"]
    for seed in range(20000):
        indices = [int(i) for i in reference["sample"](parameters, char_to_ix, seed)]
        if len(indices) == 51 and indices[49] == newline and newline not in indices[:49]:
            return seed
    raise RuntimeError("no seed gives a newline at the 50th draw; change LATE_NEWLINE")


def distribution_parameters():
    """A model whose next-symbol distribution is DISTRIBUTION whatever its state (Wya = 0)."""
    rng = np.random.RandomState(211)
    v = len(DISTRIBUTION)
    by = np.log(np.array(DISTRIBUTION)).reshape(v, 1)
    return {"Wax": rng.randn(4, v), "Waa": rng.randn(4, 4), "Wya": np.zeros((v, 4)), "b": rng.randn(4, 1), "by": by}


def compute_expected(reference):
    """The reference's indices for every seeded case, and the searched seed of the late-newline case."""
    def run(case):
        return [int(i) for i in reference["sample"](*case_inputs(case))]
    late_seed = late_newline_seed(reference)
    return {"seeded": [run(case) for case in SEEDED],
            "other_vocabularies": [run(case) for case in OTHER_VOCABULARIES],
            "no_newline": run(NO_NEWLINE),
            "late_newline_seed": late_seed,
            "late_newline": run(LATE_NEWLINE + (late_seed,)),
            "reseed": run(RESEED)}


PERTURBATION = 1e-9  # relative nudge of the parameters, far above the ~1e-16 that separates numpy builds


def fragile(reference):
    """Stored sampling results (and the released check's) that change when the parameters are nudged."""
    rng = np.random.RandomState(12345)
    problems = []
    cases = SEEDED + OTHER_VOCABULARIES + [NO_NEWLINE, RESEED, LATE_NEWLINE + (late_newline_seed(reference),), CLASSIC]
    for case in cases:
        parameters, char_to_ix, seed = case_inputs(case)
        plain = [int(i) for i in reference["sample"](parameters, char_to_ix, seed)]
        for _ in range(3):
            nudged = {k: v * (1 + PERTURBATION * rng.randn(*v.shape)) for k, v in parameters.items()}
            if [int(i) for i in reference["sample"](nudged, char_to_ix, seed)] != plain:
                problems.append(f"sample case {case}: the indices change under a {PERTURBATION:g} perturbation")
                break
    return problems


def call_sample(ctx, parameters, char_to_ix, seed, strict=False, **options):
    """The learner's indices; strict: validated as a list of in-range ints, else read leniently (characters as
    their indices: what sample returns is sample.returns's business). Errors come with a hint on their cause."""
    try:
        value = ctx.call("sample", parameters, char_to_ix, seed, **options).value
    except LearnerCodeError as error:
        raise hinted(error, ERROR_HINTS) from None
    if strict:
        return expect_indices(value, len(char_to_ix))
    if type(value) is list and all(type(item) is str and item in char_to_ix for item in value):
        value = [char_to_ix[item] for item in value]
    require(type(value) is list and all(isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))
                                        for item in value),
            "sample did not return a list of indices, so its draws cannot be checked (sample.returns says more)")
    return [int(item) for item in value]


def first_indices(ctx, parameters, char_to_ix, seeds):
    """The first index of the learner's sample for each seed in turn (a generator; the calls reach its process
    together, see Context.call_many), errors hinted as call_sample's."""
    try:
        for outcome in ctx.call_many("sample", [((parameters, char_to_ix, seed), {}) for seed in seeds]):
            got = expect_indices(outcome.value, len(char_to_ix))
            require(got, "sample returned an empty list")
            yield got[0]
    except LearnerCodeError as error:
        raise hinted(error, ERROR_HINTS) from None


def learner_indices(ctx, case, **options):
    """The learner's indices for a case (read leniently)."""
    return call_sample(ctx, *case_inputs(case), **options)


def sample_like(softmax, parameters, char_to_ix, seed, *, argmax=False, reseed="each", seed_step=1, update_x=True,
                update_a=True, bias=True):
    """The classic sampler with one known mistake switched on, to name the mistake in a message.

    Draws come from RandomState(counter + seed) objects, which give the same values as reseeding numpy's
    global generator, without touching the grader's own random state.
    """
    Wax, Waa, Wya, by, b = (parameters[k] for k in ("Wax", "Waa", "Wya", "by", "b"))
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    newline, indices, idx, counter = char_to_ix["\n"], [], -1, 0
    generator = np.random.RandomState(seed)
    while idx != newline and counter != 50:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        y = softmax(Wya @ a + (by if bias else 0))
        if reseed == "each":
            generator = np.random.RandomState(counter + seed)
        idx = int(np.argmax(y)) if argmax else int(generator.choice(range(vocab_size), p=y.ravel()))
        indices.append(idx)
        if update_x:
            x = np.zeros((vocab_size, 1))
            x[idx] = 1
        if update_a:
            a_prev = a
        seed += seed_step
        counter += 1
    if counter == 50:
        indices.append(newline)
    return indices


def known_mistake(ctx, got, case):
    """What to look at when the learner's indices are those of a known mistake, else None."""
    parameters, char_to_ix, seed = case_inputs(case)
    for options, hint in MISTAKES:
        if sample_like(ctx.reference["softmax"], parameters, char_to_ix, seed, **options) == got:
            return hint
    return None


def explain_mismatch(got, want, case, ctx):
    """Point at the first wrong draw and at the mistake that explains it, when it is a known one."""
    position = first_difference(got, want)
    _, n_a, vocabulary, seed = case
    where = (f"with seed={seed} (n_a={n_a}, vocabulary of {len(VOCABULARIES[vocabulary])}) your indices "
             f"differ from the expected ones, first at position {position}"
             + (f" (expected {len(want)} indices, got {len(got)})" if len(got) != len(want) else "") + ". ")
    mistake = known_mistake(ctx, got, case)
    if mistake:
        return where + mistake[0].upper() + mistake[1:]
    if position == 0:
        return where + ("Already the first draw differs: start from x and a_prev all zeros, take "
                        "the softmax of Wya a + by and draw with np.random.choice(range(vocab_size), p=y.ravel()) "
                        "right after np.random.seed(counter + seed).")
    return where + ("The first draws agree, later ones do not: before every draw call np.random.seed(counter + seed); "
                    "after it, make x the one-hot column of idx, keep a as the next a_prev, and add 1 to both seed and counter.")


def check_public(ctx):
    """The released check: the classic model (seed 24, n_a 100) and its published indices."""
    public_checks(ctx.assignment).sample_test(ctx.target("sample"))


def check_returns(ctx):
    """Returns a list of integer indices (not characters) within the vocabulary."""
    for case in SEEDED[:2]:
        call_sample(ctx, *case_inputs(case), strict=True)


def check_ends_with_newline(ctx):
    """Every result ends with the newline index and has at most 51 entries (classic vocabulary)."""
    for case in SEEDED:
        got = learner_indices(ctx, case)
        newline = VOCABULARIES[case[2]]["\n"]
        require(len(got) <= 51, f"sample returned {len(got)} indices; stop after 50 draws (51 with the newline)")
        require(got and got[-1] == newline,
                f"the indices must end with the newline index {newline} (char_to_ix['\\n'])")


def check_seeded(ctx):
    """Exactly the reference's indices for four seeded models and seeds."""
    for case, want in zip(SEEDED, ctx.expected["sample"]["seeded"]):
        got = learner_indices(ctx, case)
        require(got == want, explain_mismatch(got, want, case, ctx))


def check_reseeding(ctx):
    """The result depends on the seed argument only, not on numpy's random state before the call."""
    want = ctx.expected["sample"]["reseed"]
    first = learner_indices(ctx, RESEED, global_seed=1)
    second = learner_indices(ctx, RESEED, global_seed=987654)
    if first != second:
        raise CheckFailed("calling sample twice with the same seed gave different results, depending on numpy's random "
                          "state before the call: call np.random.seed(counter + seed) before every draw.")
    if first != want:
        other = learner_indices(ctx, RESEED[:3] + (RESEED[3] + 10,))
        if other == first:
            raise CheckFailed(f"sample gives the same indices for seed={RESEED[3]} and seed={RESEED[3] + 10}: it must "
                              "use its seed argument, as np.random.seed(counter + seed).")
        raise CheckFailed(explain_mismatch(first, want, RESEED, ctx))


def check_length_cap(ctx):
    """At most 50 draws: with no newline drawn, 50 indices plus the newline; a newline drawn 50th is kept."""
    want = ctx.expected["sample"]["no_newline"]
    got = learner_indices(ctx, NO_NEWLINE)
    newline = CHAR_TO_IX["\n"]
    require(len(got) == 51 and got[-1] == newline,
            f"when the model never draws the newline, sample must stop after 50 draws and append the newline index "
            f"(51 indices in all); got {len(got)} indices" + ("" if got and got[-1] == newline else
                                                               ", not ending with the newline") + ". Loop while "
            "idx != newline and counter != 50, then append the newline if counter == 50.")
    require(got == want, explain_mismatch(got, want, NO_NEWLINE, ctx))
    late_case = LATE_NEWLINE + (ctx.expected["sample"]["late_newline_seed"],)
    late_want = ctx.expected["sample"]["late_newline"]
    late = learner_indices(ctx, late_case)
    require(late == late_want,
            f"when the 50th draw is itself the newline, the result has 51 indices ending with two newlines "
            f"(..., {newline}, {newline}]); your result has {len(late)} indices. Append the "
            "newline whenever counter == 50 after the loop.")


def check_other_vocabularies(ctx):
    """Works for any vocabulary: its size from the parameters, its newline from char_to_ix, any dict order."""
    for case, want in zip(OTHER_VOCABULARIES, ctx.expected["sample"]["other_vocabularies"]):
        got = learner_indices(ctx, case)
        if got == want:
            continue
        if learner_indices(ctx, SEEDED[0]) != ctx.expected["sample"]["seeded"][0]:
            raise CheckFailed(explain_mismatch(got, want, case, ctx) + " (sample is wrong on the classic vocabulary "
                              "too: sample.seeded says more.)")
        hint = {"v5": "Take vocab_size from the parameters (by.shape[0]), not the number 27.",
                "v40": "Here the newline has index 3: compare with char_to_ix['\\n'], not with 0.",
                "v27_reversed": "This char_to_ix lists its keys in another order: draw from range(vocab_size), not "
                                "from char_to_ix.values() (the i-th probability belongs to index i)."}[case[2]]
        position = first_difference(got, want)
        raise CheckFailed(f"with a vocabulary of {len(VOCABULARIES[case[2]])} symbols your indices differ from "
                          f"the expected ones, first at position {position}, while the classic vocabulary works. "
                          + hint)


def check_distribution(ctx):
    """On a model with a known next-symbol distribution, first draws over many seeds match it."""
    parameters = distribution_parameters()
    char_to_ix = {ch: i for i, ch in enumerate(["\n", "a", "b", "c", "d", "e"])}
    counts = np.zeros(len(DISTRIBUTION))
    for first in first_indices(ctx, parameters, char_to_ix, range(DISTRIBUTION_DRAWS)):
        counts[first] += 1
    p = np.array(DISTRIBUTION)
    z = (counts - DISTRIBUTION_DRAWS * p) / np.sqrt(DISTRIBUTION_DRAWS * p * (1 - p))
    worst = int(np.argmax(np.abs(z)))
    require(np.all(np.abs(z) < Z_LIMIT),
            f"over {DISTRIBUTION_DRAWS} names, the first index was {worst} {int(counts[worst])} times; with the "
            f"model's probability {p[worst]} about {DISTRIBUTION_DRAWS * p[worst]:.0f} were expected (z = {z[worst]:.1f}). "
            "Draw at random with np.random.choice(range(vocab_size), p=y.ravel()): not the most likely index "
            "(argmax), and not uniformly.")


@st.composite
def small_models(draw):
    """Random small models: n_a 1-6, vocabulary 2-8 with the newline at a random index."""
    n_a, v = draw(st.integers(1, 6)), draw(st.integers(2, 8))
    newline = draw(st.integers(0, v - 1))
    symbols = [chr(ord("a") + i) for i in range(v - 1)]
    symbols.insert(newline, "\n")
    rng = np.random.RandomState(draw(st.integers(0, 2**31 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 3.0]))
    parameters = {"Wax": rng.randn(n_a, v) * scale, "Waa": rng.randn(n_a, n_a) * scale, "Wya": rng.randn(v, n_a) * scale,
                  "b": rng.randn(n_a, 1) * scale, "by": rng.randn(v, 1) * scale}
    return parameters, {ch: i for i, ch in enumerate(symbols)}


# The examples check_properties draws, the same in every grading run. Left to itself, Hypothesis would
# derive them from the property's source text (derandomize), so that editing it would change them.
EXAMPLES = 0xd76706b5390f5058ecaadca8cfb295a0e8a282b1b83e888adacf360608f27a0d4145cc896da4a3d0aaf046d416f38259


def check_properties(ctx):
    """For random models, vocabularies and seeds: the reference's indices (where they survive a 1e-9 nudge of the
    parameters)."""
    rng = np.random.RandomState(12345)

    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(model=small_models(), seed=st.integers(0, 10**6))
    def sample_properties(model, seed):
        parameters, char_to_ix = model
        want = [int(i) for i in ctx.reference["sample"](parameters, char_to_ix, seed)]
        nudged = {key: value * (1 + PERTURBATION * rng.randn(*value.shape)) for key, value in parameters.items()}
        if want != [int(i) for i in ctx.reference["sample"](nudged, char_to_ix, seed)]:
            return  # a draw on a knife's edge: no verdict
        got = call_sample(ctx, parameters, char_to_ix, seed, global_seed=seed + 1)
        assert got == want, (f"on a random model (n_a={parameters['Waa'].shape[0]}, {len(char_to_ix)} symbols, the "
                             f"newline at index {char_to_ix[chr(10)]}) your indices differ from the expected ones")

    sample_properties()


VALUES = (check_seeded, check_reseeding, check_length_cap, check_other_vocabularies)  # one right: the others count


CHECKS = CheckModule(function="sample", compute_expected=compute_expected, fragile=fragile, checks=[
    Check("sample.public", 5, check_public, "the released check (classic model, published indices)", public=True),
    Check("sample.returns", 2, needs_a_value(check_returns, VALUES, "sample"), "returns a list of integer indices within the vocabulary"),
    Check("sample.ends_with_newline", 3, needs_a_value(check_ends_with_newline, VALUES, "sample"), "every result ends with the newline, at most 51 long"),
    Check("sample.seeded", 6, check_seeded, "matches the reference exactly for four seeded models"),
    Check("sample.reseeding", 3, check_reseeding, "reseeds with counter + seed before every draw"),
    Check("sample.length_cap", 4, check_length_cap, "stops after 50 draws and appends the newline"),
    Check("sample.vocabularies", 3, check_other_vocabularies, "works for other vocabulary sizes, newline indices and dict orders"),
    Check("sample.distribution", 2, check_distribution, "draws follow the model's probabilities (statistical test)"),
    Check("sample.properties", 2, check_properties, "the reference's indices for random models, vocabularies and seeds"),
])
