"""A small AST mutator: every first-order mutant of a function, each with an id that survives unrelated edits.

`mutants(source, name)` parses the function `name` out of `source` and makes, one change at a time:

    arithmetic   a binary or augmented operator swapped (+ -, * /, // /, % //, ** *, @ *), a minus sign dropped
    comparison   a comparison operator swapped (== !=, < <= >, > >= <, in / not in, is / is not)
    boolean      and / or swapped, a `not` dropped, True / False flipped
    number       an int or float constant plus 1 and minus 1
    string       a string constant changed (wrapped in "XX")
    delete       one statement replaced by `pass`
    keyword      one keyword argument dropped from a call
    swap         two adjacent positional arguments of a call swapped
    name         a read of a variable replaced by a confusable one in scope of the same function

A mutant's id is `function:operator:location:replacement`, where location is the changed node's path in
the function's syntax tree (`body[6].body[0].value.args[1]`): comments, docstring text, other functions
and other cells do not move it. Mutants that compile to the function unchanged are left out. The
graders never import this module: it is a tool of the kit's own tests (`python -m tools.mutation_score`).
"""
import ast
import copy
import re
from dataclasses import dataclass

OPERATORS = ("arithmetic", "comparison", "boolean", "number", "string", "delete", "keyword", "swap", "name")

ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
              ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.MatMult: ast.Mult}
COMPARISON = {ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.Gt),
              ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt, ast.Lt), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
              ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,)}
BOOLEAN = {ast.And: ast.Or, ast.Or: ast.And}
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
           ast.MatMult: "@", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
           ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.And: "and", ast.Or: "or"}

# Names learners mix up, both ways round. The first line is the list (Dinosaur Island), the
# second min_char_rnn's. A name with no listed partner in scope takes the derived ones (see confusables).
CONFUSABLE_PAIRS = (("a", "a_prev"), ("Wax", "Waa"), ("b", "by"), ("X", "Y"), ("seed", "counter"), ("idx", "j"),
                    ("x", "y"), ("y", "z"), ("n_x", "n_y"), ("vocab_size", "n_a"), ("loss", "curr_loss"),
                    ("inputs", "targets"), ("pointer", "start"), ("idx", "ix"), ("idx", "newline"),
                    ("loss", "smooth_loss"), ("learning_rate", "max_value"), ("gradients", "memory"),
                    ("num_iterations", "seq_length"))
MAX_DERIVED = 2  # derived confusables taken per read, at most


@dataclass(frozen=True)
class Mutant:
    """One first-order mutant of one function."""
    function: str
    operator: str      # one of OPERATORS
    location: str      # path of the changed node in the function's syntax tree
    replacement: str   # what the node became, as source text ("pass" for a deleted statement)
    original: str      # the node before, as source text
    line: int          # line of the change, counted from the def line (1)
    source: str        # the mutated function's source

    @property
    def id(self):
        return f"{self.function}:{self.operator}:{self.location}:{self.replacement}"


def mutants(source, name):
    """Every first-order mutant of the function `name` defined at the top level of `source`, in a fixed order."""
    function = find_function(ast.parse(source), name)
    original = ast.unparse(function)
    scope = names_in_scope(function)
    found, seen = [], set()
    for path, node in walk(function):
        for operator, replacement, text in changes(node, path, scope):
            mutated = copy.deepcopy(function)
            replace(mutated, path, replacement)
            text_source = ast.unparse(ast.fix_missing_locations(mutated))
            location = ".".join(path)
            key = (operator, location, text)
            if text_source == original or key in seen:
                continue
            seen.add(key)
            compile(text_source, f"<mutant of {name}>", "exec")
            found.append(Mutant(name, operator, location, text, described(node), node_line(node, function),
                                text_source))
    return found


def unparsed(source, name):
    """The function `name` of source as ast.unparse writes it (as mutants are written: comments dropped)."""
    return ast.unparse(find_function(ast.parse(source), name))


