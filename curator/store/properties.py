"""The review's own properties: its title and description (File > Properties).

The title is the exchange format's top-level ``title``; the description is
kept in the database only (``curator/1`` has no such key). Each change is
audited as an update of the ``review`` record.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, insert, select, update
from sqlmodel import Session

from curator.errors import CuratorError, StaleWrite
from curator.fields import shown
from curator.store.audit import Audit
from curator.store.models import ReviewMeta, table_of

__all__ = ["review_properties", "set_review_properties", "TITLE_LIMIT"]

_T_REVIEW: Table = table_of(ReviewMeta)
#: The longest title accepted (it is shown in the window title and on the workbook).
TITLE_LIMIT = 300


def review_properties(conn: Connection) -> tuple[str | None, str | None]:
    """The review's title and description (None when not set)."""
    found = conn.execute(select(_T_REVIEW.c.title, _T_REVIEW.c.description).order_by(_T_REVIEW.c.id)).first()
    return (None, None) if found is None else (found[0], found[1])


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def set_review_properties(
    session: Session,
    title: str | None,
    description: str | None,
    who: str,
    *,
    expected: tuple[str | None, str | None] | None = None,
) -> bool:
    """Set the review's title and description (empty text clears one); True when anything changed.

    Refuses a title with a line break or longer than :data:`TITLE_LIMIT`
    characters; with ``expected`` (the title and description as the
    reviewer saw them), refuses (:class:`~curator.errors.StaleWrite`) when
    either was changed meanwhile. Nothing is written then."""
    new_title, new_description = _clean(title), _clean(description)
    if new_title is not None and ("\n" in new_title or "\r" in new_title):
        raise CuratorError("review title: a title is one line; put the rest in the description")
    if new_title is not None and len(new_title) > TITLE_LIMIT:
        raise CuratorError(
            f"review title: {len(new_title)} characters is too long (at most {TITLE_LIMIT}); "
            "put the rest in the description"
        )
    conn = session.connection()
    audit = Audit(who)
    meta = conn.execute(select(_T_REVIEW).order_by(_T_REVIEW.c.id).with_for_update()).mappings().first()
    if expected is not None:
        now = (None, None) if meta is None else (meta["title"], meta["description"])
        for name, was, stored, yours in zip(
            ("title", "description"), expected, now, (new_title, new_description), strict=True
        ):
            if _clean(was) != _clean(stored):
                raise StaleWrite(
                    f"review {name}: not changed: it is now {shown(stored)}, not {shown(was)} as this change "
                    "expected (it was changed meanwhile: another window or reviewer); nothing was written",
                    field=name,
                    expected=was or "",
                    theirs=stored or "",
                    yours=yours or "",
                )
    if meta is None:
        values: dict[str, object] = {"title": new_title, "description": new_description, "extensions": {}}
        (meta_id,) = conn.execute(insert(_T_REVIEW).returning(_T_REVIEW.c.id), [values]).scalars()
        audit.add("insert", "review", meta_id, new=values)
        audit.flush(conn)
        return True
    changes = {
        name: new
        for name, new in (("title", new_title), ("description", new_description))
        if (meta[name] or None) != new
    }
    if not changes:
        return False
    for name, new in changes.items():
        audit.change("review", meta["id"], name, meta[name], new)
    conn.execute(update(_T_REVIEW).where(_T_REVIEW.c.id == meta["id"]).values(**changes))
    audit.flush(conn)
    return True
