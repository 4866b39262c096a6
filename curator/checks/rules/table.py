"""Rows judged against the other rows of their comparison: units and duplicates."""

from __future__ import annotations

from collections.abc import Iterator

from curator.checks.accept import fold
from curator.checks.context import ReviewContext, RowRef
from curator.checks.finding import Finding
from curator.checks.registry import rule


def is_percent_unit(unit: str) -> bool:
    """A unit that says percent: it contains '%' or the word percent."""
    return "%" in unit or "percent" in unit.casefold()


def _by_comparison(ctx: ReviewContext) -> Iterator[list[RowRef]]:
    start = 0
    rows = ctx.rows
    while start < len(rows):
        end = start
        ci = rows[start].comp_index
        while end < len(rows) and rows[end].comp_index == ci:
            end += 1
        yield rows[start:end]
        start = end


def _rows_text(indices: list[int]) -> str:
    """Rows of the comparison for people: counted from 1 (the finding's ``row`` stays 0-based)."""
    numbers = [str(i + 1) for i in indices]
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return "rows " + ", ".join(numbers[:-1]) + f" and {numbers[-1]}"


@rule("unit-mismatch", "warning", "a percent row with a non-percent unit, or one endpoint in two units")
def unit_mismatch(ctx: ReviewContext) -> Iterator[Finding]:
    for group in _by_comparison(ctx):
        # Rows with a unit, by endpoint: (row, folded unit).
        by_endpoint: dict[str, list[tuple[RowRef, str]]] = {}
        for where in group:
            unit = where.row.unit
            if unit and not unit.isspace():
                by_endpoint.setdefault(fold(where.row.endpoint), []).append((where, fold(unit)))
        for members in by_endpoint.values():
            for where, mine in members:
                row = where.row
                unit = row.unit
                assert unit is not None
                reasons = []
                values: list[object] = [unit, row.measure]
                if row.measure == "percent" and not is_percent_unit(unit):
                    reasons.append(f"a percent row has unit {unit.strip()!r}, which is not a percent unit")
                if len(members) > 1:
                    others = [o for o, theirs in members if theirs != mine]
                    if others:
                        units = sorted({(o.row.unit or "").strip() for o in others})
                        reasons.append(
                            f"unit {unit.strip()!r} differs from {' and '.join(repr(u) for u in units)} in "
                            f"{_rows_text([o.position for o in others])} with the same endpoint"
                        )
                        values += [o.row.unit for o in others]
                if reasons:
                    yield ctx.row_finding("unit-mismatch", where, "unit", "; ".join(reasons), values)


@rule("duplicate-row", "warning", "two rows of a comparison with the same endpoint and citations")
def duplicate_row(ctx: ReviewContext) -> Iterator[Finding]:
    for group in _by_comparison(ctx):
        if len(group) < 2:
            continue
        seen: dict[tuple[str, frozenset[str]], list[RowRef]] = {}
        for where in group:
            seen.setdefault((fold(where.row.endpoint), frozenset(where.row.citations)), []).append(where)
        dupes = {id(w): rows for rows in seen.values() if len(rows) > 1 for w in rows}
        if not dupes:
            continue
        for where in group:
            rows = dupes.get(id(where))
            if rows is None:
                continue
            others = [o.position for o in rows if o is not where]
            cites = ", ".join(sorted(where.row.citations)) or "none"
            yield ctx.row_finding(
                "duplicate-row",
                where,
                None,
                f"same endpoint and citations ({cites}) as {_rows_text(others)}: is it entered twice?",
                (fold(where.row.endpoint), sorted(where.row.citations), len(others)),
            )
