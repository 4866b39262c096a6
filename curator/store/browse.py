"""Reading a review a screenful at a time, for a table that shows it.

A 100,000-row comparison must show its first screen in well under a second,
and loading it whole (every value parsed into :class:`~curator.review.Row`
objects) takes seconds. So a table reads:

- the review's outline (:func:`comparison_outline`): each comparison with
  its row count and its rows verified here and claimed verified (see
  :mod:`curator.store.verified_here`), counted by the database;
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
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Connection, Table, func, select

from curator.memory import gc_paused
from curator.review import Arm, Comparison, Row
from curator.store.models import Citation, ComparisonRecord, RowRecord, table_of
from curator.store.records import _ROW_PLAN
from curator.store.repository import load_evidence

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

_T_CMP: Table = table_of(ComparisonRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)

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
    #: Rows verified here, by a reviewer other than the extractor (:mod:`curator.store.verified_here`).
    verified: int = 0
    extensions: dict[str, Any] = field(default_factory=dict)
    #: Rows whose status says verified only because their file claims it.
    claimed: int = 0

    @classmethod
    def of(cls, comparison: Comparison) -> ComparisonSummary:
        return cls(
            comparison.key,
            comparison.title,
            comparison.intervention,
            comparison.comparator,
            comparison.note,
            len(comparison.rows),
            0,  # a comparison in memory (read from a file) holds no verifications made here
            dict(comparison.extensions),
            sum(1 for r in comparison.rows if r.status == "verified"),
        )


def comparison_outline(conn: Connection) -> list[ComparisonSummary]:
    """Every comparison in order, with its row count, its rows verified here
    and those only claimed verified (:mod:`curator.store.verified_here`)."""
    from curator.store.verified_here import verified_counts

    rows: dict[int, int] = {
        cmp_id: int(n)
        for cmp_id, n in conn.execute(select(_T_ROW.c.comparison_id, func.count()).group_by(_T_ROW.c.comparison_id))
    }
    verified = verified_counts(conn)
    outline = []
    for rec in conn.execute(select(_T_CMP).order_by(_T_CMP.c.position)).mappings():
        here, claimed = verified.get(rec["id"], (0, 0))
        outline.append(
            ComparisonSummary(
                rec["key"],
                rec["title"],
                rec["intervention"],
                rec["comparator"],
                rec["note"],
                int(rows.get(rec["id"], 0)),
                here,
                dict(rec["extensions"] or {}),
                claimed,
            )
        )
    return outline


# -- sort and filter keys ------------------------------------------------------
#
# A column sorts by a (group, key) per row: groups in order, then keys within
# a group. Keys within a group are all floats or all strings, which Python
# compares several times faster than tuples: sorting 100,000 rows by tuples
# took 0.16 s, by floats or strings 0.03 s.

SortKeys = tuple[list[int] | None, list[Any]]


@lru_cache(maxsize=65536)
def _natural(key: str) -> str:
    """Reference keys sort as numbers when they are numbers (9 before 10), then as words."""
    if key.isdecimal():
        digits = str(int(key))  # any length: shorter numbers first, then digit by digit
        return f"0{len(digits):06d}{digits}"
    return f"1{key.casefold()}"


def _citations_key(citations: Sequence[str]) -> str:
    return "\x01".join(_natural(k) for k in citations)


def _text_key(text: str | None) -> tuple[int, str]:
    """Words in alphabetical order, empty last."""
    return (0, text.casefold()) if text else (1, "")


def _arm_key(present: bool, value: float | None, text: str | None) -> tuple[int, Any]:
    """Numbers first, by value; then words; empty last."""
    if value is not None:
        return (0, value)
    if present and text:
        return (1, text.casefold())
    return (2, "")


def _effect_key(measure: str | None, value: float | None) -> tuple[str | None, float]:
    """By measure, then value; rows without an estimate last (measure None)."""
    if measure is None and value is None:
        return (None, 0.0)
    return ((measure or "").casefold(), value if value is not None else float("inf"))


def _arm_of(arm: Arm | None) -> tuple[int, Any]:
    return _arm_key(arm is not None, float(arm.value.value) if arm and arm.value else None, arm.text if arm else None)


#: (group, key) of a Row for each column of :data:`curator.formats.display.TABLE_COLUMNS`.
_ROW_KEYS: tuple[Callable[[Row], tuple[Any, Any]], ...] = (
    lambda r: (0, r.endpoint.casefold()),
    lambda r: _arm_of(r.intervention),
    lambda r: _arm_of(r.comparator),
    lambda r: _effect_key(
        r.effect.measure if r.effect else None,
        float(r.effect.value.value) if r.effect and r.effect.value else None,
    ),
    lambda r: _text_key(r.finding),
    lambda r: _text_key(r.duration),
    lambda r: _text_key(r.population),
    lambda r: (0, _citations_key(r.citations)),
    lambda r: (0, r.status),
)
SORTABLE_COLUMNS = len(_ROW_KEYS)

#: The same keys from the database's columns.
_SQL_KEYS: dict[int, tuple[str, Callable[..., tuple[Any, Any]]]] = {
    1: ("has_intervention, intervention_value_num, intervention_text", lambda h, v, t: _arm_key(bool(h), v, t)),
    2: ("has_comparator, comparator_value_num, comparator_text", lambda h, v, t: _arm_key(bool(h), v, t)),
    3: ("effect_measure, effect_value_num", _effect_key),
    4: ("finding", _text_key),
    5: ("duration", _text_key),
}


def sort_key(row: Row, column: int) -> tuple[Any, Any]:
    """The (group, key) a table sorts ``row`` by in ``column``."""
    return _ROW_KEYS[column](row)


def _split(pairs: list[tuple[Any, Any]]) -> SortKeys:
    """Groups as small ints (None when there is one) and keys, from (group, key) pairs."""
    groups = [p[0] for p in pairs]
    keys = [p[1] for p in pairs]
    distinct = set(groups)
    if len(distinct) <= 1:
        return None, keys
    if all(type(g) is int for g in distinct):
        return groups, keys
    rank = {g: i for i, g in enumerate(sorted(distinct, key=lambda g: (g is None, g)))}
    return [rank[g] for g in groups], keys


def _fetch_raw(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Rows of a plain query straight from the database driver.

    For the few queries that read a whole 100,000-row comparison, the
    result layer's per-row work costs as much as the query. ``sql`` uses
    ``?`` placeholders, turned into the driver's own style, so the same
    code runs on SQLite and PostgreSQL.
    """
    if conn.dialect.paramstyle in ("format", "pyformat"):
        sql = sql.replace("?", "%s")
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def ordered(positions: Iterable[int], keys: SortKeys, descending: bool = False) -> list[int]:
    """``positions`` sorted by group, then key (both reversed when ``descending``); stable."""
    groups, values = keys
    if groups is None:
        return sorted(positions, key=values.__getitem__, reverse=descending)
    buckets: dict[int, list[int]] = {}
    for i in positions:
        buckets.setdefault(groups[i], []).append(i)
    result: list[int] = []
    for group in sorted(buckets, reverse=descending):
        bucket = buckets[group]
        bucket.sort(key=values.__getitem__, reverse=descending)
        result.extend(bucket)
    return result


