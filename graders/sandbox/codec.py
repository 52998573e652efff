"""Plain-data codec between the grader and the sandboxed learner process.

Only plain data crosses the process boundary: None, bool, int, float, str, list, tuple, dict
(keys of those scalar types), real `numpy.ndarray` of a numeric dtype and numpy scalars. Anything
else (a subclass of ndarray, an object with a custom `__eq__`, a function) is sent as an opaque
`Unsupported` marker that names its type and never compares equal to anything, so a value can
only be "right" by being the right plain data. Nothing is ever unpickled.

Wire format: 8-byte big-endian length, then UTF-8 JSON of tagged values:
    ["n"] None  ["b", x] bool  ["i", "123"] int  ["f", "0.5"] float  ["s", x] str
    ["l", [...]] list  ["t", [...]] tuple  ["d", [[k, v], ...]] dict
    ["a", dtype, shape, base64] ndarray  ["g", dtype, base64] numpy scalar  ["x", type name] other
and, more compact (what to_wire sends): ["L", [...]] list  ["T", [...]] tuple  ["D", {str: ...}] dict of str keys,
whose items are tagged values, or None, bools, strings and ints within 2**63 as JSON has them;
["E", dtype, {str: shape}, base64] dict of str keys to arrays of one dtype, their bytes one after the other.
This module uses only the standard library and numpy: the sandboxed process loads it by path.
"""
import binascii
import functools
import json
import math
import struct

import numpy as np

MAX_MESSAGE_BYTES = 16 * 2**20  # a larger message is refused, not read (grading needs < 1 MiB)
# numpy and library functions bound once, when this module loads: learner code that later rebinds
# numpy.ndarray or json.dumps in the sandboxed process does not change what this module sends.
_ndarray, _frombuffer, _prod, _loads, _pack = np.ndarray, np.frombuffer, math.prod, json.loads, struct.pack
_b64encode, _b64decode = binascii.b2a_base64, binascii.a2b_base64
# made once (json.dumps makes one per call); messages are trees built afresh by to_wire, never circular
_dumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode
MAX_DEPTH = 20
_ALLOWED_KINDS = "biuf"  # bool, signed and unsigned ints, floats: no objects, strings or voids
NUMPY_SCALARS = {np.dtype(code).type for code in "?bhilqBHILQefdg"}  # numpy scalars sent as ["g", ...]
_RAW = {str, int, bool, type(None)}  # items of "L", "T" and "D" nodes that are themselves, not tagged
_UNTAGGED = {str, bool, type(None)}  # sent as themselves, and ints strictly within _RAW_INT (others tagged, since
_RAW_INT = 2**63                     # JSON refuses ints of more than 4300 digits)


class Unsupported:
    """Stands for a value that is not plain data; equal to nothing, not even another marker."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = None

    def __repr__(self):
        return f"<{self.type_name} object>"


@functools.lru_cache(maxsize=256)
def unsupported_type(type_name):
    """A subclass of Unsupported named after the learner's type, so `type(value).__name__` reads well."""
    return type(type_name, (Unsupported,), {"__module__": __name__})


class CodecError(ValueError):
    """A message that is not well-formed plain data."""


def describe_type(value):
    """A readable name for the type of value, noting subclasses of the plain types."""
    cls = type(value)  # type() cannot be faked, unlike value.__class__
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    for base in (np.ndarray, dict, list, tuple, bool, int, float, str):
        if issubclass(cls, base) and cls is not base:
            return f"{name}, a subclass of {base.__name__}"
    return name


def to_wire(value, depth=0):
    """Tagged JSON-able form of value; non-plain values become ["x", type name]."""
    if depth > MAX_DEPTH:
        return ["x", "nesting deeper than %d levels" % MAX_DEPTH]
    cls = type(value)
    if cls is list or cls is tuple:
        depth += 1
        if depth > MAX_DEPTH:  # every item becomes a marker
            return ["l" if cls is list else "t", [to_wire(item, depth) for item in value]]
        return ["L" if cls is list else "T", [_item_to_wire(item, depth) for item in value]]
    if cls is int:
        return ["i", str(value)]
    if cls is float:
        return ["f", repr(value)]
    if cls is _ndarray and value.dtype.kind in _ALLOWED_KINDS:
        return ["a", value.dtype.str, list(value.shape), _b64encode(value.tobytes(), newline=False).decode("ascii")]
    if cls is dict:
        depth += 1
        if depth <= MAX_DEPTH and all(type(key) is str for key in value):
            return _arrays_node(value) or ["D", {key: _item_to_wire(item, depth) for key, item in value.items()}]
        return ["d", [[to_wire(key, depth), to_wire(item, depth)] for key, item in value.items()]]
    if cls is str:
        return ["s", value]
    if value is None:
        return ["n"]
    if cls is bool:
        return ["b", value]
    if cls in NUMPY_SCALARS:
        return ["g", value.dtype.str, _b64encode(value.tobytes(), newline=False).decode("ascii")]
    return ["x", describe_type(value)]


