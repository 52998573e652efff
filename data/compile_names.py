"""Compile data/names_and_dinos.txt: given names from Faker's name lists plus the dinosaur genera.

The corpus of the min_char_rnn assignment (see data/README.md for provenance and licences):
- the given names of two of Faker's locales, en_US and es_AR, exactly as Faker writes them
  (mixed case; some Argentinian names have two words, which puts the space in the vocabulary);
- every genus of data/dinos.txt, in its original case (capitalised, as genus names are written).

Surrounding spaces are stripped (two of Faker's entries end with one). Only names made of ASCII
letters, each word capitalised and separated by single spaces, are kept (names with accents, hyphens
or apostrophes are left out, so the vocabulary stays small). Duplicates
are removed ignoring case, the first spelling met winning. Lines are ordered by the SHA-256 of the
name: a fixed order that mixes given names and genera, the same on every machine and Python.

Usage: python data/compile_names.py [--check]   (needs the `faker` version pinned in pyproject.toml)
"""
import argparse
import hashlib
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent
DINOS = DATA / "dinos.txt"
CORPUS = DATA / "names_and_dinos.txt"
LOCALES = ("en_US", "es_AR")                        # Faker locales whose given names are used
LIST_NAMES = ("first_names_female", "first_names_male")
NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")  # capitalised ASCII words, single spaces


def given_names():
    """The given names of LOCALES in Faker's own order (female list, then male list, per locale)."""
    import importlib
    names = []
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for list_name in LIST_NAMES:
            names += list(getattr(provider, list_name))  # an OrderedDict of name: weight, or a tuple
    return names


def genera():
    """The dinosaur genera of data/dinos.txt, as written there."""
    return DINOS.read_text(encoding="utf-8").split("\n")


def compile_corpus(names, dinosaurs):
    """The corpus text: kept names and genera, deduplicated ignoring case, in SHA-256 order, no final newline."""
    kept, seen = [], set()
    for name in (entry.strip() for entry in list(names) + list(dinosaurs)):
        if NAME.fullmatch(name) and name.lower() not in seen:
            seen.add(name.lower())
            kept.append(name)
    kept.sort(key=lambda name: hashlib.sha256(name.encode("utf-8")).hexdigest())
    return "\n".join(kept)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; fail if the committed file differs")
    args = parser.parse_args(argv)
    text = compile_corpus(given_names(), genera())
    if args.check:
        same = CORPUS.is_file() and CORPUS.read_text(encoding="utf-8") == text
        print(f"{CORPUS.name}: " + ("up to date" if same else "DIFFERS from a fresh compilation"))
        return 0 if same else 1
    CORPUS.write_text(text, encoding="utf-8")
    print(f"wrote {CORPUS} ({text.count(chr(10)) + 1} names, {len(set(text))} distinct symbols)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
