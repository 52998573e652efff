"""Dinosaur Island graders."""
