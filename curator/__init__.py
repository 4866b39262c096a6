"""Curator: enter, double-check, check and export clinical comparison tables."""

__version__ = "0.1.0"
