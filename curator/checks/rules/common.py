"""Small helpers the rule modules share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from curator.checks.context import RowRef
from curator.numbers import Reported
from curator.review import RATIO_MEASURES, Arm

__all__ = ["ARMS", "RECOMPUTE_ADVICE", "arms", "shown", "is_ratio", "null_value", "measure_name"]

ARMS: Final = ("intervention", "comparator")

#: How a message of a rule that recomputes an estimate from the arms ends
#: (``md-recompute``, ``effect-recompute``): what to do when the paper is right.
RECOMPUTE_ADVICE: Final = (
    "if the paper is right, mark the effect adjusted if it is model-based, "
    "or set its contrast if it compares something the arms do not show"
)


def arms(where: RowRef) -> Iterator[tuple[str, Arm]]:
    """The row's present arms with their field names."""
    row = where.row
    if row.intervention is not None:
        yield "intervention", row.intervention
    if row.comparator is not None:
        yield "comparator", row.comparator


def shown(r: Reported, unit: str = "") -> str:
    """A reported number as printed, trimmed, for a message; a minus sign printed with a space after
    it (``− 4.6``) is closed up (``−4.6``), so that ``mean − 4.6`` never reads as a subtraction."""
    text = r.text.strip()
    if text[:1] in _MINUS_SIGNS and text[1:2].isspace():
        text = text[0] + text[1:].lstrip()
    return text + unit


#: The signs a printed negative number may start with (hyphen-minus, U+2212, en dash).
_MINUS_SIGNS: Final = "-\u2212\u2013"


def is_ratio(measure: str | None) -> bool:
    """RR, OR, HR and IRR are ratios."""
    return measure in RATIO_MEASURES


def null_value(measure: str) -> int:
    """The no-difference value: 1 for ratios, 0 for differences."""
    return 1 if is_ratio(measure) else 0


def measure_name(measure: str | None) -> str:
    """The effect's measure for a message ("the effect" when unnamed)."""
    return measure or "the effect"
