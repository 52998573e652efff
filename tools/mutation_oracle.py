"""The oracle battery: does a mutant of a graded function behave differently from the reference anywhere?

Outside the grader, `compare(assignment, mutant)` calls the mutated function and the reference function
directly on many seeded cases (the classic set-up, other vocabulary sizes and shapes, edge cases) and
compares everything the contract grades: the value returned or the exception raised (its type), the
arguments after the call (in-place changes), numpy's global random state after the call, and the
signature (default arguments). What a function prints is not graded, so it is not compared. The mutant runs in a copy of the reference's namespace, so
the other graded functions it calls are the reference's, as when it is graded. It returns the first
Difference found, or None: then the mutant is proposed as equivalent (tools/mutation_score.py).
Each assignment's cases are built by a function in BATTERIES, keyed by function name.
"""
import contextlib
import copy
import functools
import inspect
import io
import signal
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graders.assignment import load_assignment
from graders.reference import load_reference, provided_modules

CASE_SECONDS = 60  # a case the reference finishes in well under a second or two; a mutant stuck this long differs
RTOL, ATOL = 1e-9, 1e-12  # floats this close are the same (the reference's own order of operations may vary)


@dataclass(frozen=True)
class Difference:
    """The first thing the oracle saw a mutant do differently."""
    case: str
    aspect: str   # returned value | exception | arguments after the call | random state | signature
    detail: str


@dataclass(frozen=True)
class Case:
    """One call: its name, positional and keyword arguments."""
    name: str
    args: tuple
    kwargs: dict


class CaseTimeout(Exception):
    """A call ran longer than CASE_SECONDS."""


def compare(assignment, mutant):
    """The first Difference between the mutant's function and the reference's on the battery, or None."""
    reference = reference_namespace(assignment.name)
    namespace = dict(reference)
    with provided_modules(assignment):  # the mutant's own imports (`from rnn_utils import ...`) find the kit's
        exec(compile(mutant.source, f"<mutant {mutant.id}>", "exec"), namespace)
    theirs, ours = namespace[mutant.function], reference[mutant.function]
    if str(inspect.signature(theirs)) != str(inspect.signature(ours)):
        return Difference("the definition", "signature", f"{inspect.signature(theirs)}")
    for case in battery(assignment.name, mutant.function):
        seen = [observe(function, case) for function in (ours, theirs)]
        for aspect, expected, got in zip(ASPECTS, *seen):
            detail = difference(expected, got)
            if detail:
                return Difference(case.name, aspect, detail)
    return None


ASPECTS = ("exception", "returned value", "arguments after the call", "random state")


@functools.lru_cache(maxsize=None)
def reference_namespace(assignment_name):
    return load_reference(load_assignment(assignment_name))


def battery(assignment_name, function):
    """The cases of one graded function (built afresh: every call gets its own copies)."""
    return BATTERIES[assignment_name][function](reference_namespace(assignment_name))


def observe(function, case):
    """(exception type name or "", returned value, arguments after the call, random state); prints are dropped."""
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    np.random.seed(2024)  # a mutant that stops seeding draws from a known state, the same each time
    returned, raised = None, ""
    with contextlib.redirect_stdout(io.StringIO()), time_limit(CASE_SECONDS):
        try:
            returned = function(*args, **kwargs)
        except CaseTimeout:
            raised = "timeout"
        except Exception as error:  # noqa: BLE001 - the type of what a function raises is part of what it does
            raised = type(error).__name__
    state = np.random.get_state()
    return raised, returned, (args, kwargs), (state[1].tolist(), state[2])


@contextlib.contextmanager
def time_limit(seconds):
    """Raise CaseTimeout in the block after seconds (main thread only, as in a worker process)."""
    def expire(*_):
        raise CaseTimeout()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def difference(expected, got, where="value"):
    """'' when got equals expected (arrays and floats to RTOL/ATOL, containers item by item), else what differs."""
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        if not (isinstance(expected, np.ndarray) and isinstance(got, np.ndarray)):
            return f"{where}: {type(got).__name__} instead of {type(expected).__name__}"
        if expected.shape != got.shape:
            return f"{where}: shape {got.shape} instead of {expected.shape}"
        if expected.dtype.kind in "fc" or got.dtype.kind in "fc":
            same = np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
        else:
            same = np.array_equal(got, expected)
        return "" if same else f"{where}: values differ (largest gap {np.max(np.abs(got - expected)):.3g})"
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got):
            return f"{where}: keys {sorted(map(str, got))} instead of {sorted(map(str, expected))}"
        return next((d for key in expected if (d := difference(expected[key], got[key], f"{where}[{key!r}]"))), "")
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        if type(expected) is not type(got) or len(expected) != len(got):
            return f"{where}: {type(got).__name__} of {len(got)} instead of {type(expected).__name__} of {len(expected)}"
        return next((d for index, (e, g) in enumerate(zip(expected, got))
                     if (d := difference(e, g, f"{where}[{index}]"))), "")
    if is_number(expected) and is_number(got):
        same = np.isclose(float(got), float(expected), rtol=RTOL, atol=ATOL, equal_nan=True)
        return "" if same else f"{where}: {got!r} instead of {expected!r}"
    if isinstance(expected, str) and isinstance(got, str) and expected != got:
        start = max(0, next(i for i, (e, g) in enumerate(zip(expected + "\0", got + "\1")) if e != g) - 20)
        return f"{where} from character {start}: {shortened(got[start:])} instead of {shortened(expected[start:])}"
    if type(expected) is not type(got) or expected != got:
        return f"{where}: {shortened(got)} instead of {shortened(expected)}"
    return ""


