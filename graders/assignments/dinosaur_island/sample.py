"""Checks for `sample(parameters, char_to_ix, seed)`: drawing a name one index at a time."""
import hypothesis
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graders.assignments.dinosaur_island.expect import expect_indices
from graders.assignments.dinosaur_island.names import CHAR_TO_IX
from graders.checks import Check, CheckModule
from graders.checks.expect import first_difference, hinted, require
from graders.checks.gating import needs_a_value, passes
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
NO_NEWLINE = (208, 12, "v27", 0)      # the newline made rare: none in the first 50 draws, the 50-draw cap applies
LATE_NEWLINE = (209, 12, "v27")       # a newline exactly at the 50th draw; its seed is searched for
RESEED = (210, 20, "v27", 4)
CLASSIC = (24, 100, "v27", 0)         # the released check's model and seed
# subtracted from the newline's output bias; NO_NEWLINE's keeps the newline possible, so that a sampler without the
# cap still ends (after about a thousand draws) instead of running out of time for every check after it
NEWLINE_PENALTY = {NO_NEWLINE: 4.0, LATE_NEWLINE: 3.2}
GLOBAL_SEED = 12345  # numpy's global state before each call on a fixed case: draws made from it can be retraced
DISTRIBUTION = [0.5, 0.2, 0.1, 0.1, 0.05, 0.05]         # next-symbol probabilities of the first six symbols
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
    ({"reseed": "never"}, "your draws come from numpy's random state as it was before the call: call "
                          "np.random.seed(counter + seed) inside the loop, right before every draw."),
    ({"reseed": "after"}, "your first draw comes from numpy's random state as it was before the call: call "
                          "np.random.seed(counter + seed) right before every draw, not after it."),
    ({"reseed": "counter"}, "your draws do not depend on the seed argument: seed numpy with counter + seed, not "
                            "with counter alone."),
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
    """A model of the classic vocabulary whose next-symbol distribution is DISTRIBUTION over its first symbols, the
    others impossible, whatever its state (Wya = 0)."""
    rng = np.random.RandomState(211)
    v = len(CHAR_TO_IX)
    by = np.full((v, 1), -1000.0)  # (v, 1): exp underflows to 0
    by[:len(DISTRIBUTION), 0] = np.log(DISTRIBUTION)
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


def learner_indices(ctx, case, global_seed=GLOBAL_SEED):
    """The learner's indices for a case (read leniently), numpy's global generator seeded with global_seed before
    the call (one call per case and global seed in a grading run)."""
    return ctx.cached(("sample", case, global_seed),
                      lambda: call_sample(ctx, *case_inputs(case), global_seed=global_seed))


def sample_like(softmax, parameters, char_to_ix, seed, *, argmax=False, reseed="each", seed_step=1, update_x=True,
                update_a=True, bias=True, global_seed=GLOBAL_SEED):
    """The classic sampler with one known mistake switched on: to name the mistake in a message, and to judge
    the other aspects of a sampler that has it. reseed: "each" (before every draw), "once" (before the loop),
    "never", "after" (after every draw) or "counter" (with counter alone); global_seed: the seed of numpy's
    global generator before the call, which draws made before any reseeding use.

    Draws come from RandomState objects, which give the same values as seeding numpy's global generator,
    without touching the grader's own random state.
    """
    Wax, Waa, Wya, by, b = (parameters[k] for k in ("Wax", "Waa", "Wya", "by", "b"))
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    newline, indices, idx, counter = char_to_ix["\n"], [], -1, 0
    generator = np.random.RandomState(seed if reseed == "once" else global_seed)
    while idx != newline and counter != 50:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        y = softmax(Wya @ a + (by if bias else 0))
        if reseed in ("each", "counter"):
            generator = np.random.RandomState(counter + (seed if reseed == "each" else 0))
        idx = int(np.argmax(y)) if argmax else int(generator.choice(range(vocab_size), p=y.ravel()))
        indices.append(idx)
        if reseed == "after":
            generator = np.random.RandomState(counter + seed)
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


