"""Which fields a row's measure needs, and what its arm value is called.

A ``mean`` row is read as a paper prints it: mean, SD or SE, n, the range,
the mean's own CI; a ``median`` row as median, IQR (Q1 to Q3), range; a
``percent`` row as the value with its events and n (and its own CI, which
some papers print) and, as before, words beside them (the arm's ``text``).
A form shows these fields, plus every field of the row itself and of the
effect, and, whatever the measure, any field that holds a value (a value is
never hidden: :func:`unused_by`). A row with no measure
yet, a ``count`` or a ``text`` row shows the arm fields of format 1.0
(value, text, n, events, SD).

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from curator.fields import ROW_FIELDS

__all__ = ["ARMS", "ARM_FIELDS", "MEASURE_ONLY", "needed", "unused_by", "value_label", "measure_words"]

ARMS: Final = ("intervention", "comparator")

#: The arm fields a form shows for each measure (None: no measure chosen yet), by their name in the arm.
ARM_FIELDS: Final[dict[str | None, tuple[str, ...]]] = {
    "mean": ("value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"),
    "median": ("value", "n", "q1", "q3", "min", "max"),
    "percent": ("value", "text", "n", "events", "ci_low", "ci_high"),
    "count": ("value", "text", "n", "events", "sd"),
    "text": ("value", "text", "n", "events", "sd"),
    None: ("value", "text", "n", "events", "sd"),
}

#: Fields of the row itself that only some measures use: path -> those measures.
MEASURE_ONLY: Final[dict[str, tuple[str, ...]]] = {"integer_items": ("mean",)}

_VALUE_LABELS: Final = {"mean": "Mean", "median": "Median"}


def needed(measure: str | None) -> frozenset[str]:
    """The dotted paths of the fields a form shows for a row of ``measure`` (an unknown one: as none)."""
    arm = ARM_FIELDS.get(measure, ARM_FIELDS[None])
    shown = set()
    for field in ROW_FIELDS:
        if field.part in ARMS:
            if field.name in arm:
                shown.add(field.path)
        elif field.path not in MEASURE_ONLY or measure in MEASURE_ONLY[field.path]:
            shown.add(field.path)
    return frozenset(shown)


def unused_by(measure: str | None, texts: Mapping[str, str]) -> list[str]:
    """The fields holding a value (``texts``: path -> text as typed) that a row of ``measure`` does not
    use, in the fields' order: a form shows them anyway, marked, so no value is ever out of sight."""
    wanted = needed(measure)
    return [f.path for f in ROW_FIELDS if f.path not in wanted and texts.get(f.path, "").strip()]


def value_label(measure: str | None) -> str:
    """What an arm's value is on a row of ``measure``: ``Mean``, ``Median``, else ``Value``."""
    return _VALUE_LABELS.get(measure or "", "Value")


def measure_words(measure: str | None) -> str:
    """A row of ``measure`` in words, for messages: ``a median row``, ``a row with no measure``."""
    if not measure:
        return "a row with no measure"
    article = "an" if measure[0] in "aeiou" else "a"
    return f"{article} {measure} row"