def find_function(tree, name):
    """The top-level function definition called name (LookupError if there is none)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise LookupError(f"no function {name!r} in the source")


def walk(function):
    """(path, node) of every node below the function definition, depth first, in source order; the docstring
    and the argument list (its defaults included) are walked, the def node itself is not."""
    def visit(node, path):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        yield from visit_one(item, path + (f"{field}[{index}]",))
            elif isinstance(value, ast.AST):
                yield from visit_one(value, path + (field,))

    def visit_one(node, path):
        yield path, node
        yield from visit(node, path)

    yield from visit(function, ())


def changes(node, path, scope):
    """(operator, new node or None for deletion of a list item, replacement text) for one node."""
    if is_docstring(node, path):
        return
    kind = type(node)
    if kind in (ast.BinOp, ast.AugAssign) and type(node.op) in ARITHMETIC:
        new = ARITHMETIC[type(node.op)]
        yield "arithmetic", with_field(node, op=new()), SYMBOLS[new]
    elif kind is ast.UnaryOp and isinstance(node.op, ast.USub):
        yield "arithmetic", node.operand, ast.unparse(node.operand)
    elif kind is ast.UnaryOp and isinstance(node.op, ast.Not):
        yield "boolean", node.operand, ast.unparse(node.operand)
    elif kind is ast.BoolOp:
        new = BOOLEAN[type(node.op)]
        yield "boolean", with_field(node, op=new()), SYMBOLS[new]
    elif kind is ast.Compare:
        for index, op in enumerate(node.ops):
            for new in COMPARISON.get(type(op), ()):
                ops = list(node.ops)
                ops[index] = new()
                yield "comparison", with_field(node, ops=ops), f"{index}:{SYMBOLS[new]}"
    elif kind is ast.Constant:
        yield from constant_changes(node)
    elif kind is ast.Call:
        yield from call_changes(node)
    elif kind is ast.Name and isinstance(node.ctx, ast.Load) and node.id in scope:
        for other in confusables(node.id, scope):
            yield "name", ast.Name(other, ast.Load()), other
    if isinstance(node, ast.stmt) and path[-1].endswith("]"):
        yield "delete", ast.Pass(), "pass"


def constant_changes(node):
    """Mutations of a constant: booleans flipped, numbers plus and minus 1, strings wrapped."""
    value = node.value
    if isinstance(value, bool):
        yield "boolean", ast.Constant(not value), repr(not value)
    elif isinstance(value, (int, float)):
        for new in (value + 1, value - 1):
            yield "number", ast.Constant(new), repr(new)
    elif isinstance(value, str):
        new = f"XX{value}XX"
        yield "string", ast.Constant(new), repr(new)


def call_changes(node):
    """Mutations of a call: one keyword argument dropped, two adjacent positional arguments swapped."""
    for index, keyword in enumerate(node.keywords):
        if keyword.arg is not None:
            yield "keyword", with_field(node, keywords=node.keywords[:index] + node.keywords[index + 1:]), \
                f"-{keyword.arg}"
    for index in range(len(node.args) - 1):
        first, second = node.args[index], node.args[index + 1]
        if isinstance(first, ast.Starred) or isinstance(second, ast.Starred):
            continue
        args = list(node.args)
        args[index], args[index + 1] = second, first
        yield "swap", with_field(node, args=args), f"{index}<>{index + 1}"


def is_docstring(node, path):
    """Is node the function's docstring statement, or its string?"""
    return path[0] == "body[0]" and len(path) <= 2 and (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        or isinstance(node, ast.Constant) and isinstance(node.value, str))


def with_field(node, **fields):
    """A shallow copy of node with some fields replaced."""
    new = copy.copy(node)
    for field, value in fields.items():
        setattr(new, field, value)
    return new


def replace(function, path, new):
    """Put new at path below the function definition (in place)."""
    parent = function
    for step in path[:-1]:
        parent = child(parent, step)
    field, index = split_step(path[-1])
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new


def child(node, step):
    field, index = split_step(step)
    value = getattr(node, field)
    return value if index is None else value[index]


def split_step(step):
    """'body[3]' -> ('body', 3); 'value' -> ('value', None)."""
    found = re.fullmatch(r"(\w+)\[(\d+)\]", step)
    return (found.group(1), int(found.group(2))) if found else (step, None)


def names_in_scope(function):
    """The function's own variables: its parameters and every name it assigns (not a comprehension's)."""
    names = {arg.arg for arg in function.args.posonlyargs + function.args.args + function.args.kwonlyargs}
    names |= {arg.arg for arg in (function.args.vararg, function.args.kwarg) if arg}

    def stores(node):
        for item in ast.iter_child_nodes(node):
            if isinstance(item, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda,
                                 ast.FunctionDef)):
                continue
            if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store):
                yield item.id
            yield from stores(item)

    return names | set(stores(function)) - {"_"}


def confusables(name, scope):
    """The names in scope a learner might write instead of name: its listed partners when any is in scope,
    else at most MAX_DERIVED derived ones (one name the start of the other up to a "_", a plural,
    the words of one in another order, or the name with a listed pair swapped inside it, as dWax / dWaa)."""
    listed = sorted({b for a, b in pairs() if a == name and b in scope})
    if listed:
        return listed
    return sorted(other for other in scope if other != name and derived_confusable(name, other))[:MAX_DERIVED]


def pairs():
    """CONFUSABLE_PAIRS both ways round."""
    return CONFUSABLE_PAIRS + tuple((b, a) for a, b in CONFUSABLE_PAIRS)


def derived_confusable(name, other):
    """Could other be written by mistake for name, by the rules of confusables?"""
    words, other_words = name.split("_"), other.split("_")
    if other.startswith(name + "_") or name.startswith(other + "_"):
        return True
    if other in (name + "s", name + "es") or name in (other + "s", other + "es"):
        return True
    if len(words) > 1 and sorted(words) == sorted(other_words):
        return True
    return any(name.endswith(a) and name[:-len(a)] + b == other or len(a) > 1 and name.replace(a, b) == other
               for a, b in pairs())


def described(node):
    """A node as source text, for people (an operator node by its symbol)."""
    return ast.unparse(node) if not isinstance(node, (ast.operator, ast.cmpop, ast.boolop)) else SYMBOLS[type(node)]


def node_line(node, function):
    """The node's line counted from the def line (1); 0 when it has none."""
    return getattr(node, "lineno", function.lineno - 1) - function.lineno + 1