def known_mistake(ctx, got, case, global_seed=GLOBAL_SEED):
    """What to look at when the learner's indices are those of a known mistake (the one all its seeded indices show
    first: two mistakes can give the same indices on one case), else None."""
    parameters, char_to_ix, seed = case_inputs(case)
    rule = drawing_rule(ctx)
    for options, hint in sorted(MISTAKES, key=lambda mistake: mistake[0] != rule):
        if sample_like(ctx.reference["softmax"], parameters, char_to_ix, seed, global_seed=global_seed,
                       **options) == got:
            return hint
    return None


def drawing_rule(ctx):
    """The options of sample_like that reproduce the learner's indices on every seeded case: {} (the classic rule),
    one known mistake's, or None when neither does (another mistake, or no list of indices at all)."""
    def find():
        try:
            got = [learner_indices(ctx, case) for case in SEEDED]
        except (CheckFailed, LearnerCodeError):
            return None
        for options in [{}] + [options for options, _ in MISTAKES]:
            if all(sample_like(ctx.reference["softmax"], *case_inputs(case), **options) == indices
                   for case, indices in zip(SEEDED, got)):
                return options
        return None
    return ctx.cached(("sample", "drawing rule"), find)


def others_mistake(ctx, own=()):
    """The learner's known drawing mistake (sample_like's options) without the options named in own: what another
    check names, and a check about another aspect takes as given ({} when there is none, or it is unknown)."""
    return {key: value for key, value in (drawing_rule(ctx) or {}).items() if key not in own}


def expected_indices(ctx, case, stored, global_seed=GLOBAL_SEED, own=()):
    """The indices a check about one aspect expects on a case: the reference's (stored), or, for a learner whose
    seeded indices show a known drawing mistake outside the check's own options, the classic sampler with that
    mistake (the mistake costs points on the checks that name it, not again on this one)."""
    options = others_mistake(ctx, own)
    if not options:
        return stored
    return sample_like(ctx.reference["softmax"], *case_inputs(case), global_seed=global_seed, **options)


def explain_mismatch(got, want, case, ctx, global_seed=GLOBAL_SEED):
    """Point at the first wrong draw and at the mistake that explains it, when it is a known one."""
    position = first_difference(got, want)
    _, n_a, vocabulary, seed = case
    where = (f"with seed={seed} (n_a={n_a}, vocabulary of {len(VOCABULARIES[vocabulary])}) your indices "
             f"differ from the expected ones, first at position {position}"
             + (f" (expected {len(want)} indices, got {len(got)})" if len(got) != len(want) else "") + ". ")
    mistake = known_mistake(ctx, got, case, global_seed)
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
        if got != want:  # the explanation is worked out only when it is shown
            raise CheckFailed(explain_mismatch(got, want, case, ctx))


def check_reseeding(ctx):
    """The result depends on the seed argument only, not on numpy's random state before the call: numpy is
    reseeded with counter + seed before every draw."""
    first = learner_indices(ctx, RESEED, global_seed=1)
    second = learner_indices(ctx, RESEED, global_seed=987654)
    if first != second:
        raise CheckFailed("calling sample twice with the same seed gave different results, depending on numpy's random "
                          "state before the call: call np.random.seed(counter + seed) before every draw.")
    want = expected_indices(ctx, RESEED, ctx.expected["sample"]["reseed"], global_seed=1, own=("reseed",))
    if first != want:
        other = learner_indices(ctx, RESEED[:3] + (RESEED[3] + 10,))
        if other == first:
            raise CheckFailed(f"sample gives the same indices for seed={RESEED[3]} and seed={RESEED[3] + 10}: it must "
                              "use its seed argument, as np.random.seed(counter + seed).")
        raise CheckFailed(explain_mismatch(first, want, RESEED, ctx, global_seed=1))


def passing(ctx, check):
    """Does a check of sample pass (once per grading run)?"""
    return ctx.cached(("sample", "passes", check.__name__), lambda: passes(check, ctx))


def reaches_cap(indices, newline):
    """Are these the indices of a name cut at 50 draws (no newline among them, the newline appended)?"""
    return len(indices) == 51 and newline not in indices[:50]


