"""Checks on the second assignment's corpus data/names_and_dinos.txt (see data/README.md)."""
import hashlib
import re
import sys

from conftest import KIT

sys.path.insert(0, str(KIT / "data"))
import compile_names  # noqa: E402

CORPUS = KIT / "data" / "names_and_dinos.txt"
NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def names():
    return CORPUS.read_text(encoding="utf-8").split("\n")


def genera():
    return (KIT / "data" / "dinos.txt").read_text(encoding="utf-8").split("\n")


def test_the_script_writes_exactly_the_committed_file():
    """Does compile_names.py, run today with the pinned Faker, produce the committed file byte for byte?"""
    assert compile_names.compile_corpus(compile_names.given_names(), compile_names.genera()) == CORPUS.read_text(
        encoding="utf-8")


def test_no_blank_line_and_no_trailing_newline():
    """Is every line a non-empty name, with nothing after the last one?"""
    text = CORPUS.read_text(encoding="utf-8")
    assert text and not text.endswith("\n")
    assert all(names())


def test_every_line_is_capitalised_ascii_words():
    """Is every line one or more capitalised words of ASCII letters separated by single spaces?"""
    bad = [name for name in names() if not NAME.fullmatch(name)]
    assert bad == []


def test_no_duplicates_ignoring_case():
    """Does each name appear once, ignoring case?"""
    lowered = [name.lower() for name in names()]
    assert len(lowered) == len(set(lowered))


def test_every_genus_is_there_in_its_original_case():
    """Is every line of dinos.txt in the corpus, spelt exactly as there?"""
    assert set(genera()) <= set(names())


def test_every_other_line_is_a_faker_given_name():
    """Is every line that is not a genus one of the given names of Faker's en_US and es_AR lists?"""
    given = {name.strip() for name in compile_names.given_names()}
    assert set(names()) - set(genera()) <= given


def test_lines_follow_the_sha256_order():
    """Are the lines sorted by the SHA-256 of each name?"""
    digests = [hashlib.sha256(name.encode("utf-8")).hexdigest() for name in names()]
    assert digests == sorted(digests)


def test_counts_stated_in_the_readme_and_the_contract():
    """Do the counts data/README.md and docs/min_char_rnn.md state match the file and Faker's lists?"""
    text = CORPUS.read_text(encoding="utf-8")
    lines, dinosaurs = names(), set(genera())
    given = [name for name in lines if name not in dinosaurs]
    readme = " ".join((KIT / "data" / "README.md").read_text().split())  # prose: line breaks do not count
    contract = " ".join((KIT / "docs" / "min_char_rnn.md").read_text().split())
    assert f"{len(lines):,} names, one per line, {len(given)} given names and the {len(dinosaurs):,}" in readme
    assert f"Of Faker's {len(compile_names.given_names())} entries, {len(given)} distinct given names remain, " \
           f"{sum(' ' in name for name in given)} of them of two words" in readme
    assert f"vocabulary, read off the text, has {len(set(text))} symbols" in readme
    assert f"{len(lines):,} names, {len(text):,} characters, {len(set(text))} symbols" in contract


def test_vocabulary_is_newline_space_and_both_cases():
    """Does the text use the newline, the space, and upper- and lower-case letters, and nothing else?"""
    symbols = set(CORPUS.read_text(encoding="utf-8"))
    assert {"\n", " "} <= symbols
    assert any(ch.isupper() for ch in symbols) and any(ch.islower() for ch in symbols)
    assert all(ch in "\n " or (ch.isascii() and ch.isalpha()) for ch in symbols)


def test_check_mode_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    """Does `compile_names.py --check` fail when the committed file differs from a fresh compilation?"""
    stale = tmp_path / "names_and_dinos.txt"
    stale.write_text("Rex", encoding="utf-8")
    monkeypatch.setattr(compile_names, "CORPUS", stale)
    assert compile_names.main(["--check"]) == 1
    assert "DIFFERS" in capsys.readouterr().out
    assert stale.read_text(encoding="utf-8") == "Rex"
