"""A finding: what one rule says about one row or reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = ["Finding", "SEVERITIES", "JSON_KEYS"]

#: Severities from least to most serious.
SEVERITIES: Final = ("info", "warning", "error")

#: The keys of a finding in ``curator check --format json``, in order.
JSON_KEYS: Final = ("rule", "severity", "comparison", "endpoint", "row", "reference", "field", "message")


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of one rule.

    ``comparison``, ``endpoint`` and ``row`` (0-based position in the
    comparison) name the row, all None for a finding about a reference;
    ``reference`` is the reference key (None for a row finding); ``field``
    is the dotted exchange-format path, None for a whole row or reference.
    ``fingerprint`` is written from the values the finding is about, so that
    an acceptance lapses when they change; it is not part of the JSON.
    """

    rule: str
    severity: str
    comparison: str | None
    endpoint: str | None
    row: int | None
    reference: str | None
    field: str | None
    message: str
    fingerprint: str
    #: A one-step fix the finding offers, by name, or None. ``"sd-as-se"``
    #: (``md-precision``): the SDs look like standard errors; move them to
    #: the SE fields. Not part of the JSON.
    remedy: str | None = None
    #: The file of the document a finding is about (``document-missing``), or None. Not part of the
    #: JSON (the message names it); it names a finding about no row and no reference for ``--accept``.
    document: str | None = None

    @property
    def locator(self) -> str:
        """The name a reviewer gives to accept this finding on the command line:
        ``RULE:COMPARISON[ROW].FIELD`` for a row, ``RULE:@KEY`` for a reference,
        ``RULE:file=FILE`` for a document of no reference."""
        if self.comparison is None and self.reference is None and self.document is not None:
            return f"{self.rule}:file={self.document}"
        if self.comparison is None and self.reference is not None:
            return f"{self.rule}:@{self.reference}" + (f"#{self.field}" if self.field else "")
        text = f"{self.rule}:{self.comparison}[{self.row}]"
        return text + (f".{self.field}" if self.field else "")

    def to_json(self) -> dict[str, Any]:
        """The finding as the catalogue's JSON object (keys in its order)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "comparison": self.comparison,
            "endpoint": self.endpoint,
            "row": self.row,
            "reference": self.reference,
            "field": self.field,
            "message": self.message,
        }
