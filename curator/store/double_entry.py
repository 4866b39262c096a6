"""Blind double entry: a second reviewer re-enters a row's values without seeing them.

:func:`double_entry` takes what the second reviewer typed (field -> text),
validates each text as an edit would, and compares it with the stored value
by the same number-aware comparison as ``curator compare`` (``42.6`` equals
``42.60``; ``<0.001`` is not ``0.001``; text ignoring extra white space;
citations as a set). A field that agrees is verified by the second
reviewer; a field that differs opens an adjudication item (value A the
stored one, value B the typed one) and is disputed until decided. The
stored values are not changed. Fields not typed are left as they are.

Everything the reviewer typed is kept in the audit log (``double-entry``),
so the comparison can be redone from the log alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from curator.compare import field_value, same_value
from curator.errors import CuratorError
from curator.fields import encode_list
from curator.fields import parse as parse_field
from curator.numbers import Reported
from curator.store.adjudication import open_item
from curator.store.audit import Audit
from curator.store.field_states import (
    VERIFIABLE_FIELDS,
    check_field,
    field_text,
    load_row,
    refresh_status,
    refuse_own_row,
    set_state,
)
from curator.store.team import submit_blind_entry

__all__ = ["DoubleEntryResult", "double_entry"]


@dataclass(frozen=True, slots=True)
class DoubleEntryResult:
    """What a double entry found: the fields that agreed (now verified), and
    the ones that differ as (field, stored text, typed text, item id)."""

    comparison: str
    position: int
    matched: list[str] = field(default_factory=list)
    differing: list[tuple[str, str | None, str | None, int | None]] = field(default_factory=list)
    status: str = "extracted"


def _typed_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if name == "citations":
        return encode_list(value)
    if isinstance(value, Reported):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def double_entry(
    session: Session, comparison: str, position: int, entered: dict[str, str], who: str
) -> DoubleEntryResult:
    """Compare ``who``'s blind entry of a row with the stored values.

    ``entered`` maps dotted field names (``intervention.value``,
    ``effect.ci_low``, ``citations``...) to the typed text; an empty text
    means "the paper gives none". Refuses (nothing written) an unknown row
    or field, a text the field cannot hold (naming field and value), an
    empty entry, and a row ``who`` extracted.
    """
    conn = session.connection()
    if entered:
        # On a team review the second extractor cannot read the row until she has submitted her entry.
        submit_blind_entry(conn, comparison, position)
    stored = load_row(conn, comparison, position)
    if not entered:
        raise CuratorError(f"{stored.where}: nothing was entered")
    typed: dict[str, Any] = {}
    for name, text in entered.items():
        check_field(stored.where, name)
        try:
            typed[name] = parse_field(name, text)
        except ValueError as exc:
            raise CuratorError(f"{stored.at(name)}: {exc}") from None
    refuse_own_row(stored, None, who, conn)
    result = DoubleEntryResult(comparison, position)
    audit = Audit(who)
    audit.event(
        "double-entry", "endpoint_row", stored.id, None, None,
        json.dumps({n: _typed_text(n, typed[n]) for n in VERIFIABLE_FIELDS if n in typed}, ensure_ascii=False),
    )  # fmt: skip
    for name in VERIFIABLE_FIELDS:
        if name not in typed:
            continue
        if same_value(name, field_value(stored.row, name), typed[name]):
            if field_text(stored.row, name) is not None:
                set_state(conn, audit, stored, name, "verified", who)
                result.matched.append(name)
            continue
        a, b = field_text(stored.row, name), _typed_text(name, typed[name])
        item = open_item(conn, audit, stored, name, a, b, stored.row.extracted_by, who, "double-entry")
        result.differing.append((name, a, b, item))
    status = refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)
    return DoubleEntryResult(comparison, position, result.matched, result.differing, status)
