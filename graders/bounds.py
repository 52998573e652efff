"""Bounds on what the learner's process sends back before the grader computes anything with it.

- sizes: a reply may hold at most REPLY_FACTOR times the data it was given plus REPLY_SLACK
  (`reply_problem`), arguments of a callback at most CALLBACK_FACTOR times (`bounded_callback`);
- layouts: shapes, dtypes, keys and lengths a value must have (`conform`, `layout_of`), so a
  wrongly shaped array fails a check with a message instead of reaching numpy broadcasting;
- schemas of the grader-side functions the learner's code may call (`accepting`, `accepting_wrap`);
- the grading process's own memory (`memory_ceiling`) and the size of every report (`capped`).
"""
import contextlib
import functools
import inspect
import resource

import numpy as np

REPLY_FACTOR, REPLY_SLACK = 3, 256 * 2**10        # value + arguments after the call, each about the input's size
CALLBACK_FACTOR, CALLBACK_SLACK = 2, 64 * 2**10
GRADER_MEMORY_BYTES = 2 * 2**30                   # address space a grading run may add to the grader's process
MESSAGE_CHARS = 4000                              # one check's message
REPORT_CHARS = 40_000                             # every message and note of one report together
_REAL_KINDS = "biuf"
_PLAINLY = {"number": (int, float), "integer": (int,), "none": (type(None),), "text": (str,)}


class Array:
    """Schema: a real numpy array of this shape (and dtype, when given)."""

    def __init__(self, shape, dtype=None):
        self.shape, self.dtype = tuple(shape), dtype


class ListOf:
    """Schema: a list of at most max_length items, each matching item."""

    def __init__(self, item, max_length):
        self.item, self.max_length = item, max_length


class Scalar:
    """Schema: a single value of one of the named kinds ("number", "integer", "none", "text")."""

    def __init__(self, *kinds):
        self.kinds = kinds
        # types whose every value is of one of the kinds (others are looked at closer)
        self.plainly = {type_ for kind in kinds for type_ in _PLAINLY[kind]}


NUMBER, INTEGER, INDEX = Scalar("number"), Scalar("integer"), Scalar("integer", "none")


def data_size(value):
    """About how many bytes a decoded plain value holds (arrays' bytes, strings' characters, 8 per item)."""
    total, pending = 0, [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is np.ndarray:
            total += item.nbytes
        elif kind is str:
            total += len(item)
        elif kind in (list, tuple):
            total += 8 * len(item)
            pending.extend(item)
        elif kind is dict:
            total += 16 * len(item)
            pending.extend(item.keys())
            pending.extend(item.values())
        else:
            total += 8
    return total


def reply_problem(name, inputs, outputs):
    """A sentence when what came back (value, arguments after the call) is far larger than what was sent."""
    limit = REPLY_FACTOR * data_size(inputs) + REPLY_SLACK
    size = data_size(outputs)
    if size <= limit:
        return None
    return (f"{name} sent back about {size / 2**20:.1f} MiB of data for arguments of {data_size(inputs) / 2**10:.0f} KiB "
            f"(the grader accepts up to {limit / 2**10:.0f} KiB): it should return values about the size of its inputs.")


def conform(value, schema, what):
    """Raise ValueError saying how value differs from schema (Array, ListOf, Scalar, dict, list, tuple)."""
    if isinstance(schema, Array):
        if type(value) is not np.ndarray:
            raise ValueError(f"{what} must be a numpy array of shape {schema.shape}, got {type(value).__name__}")
        if value.shape != schema.shape:
            raise ValueError(f"{what} has shape {value.shape}, expected {schema.shape}")
        if schema.dtype is not None and value.dtype != schema.dtype:
            raise ValueError(f"{what} has dtype {value.dtype}, expected {np.dtype(schema.dtype)}")
        if value.dtype.kind not in _REAL_KINDS:
            raise ValueError(f"{what} has dtype {value.dtype}, expected real numbers")
    elif isinstance(schema, ListOf):
        if type(value) is not list or len(value) > schema.max_length:
            raise ValueError(f"{what} must be a list of at most {schema.max_length} items, got "
                             + (f"{len(value)} items" if type(value) is list else type(value).__name__))
        plainly = schema.item.plainly if isinstance(schema.item, Scalar) else ()
        for index, item in enumerate(value):
            if type(item) not in plainly:
                conform(item, schema.item, f"{what}[{index}]")
    elif isinstance(schema, Scalar):
        if type(value) not in schema.plainly and not any(_is_kind(value, kind) for kind in schema.kinds):
            raise ValueError(f"{what} must be {' or '.join(schema.kinds)}, got {type(value).__name__}")
    elif type(schema) is dict:
        if type(value) is not dict:
            raise ValueError(f"{what} must be a dict, got {type(value).__name__}")
        for key, item in schema.items():
            if key not in value:
                raise ValueError(f"{what} has no key {key!r}")
            conform(value[key], item, f"{what}[{key!r}]")
    elif type(schema) in (list, tuple):
        if type(value) is not type(schema) or len(value) != len(schema):
            raise ValueError(f"{what} must be a {type(schema).__name__} of {len(schema)} items")
        for index, (item, item_schema) in enumerate(zip(value, schema)):
            conform(item, item_schema, f"{what}[{index}]")
    else:
        raise TypeError(f"not a schema: {schema!r}")


def _is_kind(value, kind):
    if kind == "none":
        return value is None
    if kind == "text":
        return type(value) is str
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, (bool, np.bool_)):
        return False
    return kind == "number" or isinstance(value, (int, np.integer))


