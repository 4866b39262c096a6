"""Which rows an analysis pools, how, and what it leaves out or refuses, saying why (issue 17)."""

from __future__ import annotations

import math

import pytest

from curator.analysis import analyse, endpoint_key
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row


def _n(text: str) -> object:
    return parse_reported(text)


def _binary(events1: int | None, n1: int, events2: int | None, n2: int, *, pct: tuple[str, str] | None = None) -> Row:
    def arm(events: int | None, n: int, percent: str | None) -> Arm:
        return Arm(
            value=_n(percent) if percent else None, n=_n(str(n)), events=_n(str(events)) if events is not None else None
        )

    return Row(
        endpoint="Cured",
        measure="percent",
        intervention=arm(events1, n1, pct[0] if pct else None),
        comparator=arm(events2, n2, pct[1] if pct else None),
        citations=["r1"],
    )


def _means(m1: str, sd1: str, n1: str, m2: str, sd2: str, n2: str, *, unit: str = "points", se: bool = False) -> Row:
    spread = "se" if se else "sd"
    return Row(
        endpoint="Score",
        measure="mean",
        unit=unit,
        intervention=Arm(value=_n(m1), n=_n(n1), **{spread: _n(sd1)}),
        comparator=Arm(value=_n(m2), n=_n(n2), **{spread: _n(sd2)}),
        citations=["r1"],
    )


def _review(*rows: Row) -> Review:
    return Review(
        title="t",
        references=[Reference(key="r1", authors=["Wahn U"], year=2002)],
        comparisons=[
            Comparison(key="c", title="C", intervention="Pimecrolimus", comparator="Vehicle", rows=list(rows))
        ],
    )


def test_rows_are_grouped_by_endpoint_ignoring_case_and_spacing() -> None:
    a, b = _binary(3, 10, 5, 10), _binary(4, 12, 6, 11)
    b.endpoint = "  cured "
    [analysis] = analyse(_review(a, b))
    assert analysis.k == 2 and endpoint_key("  Patients   CURED") == "patients cured"
    assert [s.citation for s in analysis.studies] == ["Wahn 2002", "Wahn 2002"]


def test_a_zero_cell_gets_half_a_patient_in_every_cell() -> None:
    [analysis] = analyse(_review(_binary(0, 10, 5, 10), _binary(4, 12, 6, 11)), measure="OR")
    first = analysis.studies[0]
    assert first.yi == pytest.approx(math.log((0.5 * 5.5) / (10.5 * 5.5)))
    assert first.vi == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 5.5 + 1 / 5.5)


def test_a_study_without_events_in_either_arm_is_left_out_of_a_ratio_and_kept_in_a_difference() -> None:
    rows = (_binary(0, 10, 0, 12), _binary(4, 12, 6, 11))
    [ratio] = analyse(_review(*rows), measure="RR")
    assert ratio.k == 1
    assert [(o.row, o.reason) for o in ratio.left_out] == [
        (1, "no events in either arm (or only events): a ratio cannot be estimated")
    ]
    [difference] = analyse(_review(*rows), measure="RD")
    assert difference.k == 2 and difference.studies[0].estimate == 0


def test_events_are_worked_out_from_a_percent_only_when_one_count_fits() -> None:
    fits = _binary(None, 61, None, 57, pct=("42.6", "68.4"))  # 26 of 61, 39 of 57
    [analysis] = analyse(_review(fits, _binary(4, 12, 6, 11)))
    table = analysis.studies[0].data
    assert (table.events1, table.events2) == (26, 39)  # type: ignore[union-attr]
    assert analysis.studies[0].notes == ("events worked out from the printed percent and n",)
    vague = _binary(None, 610, None, 570, pct=("43", "68"))  # 42.5% to 43.5% of 610: 260 to 265
    [analysis] = analyse(_review(vague, _binary(4, 12, 6, 11)))
    assert analysis.k == 1
    assert analysis.left_out[0].reason == (
        "the intervention arm's 43% of 610 fits 6 counts (260 to 265) of events; give its events"
    )


