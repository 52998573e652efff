"""Does the AST mutator (tools/mutate.py) make the first-order mutants it promises, with stable ids?"""
import ast

import pytest

from graders.assignment import kit_assignments
from tools.mutate import OPERATORS, confusables, mutants
from tools.mutation_score import assignment_mutants, function_sources

TINY = '''
def tiny(a, a_prev, seed, counter, flag=True):
    """A docstring, never mutated."""
    total = a * 2 + a_prev
    total -= -seed
    if counter < 3 and not flag:
        total = max(total, 0.5, key=abs)
    label = "x"
    return total, label
'''


def replacements(operator, source=TINY, name="tiny"):
    """{(location, replacement)} of the mutants of one operator."""
    return {(m.location, m.replacement) for m in mutants(source, name) if m.operator == operator}


def test_arithmetic_operators_are_swapped_and_a_minus_sign_dropped():
    """Does the arithmetic operator swap + and -, * and /, an augmented -= to +=, and drop a unary minus?"""
    assert replacements("arithmetic") == {("body[1].value", "-"), ("body[1].value.left", "/"), ("body[2]", "+"),
                                          ("body[2].value", "seed")}


def test_comparison_and_boolean_operators_are_swapped():
    """Does `<` become `<=` and `>`, `and` become `or`, `not flag` lose its `not` and the default True turn False?"""
    assert replacements("comparison") == {("body[3].test.values[0]", "0:<="), ("body[3].test.values[0]", "0:>")}
    assert replacements("boolean") == {("body[3].test", "or"), ("body[3].test.values[1]", "flag"),
                                       ("args.defaults[0]", "False")}


def test_numbers_move_by_one_and_strings_change_but_not_the_docstring():
    """Does every int and float constant give a +1 and a -1 mutant, and the string (not the docstring) a changed one?"""
    assert replacements("number") == {("body[1].value.left.right", "3"), ("body[1].value.left.right", "1"),
                                      ("body[3].test.values[0].comparators[0]", "4"),
                                      ("body[3].test.values[0].comparators[0]", "2"),
                                      ("body[3].body[0].value.args[1]", "1.5"),
                                      ("body[3].body[0].value.args[1]", "-0.5")}
    assert replacements("string") == {("body[4].value", "'XXxXX'")}


def test_statements_are_deleted_one_at_a_time():
    """Is every statement but the docstring replaced by `pass` in one mutant each?"""
    assert replacements("delete") == {(f"body[{index}]", "pass") for index in range(1, 6)} | {
        ("body[3].body[0]", "pass")}


def test_keyword_arguments_are_dropped_and_adjacent_arguments_swapped():
    """Does the call lose its keyword argument in one mutant and swap its two positional arguments in another?"""
    assert replacements("keyword") == {("body[3].body[0].value", "-key")}
    assert replacements("swap") == {("body[3].body[0].value", "0<>1")}


def test_variable_reads_become_their_listed_confusables():
    """Are reads of a, a_prev, seed and counter replaced by their listed partners, and nothing else renamed?"""
    assert replacements("name") == {("body[1].value.left.left", "a_prev"), ("body[1].value.right", "a"),
                                    ("body[2].value.operand", "counter"), ("body[3].test.values[0].left", "seed")}


def test_a_name_without_listed_partner_takes_derived_confusables():
    """Does a name with no listed partner in scope take the look-alikes: a longer name, a plural, a swapped pair?"""
    assert confusables("loss", {"loss", "losses", "loss_total", "gradients"}) == ["loss_total", "losses"]
    assert confusables("dWax", {"dWax", "dWaa", "db"}) == ["dWaa"]
    assert confusables("db", {"db", "dby"}) == ["dby"]
    assert confusables("ix_to_char", {"ix_to_char", "char_to_ix"}) == ["char_to_ix"]
    assert confusables("a", {"a", "a_prev", "a_next"}) == ["a_prev"]  # the listed partner wins
    assert confusables("total", {"total", "label"}) == []


def test_every_mutant_compiles_and_differs_from_the_function():
    """Does each mutant of the tiny function compile, define the function, and differ from it?"""
    found = mutants(TINY, "tiny")
    original = ast.unparse(ast.parse(TINY))
    assert {m.operator for m in found} == set(OPERATORS)
    for mutant in found:
        tree = ast.parse(mutant.source)
        assert [node.name for node in tree.body] == ["tiny"]
        assert mutant.source != original
        compile(mutant.source, mutant.id, "exec")


def test_ids_are_unique_and_survive_unrelated_edits():
    """Do mutant ids stay the same when comments, the docstring and another function change, and differ per mutant?"""
    edited = "import math\n\ndef other():\n    return 1\n" + TINY.replace(
        '"""A docstring, never mutated."""', '"""A longer docstring.\n\n    Second paragraph."""\n    # a comment'
    ).replace("    label = ", "\n    # spacing and a comment\n    label = ")
    before = [m.id for m in mutants(TINY, "tiny")]
    assert len(before) == len(set(before))
    assert [m.id for m in mutants(edited, "tiny")] == before


@pytest.mark.parametrize("assignment", kit_assignments(), ids=lambda assignment: assignment.name)
def test_every_graded_function_of_the_reference_has_mutants_of_most_operators(assignment):
    """Does every graded function of each kit assignment get mutants, ids unique, at least five operators each?"""
    found = assignment_mutants(assignment)
    assert len({m.id for m in found}) == len(found)
    for name in assignment.function_names:
        operators = {m.operator for m in found if m.function == name}
        assert len(operators) >= 5, (name, operators)
    assert set(function_sources(assignment)) == set(assignment.function_names)
