"""The readable forms of a row, as the window's table and the workbook show them:
like the paper, numbers exactly as printed."""

from __future__ import annotations

from typing import Any

import pytest

from curator.arm_entry import parse_arm_entry
from curator.formats.display import arm_text, effect_text, span_text
from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row

WHOLE = ("n", "events")


def arm(**values: str) -> Arm:
    return Arm(**{k: parse_reported(v, whole=k in WHOLE) for k, v in values.items()})


def effect(**values: Any) -> Effect:
    kinds = ("value", "ci_low", "ci_high", "p", "se")
    return Effect(**{k: parse_reported(v) if k in kinds else v for k, v in values.items()})


MEAN = Row(endpoint="Score", measure="mean")


@pytest.mark.parametrize(
    ("row", "values", "reading"),
    [
        # percentages and counts as before
        (Row("R", measure="percent", unit="%"), {"value": "42.6", "events": "202", "n": "474"}, "42.6% (202/474)"),
        (Row("R", measure="percent", unit="%"), {"value": "50.9", "n": "474"}, "50.9% (n = 474)"),
        (MEAN, {"value": "12.1", "n": "50"}, "12.1 (n = 50)"),
        # a mean with its SD, as papers print mean (SD)
        (MEAN, {"value": "12.1", "sd": "4.0", "n": "50"}, "12.1 (4.0), n = 50"),
        (MEAN, {"value": "12.1", "sd": "4.0"}, "12.1 (4.0)"),
        (MEAN, {"value": "12.1", "se": "0.6", "n": "50"}, "12.1 (SE 0.6), n = 50"),
        (MEAN, {"value": "12.1", "sd": "4.0", "se": "0.6", "n": "50"}, "12.1 (SD 4.0; SE 0.6), n = 50"),
        (MEAN, {"value": "12.1", "ci_low": "10.9", "ci_high": "13.3"}, "12.1 (95% CI 10.9–13.3)"),
        (MEAN, {"value": "−1.2", "ci_low": "−3.4", "ci_high": "0.8", "n": "50"}, "−1.2 (95% CI −3.4 to 0.8), n = 50"),
        (MEAN, {"value": "12.1", "min": "3", "max": "60"}, "12.1 (range 3–60)"),
        (Row("R", measure="percent", unit="%"), {"value": "12.3", "sd": "4.1", "n": "80"},
         "12.3% (SD 4.1), n = 80"),
        # a median with its IQR and range
        (Row("D", measure="median"), {"value": "20", "q1": "15", "q3": "28"}, "median 20 (IQR 15–28)"),
        (Row("D", measure="median"), {"value": "20", "q1": "15", "q3": "28", "min": "3", "max": "60", "n": "50"},
         "median 20 (IQR 15–28; range 3–60), n = 50"),
        # no value: the details alone
        (MEAN, {"sd": "4.0", "n": "50"}, "SD 4.0; n = 50"),
        # numbers as printed; NR as NR
        (MEAN, {"value": "0·55", "sd": "0·12", "n": "3,145"}, "0·55 (0·12), n = 3,145"),
        (MEAN, {"value": "− 4.6", "sd": "2.1"}, "− 4.6 (2.1)"),
        (Row("R", measure="percent", unit="%"), {"value": "NR", "n": "474"}, "NR (n = 474)"),
        (MEAN, {"value": "12.1", "sd": "NR", "n": "50"}, "12.1 (NR), n = 50"),
        (Row("D", measure="median"), {"value": "20", "q1": "NR", "q3": "28"}, "median 20 (IQR NR to 28)"),
        # a spread not reported at all reads NR once, and is typed back so
        (Row("D", measure="median"), {"value": "20", "q1": "NR", "q3": "NR", "n": "50"}, "median 20 (IQR NR), n = 50"),
        (MEAN, {"value": "12.1", "min": "NR", "max": "NR"}, "12.1 (range NR)"),
        (MEAN, {"value": "12.1", "ci_low": "NR", "ci_high": "NR"}, "12.1 (95% CI NR)"),
        # the row's unit, as the table shows it, typed back
        (Row("D", measure="median", unit="days"), {"value": "20", "q1": "15", "q3": "28", "n": "50"},
         "median 20 days (IQR 15–28), n = 50"),
        (Row("S", measure="mean", unit="points"), {"value": "8.3", "sd": "0.96", "n": "25"},
         "8.3 points (0.96), n = 25"),
    ],
)  # fmt: skip
def test_an_arm_reads_like_the_paper(row: Row, values: dict[str, str], reading: str) -> None:
    row.intervention = arm(**values)
    assert arm_text(row.intervention, row) == reading
    # ... and the cell takes back what it shows, field for field.
    typed = parse_arm_entry("intervention", reading, measure=row.measure, unit=row.unit)
    assert {k.partition(".")[2]: v for k, v in typed.items() if k.startswith("intervention.")} == values


