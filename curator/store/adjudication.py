"""Adjudication: the fields two reviewers disagree on, and a third one's decisions.

An item is opened by blind double entry (:mod:`curator.store.double_entry`)
or by a merge of two reviewers' files (:mod:`curator.store.merge`) for one
field of one row: value A is the review's value, value B the other
reviewer's. While it is open the field is disputed (so the row is too).

:func:`decide` chooses A, B or a new value (a new value needs a reason),
writes it through :func:`~curator.store.edits.set_row_field` (the audit
keeps the old and the new value), marks the field verified by the
adjudicator and records the decision (audited as ``adjudicate``). The
adjudicator must be a third reviewer: neither of the two who entered the
values, nor the row's extractor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, RowMapping, Table, insert, select, update
from sqlmodel import Session

from curator.errors import CuratorError
from curator.fields import parse as parse_field
from curator.fields import texts
from curator.naming import Arms, field_place
from curator.store.audit import Audit
from curator.store.edits import UNCHECKED, set_row_field
from curator.store.field_states import StoredRow, refresh_status, same_reviewer, set_state, stored_row
from curator.store.models import AdjudicationItem, table_of

__all__ = ["Item", "CHOICES", "ORIGINS", "open_item", "open_items", "items", "get_item", "decide"]

_T_ADJ: Table = table_of(AdjudicationItem)
CHOICES: Final = ("a", "b", "new")
ORIGINS: Final = ("double-entry", "merge")


@dataclass(frozen=True, slots=True)
class Item:
    """One adjudication item, with where its row is now and its source quote."""

    id: int
    comparison: str
    position: int
    endpoint: str
    field: str
    value_a: str | None
    value_b: str | None
    who_a: str | None
    who_b: str | None
    origin: str
    opened_by: str
    opened_at: datetime
    source_location: str | None = None
    source_quote: str | None = None
    choice: str | None = None
    final: str | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: The comparison's arm labels, to name the field in messages (not part of the JSON).
    arms: Arms = Arms()
    #: The field's text in the review when the item was read (``""`` when empty): what a decision made on
    #: what was shown expects (``decide``'s ``expected``), not part of the JSON.
    current: str = ""

    @property
    def is_open(self) -> bool:
        return self.decided_at is None

    @property
    def where(self) -> str:
        """The field in people's words: ``Intervention n in row 3 of pime-vs-tcs``."""
        return field_place(self.comparison, self.position, self.field, None, self.arms)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "comparison": self.comparison,
            "row": self.position,
            "endpoint": self.endpoint,
            "field": self.field,
            "a": self.value_a,
            "b": self.value_b,
            "who_a": self.who_a,
            "who_b": self.who_b,
            "origin": self.origin,
            "opened_by": self.opened_by,
            "opened_at": self.opened_at.isoformat(),
            "source": {"location": self.source_location, "quote": self.source_quote},
        }
        if not self.is_open:
            assert self.decided_at is not None
            out["decision"] = {
                "choice": self.choice,
                "value": self.final,
                "reason": self.reason,
                "by": self.decided_by,
                "at": self.decided_at.isoformat(),
            }
        return out


def open_item(
    conn: Connection,
    audit: Audit,
    stored: StoredRow,
    field: str,
    value_a: str | None,
    value_b: str | None,
    who_a: str | None,
    who_b: str | None,
    origin: str,
) -> int | None:
    """Open an item for a disagreement and dispute the field; returns its id,
    or None when the same disagreement is open already (a repeated merge)."""
    same = conn.execute(
        select(_T_ADJ.c.id).where(
            _T_ADJ.c.row_id == stored.id,
            _T_ADJ.c.field == field,
            _T_ADJ.c.decided_at.is_(None),
            _T_ADJ.c.value_a.is_(value_a) if value_a is None else _T_ADJ.c.value_a == value_a,
            _T_ADJ.c.value_b.is_(value_b) if value_b is None else _T_ADJ.c.value_b == value_b,
        )
    ).first()
    if same is not None:
        return None
    item_id = conn.execute(
        insert(_T_ADJ)
        .values(
            row_id=stored.id,
            field=field,
            value_a=value_a,
            value_b=value_b,
            who_a=who_a,
            who_b=who_b,
            origin=origin,
            opened_by=audit.who,
            opened_at=audit.at,
        )
        .returning(_T_ADJ.c.id)
    ).scalar_one()
    audit.event(
        "open-adjudication", "endpoint_row", stored.id, field, None,
        json.dumps({"item": item_id, "a": value_a, "b": value_b, "who_a": who_a, "who_b": who_b,
                    "origin": origin}, ensure_ascii=False),
    )  # fmt: skip
    who = who_b or audit.who
    set_state(conn, audit, stored, field, "disputed", who, f"{who} entered {_show(value_b)} ({origin})")
    return int(item_id)


def _show(text: str | None) -> str:
    return "nothing" if text is None else repr(text)


