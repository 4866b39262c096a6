"""run_checks: order, JSON shape, rule selection, severities, and the demo review."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from curator.checks import CATALOGUE, JSON_KEYS, RULES, exit_status, run_checks
from curator.review import Comparison, Review
from tests.checks.builders import arm, effect, ref, row

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo-review.json"


def test_registry_is_the_catalogue_in_order() -> None:
    assert [r.id for r in RULES] == list(CATALOGUE)
    assert len(CATALOGUE) == 30  # the 22 of format 1.0, then the 8 added with 1.1, in that section's order
    assert list(CATALOGUE[22:]) == [
        "md-recompute",
        "sd-se",
        "md-precision",
        "ci-p-value",
        "grim-mean",
        "grimmer-sd",
        "document-missing",
        "median-order",
    ]
    for r in RULES:
        assert r.severity in ("info", "warning", "error") and r.description


def test_json_keys_and_order() -> None:
    (f,) = run_checks(
        Review(
            references=[ref("1")],
            comparisons=[Comparison("c", "C", "A", "B", rows=[row(intervention=arm("50.9", n="474"))])],
        ),
        rules=["grim-percent"],
    )
    assert (
        tuple(f.to_json())
        == JSON_KEYS
        == ("rule", "severity", "comparison", "endpoint", "row", "reference", "field", "message")
    )
    assert "fingerprint" not in f.to_json()
    json.dumps(f.to_json())


def test_order_comparisons_rows_then_references() -> None:
    c1 = Comparison(
        "first",
        "1",
        "A",
        "B",
        rows=[
            row("r0", intervention=arm("104.5", n="10")),
            row("r1", citations=[]),
        ],
    )
    c2 = Comparison("second", "2", "A", "B", rows=[row("s0", citations=["zz"], extracted_by="x", verified_by="X")])
    review = Review(references=[ref("1"), ref("2", doi="bad")], comparisons=[c1, c2])
    found = run_checks(review)
    places = [(f.comparison, f.row, f.reference) for f in found]
    assert places == sorted(
        places, key=lambda p: (p[2] is not None, ["first", "second", None].index(p[0]), p[1] or 0, p[2] or "")
    )
    # Within a row, catalogue order of the rules.
    r0 = [f.rule for f in found if f.comparison == "first" and f.row == 0]
    assert r0 == sorted(r0, key=CATALOGUE.index)
    assert [f.rule for f in found if f.reference == "2"] == ["reference-unused", "reference-identifier"]
    assert found[-1].reference == "2"


def test_rule_selection_and_min_severity() -> None:
    review = Review(
        references=[ref("1")],
        comparisons=[Comparison("c", "C", "A", "B", rows=[row(intervention=arm("104.5"), citations=[])])],
    )
    assert {f.rule for f in run_checks(review)} == {
        "range-percent",
        "missing-denominator",
        "citation-missing",
        "reference-unused",
    }
    assert {f.rule for f in run_checks(review, min_severity="warning")} == {"range-percent", "citation-missing"}
    assert {f.rule for f in run_checks(review, min_severity="error")} == {"range-percent"}
    assert [f.rule for f in run_checks(review, rules=["citation-missing"])] == ["citation-missing"]
    with pytest.raises(ValueError, match="no-such-rule"):
        run_checks(review, rules=["no-such-rule"])
    with pytest.raises(ValueError):
        run_checks(review, min_severity="fatal")


def test_exit_status() -> None:
    review = Review(
        references=[ref("1")],
        comparisons=[Comparison("c", "C", "A", "B", rows=[row(intervention=arm("104.5", n="200", events="209"))])],
    )
    assert exit_status(run_checks(review)) == 1
    assert exit_status(run_checks(review, min_severity="warning", rules=["citation-missing"])) == 0


def test_empty_review() -> None:
    assert run_checks(Review()) == []


def test_demo_review_findings() -> None:
    formats = pytest.importorskip("curator.formats.exchange")
    review = formats.read_exchange(DEMO)
    found = run_checks(review)
    rules = {f.rule for f in found}
    assert rules == {"versus-mismatch", "missing-denominator", "reference-identifier", "reference-unused"}
    (versus,) = [f for f in found if f.rule == "versus-mismatch"]
    assert (versus.comparison, versus.row, versus.field) == ("pime-vs-tac", 0, "effect.versus")
    assert "vehicle" in versus.message
    assert {f.severity for f in found if f.rule == "missing-denominator"} == {"info"}
    unused = sorted((f.reference for f in found if f.rule == "reference-unused"), key=int)
    assert unused == ["1", "2", "3", "4", "5", "6", "11", "12", "13", "17"]
    assert exit_status(found) == 0


def test_core_never_imports_qt() -> None:
    code = (
        "import sys, curator.checks, curator.compare, curator.checks.report;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'curator.gui'))];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_rows_without_arms_or_effect_are_fine() -> None:
    review = Review(
        references=[ref("1")],
        comparisons=[
            Comparison(
                "c",
                "C",
                "A",
                "B",
                rows=[
                    row(measure=None, unit=None),
                    row("x", measure="text", intervention=arm(None, text="Higher"), effect=effect(measure="RR")),
                ],
            )
        ],
    )
    assert run_checks(review) == []
