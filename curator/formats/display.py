"""Readable forms of a row's values, as a stakeholder table shows them.

Numbers are shown exactly as printed (``42.60`` stays ``42.60``, ``< .001``
keeps its relation and its missing zero, ``0·55``, ``3,145`` and ``− 4.6``
stay so; ``NR``, not reported, reads ``NR``): ``42.6% (202/474)``,
``7 days``, ``12.1 (4.0), n = 50``, ``median 20 (IQR 15–28)``,
``RR 0.62 (0.54–0.71), p < 0.001``, ``adjusted MD −2.1 (−3.4 to −0.8), ANCOVA``.
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
    "number_text",
    "span_text",
    "level_text",
    "CONTRAST_TEXTS",
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


#: Minus signs a paper may print (:mod:`curator.numbers` reads them all).
_MINUS = "-\u2212\u2013\ufe63\uff0d"
_RELATION_MARKS = "<>=≤≥ "


def number_text(value: Reported) -> str:
    """A reported number exactly as printed (``0·55``, ``3,145``, ``− 4.6``); ``NR`` as ``NR``."""
    return "NR" if value.not_reported else value.text.strip()


def _dashed(bound: Reported | None) -> bool:
    """Whether a bound reads well before or after an en dash: a number given, not below zero."""
    if bound is None or bound.not_reported:
        return False
    text = bound.text.strip().lstrip(_RELATION_MARKS)
    return text[:1] not in _MINUS


def span_text(low: Reported | None, high: Reported | None) -> str:
    """An interval as papers print it: ``10.9–13.3`` with an en dash, and
    ``−3.4 to −0.8`` when a bound is negative (so that its minus sign is
    never read as the dash), ``NR`` or not given (``?``)."""
    lo = number_text(low) if low is not None else "?"
    hi = number_text(high) if high is not None else "?"
    return f"{lo}–{hi}" if _dashed(low) and _dashed(high) else f"{lo} to {hi}"


def _arm_span(low: Reported | None, high: Reported | None) -> str:
    """An arm's interval; both ends not reported read ``NR`` (``IQR NR``, not ``IQR NR to NR``)."""
    if low is not None and high is not None and low.not_reported and high.not_reported:
        return number_text(low)
    return span_text(low, high)


def with_unit(value: Reported, unit: str | None) -> str:
    """``42.6`` and ``%`` -> ``42.6%``; ``7`` and ``days`` -> ``7 days``; ``NR`` alone."""
    text = number_text(value)
    if not unit or value.not_reported:
        return text
    if unit.startswith("%"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def level_text(effect: Effect | None) -> str:
    """The CI level as printed (``95``, ``90``, ``95.02``); 95 when not given or ``NR``."""
    if effect is None or effect.ci_level is None:
        return "95"
    level = effect.ci_level
    if isinstance(level, Reported):
        return "95" if level.not_reported else level.text.strip()
    return f"{level:g}"


def _counts(arm: Arm) -> str | None:
    if arm.events is not None and arm.n is not None:
        return f"{number_text(arm.events)}/{number_text(arm.n)}"
    if arm.events is not None:
        return f"{number_text(arm.events)} events"
    if arm.n is not None:
        return f"n = {number_text(arm.n)}"
    return None


def arm_text(arm: Arm | None, row: Row) -> str:
    """One arm's result as a paper prints it.

    A percentage or a count as before: ``42.6% (202/474)``, ``7 days (n =
    80)``. A value with its spread: the spread in parentheses, then the
    counts: ``12.1 (4.0), n = 50`` (on a ``mean`` row an SD alone in
    parentheses, as papers print mean (SD)), ``12.1 (SE 0.6), n = 50``, ``12.1 (SD 4.0; 95% CI
    10.9–13.3)`` (the arm's CI at the effect's level), ``median 20 (IQR
    15–28; range 3–60), n = 50`` on a ``median`` row (a median alone reads
    as a value: ``7 days``). Without a value, the details alone:
    ``SD 4.0; n = 50``. Then any words.
    """
    if arm is None:
        return ""
    parts: list[str] = [with_unit(arm.value, row.unit)] if arm.value is not None else []
    spread: list[str] = []
    others = (arm.se, arm.ci_low, arm.ci_high, arm.q1, arm.q3, arm.min, arm.max)
    if arm.sd is not None:
        alone = bool(parts) and row.measure == "mean" and all(x is None for x in others)
        spread.append(number_text(arm.sd) if alone else f"SD {number_text(arm.sd)}")
    if arm.se is not None:
        spread.append(f"SE {number_text(arm.se)}")
    if arm.ci_low is not None or arm.ci_high is not None:
        spread.append(f"{level_text(row.effect)}% CI {_arm_span(arm.ci_low, arm.ci_high)}")
    if arm.q1 is not None or arm.q3 is not None:
        spread.append(f"IQR {_arm_span(arm.q1, arm.q3)}")
    if arm.min is not None or arm.max is not None:
        spread.append(f"range {_arm_span(arm.min, arm.max)}")
    counts = _counts(arm)
    if spread and parts:
        median = "median " if row.measure == "median" else ""
        parts = [f"{median}{parts[0]} ({'; '.join(spread)})" + (f", {counts}" if counts else "")]
    elif spread:  # no value: the details alone, as counts alone are
        parts = ["; ".join([*spread, *([counts] if counts else [])])]
    elif counts:
        parts.append(f"({counts})" if parts else counts)
    if arm.text:
        parts.append(arm.text)
    return " ".join(parts)


def p_text(p: Reported) -> str:
    """``p < .001``, ``p = 0.03`` (the printed number, relation kept); ``p NR``."""
    if p.not_reported:
        return "p NR"
    text = p.text.strip()
    if p.relation is None:
        return f"p = {text}"
    # Keep the relation as printed, with one space either side.
    i = 0
    while i < len(text) and text[i] in "<>=≤≥":
        i += 1
    return f"p {text[:i]} {text[i:].strip()}"


#: What an effect's ``contrast`` says in its reading (``arms``, the default, says nothing).
CONTRAST_TEXTS = {"change": "change from baseline", "other": "other contrast"}


def effect_text(effect: Effect | None) -> str:
    """``RR 0.62 (0.54–0.71), p < 0.001 vs vehicle``.

    An adjusted estimate says so (``adjusted OR 1.4 (1.1–1.8)``); a bound
    below zero reads ``MD −2.1 (−3.4 to −0.8)``; a CI not at 95% names its
    level; an SE is shown when there is no CI (``MD −2.1 (SE 0.6)``); then
    what the estimate contrasts when it is not the arms shown (``change from
    baseline``), the method as printed (``ANCOVA``) and the p-value.
    """
    if effect is None:
        return ""
    head: list[str] = []
    if effect.is_adjusted:
        head.append("adjusted")
    if effect.measure:
        head.append(effect.measure)
    if effect.value is not None:
        head.append(number_text(effect.value))
    estimate = " ".join(head)
    if effect.ci_low is not None or effect.ci_high is not None:
        level = "" if effect.level_exact == 95 else f"{level_text(effect)}% CI "
        estimate = f"{estimate} ({level}{span_text(effect.ci_low, effect.ci_high)})".strip()
    elif effect.se is not None:
        estimate = f"{estimate} (SE {number_text(effect.se)})".strip()
    segments = [
        estimate,
        CONTRAST_TEXTS.get(effect.contrast or "", ""),
        (effect.method or "").strip(),
        p_text(effect.p) if effect.p is not None else "",
    ]
    text = ", ".join(s for s in segments if s)
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