def _item(conn: Connection, rec: RowMapping) -> Item:
    stored = stored_row(conn, rec["row_id"])
    source = stored.row.source
    values = {k: rec[k] for k in rec.keys() if k not in ("id", "row_id")}
    return Item(
        id=rec["id"],
        comparison=stored.comparison,
        position=stored.position,
        endpoint=stored.row.endpoint,
        source_location=source.location if source else None,
        source_quote=source.quote if source else None,
        arms=stored.arms,
        current=texts(stored.row).get(rec["field"], ""),
        **values,
    )


def items(session: Session | Connection, *, open_only: bool = False) -> list[Item]:
    """Adjudication items in the order they were opened (only open ones with ``open_only``)."""
    conn = session.connection() if isinstance(session, Session) else session
    query = select(_T_ADJ).order_by(_T_ADJ.c.id)
    if open_only:
        query = query.where(_T_ADJ.c.decided_at.is_(None))
    return [_item(conn, rec) for rec in conn.execute(query).mappings().all()]


def open_items(session: Session | Connection) -> list[Item]:
    """The items still waiting for a decision, oldest first."""
    return items(session, open_only=True)


def get_item(session: Session | Connection, item_id: int) -> Item:
    """One item by id; :class:`CuratorError` when there is none."""
    conn = session.connection() if isinstance(session, Session) else session
    rec = conn.execute(select(_T_ADJ).where(_T_ADJ.c.id == item_id)).mappings().first()
    if rec is None:
        raise CuratorError(f"adjudication item {item_id}: no such item (see `curator adjudication`)")
    return _item(conn, rec)


def decide(
    session: Session,
    item_id: int,
    choice: str,
    who: str,
    *,
    value: str | None = None,
    reason: str | None = None,
    expected: str | None = None,
) -> Item:
    """``who`` decides an open item: ``a`` keeps value A, ``b`` takes value
    B, ``new`` sets ``value`` (``reason`` required). Returns the decided item.

    Refuses an unknown or decided item, an unknown choice, a value without
    ``new`` or ``new`` without a value or reason, a value the field cannot
    hold, and an adjudicator who entered one of the values or extracted
    the row. Nothing is written then.

    Compare-and-set (working at once): an item decided meanwhile by another
    adjudicator is refused, and with ``expected`` (the field's value in the
    review as the adjudicator saw it) a value changed meanwhile too
    (:class:`~curator.errors.StaleWrite`, naming the field and both values).
    """
    item = get_item(session, item_id)
    where = f"adjudication item {item_id} ({item.where})"
    if not item.is_open:
        raise CuratorError(f"{where}: already decided by {item.decided_by} ({item.choice})")
    if choice not in CHOICES:
        raise CuratorError(f"{where}: choose a, b or new, not {choice!r}")
    if choice == "new":
        if value is None:
            raise CuratorError(f"{where}: a new value needs --value")
        if not (reason or "").strip():
            raise CuratorError(f"{where}: a new value needs a reason")
    elif value is not None:
        raise CuratorError(f"{where}: --value goes with the choice new, not {choice}")
    conn = session.connection()
    stored = stored_row(conn, _row_id(conn, item_id))
    for entered in (item.who_a, item.who_b, stored.row.extracted_by):
        if same_reviewer(who, entered):
            assert entered is not None
            raise CuratorError(
                f"{where}: {entered.strip()} entered one of the values; a third reviewer must adjudicate"
            )
    final = item.value_a if choice == "a" else item.value_b if choice == "b" else value
    try:
        parse_field(item.field, final or "")
    except ValueError as exc:
        raise CuratorError(f"{where}: {exc}") from None
    audit = Audit(who)
    decided = {"choice": choice, "final": final, "reason": (reason or "").strip() or None}
    done = conn.execute(
        update(_T_ADJ)
        .where(_T_ADJ.c.id == item_id, _T_ADJ.c.decided_at.is_(None))
        .values(**decided, decided_by=who, decided_at=audit.at)
    )
    if done.rowcount != 1:  # another adjudicator's decision committed since this one read the item
        now = get_item(session, item_id)
        raise CuratorError(
            f"{where}: already decided by {now.decided_by} ({now.choice}) meanwhile; nothing was written"
        )
    audit.event(
        "adjudicate", "endpoint_row", stored.id, item.field,
        json.dumps({"item": item_id, "a": item.value_a, "b": item.value_b}, ensure_ascii=False),
        json.dumps({"choice": choice, "value": final, "reason": decided["reason"]}, ensure_ascii=False),
    )  # fmt: skip
    audit.flush(conn)  # the decision first, then what it changes
    set_row_field(
        session,
        item.comparison,
        item.position,
        item.field,
        final or "",
        who,
        expected=UNCHECKED if expected is None else expected,
    )
    stored = stored_row(conn, stored.id)
    set_state(conn, audit, stored, item.field, "verified", who)
    refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)
    return get_item(session, item_id)


def _row_id(conn: Connection, item_id: int) -> int:
    return int(conn.execute(select(_T_ADJ.c.row_id).where(_T_ADJ.c.id == item_id)).scalar_one())
