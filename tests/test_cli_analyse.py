"""`curator analyse` (issue 17): the pooled estimates of a review as text, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from curator.formats.exchange import write_exchange
from curator.numbers import parse_reported
from tests.analysis.bcg import BCG, bcg_review
from tests.helpers import run

KEYS = {
    "comparison", "endpoint", "measure", "method", "k", "estimate", "ci_low", "ci_high", "se", "p", "tau2", "i2",
    "q", "q_p", "prediction_low", "prediction_high", "studies", "left_out",
}  # fmt: skip


def test_the_text_is_revmans_summary(bcg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "analyse", str(bcg))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "bcg · Tuberculosis · RR, random effects (REML), 13 studies"
    assert lines[1].split() == ["Study", "Vaccinated", "Not", "vaccinated", "Weight", "RR", "[95%", "CI]"]
    assert lines[2].split()[:4] == ["Aronson", "1948", "4/123", "11/139"]
    total = next(line for line in lines if "Total (95% CI)" in line)
    assert total.split()[-4:] == ["100.0%", "0.49", "[0.34,", "0.70]"]  # exp(-0.7145) = 0.489
    assert "  Heterogeneity: Tau² = 0.31; Chi² = 152.23, df = 12 (P < 0.00001); I² = 92%" in lines
    assert "  Test for overall effect: Z = 3.97 (P = 0.0001)" in lines


def test_the_json_has_every_key_on_the_measures_scale(bcg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", str(bcg), "--method", "dl", "--format", "json")
    [analysis] = json.loads(out)
    assert code == 0 and KEYS <= set(analysis)
    assert round(math.log(analysis["estimate"]), 4) == -0.7141  # a ratio as a ratio
    assert (round(analysis["tau2"], 4), round(analysis["q"], 3), round(analysis["i2"], 2)) == (0.3088, 152.233, 92.12)
    assert analysis["ci_low"] < analysis["estimate"] < analysis["ci_high"]
    assert analysis["prediction_low"] < analysis["ci_low"] and analysis["prediction_high"] > analysis["ci_high"]
    assert len(analysis["studies"]) == len(BCG) and math.isclose(sum(s["weight"] for s in analysis["studies"]), 100)
    assert analysis["studies"][0] | {"estimate": 0, "ci_low": 0, "ci_high": 0, "weight": 0} == {
        "row": 1, "citation": "Aronson 1948", "estimate": 0, "ci_low": 0, "ci_high": 0, "weight": 0,
    }  # fmt: skip


def test_the_csv_is_one_line_per_analysis(bcg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", str(bcg), "--method", "fixed", "--format", "csv")
    [line] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert (line["measure"], line["method"], line["model"], line["k"]) == ("RR", "fixed", "MH", "13")
    assert line["tau2"] == "" and float(line["estimate"]) == pytest.approx(math.exp(-0.4537), abs=5e-5)


def test_a_row_with_an_error_finding_is_left_out_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = bcg_review()
    review.comparisons[0].rows[1].intervention.value = parse_reported("50.0")  # type: ignore[union-attr]
    write_exchange(review, tmp_path / "bad.json")
    code, out, _ = run(capsys, "analyse", str(tmp_path / "bad.json"))
    assert code == 0 and "12 studies" in out.splitlines()[0]
    assert out.rstrip().endswith(
        "left out: row 2 (Ferguson & Simes 1949): a finding of severity error: "
        "Vaccinated arm: value: 50.0% does not match 6/306 = 2.0%"
    )


def test_an_endpoint_that_cannot_be_pooled_exits_1_saying_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyse", "--endpoint", "flare-free   PATIENTS")  # the demo review
    assert code == 1
    assert out.splitlines()[1:] == [
        "  not pooled: no study can be pooled",
        "  left out: row 3 (Efficacy and safety of pimecrolimus…): the intervention arm has no number of patients (n)",
    ]


def test_an_endpoint_the_review_lacks_is_refused(bcg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "analyse", str(bcg), "--endpoint", "Death")
    assert (code, out) == (2, "")
    assert err == "curator: the review has no rows of endpoint 'Death'\n"
