"""Reading a review a screenful at a time, for a table that shows it.

A 100,000-row comparison must show its first screen in well under a second,
and loading it whole (every value parsed into :class:`~curator.review.Row`
objects) takes seconds. So a table reads:

- the review's outline (:func:`comparison_outline`): each comparison with
  its row and verified counts, counted by the database;
- for the comparison shown, a light index (:class:`StoredRows`): row ids,
  endpoint, population, status and citations, which is all that filtering
  needs;
- the full rows in blocks, only when they are shown;
- a column's sort keys, only when that column is sorted on.

:class:`MemoryRows` gives the same interface over a comparison already in
memory, so a table does not care where its rows come from. Both sort with
the same keys (:func:`sort_key`), so the order never depends on the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Table, func, select

from curator.review import Arm, Comparison, Row
from curator.store.models import Citation, ComparisonRecord, RowRecord
from curator.store.repository import _ROW_PLAN, _gc_paused

__all__ = [
    "ComparisonSummary",
    "comparison_outline",
    "RowSource",
    "MemoryRows",
    "StoredRows",
    "sort_key",
    "filter_text",
    "SORTABLE_COLUMNS",
]

_T_CMP: Table = ComparisonRecord.__table__  # type: ignore[attr-defined]
_T_ROW: Table = RowRecord.__table__  # type: ignore[attr-defined]
_T_CIT: Table = Citation.__table__  # type: ignore[attr-defined]

#: How many rows are fetched at once when a row not yet read is shown.
BLOCK = 256

Connect = Callable[[], AbstractContextManager[Connection]]


@dataclass(slots=True)
class ComparisonSummary:
    """A comparison without its rows, with the counts a list of them shows."""

    key: str
    title: str
    intervention: str
    comparator: str
    note: str | None = None
    rows: int = 0
    verified: int = 0
    extensions: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, comparison: Comparison) -> ComparisonSummary:
        return cls(
            comparison.key,
            comparison.title,
            comparison.intervention,
            comparison.comparator,
            comparison.note,
            len(comparison.rows),
            sum(1 for r in comparison.rows if r.status == "verified"),
            dict(comparison.extensions),
        )


def comparison_outline(conn: Connection) -> list[ComparisonSummary]:
    """Every comparison in order, with its row and verified-row counts."""
    counts = {
        cid: (n, verified)
        for cid, n, verified in conn.execute(
            select(
                _T_ROW.c.comparison_id,
                func.count(),
                func.sum((_T_ROW.c.status == "verified").cast(_T_ROW.c.position.type)),
            ).group_by(_T_ROW.c.comparison_id)
        )
    }
    outline = []
    for rec in conn.execute(select(_T_CMP).order_by(_T_CMP.c.position)).mappings():
        n, verified = counts.get(rec["id"], (0, 0))
        outline.append(
            ComparisonSummary(
                rec["key"],
                rec["title"],
                rec["intervention"],
                rec["comparator"],
                rec["note"],
                int(n),
                int(verified or 0),
                dict(rec["extensions"] or {}),
            )
        )
    return outline


# -- sort and filter keys ------------------------------------------------------


def _natural(key: str) -> tuple[int, int | str]:
    """Reference keys sort as numbers when they are numbers: 9 before 10."""
    return (0, int(key)) if key.isdigit() else (1, key.casefold())


def _text_key(text: str | None) -> tuple[int, str]:
    """Words in alphabetical order, empty last."""
    return (0, text.casefold()) if text else (1, "")


def _arm_key(present: bool, value: float | None, text: str | None) -> tuple[int, float, str]:
    """Numbers first, by value; then words; empty last."""
    if value is not None:
        return (0, value, "")
    if present and text:
        return (1, 0.0, text.casefold())
    return (2, 0.0, "")


def _effect_key(measure: str | None, value: float | None) -> tuple[int, str, float]:
    """By measure, then value; rows without an estimate last."""
    if measure is None and value is None:
        return (1, "", 0.0)
    return (0, (measure or "").casefold(), value if value is not None else float("inf"))


def _arm_of(arm: Arm | None) -> tuple[int, float, str]:
    return _arm_key(arm is not None, float(arm.value.value) if arm and arm.value else None, arm.text if arm else None)


#: Sort keys of a Row for each column of :data:`curator.formats.display.TABLE_COLUMNS`.
_ROW_KEYS: tuple[Callable[[Row], Any], ...] = (
    lambda r: r.endpoint.casefold(),
    lambda r: _arm_of(r.intervention),
    lambda r: _arm_of(r.comparator),
    lambda r: _effect_key(
        r.effect.measure if r.effect else None,
        float(r.effect.value.value) if r.effect and r.effect.value else None,
    ),
    lambda r: _text_key(r.finding),
    lambda r: _text_key(r.duration),
    lambda r: _text_key(r.population),
    lambda r: tuple(_natural(k) for k in r.citations),
    lambda r: r.status,
)
SORTABLE_COLUMNS = len(_ROW_KEYS)

#: The same keys from the database's columns (None: from the light index).
_SQL_KEYS: tuple[tuple[tuple[str, ...], Callable[..., Any]] | None, ...] = (
    None,
    (("has_intervention", "intervention_value_num", "intervention_text"), lambda h, v, t: _arm_key(bool(h), v, t)),
    (("has_comparator", "comparator_value_num", "comparator_text"), lambda h, v, t: _arm_key(bool(h), v, t)),
    (("effect_measure", "effect_value_num"), _effect_key),
    (("finding",), _text_key),
    (("duration",), _text_key),
    None,
    None,
    None,
)


def sort_key(row: Row, column: int) -> Any:
    """The key a table sorts ``row`` by in ``column``."""
    return _ROW_KEYS[column](row)


def filter_text(endpoint: str, population: str | None, citations: Sequence[str], status: str) -> str:
    """What a filter searches in a row: endpoint, population, citations ("[7]") and status."""
    return " ".join((endpoint, population or "", " ".join(f"[{c}]" for c in citations), status)).casefold()


# -- sources -------------------------------------------------------------------------


class RowSource(Protocol):
    """A comparison's rows, as a table reads them."""

    def __len__(self) -> int: ...

    def row(self, position: int) -> Row: ...

    def haystack(self, position: int) -> str: ...

    def sort_keys(self, column: int) -> list[Any]: ...

    def replace(self, position: int, row: Row) -> None: ...