def filter_text(endpoint: str, population: str | None, citations: Sequence[str], status: str) -> str:
    """What a filter searches in a row: endpoint, population, citations ("[7]") and status."""
    return " ".join((endpoint, population or "", " ".join(f"[{c}]" for c in citations), status)).casefold()


# -- sources -------------------------------------------------------------------------


class RowSource(Protocol):
    """A comparison's rows, as a table reads them."""

    def __len__(self) -> int: ...

    def row(self, position: int) -> Row: ...

    def haystacks(self) -> list[str]:
        """Each row's :func:`filter_text`, by position."""
        ...

    def sort_keys(self, column: int) -> SortKeys: ...

    def replace(self, position: int, row: Row) -> None: ...


class _Cached:
    """Filter texts and sort keys, computed once and forgotten when a row changes."""

    def __init__(self) -> None:
        self._hay: list[str] | None = None
        self._keys: dict[int, SortKeys] = {}

    def _forget(self) -> None:
        self._hay = None
        self._keys.clear()


class MemoryRows(_Cached):
    """The rows of a comparison held in memory."""

    def __init__(self, rows: Sequence[Row]) -> None:
        super().__init__()
        self._rows = list(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, position: int) -> Row:
        return self._rows[position]

    def haystacks(self) -> list[str]:
        if self._hay is None:
            self._hay = [filter_text(r.endpoint, r.population, r.citations, r.status) for r in self._rows]
        return self._hay

    def sort_keys(self, column: int) -> SortKeys:
        found = self._keys.get(column)
        if found is None:
            key = _ROW_KEYS[column]
            self._keys.clear()
            found = self._keys[column] = _split([key(r) for r in self._rows])
        return found

    def replace(self, position: int, row: Row) -> None:
        self._rows[position] = row
        self._forget()