def layout_of(template):
    """The schema a value matches when it has template's keys, lengths, shapes and dtypes."""
    if type(template) is np.ndarray:
        return Array(template.shape, template.dtype)
    if type(template) is dict:
        return {key: layout_of(item) for key, item in template.items()}
    if type(template) in (list, tuple):
        return type(template)(layout_of(item) for item in template)
    return Scalar("none") if template is None else Scalar("text") if type(template) is str else NUMBER


def accepting(function, **schemas):
    """function, run only on arguments that match the schemas of its parameters (ValueError otherwise)."""
    signature = inspect.signature(function)
    parameters = signature.parameters.values()
    # a signature of plain parameters (no *args, **kwargs, positional- or keyword-only ones) binds without inspect
    plain = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters)
    names = [p.name for p in parameters]
    required = sum(1 for p in parameters if p.default is p.empty)

    @functools.wraps(function)
    def checked(*args, **kwargs):
        arguments = bound_plainly(names, required, args, kwargs) if plain else None
        if arguments is None:  # what inspect says, its error included
            try:
                arguments = signature.bind(*args, **kwargs).arguments
            except TypeError as problem:
                raise ValueError(str(problem)) from None
        for name, value in arguments.items():
            conform(value, schemas[name], name)
        return function(*args, **kwargs)
    return checked


def bound_plainly(names, required, args, kwargs):
    """{parameter: argument} in parameter order, as inspect.Signature.bind gives it, for a signature of plain
    parameters (names, the first `required` of them without a default); None where binding is not that simple."""
    if len(args) > len(names):
        return None
    arguments = dict(zip(names, args))
    if kwargs:
        for name in names[len(args):]:
            if name in kwargs:
                arguments[name] = kwargs[name]
        if len(arguments) != len(args) + len(kwargs):
            return None  # an unknown keyword, or one that repeats a positional argument
    if len(args) < required and not all(name in arguments for name in names[len(args):required]):
        return None  # a required argument is missing
    return arguments


def accepting_wrap(schemas, wrap=None):
    """A wrap for a stand-in (Context.call's recorders): wrap(function), or function, run only on arguments
    that match schemas ({parameter: schema})."""
    return lambda function: accepting(wrap(function) if wrap else function, **schemas)


def bounded_callback(function, inputs):
    """function, refusing arguments larger than CALLBACK_FACTOR times the learner call's own inputs."""
    limit = CALLBACK_FACTOR * data_size(inputs) + CALLBACK_SLACK

    @functools.wraps(function)
    def checked(*args, **kwargs):
        size = data_size([args, kwargs])
        if size > limit:
            raise ValueError(f"the arguments hold {size} bytes; the grader accepts up to {limit} here")
        return function(*args, **kwargs)
    return checked


@contextlib.contextmanager
def memory_ceiling(extra=GRADER_MEMORY_BYTES):
    """Cap this process's address space at its current size plus extra while the block runs.

    Only the soft limit changes, and it is restored afterwards, so a host process (nbgrader's)
    keeps its own limits; a check that needs more memory gets MemoryError instead of the machine's.
    """
    try:
        with open("/proc/self/status") as handle:
            current = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = current + extra
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY and soft <= ceiling:
        yield  # already bounded at least as tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def capped(text, limit=MESSAGE_CHARS):
    """text cut to limit characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    note = f"\n[... {len(text) - limit} more characters not shown]"
    return text[:max(limit - len(note), 0)] + note


def capped_together(texts, total=REPORT_CHARS):
    """texts cut so that together they hold at most total characters; the longest are cut first."""
    room, remaining = total, len(texts)
    share = {}
    for index in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        share[index] = min(len(texts[index]), room // remaining)
        room -= share[index]
        remaining -= 1
    return [capped(text, share[index]) for index, text in enumerate(texts)]
