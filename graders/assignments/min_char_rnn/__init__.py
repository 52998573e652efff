"""min_char_rnn: the declaration (declaration.py), its check modules, constants and expected values."""