def test_not_reported_reads_nr_however_it_was_typed() -> None:
    row = Row("R", measure="percent", unit="%", intervention=arm(value="nr", events="Nr", n="474"))
    assert arm_text(row.intervention, row) == "NR (NR/474)"


def test_a_unit_stands_after_the_value() -> None:
    row = Row("Itch", measure="mean", unit="points", intervention=arm(value="12.1", sd="4.0", n="50"))
    assert arm_text(row.intervention, row) == "12.1 points (4.0), n = 50"
    row = Row("D", measure="median", unit="days", intervention=arm(value="20", q1="15", q3="28"))
    assert arm_text(row.intervention, row) == "median 20 days (IQR 15–28)"
    row = Row("D", measure="median", unit="days", intervention=arm(value="7"))
    assert arm_text(row.intervention, row) == "7 days"  # a median alone reads as a value


def test_an_arm_ci_is_at_the_effects_level() -> None:
    row = Row("Score", measure="mean", effect=Effect(measure="MD", ci_level=90))
    assert arm_text(arm(value="12.1", ci_low="10.9", ci_high="13.3"), row) == "12.1 (90% CI 10.9–13.3)"
    row.effect = Effect(measure="MD", ci_level=parse_reported("95.02"))
    assert arm_text(arm(value="12.1", ci_low="10.9", ci_high="13.3"), row) == "12.1 (95.02% CI 10.9–13.3)"


@pytest.mark.parametrize(
    ("values", "reading"),
    [
        ({"measure": "RR", "value": "0.62", "ci_low": "0.54", "ci_high": "0.71", "p": "<0.001", "versus": "vehicle"},
         "RR 0.62 (0.54–0.71), p < 0.001 vs vehicle"),
        # a negative bound: "to", so that the minus is never read as the dash
        ({"measure": "MD", "value": "−2.1", "ci_low": "−3.4", "ci_high": "−0.8"}, "MD −2.1 (−3.4 to −0.8)"),
        ({"measure": "MD", "value": "1.2", "ci_low": "-0.4", "ci_high": "2.8"}, "MD 1.2 (-0.4 to 2.8)"),
        ({"measure": "MD", "value": "− 4.6", "ci_low": "− 6.0", "ci_high": "− 3.2"}, "MD − 4.6 (− 6.0 to − 3.2)"),
        # adjusted, the method, what it contrasts
        ({"measure": "OR", "value": "1.4", "ci_low": "1.1", "ci_high": "1.8", "adjusted": True},
         "adjusted OR 1.4 (1.1–1.8)"),
        ({"measure": "MD", "value": "−2.1", "ci_low": "−3.4", "ci_high": "−0.8", "adjusted": True,
          "method": "ANCOVA", "p": "0.002"}, "adjusted MD −2.1 (−3.4 to −0.8), ANCOVA, p = 0.002"),
        ({"measure": "MD", "value": "−2.1", "contrast": "change"}, "MD −2.1, change from baseline"),
        ({"measure": "MD", "value": "−2.1", "contrast": "other"}, "MD −2.1, other contrast"),
        ({"measure": "MD", "value": "−2.1", "contrast": "arms", "adjusted": False}, "MD −2.1"),
        # an SE when there is no CI (and only then)
        ({"measure": "MD", "value": "−2.1", "se": "0.6"}, "MD −2.1 (SE 0.6)"),
        ({"measure": "MD", "value": "−2.1", "se": "0.6", "ci_low": "−3.3", "ci_high": "−0.9"},
         "MD −2.1 (−3.3 to −0.9)"),
        # the level, as printed, when not 95
        ({"measure": "HR", "value": "0·55", "ci_low": "0·40", "ci_high": "0·76", "ci_level": 90},
         "HR 0·55 (90% CI 0·40–0·76)"),
        ({"measure": "HR", "value": "0.55", "ci_low": "0.40", "ci_high": "0.76",
          "ci_level": parse_reported("95.02")}, "HR 0.55 (95.02% CI 0.40–0.76)"),
        ({"measure": "HR", "value": "0.55", "ci_low": "0.40", "ci_high": "0.76",
          "ci_level": parse_reported("95.0")}, "HR 0.55 (0.40–0.76)"),
        ({"measure": "IRR", "value": "1.3", "ci_low": "1.1", "ci_high": "1.6", "ci_level": parse_reported("NR")},
         "IRR 1.3 (1.1–1.6)"),
        # NR
        ({"measure": "RR", "value": "1.02", "ci_low": "NR", "ci_high": "NR", "p": "NR"}, "RR 1.02 (NR to NR), p NR"),
        ({"p": "0.03"}, "p = 0.03"),
    ],
)  # fmt: skip
def test_an_effect_reads_like_the_paper(values: dict[str, Any], reading: str) -> None:
    assert effect_text(effect(**values)) == reading


def test_a_span_names_a_missing_bound() -> None:
    assert span_text(parse_reported("1.1"), None) == "1.1 to ?"
    assert span_text(None, parse_reported("−0.8")) == "? to −0.8"
