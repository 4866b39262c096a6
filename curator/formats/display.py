"""Readable forms of a row's values, as a stakeholder table shows them.

Numbers are shown exactly as printed (``42.60`` stays ``42.60``, ``< .001``
keeps its relation and its missing zero): ``42.6% (202/474)``,
``7 days``, ``12.3 (SD 4.1; n = 80)``, ``RR 0.62 (0.54–0.71), p < 0.001``.
The same functions serve the Excel export and the desktop app.
"""

from __future__ import annotations

from curator.fields import table_columns
from curator.numbers import Reported
from curator.review import Arm, Effect, Row

__all__ = [
    "TABLE_COLUMNS",
    "TABLE_EDIT_FIELDS",
    "arm_text",
    "effect_text",
    "p_text",
    "citations_text",
    "with_unit",
    "column_of",
    "row_texts",
    "status_text",
]

#: The columns of a comparison table, as the seed guide lays them out (plus
#: Effect and Status), each with the exchange-format fields it shows (from
#: the field table, :mod:`curator.fields`). The arm headers are templates
#: for the comparison's labels.
TABLE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = tuple((h, keys) for h, keys, _edits in table_columns())
#: The field a cell of each of :data:`TABLE_COLUMNS` edits (its main field).
TABLE_EDIT_FIELDS: tuple[str, ...] = tuple(edits for _h, _keys, edits in table_columns())
_FIELD_COLUMN = {field: i for i, (_h, fields) in enumerate(TABLE_COLUMNS) for field in fields}


def column_of(field: str | None) -> int:
    """The table column that shows a dotted field (``effect.p`` -> Effect)."""
    return _FIELD_COLUMN.get((field or "endpoint").split(".")[0], 0)


def with_unit(value: Reported, unit: str | None) -> str:
    """``42.6`` and ``%`` -> ``42.6%``; ``7`` and ``days`` -> ``7 days``."""
    text = value.text.strip()
    if not unit:
        return text
    if unit.startswith("%"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def arm_text(arm: Arm | None, row: Row) -> str:
    """One arm's result: value with unit, then counts or SD, then any words."""
    if arm is None:
        return ""
    parts: list[str] = []
    if arm.value is not None:
        parts.append(with_unit(arm.value, row.unit))
    details: list[str] = []
    if arm.sd is not None:
        details.append(f"SD {arm.sd.text.strip()}")
    if arm.events is not None and arm.n is not None:
        details.append(f"{arm.events.text.strip()}/{arm.n.text.strip()}")
    elif arm.events is not None:
        details.append(f"{arm.events.text.strip()} events")
    elif arm.n is not None:
        details.append(f"n = {arm.n.text.strip()}")
    if details:
        parts.append(f"({'; '.join(details)})" if parts else "; ".join(details))
    if arm.text:
        parts.append(arm.text)
    return " ".join(parts)


def p_text(p: Reported) -> str:
    """``p < .001``, ``p = 0.03`` (the printed number, relation kept)."""
    text = p.text.strip()
    if p.relation is None:
        return f"p = {text}"
    # Keep the relation as printed, with one space either side.
    i = 0
    while i < len(text) and text[i] in "<>=≤≥":
        i += 1
    return f"p {text[:i]} {text[i:].strip()}"


def effect_text(effect: Effect | None) -> str:
    """``RR 0.62 (0.54–0.71), p < 0.001 vs vehicle``."""
    if effect is None:
        return ""
    head: list[str] = []
    if effect.measure:
        head.append(effect.measure)
    if effect.value is not None:
        head.append(effect.value.text.strip())
    text = " ".join(head)
    if effect.ci_low is not None or effect.ci_high is not None:
        low = effect.ci_low.text.strip() if effect.ci_low is not None else "?"
        high = effect.ci_high.text.strip() if effect.ci_high is not None else "?"
        level = "" if effect.ci_level is None or float(effect.ci_level) == 95 else f"{effect.ci_level:g}% CI "
        text = f"{text} ({level}{low}–{high})".strip()
    if effect.p is not None:
        text = f"{text}, {p_text(effect.p)}" if text else p_text(effect.p)
    if effect.versus:
        text += f" vs {effect.versus}"
    elif effect.direction == "comparator_vs_intervention":
        text += " (comparator vs intervention)"
    return text


def citations_text(keys: list[str]) -> str:
    """``[9] [10]``, as the seed guide prints them."""
    return " ".join(f"[{key}]" for key in keys)


def status_text(row: Row) -> str:
    """``verified (Ben)``, or the bare status."""
    if row.status == "verified" and row.verified_by:
        return f"verified ({row.verified_by})"
    return row.status


def row_texts(row: Row) -> list[str]:
    """The row's text in each of :data:`TABLE_COLUMNS`."""
    return [
        row.endpoint,
        arm_text(row.intervention, row),
        arm_text(row.comparator, row),
        effect_text(row.effect),
        row.finding or "",
        row.duration or "",
        row.population or "",
        citations_text(row.citations),
        status_text(row),
    ]
