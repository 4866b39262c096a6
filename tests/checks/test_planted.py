"""A review of clean rows plus rows each with one planted fault: every fault is caught, clean rows stay clean."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable

import pytest

from curator.checks import CATALOGUE, run_checks
from curator.numbers import parse_reported
from curator.review import Comparison, Document, Reference, Review, Row
from tests.checks.builders import ref
from tests.checks.generate import clean_row

P = parse_reported


def _template(rng: random.Random, endpoint: str) -> Row:
    """A clean row: 40/200 vs 64/200, RR 0.625 (Katz CI 0.4435 to 0.8811), p = 0.0072."""
    row = clean_row(rng, endpoint, 40, 200, 64, 200, "RR", shown="events")
    row.intervention.value, row.comparator.value = P("20.0"), P("32.0")  # type: ignore[union-attr]
    row.effect.value, row.effect.ci_low, row.effect.ci_high = P("0.63"), P("0.44"), P("0.88")  # type: ignore[union-attr]
    row.effect.p = P("0.007")  # type: ignore[union-attr]
    return row


def _set(path: str, value: object) -> Callable[[Row], None]:
    def apply(row: Row) -> None:
        obj: object = row
        *parts, last = path.split(".")
        for part in parts:
            obj = getattr(obj, part)
        setattr(obj, last, P(value) if isinstance(value, str) and path.split(".")[-1] in _NUMBERS else value)

    return apply


_NUMBERS = {
    "value", "n", "events", "ci_low", "ci_high", "p", "sd", "se", "integer_items", "q1", "q3", "min", "max"
}  # fmt: skip


def _as_mean_row(*faults: Callable[[Row], None]) -> Callable[[Row], None]:
    """The template turned into a clean ``mean`` row (the Cochrane Handbook's
    MD 3.8, P = 0.008, 25 and 22 patients, SD 4.7), then the faults planted."""

    def apply(row: Row) -> None:
        row.measure, row.unit, row.favours = "mean", "points", None
        for part, mean, n in (("intervention", "13.8", "25"), ("comparator", "10.0", "22")):
            _set(f"{part}.value", mean)(row)
            _set(f"{part}.sd", "4.7")(row)
            _set(f"{part}.n", n)(row)
            _set(f"{part}.events", None)(row)
        row.effect.measure = "MD"  # type: ignore[union-attr]
        for key, value in (("value", "3.8"), ("ci_low", "1.0"), ("ci_high", "6.6"), ("p", "0.008")):
            _set(f"effect.{key}", value)(row)
        for fault in faults:
            fault(row)

    return apply


def _both(*fs: Callable[[Row], None]) -> Callable[[Row], None]:
    def apply(row: Row) -> None:
        for f in fs:
            f(row)

    return apply


#: rule -> the one fault planted in an otherwise clean row.
ROW_FAULTS: dict[str, Callable[[Row], None]] = {
    "range-percent": _both(_set("intervention.value", "104.5"), _set("intervention.events", None)),
    "range-p": _set("effect.p", "0.000"),
    "range-n": _set("intervention.events", "240"),
    "range-ratio": _set("effect.ci_low", "0.00"),
    "ci-order": _set("effect.value", "0.90"),
    "grim-percent": _both(_set("intervention.events", None), _set("intervention.value", "20.1")),
    "events-percent": _set("intervention.value", "21.0"),
    "effect-recompute": _both(
        _set("effect.value", "0.70"), _set("effect.ci_low", "0.52"), _set("effect.ci_high", "0.94")
    ),
    "ci-symmetry": _set("effect.ci_low", "0.30"),
    "ci-p": _set("effect.p", "0.40"),
    "effect-direction": lambda row: setattr(
        row, "favours", "comparator" if row.favours == "intervention" else "intervention"
    ),
    "significance-claim": _set("finding", "The arms did not differ significantly."),
    "versus-mismatch": _set("effect.versus", "vehicle"),
    "unit-mismatch": _set("unit", "days"),
    "missing-denominator": _both(_set("comparator.n", None), _set("comparator.events", None)),
    "citation-missing": _set("citations", []),
    "citation-dangling": _set("citations", ["1", "99"]),
    "self-verified": _set("verified_by", " ann "),
    "md-recompute": _as_mean_row(_set("effect.value", "3.3")),
    "sd-se": _as_mean_row(_set("intervention.se", "0.49")),
    "md-precision": _as_mean_row(_set("intervention.sd", "0.94"), _set("comparator.sd", "1.00")),
    "ci-p-value": _set("effect.p", "0.0000001"),
    # Format 1.1: the row turned into a mean (or median) row with one fault.
    "grim-mean": _both(
        _set("measure", "mean"),
        _set("integer_items", "1"),
        _set("intervention.events", None),
        _set("intervention.value", "5.19"),
        _set("intervention.n", "28"),
    ),
    "grimmer-sd": _both(
        _set("measure", "mean"),
        _set("integer_items", "1"),
        _set("intervention.events", None),
        _set("intervention.value", "5.23"),
        _set("intervention.sd", "2.55"),
        _set("intervention.n", "35"),
    ),
    "median-order": _both(_set("measure", "median"), _set("intervention.q1", "25")),
}


def build() -> tuple[Review, dict[int, str], set[int], dict[str, str]]:
    rng = random.Random(7)
    rows: list[Row] = []
    planted: dict[int, str] = {}
    clean: set[int] = set()
    for i in range(5):
        clean.add(len(rows))
        rows.append(_template(rng, f"Clean endpoint {i}"))
    for rule, fault in ROW_FAULTS.items():
        row = _template(rng, f"Planted {rule}")
        row.favours = "intervention"
        row.higher_is_better = False
        fault(row)
        planted[len(rows)] = rule
        rows.append(row)
        clean.add(len(rows))
        rows.append(_template(rng, f"Clean after {rule}"))
    # duplicate-row: the same endpoint and citations twice.
    dup = _template(rng, "Planted duplicate-row")
    planted[len(rows)] = "duplicate-row"
    rows.append(dup)
    planted[len(rows)] = "duplicate-row"
    rows.append(copy.deepcopy(dup))
    refs = [
        ref("1"),
        Reference("unused", doi="10.1000/unused.1"),
        Reference("dup-a", doi="10.1000/SAME", title="A"),
        Reference("dup-b", doi="https://doi.org/10.1000/same", title="B"),
        Reference("bad-doi", doi="10.12/x"),
    ]
    ref_faults = {
        "unused": "reference-unused",
        "dup-a": "reference-duplicate",
        "dup-b": "reference-duplicate",
        "bad-doi": "reference-identifier",
        "1": "document-missing",  # its paper named, its file not held
    }
    for key in ("dup-a", "dup-b", "bad-doi"):
        rows[0].citations.append(key)
    review = Review(references=refs, comparisons=[Comparison("a-vs-b", "A vs B", "Drug A", "Drug B", rows=rows)])
    review.documents = [Document(sha256="ab" * 32, file="paper.pdf", reference="1")]
    return review, planted, clean, ref_faults


def test_template_rows_are_clean() -> None:
    review, _, _, _ = build()
    review.comparisons[0].rows = [_template(random.Random(i), f"E{i}") for i in range(20)]
    review.references = [ref("1")]
    review.documents = []
    assert run_checks(review) == []


def test_every_planted_fault_is_caught_and_clean_rows_stay_clean() -> None:
    review, planted, clean, ref_faults = build()
    findings = run_checks(review)
    by_row: dict[int, set[str]] = {}
    by_ref: dict[str, set[str]] = {}
    for f in findings:
        if f.reference is not None:
            by_ref.setdefault(f.reference, set()).add(f.rule)
        else:
            assert f.row is not None
            by_row.setdefault(f.row, set()).add(f.rule)
    for index, rule in planted.items():
        assert rule in by_row.get(index, set()), (rule, by_row.get(index))
    for key, rule in ref_faults.items():
        assert rule in by_ref.get(key, set()), (rule, by_ref.get(key))
    assert not (set(by_row) & clean), {i: by_row[i] for i in set(by_row) & clean}
    assert set(by_ref) == set(ref_faults)
    # Every catalogue rule has a planted fault.
    assert set(planted.values()) | set(ref_faults.values()) == set(CATALOGUE)


@pytest.mark.parametrize("rule", sorted(ROW_FAULTS))
def test_each_fault_alone_fires_its_rule(rule: str) -> None:
    row = _template(random.Random(3), "Alone")
    row.favours = "intervention"
    row.higher_is_better = False
    ROW_FAULTS[rule](row)
    review = Review(references=[ref("1")], comparisons=[Comparison("c", "c", "Drug A", "Drug B", rows=[row])])
    assert rule in {f.rule for f in run_checks(review)}