def is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def shortened(value, size=80):
    text = repr(value)
    return text if len(text) <= size else text[:size] + "..."


# --- Dinosaur Island -------------------------------------------------------------------------------------

DINOS = Path(__file__).resolve().parents[1] / "solutions" / "dinosaur_island" / "dinos.txt"
SMALL_CORPORA = {
    "dinos": ["achillobator", "bambiraptor", "carnotaurus", "deinonychus", "edmontosaurus", "fukuiraptor",
              "gasosaurus", "herrerasaurus", "iguanodon", "jobaria", "kentrosaurus", "lambeosaurus"],
    "abcd": ["abba", "cab", "dad", "bad", "acdc", "ddb", "ca"],
    "unstripped": ["abba\n", "cab \n", " dad", "bad\n", "acdc  "],
}


def vocabulary(names, newline_last=False):
    """(ix_to_char, char_to_ix) of the characters of names plus the newline (first, or last)."""
    chars = sorted(set("".join(name.strip() for name in names)))
    chars = chars + ["\n"] if newline_last else ["\n"] + chars
    return dict(enumerate(chars)), {char: index for index, char in enumerate(chars)}


def random_parameters(seed, n_a, vocab_size, scale=1.0):
    """Normal parameters (dict of Wax, Waa, Wya, b, by) of the given sizes, drawn after seeding."""
    generator = np.random.RandomState(seed)
    shapes = {"Wax": (n_a, vocab_size), "Waa": (n_a, n_a), "Wya": (vocab_size, n_a), "b": (n_a, 1),
              "by": (vocab_size, 1)}
    return {key: generator.randn(*shape) * scale for key, shape in shapes.items()}


def dinosaur_clip_cases(reference):
    cases = [Case(f"classic gradients, maxValue {value}", (reference["classic_gradients"](), value), {})
             for value in (10, 5, 1, 0.5, 100)]
    for seed, (n_a, n_x, n_y) in enumerate([(1, 1, 1), (3, 5, 5), (7, 2, 4), (5, 27, 27)]):
        generator = np.random.RandomState(seed)
        gradients = {key: generator.randn(*shape) * 8 for key, shape in
                     {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dWya": (n_y, n_a), "db": (n_a, 1),
                      "dby": (n_y, 1)}.items()}
        cases.append(Case(f"random gradients {n_a}x{n_x}x{n_y}, maxValue 3", (gradients, 3), {}))
    edge = {key: np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]]) for key in ("dWax", "dWaa", "dWya", "db", "dby")}
    cases.append(Case("entries exactly at the bounds, maxValue 1", (edge, 1.0), {}))
    reordered = dict(reversed(list(reference["classic_gradients"]().items())))
    cases.append(Case("keys in another order, maxValue 7", (reordered, 7), {}))
    cases.append(Case("maxValue given as a keyword", (reference["classic_gradients"](),), {"maxValue": 2}))
    return cases


