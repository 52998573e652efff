"""Dinosaur Island: the declaration (declaration.py), its check modules, constants and expected values."""
