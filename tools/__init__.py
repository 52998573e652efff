"""Maintainers' tools: they know the kit's tests/ folder and are never shipped with the graders."""