def check_length_cap(ctx):
    """At most 50 draws: with no newline among them, 50 indices plus the newline; a newline drawn 50th is kept."""
    newline = CHAR_TO_IX["\n"]
    want = expected_indices(ctx, NO_NEWLINE, ctx.expected["sample"]["no_newline"])
    got = learner_indices(ctx, NO_NEWLINE)
    if got != want and reaches_cap(want, newline):
        require(len(got) == 51 and got[-1] == newline,
                f"when the model draws no newline in 50 draws, sample must stop after 50 draws and append the newline "
                f"index (51 indices in all); got {len(got)} indices" + ("" if got and got[-1] == newline else
                                                                       ", not ending with the newline") + ". Loop while "
                "idx != newline and counter != 50, then append the newline if counter == 50.")
    if got != want:
        raise CheckFailed(explain_mismatch(got, want, NO_NEWLINE, ctx))
    late_case = LATE_NEWLINE + (ctx.expected["sample"]["late_newline_seed"],)
    late_want = expected_indices(ctx, late_case, ctx.expected["sample"]["late_newline"])
    late = learner_indices(ctx, late_case)
    if late != late_want and len(late_want) == 51 and late_want[-2:] == [newline, newline]:
        raise CheckFailed(f"when the 50th draw is itself the newline, the result has 51 indices ending with two "
                          f"newlines (..., {newline}, {newline}]); your result has {len(late)} indices. Append the "
                          "newline whenever counter == 50 after the loop.")
    if late != late_want:
        raise CheckFailed(explain_mismatch(late, late_want, late_case, ctx))


def check_other_vocabularies(ctx):
    """Works for any vocabulary: its size from the parameters, its newline from char_to_ix, any dict order."""
    for case, stored in zip(OTHER_VOCABULARIES, ctx.expected["sample"]["other_vocabularies"]):
        want = expected_indices(ctx, case, stored)
        if reaches_cap(want, VOCABULARIES[case[2]]["\n"]) and not passing(ctx, check_length_cap):
            continue  # cut at 50 draws: sample.length_cap names what goes wrong there
        got = learner_indices(ctx, case)
        if got == want:
            continue
        if drawing_rule(ctx) is None:
            raise CheckFailed(explain_mismatch(got, want, case, ctx) + " (sample is wrong on the classic vocabulary "
                              "too: sample.seeded says more.)")
        hint = {"v5": "Take vocab_size from the parameters (by.shape[0]), not the number 27.",
                "v40": "Here the newline has index 3: compare with char_to_ix['\\n'], not with 0.",
                "v27_reversed": "This char_to_ix lists its keys in another order: draw from range(vocab_size), not "
                                "from char_to_ix.values() (the i-th probability belongs to index i)."}[case[2]]
        position = first_difference(got, want)
        raise CheckFailed(f"with a vocabulary of {len(VOCABULARIES[case[2]])} symbols your indices differ from "
                          f"the expected ones, first at position {position}, while the classic vocabulary "
                          + ("works. " if not others_mistake(ctx) else "does not go wrong this way. ") + hint)


def first_probabilities(softmax, parameters, bias=True):
    """The probabilities of the first draw (zero input and state), with or without the output bias."""
    a = np.tanh(parameters["b"])  # (n_a, 1)
    return softmax(parameters["Wya"] @ a + (parameters["by"] if bias else 0)).ravel()


