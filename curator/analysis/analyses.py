"""The analyses of a review (see :mod:`curator.analysis`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator.analysis.effects import (
    BINARY,
    CONTINUOUS,
    MEASURES,
    RATIO,
    Binary,
    Continuous,
    Generic,
    NotPoolable,
    binary_data,
    binary_effect,
    continuous_data,
    continuous_effect,
    generic_data,
    generic_effect,
)
from curator.analysis.names import METHODS
from curator.analysis.pooling import Pooled, pool, pool_mantel_haenszel
from curator.naming import row_number, short_citation
from curator.review import Comparison, Review, Row

__all__ = ["Analysis", "Study", "LeftOut", "analyse", "endpoint_key", "MEASURES", "METHODS", "RATIO"]


def endpoint_key(endpoint: str) -> str:
    """An endpoint as analyses compare it: case and spacing ignored."""
    return " ".join(endpoint.split()).casefold()


@dataclass(frozen=True, slots=True)
class Study:
    """One row in an analysis: its effect on the measure's own scale (a ratio as a ratio)."""

    row: int  # from 1, in its comparison
    citation: str
    estimate: float
    ci_low: float
    ci_high: float
    weight: float  # percent
    #: Its data: a 2x2 table, two arms' means, or a reported estimate.
    data: Binary | Continuous | Generic
    #: On the pooling scale (the log for a ratio), for exports: the estimate and its variance.
    yi: float
    vi: float
    #: What was worked out for it (events from a percent, an SD from an SE).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LeftOut:
    row: int
    citation: str
    reason: str


@dataclass(frozen=True)
class Analysis:
    comparison: str
    endpoint: str
    measure: str
    method: str
    hksj: bool
    studies: tuple[Study, ...]
    left_out: tuple[LeftOut, ...]
    pooled: Pooled | None
    #: Why the analysis could not be pooled (mixed measures or units, no study left), else None.
    refused: str | None = None
    #: The comparison's arm labels, for "favours" (intervention, comparator).
    arms: tuple[str, str] = ("", "")
    unit: str | None = None
    #: Whether a higher value is better, when the pooled rows all say the same (a forest plot's sides).
    higher_is_better: bool | None = None

    @property
    def k(self) -> int:
        return len(self.studies)

    def on_scale(self, value: float | None) -> float | None:
        """A value of the pooling scale on the measure's own (a ratio as a ratio)."""
        if value is None:
            return None
        return math.exp(value) if self.measure in RATIO else value

    def to_json(self) -> dict[str, Any]:
        """The analysis as ``curator analyse --format json`` prints it."""
        p = self.pooled
        out: dict[str, Any] = {
            "comparison": self.comparison,
            "endpoint": self.endpoint,
            "measure": self.measure,
            "method": self.method,
            "hksj": self.hksj,
            "k": self.k,
            "estimate": self.on_scale(p.estimate) if p else None,
            "ci_low": self.on_scale(p.ci_low) if p else None,
            "ci_high": self.on_scale(p.ci_high) if p else None,
            "se": p.se if p else None,
            "p": p.p if p else None,
            "tau2": p.tau2 if p else None,
            "i2": p.i2 if p else None,
            "q": p.q if p else None,
            "q_p": p.q_p if p else None,
            "prediction_low": self.on_scale(p.prediction[0]) if p and p.prediction else None,
            "prediction_high": self.on_scale(p.prediction[1]) if p and p.prediction else None,
            "model": p.model if p else None,
            "studies": [
                {
                    "row": s.row,
                    "citation": s.citation,
                    "estimate": s.estimate,
                    "ci_low": s.ci_low,
                    "ci_high": s.ci_high,
                    "weight": s.weight,
                    **({"notes": list(s.notes)} if s.notes else {}),
                }
                for s in self.studies
            ],
            "left_out": [{"row": o.row, "citation": o.citation, "reason": o.reason} for o in self.left_out],
        }
        if self.refused:
            out["refused"] = self.refused
        return out