def dinosaur_sample_cases(reference):
    names = DINOS.read_text(encoding="utf-8").lower().split()
    ix_to_char, char_to_ix = vocabulary(names)
    cases = [Case(f"classic: seed-24 parameters, n_a 100, vocabulary 27, seed {seed}",
                  (reference["random_parameters"](24, 100, 27), char_to_ix, seed), {}) for seed in (0, 1, 24)]
    small = {"\n": 0, "a": 1, "b": 2, "c": 3, "d": 4}
    for vocab, n_a, scale, seed in [(small, 5, 1.0, 0), (small, 5, 3.0, 7), (small, 1, 0.5, 3),
                                    ({"\n": 0, "a": 1}, 4, 2.0, 11), (char_to_ix, 10, 0.3, 5)]:
        parameters = random_parameters(seed + 100, n_a, len(vocab), scale)
        cases.append(Case(f"vocabulary {len(vocab)}, n_a {n_a}, scale {scale}, seed {seed}",
                          (parameters, vocab, seed), {}))
    never = random_parameters(8, 6, 5)
    never["by"][0] = -50.0  # the newline is (almost) never drawn: the 50-draw cap ends the name
    cases.append(Case("newline never drawn (cap of 50)", (never, small, 2), {}))
    always = random_parameters(9, 6, 5)
    always["by"][0] = 50.0
    cases.append(Case("newline drawn at once", (always, small, 4), {}))
    last = {"a": 0, "b": 1, "c": 2, "d": 3, "\n": 4}
    cases += [Case(f"newline the last index, seed {seed}", (random_parameters(12 + seed, 3, 5), last, seed), {})
              for seed in range(4)]
    backwards = dict(reversed(list(char_to_ix.items())))
    cases += [Case(f"classic, the dict listing its characters backwards, seed {seed}",
                   (reference["random_parameters"](24, 100, 27), backwards, seed), {}) for seed in (0, 3)]
    return cases


def dinosaur_optimize_cases(reference):
    np.random.seed(1)
    a_prev = np.random.randn(100, 1)
    parameters = reference["random_parameters_continuing"](100, 27)
    classic = Case("classic: seed 1, n_a 100, vocabulary 27",
                   ([12, 3, 5, 11, 22, 3], [4, 14, 11, 22, 25, 26], a_prev, parameters), {"learning_rate": 0.01})
    cases = [classic, Case("classic, default learning rate", classic.args, {}),
             Case("classic, learning rate 0.5", classic.args, {"learning_rate": 0.5})]
    for seed, (n_a, vocab, length, scale) in enumerate([(5, 5, 3, 1.0), (3, 40, 7, 4.0), (2, 2, 1, 10.0)]):
        generator = np.random.RandomState(seed + 50)
        indices = [int(i) for i in generator.randint(1, vocab, size=length)]
        X, Y = [None] + indices, indices + [0]
        cases.append(Case(f"vocabulary {vocab}, n_a {n_a}, {length} steps, scale {scale}",
                          (X, Y, generator.randn(n_a, 1), random_parameters(seed + 60, n_a, vocab, scale)),
                          {"learning_rate": 0.1}))
    return cases


def dinosaur_model_cases(reference):
    names = DINOS.read_text(encoding="utf-8").lower().split()
    classic_ix_to_char, classic_char_to_ix = vocabulary(names)
    cases = [Case("classic vocabulary and defaults, 25 steps on ten names",
                  (names[:10], classic_ix_to_char, classic_char_to_ix), {"num_iterations": 25})]
    for corpus, n_a, iterations, dino_names, verbose in [("dinos", 6, 30, 2, False), ("dinos", 3, 13, 1, True),
                                                         ("abcd", 4, 2001, 3, True), ("abcd", 3, 2000, 2, False),
                                                         ("abcd", 2, 1, 7, False),
                                                         ("unstripped", 3, 12, 2, True)]:
        data = SMALL_CORPORA[corpus]
        ix_to_char, char_to_ix = vocabulary(data)
        cases.append(Case(f"{corpus}, n_a {n_a}, {iterations} steps, {dino_names} names, verbose {verbose}",
                          (data, ix_to_char, char_to_ix),
                          {"num_iterations": iterations, "n_a": n_a, "dino_names": dino_names,
                           "vocab_size": len(char_to_ix), "verbose": verbose}))
    ix_to_char, char_to_ix = vocabulary(SMALL_CORPORA["abcd"], newline_last=True)
    cases.append(Case("abcd, newline the last index, dicts listed backwards, positional arguments",
                      (SMALL_CORPORA["abcd"], dict(reversed(list(ix_to_char.items()))),
                       dict(reversed(list(char_to_ix.items()))), 9, 3, 2, 5, False), {}))
    return cases


# --- min_char_rnn ----------------------------------------------------------------------------------------

def min_char_next_window_cases(reference):
    cases = []
    for length, pointer, seq_length in [(10, 0, 3), (10, 3, 3), (10, 6, 3), (10, 7, 3), (10, 9, 3), (10, 12, 3),
                                        (26, 0, 25), (26, 1, 25), (27, 1, 25), (5, 2, 1), (5, 3, 1), (5, 4, 1),
                                        (4, 0, 3), (4, 1, 3)]:
        data = [(7 * i + 3) % 11 for i in range(length)]
        cases.append(Case(f"{length} symbols, pointer {pointer}, seq_length {seq_length}",
                          (data, pointer, seq_length), {}))
    return cases