def test_a_model_or_kaplan_meier_percent_gives_no_events_and_an_other_contrast_is_not_pooled() -> None:
    km = _binary(None, 61, None, 57, pct=("42.6", "68.4"))
    km.analysis = "kaplan_meier"  # cumulative incidence: 42.6% is not 26 of 61
    adjusted = _binary(None, 61, None, 57, pct=("42.6", "68.4"))
    adjusted.analysis = "adjusted"
    [analysis] = analyse(_review(km, adjusted, _binary(4, 12, 6, 11)))
    assert analysis.k == 1
    assert [o.reason for o in analysis.left_out] == [
        "the intervention arm's 42.6% is a Kaplan-Meier estimate, not events over n; give its events",
        "the intervention arm's 42.6% is adjusted, not events over n; give its events",
    ]

    def hr(contrast: str | None) -> Row:
        effect = Effect(measure="HR", value=_n("0.8"), ci_low=_n("0.6"), ci_high=_n("1.1"), contrast=contrast)
        return Row(endpoint="Death", effect=effect, citations=["r1"])

    [analysis] = analyse(_review(hr(None), hr("other"), hr("change")))
    assert analysis.k == 2
    assert [(o.row, o.reason) for o in analysis.left_out] == [
        (2, "its estimate contrasts something its arms do not show (another time point or subgroup)")
    ]


def test_a_row_with_an_error_finding_is_left_out_saying_so() -> None:
    rows = (_binary(3, 10, 5, 10), _binary(4, 12, 6, 11))
    [analysis] = analyse(_review(*rows), errors={("c", 1): ["Pimecrolimus: value: 50.8% is not possible with n = 475"]})
    assert analysis.k == 1
    assert analysis.left_out[0].row == 2
    assert analysis.left_out[0].reason.startswith("a finding of severity error: Pimecrolimus: value: 50.8%")


def test_means_pool_as_a_difference_and_an_se_becomes_an_sd() -> None:
    rows = (_means("10", "2", "20", "8", "2", "20"), _means("11", "0.5", "16", "9", "0.5", "16", se=True))
    [analysis] = analyse(_review(*rows))
    assert analysis.measure == "MD" and analysis.k == 2
    assert analysis.studies[1].vi == pytest.approx(2 * 4 / 16)  # SD = 0.5 * 4
    assert analysis.studies[1].notes == ("SD worked out from the SE and n",)


def test_means_in_different_units_are_refused_as_a_difference_and_pool_as_an_smd() -> None:
    rows = (_means("10", "2", "20", "8", "2", "20"), _means("110", "20", "16", "90", "20", "16", unit="mg"))
    [refused] = analyse(_review(*rows))
    assert refused.pooled is None
    assert refused.refused == "the studies are in different units (mg, points): pool them as an SMD, or convert"
    [smd] = analyse(_review(*rows), measure="SMD")
    assert smd.k == 2 and smd.pooled is not None


def test_reported_hazard_ratios_pool_on_the_log_scale_from_their_cis() -> None:
    def hr(value: str, low: str, high: str, direction: str | None = None) -> Row:
        effect = Effect(measure="HR", value=_n(value), ci_low=_n(low), ci_high=_n(high), direction=direction)
        return Row(endpoint="Death", effect=effect, citations=["r1"])

    [analysis] = analyse(
        _review(hr("0.80", "0.64", "1.00"), hr("1.25", "1.00", "1.5625", "comparator_vs_intervention"))
    )
    assert analysis.measure == "HR"
    assert analysis.studies[1].estimate == pytest.approx(0.8)  # the comparator-versus-intervention HR, turned
    assert analysis.studies[0].vi == pytest.approx(((math.log(1.0) - math.log(0.64)) / (2 * 1.959964)) ** 2, rel=1e-5)


def test_rows_reporting_different_measures_are_refused_unless_one_is_chosen() -> None:
    rr = Row(endpoint="E", effect=Effect(measure="RR", value=_n("0.8"), ci_low=_n("0.6"), ci_high=_n("1.1")))
    odds = Row(endpoint="E", effect=Effect(measure="OR", value=_n("0.7"), ci_low=_n("0.5"), ci_high=_n("1.0")))
    [refused] = analyse(_review(rr, odds))
    assert refused.refused == "the studies report different measures (OR, RR); choose one"
    [chosen] = analyse(_review(rr, odds), measure="OR")
    assert chosen.k == 1 and chosen.left_out[0].reason == "it reports an RR, not an OR"