def _item_to_wire(item, depth):
    """An item of an "L", "T" or "D" node: None, a bool, a string or an int within _RAW_INT as itself, else tagged."""
    kind = type(item)
    return item if kind in _UNTAGGED or kind is int and -_RAW_INT < item < _RAW_INT else to_wire(item, depth)


def _arrays_node(value):
    """The "E" node of a dict (str keys) of arrays of one plain dtype: their bytes one after the other, in one string;
    None for any other dict."""
    dtype = None
    for item in value.values():
        if type(item) is not _ndarray:
            return None
        if dtype is None:
            dtype = item.dtype
            if dtype.kind not in _ALLOWED_KINDS:
                return None
        elif item.dtype != dtype:
            return None
    if dtype is None:
        return None
    data = b"".join([item.tobytes() for item in value.values()])
    return ["E", dtype.str, {key: list(item.shape) for key, item in value.items()},
            _b64encode(data, newline=False).decode("ascii")]


def arrays_to_wire(value):
    """to_wire's form of value (a list or dict) with only what write_back reads: its arrays, in the lists and dicts
    that hold them; None instead of every other item, and no entry for a dict key that leads to no array."""
    return _arrays_to_wire(value, 0) or to_wire(type(value)())


def _arrays_to_wire(value, depth):
    """arrays_to_wire's node for value, or None where it holds no array (to_wire's form at the same depth)."""
    cls = type(value)
    if cls is _ndarray:
        return to_wire(value, depth)
    if depth >= MAX_DEPTH:
        return None
    if cls is list:
        items = [_arrays_to_wire(item, depth + 1) for item in value]
        return ["L", items] if any(items) else None
    if cls is dict:
        if all(type(key) is str for key in value):
            node = _arrays_node(value)
            if node:
                return node
        nodes = {key: node for key, item in value.items() for node in [_arrays_to_wire(item, depth + 1)] if node}
        if not nodes:
            return None
        if all(type(key) is str for key in nodes):
            return ["D", nodes]
        return ["d", [[to_wire(key, depth + 1), node] for key, node in nodes.items()]]
    return None


def from_wire(node, depth=0):
    """Rebuild a value from its tagged form, validating every node; CodecError for anything else."""
    try:
        return _from_wire(node, depth)
    except CodecError:
        raise
    except (ValueError, TypeError, OverflowError, MemoryError, RecursionError) as exc:
        raise CodecError(f"malformed value ({type(exc).__name__})") from exc


def _from_wire(node, depth):
    if depth > MAX_DEPTH + 1 or type(node) is not list or not node or type(node[0]) is not str:
        raise CodecError("malformed value")
    tag, size = node[0], len(node)
    if size == 2:  # a tag and one item: every tag but "a" and "g"
        item = node[1]
        kind = type(item)
        if kind is list:
            depth += 1
            if tag == "L":
                return [entry if type(entry) in _RAW else _from_wire(entry, depth) for entry in item]
            if tag == "l":
                return [_from_wire(entry, depth) for entry in item]
            if tag == "T":
                return tuple([entry if type(entry) in _RAW else _from_wire(entry, depth) for entry in item])
            if tag == "d":
                return _dict_from_wire(item, depth)
            if tag == "t":
                return tuple([_from_wire(entry, depth) for entry in item])
        elif kind is dict:
            if tag == "D":
                depth += 1
                return {key: entry if type(entry) in _RAW else _from_wire(entry, depth) for key, entry in item.items()}
        elif kind is str:
            if tag == "i" and len(item) <= 4300:
                return int(item)
            if tag == "f" and len(item) <= 40:
                return float(item)
            if tag == "s":
                return item
            if tag == "x":
                return unsupported_type(item[:200])(item[:200])
        elif kind is bool and tag == "b":
            return item
    if tag == "n":
        return None
    if tag == "a" and size == 4:
        dtype = _checked_dtype(node[1])
        shape = node[2]
        if type(shape) is not list:
            raise CodecError("malformed array shape")
        for n in shape:
            if type(n) is not int or n < 0:
                raise CodecError("malformed array shape")
        raw = _b64decode(node[3], strict_mode=True)
        if len(raw) != _prod(shape) * dtype.itemsize:
            raise CodecError("array data does not match its shape")
        return _ndarray(shape, dtype, raw).copy()  # a view of raw, copied: writeable, owning its data
    if tag == "E" and size == 4:
        return _arrays_from_wire(node)
    if tag == "g" and size == 3:
        dtype = _checked_dtype(node[1])
        raw = _b64decode(node[2], strict_mode=True)
        if len(raw) != dtype.itemsize:
            raise CodecError("malformed numpy scalar")
        return _frombuffer(raw, dtype=dtype)[0]
    raise CodecError(f"unknown or malformed tag {tag[:10]!r}")