class MemoryRows:
    """The rows of a comparison held in memory."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self._rows = list(rows)
        self._hay: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, position: int) -> Row:
        return self._rows[position]

    def haystack(self, position: int) -> str:
        text = self._hay.get(position)
        if text is None:
            r = self._rows[position]
            text = self._hay[position] = filter_text(r.endpoint, r.population, r.citations, r.status)
        return text

    def sort_keys(self, column: int) -> list[Any]:
        key = _ROW_KEYS[column]
        return [key(r) for r in self._rows]

    def replace(self, position: int, row: Row) -> None:
        self._rows[position] = row
        self._hay.pop(position, None)


class StoredRows:
    """The rows of a stored comparison, read a block at a time.

    ``connect`` gives a read connection (a context manager); it is called
    for each block, so no transaction stays open while the table is shown.
    """

    def __init__(self, connect: Connect, comparison: str) -> None:
        self._connect = connect
        self.comparison = comparison
        self._rows: dict[int, Row] = {}
        with connect() as conn, _gc_paused():
            cid = conn.execute(select(_T_CMP.c.id).where(_T_CMP.c.key == comparison)).scalar()
            fetched = conn.execute(
                select(_T_ROW.c.id, _T_ROW.c.endpoint, _T_ROW.c.population, _T_ROW.c.status)
                .where(_T_ROW.c.comparison_id == cid)
                .order_by(_T_ROW.c.position)
            ).all()
            cited: dict[int, list[str]] = {}
            for row_id, key in conn.execute(
                select(_T_CIT.c.row_id, _T_CIT.c.reference_key)
                .join(_T_ROW, _T_ROW.c.id == _T_CIT.c.row_id)
                .where(_T_ROW.c.comparison_id == cid)
                .order_by(_T_CIT.c.row_id, _T_CIT.c.position)
            ):
                cited.setdefault(row_id, []).append(key)
        self._cid = cid
        self.ids: list[int] = [f[0] for f in fetched]
        self._endpoints: list[str] = [f[1] for f in fetched]
        self._populations: list[str | None] = [f[2] for f in fetched]
        self._statuses: list[str] = [f[3] for f in fetched]
        self._citations: list[list[str]] = [cited.get(f[0], []) for f in fetched]
        self._hay: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def cached(self, position: int) -> Row | None:
        return self._rows.get(position)

    def row(self, position: int) -> Row:
        found = self._rows.get(position)
        if found is None:
            start = max(0, position - BLOCK // 4)
            self._fetch([p for p in range(start, min(len(self.ids), start + BLOCK)) if p not in self._rows])
            found = self._rows[position]
        return found

    def _fetch(self, positions: Iterable[int]) -> None:
        wanted = {self.ids[p]: p for p in positions}
        if not wanted:
            return
        columns = ", ".join(_ROW_PLAN.columns)
        marks = ", ".join("?" * len(wanted))
        with self._connect() as conn, _gc_paused():
            records = conn.exec_driver_sql(
                f"SELECT {columns} FROM endpoint_row WHERE id IN ({marks})", tuple(wanted)
            ).fetchall()
        build = _ROW_PLAN.build
        for rec in records:
            position = wanted[rec[0]]
            self._rows[position] = build(tuple(rec), list(self._citations[position]))

    def haystack(self, position: int) -> str:
        text = self._hay.get(position)
        if text is None:
            text = self._hay[position] = filter_text(
                self._endpoints[position],
                self._populations[position],
                self._citations[position],
                self._statuses[position],
            )
        return text

    def sort_keys(self, column: int) -> list[Any]:
        if column == 0:
            return [e.casefold() for e in self._endpoints]
        if column == 6:
            return [_text_key(p) for p in self._populations]
        if column == 7:
            return [tuple(_natural(k) for k in cs) for cs in self._citations]
        if column == 8:
            return list(self._statuses)
        spec = _SQL_KEYS[column]
        assert spec is not None
        names, make = spec
        with self._connect() as conn:
            fetched = conn.execute(
                select(_T_ROW.c.id, *(_T_ROW.c[n] for n in names)).where(_T_ROW.c.comparison_id == self._cid)
            ).all()
        by_id = {f[0]: make(*f[1:]) for f in fetched}
        return [by_id[i] for i in self.ids]

    def replace(self, position: int, row: Row) -> None:
        """Show ``row`` (as just stored) at ``position``."""
        self._rows[position] = row
        self._endpoints[position] = row.endpoint
        self._populations[position] = row.population
        self._statuses[position] = row.status
        self._citations[position] = list(row.citations)
        self._hay.pop(position, None)