def analyse(
    review: Review,
    *,
    comparison: str | None = None,
    endpoint: str | None = None,
    measure: str | None = None,
    method: str = "reml",
    hksj: bool = False,
    mantel_haenszel: bool = True,
    errors: Mapping[tuple[str, int], Sequence[str]] | None = None,
    min_studies: int = 1,
) -> list[Analysis]:
    """The analyses of ``review`` (of one comparison, of one endpoint, when given). ``errors``: for a row
    (comparison key, position from 0), its findings of severity error, each as a reviewer reads it; such
    a row is left out, saying so. Endpoints with fewer rows than ``min_studies`` are not analysed (the
    workbook shows only what pools two studies or more). A fixed-effect analysis of 2x2 tables is
    Mantel–Haenszel's unless ``mantel_haenszel`` is false (then inverse variance)."""
    if measure is not None and measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    citations = {ref.key: short_citation(ref) for ref in review.references}
    wanted = endpoint_key(endpoint) if endpoint is not None else None
    out = []
    for cmp in review.comparisons:
        if comparison is not None and cmp.key != comparison:
            continue
        groups: dict[str, list[tuple[int, Row]]] = {}
        for position, row in enumerate(cmp.rows):
            groups.setdefault(endpoint_key(row.endpoint), []).append((position, row))
        for key, rows in groups.items():
            if (wanted is not None and key != wanted) or len(rows) < min_studies:
                continue
            out.append(_analysis(cmp, rows, citations, measure, method, hksj, mantel_haenszel, errors or {}))
    return out


def _citation(row: Row, citations: Mapping[str, str]) -> str:
    if not row.citations:
        return "(no reference)"
    first = citations.get(row.citations[0], f"[{row.citations[0]}]")
    return first if len(row.citations) == 1 else f"{first} (+{len(row.citations) - 1})"


def _default_measure(rows: Iterable[Row]) -> str | tuple[str, str]:
    """The measure the rows make, or ("", why not) when they mix them: with events, the binary measure
    the rows report (RR if none); with means, MD or the SMD they report; with neither, the one measure
    they all report."""
    rows = list(rows)
    reported = {r.effect.measure for r in rows if r.effect is not None and r.effect.measure in MEASURES}
    kinds = {
        "mean" if r.measure == "mean" else "binary"
        for r in rows
        if r.intervention is not None and r.comparator is not None and r.measure in ("mean", "percent", "count")
    }
    if kinds == {"binary"}:
        same = reported & set(BINARY)
        return same.pop() if len(same) == 1 else "RR"
    if kinds == {"mean"}:
        return "SMD" if reported == {"SMD"} else "MD"
    if kinds:
        return ("", "the studies mix events and means; choose a measure")
    if len(reported) == 1:
        return reported.pop()
    if reported:
        return ("", f"the studies report different measures ({', '.join(sorted(reported))}); choose one")
    return ("", "no row gives events, means or a reported estimate")


def _study_data(row: Row, measure: str) -> tuple[Binary | Continuous | Generic, float, float]:
    """The row's data for ``measure``, and its estimate and variance on the pooling scale: from its
    arms, else from its reported estimate. Why not: what its arms lack (a row with both arms), and what
    its estimate is not (a row that reports one, or has no arms)."""
    reasons = []
    both_arms = row.intervention is not None and row.comparator is not None
    if measure in BINARY and both_arms:
        try:
            table = binary_data(row)
            return (table, *binary_effect(table, measure))
        except NotPoolable as exc:
            if "ratio cannot be estimated" in str(exc):
                raise
            reasons.append(str(exc))
    if measure in CONTINUOUS and both_arms:
        try:
            means = continuous_data(row)
            return (means, *continuous_effect(means, measure))
        except NotPoolable as exc:
            reasons.append(str(exc))
    try:
        estimate = generic_data(row, measure)
        return (estimate, *generic_effect(estimate))
    except NotPoolable as exc:
        if (row.effect is not None and row.effect.measure is not None) or not reasons:
            reasons.append(str(exc))
    if not both_arms and measure in (*BINARY, *CONTINUOUS) and row.effect is None:
        reasons = [f"a row needs both arms, or a reported {measure}, to be pooled as an {measure}"]
    raise NotPoolable("; ".join(reasons))


