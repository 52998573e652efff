"""Checks on the training corpus data/dinos.txt (see data/README.md)."""

import re
import string
from pathlib import Path

DINOS = Path(__file__).resolve().parents[1] / "data" / "dinos.txt"
MIN_NAMES = 1200


def _text():
    return DINOS.read_text(encoding="utf-8")


def _names():
    return _text().split("\n")


def test_file_exists():
    """Does data/dinos.txt exist?"""
    assert DINOS.is_file(), f"missing {DINOS}"


def test_no_trailing_newline():
    """Does the file end right after the last name, with no trailing newline?"""
    text = _text()
    assert text, "the file is empty"
    assert not text.endswith("\n")


def test_no_blank_lines():
    """Is every line non-empty?"""
    blank = [i + 1 for i, name in enumerate(_names()) if not name.strip()]
    assert not blank, f"blank lines at {blank[:10]}"


def test_letters_only():
    """Is every line a letters-only name (A-Z, a-z)?"""
    bad = [name for name in _names() if not re.fullmatch(r"[A-Za-z]+", name)]
    assert not bad, f"lines that are not letters-only: {bad[:10]}"


def test_no_case_insensitive_duplicates():
    """Does each name appear only once, ignoring case?"""
    seen, dupes = set(), []
    for name in _names():
        key = name.lower()
        if key in seen:
            dupes.append(name)
        seen.add(key)
    assert not dupes, f"duplicate names: {dupes[:10]}"


def test_at_least_minimum_names():
    """Are there at least 1,200 names?"""
    assert len(_names()) >= MIN_NAMES


def test_vocabulary_is_newline_and_lowercase_letters():
    """Does the lower-cased text use exactly the 27 symbols newline and a-z?"""
    with open(DINOS, encoding="utf-8") as f:
        chars = sorted(set(f.read().lower()))
    assert chars == ["\n"] + list(string.ascii_lowercase)
    assert len(chars) == 27


def test_sorted_case_insensitively():
    """Are the names sorted alphabetically, ignoring case?"""
    names = _names()
    assert names == sorted(names, key=str.lower)
