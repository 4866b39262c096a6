"""Counts in words: ``1 row``, ``2 rows``, never ``1 rows``."""

from __future__ import annotations

__all__ = ["counted"]

_IRREGULAR = {"entry": "entries", "info": "info", "study": "studies", "analysis": "analyses"}


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, the noun in the plural unless ``n`` is 1.

    The plural is ``plural`` when given, else the noun's last word with an
    ``s`` (``accepted finding`` -> ``accepted findings``; a few irregular
    words such as ``entry`` are known).
    """
    if n == 1:
        return f"{n} {noun}"
    if plural is None:
        head, _, last = noun.rpartition(" ")
        plural = (f"{head} " if head else "") + _IRREGULAR.get(last, f"{last}s")
    return f"{n} {plural}"