def _analysis(
    cmp: Comparison,
    rows: list[tuple[int, Row]],
    citations: Mapping[str, str],
    measure: str | None,
    method: str,
    hksj: bool,
    mantel_haenszel: bool,
    errors: Mapping[tuple[str, int], Sequence[str]],
) -> Analysis:
    endpoint = rows[0][1].endpoint
    arms = (cmp.intervention, cmp.comparator)

    def refused(why: str, chosen: str = "") -> Analysis:
        left = tuple(LeftOut(row_number(pos), _citation(row, citations), why) for pos, row in rows)
        return Analysis(cmp.key, endpoint, chosen, method, hksj, (), left, None, why, arms)

    if measure is None:
        chosen = _default_measure(r for _p, r in rows)
        if isinstance(chosen, tuple):
            return refused(chosen[1])
        measure = chosen
    kept: list[tuple[int, Row, Binary | Continuous | Generic, float, float]] = []
    left: list[LeftOut] = []
    for pos, row in rows:
        found = errors.get((cmp.key, pos))
        if found:
            left.append(LeftOut(row_number(pos), _citation(row, citations), f"a finding of severity error: {found[0]}"))
            continue
        try:
            data, y, v = _study_data(row, measure)
        except NotPoolable as exc:
            left.append(LeftOut(row_number(pos), _citation(row, citations), str(exc)))
            continue
        if not (math.isfinite(y) and math.isfinite(v) and v > 0):
            left.append(LeftOut(row_number(pos), _citation(row, citations), "its estimate has no usable variance"))
            continue
        kept.append((pos, row, data, y, v))
    unit = None
    if measure == "MD":
        units = {(row.unit or "").strip() for _p, row, data, _y, _v in kept if isinstance(data, Continuous)}
        units |= {(row.unit or "").strip() for _p, row, data, _y, _v in kept if isinstance(data, Generic)}
        if len(units) > 1:
            named = ", ".join(sorted(u or "no unit" for u in units))
            return refused(f"the studies are in different units ({named}): pool them as an SMD, or convert", measure)
        unit = units.pop() if units else None
    if not kept:
        why = "no study can be pooled"
        return Analysis(cmp.key, endpoint, measure, method, hksj, (), tuple(left), None, why, arms, unit)
    ys = [y for *_r, y, _v in kept]
    vs = [v for *_r, v in kept]
    tables = [data for _p, _r, data, _y, _v in kept]
    if mantel_haenszel and method == "fixed" and measure in BINARY and all(isinstance(d, Binary) for d in tables):
        pooled = pool_mantel_haenszel([d for d in tables if isinstance(d, Binary)], measure, ys, vs)
    else:
        pooled = pool(ys, vs, method, hksj=hksj)
    ratio = measure in RATIO
    studies = []
    for (pos, row, data, y, v), weight in zip(kept, pooled.weights, strict=True):
        half = 1.959963984540054 * math.sqrt(v)
        low, high = y - half, y + half
        notes = []
        if isinstance(data, Binary) and data.from_percent:
            notes.append("events worked out from the printed percent and n")
        if isinstance(data, Continuous) and data.from_se:
            notes.append("SD worked out from the SE and n")
        scale = math.exp if ratio else (lambda x: x)
        studies.append(
            Study(
                row_number(pos),
                _citation(row, citations),
                scale(y),
                scale(low),
                scale(high),
                weight,
                data,
                y,
                v,
                tuple(notes),
            )
        )
    better = {row.higher_is_better for _p, row, *_rest in kept}
    higher = better.pop() if len(better) == 1 else None
    return Analysis(
        cmp.key, endpoint, measure, method, hksj, tuple(studies), tuple(left), pooled, None, arms, unit, higher
    )
