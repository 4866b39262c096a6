"""Keys for imported references that never clash with the review's.

By default an imported reference gets the next free number: one more than
the largest numeric key in use (the seed guide numbers its list), skipping
any number taken. With ``mode="source"`` it keeps the file's own citation
key (BibTeX key, RIS ``ID``, CSL ``id``) when it has one; a key already
taken gets ``-2``, ``-3``… appended, and a record without one gets a number.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["KEY_MODES", "KeyAllocator"]

KEY_MODES = ("number", "source")


class KeyAllocator:
    """Hands out keys, remembering every key in use."""

    def __init__(self, taken: Iterable[str], mode: str = "number") -> None:
        if mode not in KEY_MODES:
            raise ValueError(f"keys must be one of {KEY_MODES}, not {mode!r}")
        self.mode = mode
        self.taken = set(taken)
        numbers = [int(k) for k in self.taken if k.isdecimal()]
        self._next = max(numbers, default=0) + 1

    def number(self) -> str:
        """The next free number."""
        while str(self._next) in self.taken:
            self._next += 1
        key = str(self._next)
        self.taken.add(key)
        self._next += 1
        return key

    def key(self, source: str | None = None) -> str:
        """A fresh key: the source key (made unique) in ``source`` mode, else a number."""
        source = (source or "").strip()
        if self.mode != "source" or not source:
            return self.number()
        key, n = source, 1
        while key in self.taken:
            n += 1
            key = f"{source}-{n}"
        self.taken.add(key)
        return key