class StoredRows(_Cached):
    """The rows of a stored comparison, read a block at a time.

    ``connect`` gives a read connection (a context manager); it is called
    for each block, so no transaction stays open while the table is shown.
    """

    def __init__(self, connect: Connect, comparison: str) -> None:
        super().__init__()
        self._connect = connect
        self.comparison = comparison
        self._rows: dict[int, Row] = {}
        with connect() as conn, gc_paused():
            cid = conn.execute(select(_T_CMP.c.id).where(_T_CMP.c.key == comparison)).scalar()
            fetched = _fetch_raw(
                conn,
                "SELECT id, endpoint, population, status FROM endpoint_row WHERE comparison_id = ? ORDER BY position",
                (cid,),
            )
            cited: dict[int, list[str]] = {}
            for row_id, key in _fetch_raw(
                conn,
                "SELECT c.row_id, c.reference_key FROM citation c JOIN endpoint_row r ON r.id = c.row_id "
                "WHERE r.comparison_id = ? ORDER BY c.row_id, c.position",
                (cid,),
            ):
                if row_id in cited:
                    cited[row_id].append(key)
                else:
                    cited[row_id] = [key]
        self._cid = cid
        self.ids: list[int] = [f[0] for f in fetched]
        self._endpoints: list[str] = [f[1] for f in fetched]
        self._populations: list[str | None] = [f[2] for f in fetched]
        self._statuses: list[str] = [f[3] for f in fetched]
        none: list[str] = []
        self._citations: list[list[str]] = [cited.get(f[0], none) for f in fetched]

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, position: int) -> Row:
        found = self._rows.get(position)
        if found is None:
            start = max(0, position - BLOCK // 4)
            self._fetch([p for p in range(start, min(len(self.ids), start + BLOCK)) if p not in self._rows])
            found = self._rows[position]
        return found

    def _fetch(self, positions: Iterable[int]) -> None:
        self._rows.update(self._read(positions))

    def _read(self, positions: Iterable[int]) -> dict[int, Row]:
        wanted = {self.ids[p]: p for p in positions}
        if not wanted:
            return {}
        columns = ", ".join(_ROW_PLAN.columns)
        marks = ", ".join("?" * len(wanted))
        with self._connect() as conn, gc_paused():
            records = _fetch_raw(conn, f"SELECT {columns} FROM endpoint_row WHERE id IN ({marks})", tuple(wanted))
            evidence = load_evidence(conn, list(wanted))
        build = _ROW_PLAN.build
        found: dict[int, Row] = {}
        for rec in records:
            position = wanted[rec[0]]
            row = found[position] = build(tuple(rec), list(self._citations[position]))
            if evidence:
                row.evidence = evidence.get(rec[0], row.evidence)
        return found

    def take(self, start: int, stop: int) -> list[Row]:
        """The rows at positions ``start`` to ``stop - 1``, read now and not kept."""
        found = self._read(range(start, stop))
        return [found[p] for p in range(start, stop)]

    def haystacks(self) -> list[str]:
        if self._hay is None:
            self._hay = list(map(filter_text, self._endpoints, self._populations, self._citations, self._statuses))
        return self._hay

    def sort_keys(self, column: int) -> SortKeys:
        found = self._keys.get(column)
        if found is None:
            self._keys.clear()  # one column's keys at a time: 100,000 rows' keys are ~10 MB each
            found = self._keys[column] = self._sort_keys(column)
        return found

    def _sort_keys(self, column: int) -> SortKeys:
        if column == 0:
            return None, [e.casefold() for e in self._endpoints]
        if column == 6:
            return _split([_text_key(p) for p in self._populations])
        if column == 7:
            return None, [_citations_key(cs) for cs in self._citations]
        if column == 8:
            return None, list(self._statuses)
        names, make = _SQL_KEYS[column]
        with self._connect() as conn:
            fetched = _fetch_raw(
                conn, f"SELECT {names} FROM endpoint_row WHERE comparison_id = ? ORDER BY position", (self._cid,)
            )
        return _split([make(*f) for f in fetched])

    def replace(self, position: int, row: Row) -> None:
        """Show ``row`` (as just stored) at ``position``."""
        self._rows[position] = row
        self._endpoints[position] = row.endpoint
        self._populations[position] = row.population
        self._statuses[position] = row.status
        self._citations[position] = list(row.citations)
        self._forget()