def _arrays_from_wire(node):
    """The dict of arrays of an "E" node."""
    dtype = _checked_dtype(node[1])
    shapes = node[2]
    if type(shapes) is not dict:
        raise CodecError("malformed array shape")
    raw = _b64decode(node[3], strict_mode=True)
    result, offset, itemsize = {}, 0, dtype.itemsize
    for key, shape in shapes.items():
        if type(shape) is not list:
            raise CodecError("malformed array shape")
        for n in shape:
            if type(n) is not int or n < 0:
                raise CodecError("malformed array shape")
        end = offset + _prod(shape) * itemsize
        if end > len(raw):
            raise CodecError("array data does not match its shape")
        result[key] = _ndarray(shape, dtype, raw, offset).copy()
        offset = end
    if offset != len(raw):
        raise CodecError("array data does not match its shape")
    return result


def _dict_from_wire(pairs, depth):
    """The dict of a "d" node's [[key, value], ...] (its depth already counted)."""
    result = {}
    for pair in pairs:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("malformed dict entry")
        key = _from_wire(pair[0], depth)
        if not _hashable_plain(key):
            key = repr(key)  # unhashable or opaque keys keep a readable stand-in
        result[key] = _from_wire(pair[1], depth)
    return result


def _hashable_plain(key):
    """Is key a scalar, or a tuple of such keys, that can be used as a dict key?"""
    if type(key) is tuple:
        return all(_hashable_plain(item) for item in key)
    return key is None or type(key) in (str, int, float, bool)


def _checked_dtype(text):
    """The numpy dtype named by text, if it is a plain numeric one."""
    if type(text) is not str or len(text) > 8:
        raise CodecError("malformed dtype")
    return _plain_dtype(text)


@functools.lru_cache(maxsize=64)
def _plain_dtype(text):
    """_checked_dtype's answer for a short string (remembered: a few dtypes name every array)."""
    try:
        dtype = np.dtype(text)
    except TypeError as exc:
        raise CodecError("unknown dtype") from exc
    if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject:
        raise CodecError(f"dtype {dtype} is not plain numeric data")
    return dtype


def encode_message(message):
    """Frame a dict of wire values (already tagged where needed) as bytes."""
    body = _dumps(message).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        raise CodecError(f"message of {len(body)} bytes is larger than the limit of {MAX_MESSAGE_BYTES}")
    return _pack(">Q", len(body)) + body


def read_message(stream):
    """Read one framed message from a binary stream; None at a clean end of stream."""
    header = _read_exactly(stream, 8)
    if header is None:
        return None
    (length,) = struct.unpack(">Q", header)
    if length > MAX_MESSAGE_BYTES:
        raise CodecError(f"message of {length} bytes is larger than the limit of {MAX_MESSAGE_BYTES}")
    body = _read_exactly(stream, length)
    if body is None:
        raise CodecError("stream ended in the middle of a message")
    return decode_body(body)


def decode_body(body):
    """The message object in a frame's body (JSON of an object)."""
    try:
        message = _loads(bytes(body).decode("utf-8"))
    except (ValueError, RecursionError, MemoryError) as exc:  # not UTF-8, not JSON, or nested too deeply
        raise CodecError("message is not valid JSON") from exc
    if type(message) is not dict:
        raise CodecError("message is not an object")
    return message


def _read_exactly(stream, n):
    """n bytes from stream, or None if it ends before the first byte."""
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            if got == 0:
                return None
            raise CodecError("stream ended in the middle of a message")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def write_back(originals, updated):
    """Copy new array contents into the original arrays, as an in-place update would have.

    Walks dicts (by key) and lists (by position); arrays whose shape changed are left alone.
    """
    for original, new in zip(originals, updated):
        if type(original) is np.ndarray and type(new) is np.ndarray and original.shape == new.shape:
            if original.flags.writeable:
                original[...] = new
        elif type(original) is dict and type(new) is dict:
            keys = [key for key in original if key in new]
            write_back([original[key] for key in keys], [new[key] for key in keys])
        elif type(original) is list and type(new) is list:
            write_back(original, new)