def min_char_adagrad_update_cases(reference):
    keys = reference["PARAMETER_KEYS"]
    cases = []
    for seed, (n_a, vocab, scale, memory_scale) in enumerate([(5, 5, 1.0, 0.0), (3, 7, 10.0, 1.0),
                                                              (1, 2, 0.1, 0.5), (4, 27, 6.0, 0.0)]):
        parameters = random_parameters(seed + 10, n_a, vocab)
        generator = np.random.RandomState(seed + 20)
        gradients = {"d" + key: generator.randn(*value.shape) * scale for key, value in parameters.items()}
        memory = {"m" + key: np.abs(generator.randn(*parameters[key].shape)) * memory_scale for key in keys}
        cases.append(Case(f"n_a {n_a}, vocabulary {vocab}, gradients x{scale}, memory x{memory_scale}",
                          (parameters, gradients, memory), {}))
        cases.append(Case(f"n_a {n_a}, vocabulary {vocab}, learning rate 0.5, max_value 2",
                          (parameters, gradients, memory), {"learning_rate": 0.5, "max_value": 2.0}))
    parameters = random_parameters(1, 2, 3)
    exact = {"d" + key: np.full(value.shape, 5.0) * (-1) ** index for index, (key, value) in enumerate(parameters.items())}
    memory = {"m" + key: np.zeros_like(value) for key, value in parameters.items()}
    cases.append(Case("gradients exactly at the bound", (parameters, exact, memory), {}))
    return cases


def min_char_sample_primed_cases(reference):
    small = {"\n": 0, "a": 1, "b": 2, "c": 3, "d": 4}
    cases = []
    for seed, (prefix, n_a, scale, max_draws) in enumerate([("", 5, 1.0, None), ("a", 5, 2.0, None),
                                                             ("abc", 3, 1.0, 3), ("dd", 6, 0.5, 1),
                                                             ("b", 4, 3.0, 50), ("", 1, 1.0, 2)]):
        kwargs = {} if max_draws is None else {"max_draws": max_draws}
        cases.append(Case(f"prefix {prefix!r}, n_a {n_a}, scale {scale}, max_draws {max_draws}",
                          (random_parameters(seed + 30, n_a, 5, scale), small, prefix, seed), kwargs))
    never = random_parameters(40, 4, 5)
    never["by"][0] = -50.0
    cases.append(Case("newline never drawn", (never, small, "ab", 3), {}))
    cases.append(Case("newline never drawn, 4 draws", (never, small, "c", 3), {"max_draws": 4}))
    always = random_parameters(41, 4, 5)
    always["by"][0] = 50.0
    cases.append(Case("newline drawn at once", (always, small, "a", 5), {}))
    cases.append(Case("a prefix outside the vocabulary", (random_parameters(42, 3, 5), small, "az", 0), {}))
    last = {"a": 0, "b": 1, "c": 2, "d": 3, "\n": 4}
    cases += [Case(f"newline the last index, seed {seed}", (random_parameters(43 + seed, 3, 5), last, "ca", seed), {})
              for seed in range(4)]
    backwards = dict(reversed(list(small.items())))
    cases += [Case(f"the dict listing its characters backwards, seed {seed}",
                   (random_parameters(50 + seed, 4, 5), backwards, "b", seed), {}) for seed in range(3)]
    return cases


def min_char_train_cases(reference):
    text = [(5 * i * i + 3 * i + 1) % 6 for i in range(40)]
    return [Case("6 symbols, defaults, 3 windows", (text, 6, 3), {}),
            Case("6 symbols, n_a 5, seq_length 7, 12 windows (wraps), print every 4", (text, 6, 12),
                 {"n_a": 5, "seq_length": 7, "print_every": 4}),
            Case("6 symbols, n_a 3, seq_length 1, 5 windows, learning rate 0.5, print every 1", (text, 6, 5),
                 {"n_a": 3, "seq_length": 1, "learning_rate": 0.5, "print_every": 1}),
            Case("7 symbols (one unused), n_a 4, seq_length 39, 3 windows", (text, 7, 3), {"n_a": 4, "seq_length": 39}),
            Case("positional arguments", (text[:11], 6, 4, 2, 5, 0.2, 3), {})]


BATTERIES = {
    "dinosaur_island": {"clip": dinosaur_clip_cases, "sample": dinosaur_sample_cases,
                        "optimize": dinosaur_optimize_cases, "model": dinosaur_model_cases},
    "min_char_rnn": {"next_window": min_char_next_window_cases, "adagrad_update": min_char_adagrad_update_cases,
                     "sample_primed": min_char_sample_primed_cases, "train": min_char_train_cases},
}