def check_distribution(ctx):
    """On a model with a known next-symbol distribution, first draws over many seeds match it."""
    mistake = others_mistake(ctx, own=("argmax",))
    if mistake.get("reseed") == "counter":
        return  # the draws do not change with the seed (sample.reseeding's business): over seeds they tell nothing
    parameters = distribution_parameters()
    p = first_probabilities(ctx.reference["softmax"], parameters, mistake.get("bias", True))
    counts = np.zeros(len(p))
    for first in first_indices(ctx, parameters, dict(CHAR_TO_IX), range(DISTRIBUTION_DRAWS)):
        counts[first] += 1
    for i in np.flatnonzero((p == 0) & (counts > 0)):
        raise CheckFailed(f"over {DISTRIBUTION_DRAWS} names, the first index was {i} {int(counts[i])} times, although "
                          "the model gives it probability 0. Draw at random with np.random.choice(range(vocab_size), "
                          "p=y.ravel()).")
    possible = p > 0
    z = np.zeros(len(p))
    z[possible] = (counts[possible] - DISTRIBUTION_DRAWS * p[possible]) / np.sqrt(
        DISTRIBUTION_DRAWS * p[possible] * (1 - p[possible]))
    worst = int(np.argmax(np.abs(z)))
    require(np.all(np.abs(z) < Z_LIMIT),
            f"over {DISTRIBUTION_DRAWS} names, the first index was {worst} {int(counts[worst])} times; with the "
            f"model's probability {p[worst]:.3g} about {DISTRIBUTION_DRAWS * p[worst]:.0f} were expected (z = {z[worst]:.1f}). "
            "Draw at random with np.random.choice(range(vocab_size), p=y.ravel()): not the most likely index "
            "(argmax), and not uniformly.")


@st.composite
def small_models(draw):
    """Random small models: n_a 1-6, the classic vocabulary or one of 2-8 symbols with the newline at a random index."""
    n_a = draw(st.integers(1, 6))
    if draw(st.booleans()):
        char_to_ix = dict(CHAR_TO_IX)
    else:
        v = draw(st.integers(2, 8))
        symbols = [chr(ord("a") + i) for i in range(v - 1)]
        symbols.insert(draw(st.integers(0, v - 1)), "\n")
        char_to_ix = {ch: i for i, ch in enumerate(symbols)}
    v = len(char_to_ix)
    rng = np.random.RandomState(draw(st.integers(0, 2**31 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 3.0]))
    parameters = {"Wax": rng.randn(n_a, v) * scale, "Waa": rng.randn(n_a, n_a) * scale, "Wya": rng.randn(v, n_a) * scale,
                  "b": rng.randn(n_a, 1) * scale, "by": rng.randn(v, 1) * scale}
    return parameters, char_to_ix


# The examples check_properties draws, the same in every grading run. Left to itself, Hypothesis would
# derive them from the property's source text (derandomize), so that editing it would change them.
EXAMPLES = 0xd76706b5390f5058ecaadca8cfb295a0e8a282b1b83e888adacf360608f27a0d4145cc896da4a3d0aaf046d416f38259


def check_properties(ctx):
    """For random models, vocabularies and seeds: the reference's indices (where they survive a 1e-9 nudge of the
    parameters), or the classic sampler with the learner's known drawing mistake, which other checks name.
    Other vocabularies count when sample.vocabularies passes, names cut at 50 draws when sample.length_cap does."""
    rng = np.random.RandomState(12345)
    mistake = others_mistake(ctx)

    def expected(parameters, char_to_ix, seed):
        if mistake:
            return sample_like(ctx.reference["softmax"], parameters, char_to_ix, seed, global_seed=seed + 1, **mistake)
        return [int(i) for i in ctx.reference["sample"](parameters, char_to_ix, seed)]

    @GRADING
    @hypothesis.seed(EXAMPLES)
    @given(model=small_models(), seed=st.integers(0, 10**6))
    def sample_properties(model, seed):
        parameters, char_to_ix = model
        if list(char_to_ix.items()) != list(CHAR_TO_IX.items()) and not passing(ctx, check_other_vocabularies):
            return  # another vocabulary: sample.vocabularies names what goes wrong with it
        want = expected(parameters, char_to_ix, seed)
        nudged = {key: value * (1 + PERTURBATION * rng.randn(*value.shape)) for key, value in parameters.items()}
        if want != expected(nudged, char_to_ix, seed):
            return  # a draw on a knife's edge: no verdict
        if reaches_cap(want, char_to_ix["\n"]) and not passing(ctx, check_length_cap):
            return  # cut at 50 draws: sample.length_cap names what goes wrong there
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
