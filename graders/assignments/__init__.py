"""The kit's assignments: one package each, holding a declaration.py (see graders/assignment.py)."""
