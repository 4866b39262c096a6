"""effect-recompute, ci-symmetry, ci-p, effect-direction."""

from __future__ import annotations

import pytest

from curator.numbers import parse_reported
from tests.checks.builders import arm, effect, fires, row

#: How every effect-recompute message ends: what to do when the paper is right.
ADVICE = (
    "if the paper is right, mark the effect adjusted if it is model-based, "
    "or set its contrast if it compares something the arms do not show"
)

# -- effect-recompute ----------------------------------------------------------


def counts_row(measure: str, value: str, e1: str = "40", e2: str = "50", **kw: object) -> object:
    return row(
        intervention=arm("40", n="100", events=e1),
        comparator=arm("50", n="100", events=e2),
        effect=effect(measure, value, **kw),  # type: ignore[arg-type]
    )


def test_recompute_message_from_counts() -> None:
    (f,) = fires("effect-recompute", counts_row("RR", "0.60"))
    assert f.message == f"RR 0.60 cannot follow from 40/100 vs 50/100 (RR 0.80); {ADVICE}"
    assert (f.field, f.severity) == ("effect.value", "error")


@pytest.mark.parametrize(
    ("measure", "value"),
    [
        ("RR", "0.60"),
        ("RR", "0.81"),
        ("RR", "0.7"),
        ("OR", "0.66"),
        ("OR", "0.80"),
        ("RD", "-10.1"),
        ("RD", "10"),
        ("RD", "−9"),
        ("RR", "0.75"),
    ],
)
def test_recompute_from_counts_fires(measure: str, value: str) -> None:
    assert len(fires("effect-recompute", counts_row(measure, value))) == 1


@pytest.mark.parametrize(
    ("measure", "value"),
    [("RR", "0.80"), ("RR", "0.8"), ("RR", ".8"), ("OR", "0.67"), ("OR", "0.667"), ("RD", "-10"), ("RD", "−10.0")],
)
def test_recompute_from_counts_clean(measure: str, value: str) -> None:
    assert fires("effect-recompute", counts_row(measure, value)) == []


def test_recompute_direction_swaps_arms() -> None:
    swapped = {"direction": "comparator_vs_intervention"}
    assert fires("effect-recompute", counts_row("RR", "1.25", **swapped)) == []
    assert len(fires("effect-recompute", counts_row("RR", "0.80", **swapped))) == 1
    assert fires("effect-recompute", counts_row("RD", "10", **swapped)) == []


def test_recompute_exact_edge_from_counts() -> None:
    # 1/8 vs 1/2: RR = 0.25 exactly; "0.2" stands for [0.15, 0.25], "0.3" for [0.25, 0.35].
    def r(value: str) -> object:
        return row(
            intervention=arm("12.5", n="8", events="1"),
            comparator=arm("50", n="2", events="1"),
            effect=effect("RR", value),
        )

    assert fires("effect-recompute", r("0.2")) == []
    assert fires("effect-recompute", r("0.3")) == []
    assert len(fires("effect-recompute", r("0.24"))) == 1  # [0.235, 0.245]: just past


def test_recompute_skips_division_by_zero() -> None:
    assert fires("effect-recompute", counts_row("RR", "9.99", e2="0")) == []
    assert fires("effect-recompute", counts_row("OR", "9.99", e1="100")) == []
    r = row(intervention=arm("40"), comparator=arm("0.0"), effect=effect("RR", "9.99"))
    assert fires("effect-recompute", r) == []
    r = row(intervention=arm("100"), comparator=arm("30"), effect=effect("OR", "0.01"))
    assert fires("effect-recompute", r) == []


def pct_row(p1: str, p2: str, measure: str, value: str) -> object:
    return row(intervention=arm(p1), comparator=arm(p2), effect=effect(measure, value))


@pytest.mark.parametrize(
    ("p1", "p2", "measure", "value"),
    [
        ("42.6", "68.4", "RR", "0.63"),
        ("42.6", "68.4", "RR", "0.60"),
        ("42.6", "68.4", "OR", "0.30"),
        ("30.5", "20", "RD", "11.2"),
        ("30.5", "20", "RD", "11.06"),  # [11.055, 11.065]: just past the reachable 11.05
        ("9.8377", "20", "RR", "0.506"),  # [0.5055, ..]: just past the reachable 0.5045
        ("30", "20", "RD", "-10"),
    ],
)
def test_recompute_from_percents_fires(p1: str, p2: str, measure: str, value: str) -> None:
    assert len(fires("effect-recompute", pct_row(p1, p2, measure, value))) == 1


@pytest.mark.parametrize(
    ("p1", "p2", "measure", "value"),
    [
        ("42.6", "68.4", "RR", "0.62"),
        ("42.6", "68.4", "OR", "0.34"),
        ("30.5", "20", "RD", "11.1"),  # [11.05, 11.15] touches the reachable maximum 30.55 − 19.5
        ("30.5", "20", "RD", "10.5"),
        ("9.8377", "20", "RR", "0.505"),  # [0.5045, 0.5055] touches 9.83775/19.5
        ("−0.0", "20", "RD", "-20"),
        ("42.6", "68.4", "HR", "9.99"),  # not recomputable
    ],
)
def test_recompute_from_percents_clean(p1: str, p2: str, measure: str, value: str) -> None:
    assert fires("effect-recompute", pct_row(p1, p2, measure, value)) == []


def test_recompute_from_percents_message() -> None:
    (f,) = fires("effect-recompute", pct_row("42.6", "68.4", "RR", "0.63"))
    assert (
        f.message
        == "RR 0.63 cannot follow from 42.6% vs 68.4%: within their rounding the RR is between 0.621 and 0.624; "
        + ADVICE
    )


def test_recompute_prefers_counts_and_skips_relations() -> None:
    # Percents would allow RR 0.62, the counts say 0.80: counts decide.
    r = row(
        intervention=arm("42.6", n="100", events="40"),
        comparator=arm("68.4", n="100", events="50"),
        effect=effect("RR", "0.62"),
    )
    assert len(fires("effect-recompute", r)) == 1
    assert fires("effect-recompute", pct_row("<1", "20", "RR", "0.9")) == []
    assert fires("effect-recompute", pct_row("10", "20", "RR", "<0.9")) == []
    assert (
        fires(
            "effect-recompute",
            row(measure="mean", unit="mg", intervention=arm("10"), comparator=arm("20"), effect=effect("RR", "0.9")),
        )
        == []
    )


# -- ci-symmetry -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi"),
    [
        ("RR", "0.80", "0.50", "0.85"),
        ("OR", "2.5", "1.1", "3.0"),
        ("RD", "12", "5", "15"),
        ("MD", "11.6", "6", "15"),
        ("MD", "11.46", "6", "15"),  # [11.455, ..]: just past the furthest allowed 11.45
        ("SMD", "−0.1", "−0.9", "0.3"),
    ],
)
def test_ci_symmetry_fires(measure: str, v: str, lo: str, hi: str) -> None:
    (f,) = fires("ci-symmetry", row(effect=effect(measure, v, lo, hi)))
    assert (f.severity, f.field) == ("warning", "effect.value")


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi"),
    [
        ("RR", "0.65", "0.50", "0.85"),
        ("HR", "1.00", "0.99", "1.01"),
        ("RD", "10", "5", "15"),
        ("MD", "11.5", "6", "15"),  # [11.45, 11.55] touches 0.55·15.5 + 0.45·6.5 = 11.45
        ("MD", "−1.5", "−2.5", "−0.5"),
        ("RR", "0.10", "0.0", "2.0"),  # ratio interval reaching 0: skipped
        ("RR", "0.80", "<0.50", "0.85"),  # relation: skipped
        ("RR", "0.80", "0.85", "0.50"),  # reversed: ci-order's business
        ("OR", "2.50", "1.10", "5.68"),
    ],
)
def test_ci_symmetry_clean(measure: str, v: str, lo: str, hi: str) -> None:
    assert fires("ci-symmetry", row(effect=effect(measure, v, lo, hi))) == []


# -- ci-p --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi", "p", "level"),
    [
        ("RR", "0.65", "0.50", "0.85", "0.20", None),
        ("RR", "0.90", "0.70", "1.15", "0.01", None),
        ("RR", "0.90", "0.70", "1.15", "<0.05", None),
        ("RR", "0.90", "0.70", "1.15", "0.049", None),
        ("RR", "0.65", "0.50", "0.85", "0.051", None),
        ("RR", "0.65", "0.50", "0.85", ">0.05", None),
        ("RD", "5", "−0.4", "10", "0.02", None),
        ("MD", "-1.5", "-2.5", "-0.5", ".30", None),
        ("OR", "0.80", "0.66", "0.97", "0.15", 90),
        ("RR", "0.80", "0.66", "0.995", "0.30", None),  # 0.995 stands for [0.9945, 0.9955]: excludes 1
        ("RR", "1.20", "1.004", "1.44", "0.30", None),  # [1.0035, 1.0045]: just clear of the null
    ],
)
def test_ci_p_fires(measure: str, v: str, lo: str, hi: str, p: str, level: int | None) -> None:
    (f,) = fires("ci-p", row(effect=effect(measure, v, lo, hi, p, ci_level=level)))
    assert (f.severity, f.field) == ("error", "effect.p")
    assert p in f.message and lo in f.message


def test_ci_p_message() -> None:
    (f,) = fires("ci-p", row(effect=effect("RR", "0.65", "0.50", "0.85", "0.20")))
    assert f.message.startswith("p 0.20 is not significant at α = 0.05, but the 95% CI 0.50 to 0.85 excludes 1")
    assert "implies p ≈ 0.001" in f.message


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi", "p", "level"),
    [
        ("RR", "0.65", "0.50", "0.85", "0.001", None),
        ("RR", "0.65", "0.50", "0.85", "<0.001", None),
        ("RR", "0.90", "0.70", "1.15", "0.40", None),
        ("RR", "1.20", "1.00", "1.44", "0.30", None),  # bound "1.00" touches the null
        ("RR", "1.20", "1.0", "1.44", "0.01", None),
        ("RR", "0.65", "0.50", "0.85", "0.05", None),  # p within rounding of α
        ("RR", "0.90", "0.70", "1.15", "0.050", None),
        ("RR", "0.90", "0.70", "1.15", "≤0.05", None),
        ("RD", "5", "−0.0", "10", "0.02", None),
        ("MD", "−1.5", "−2.5", "−0.5", ".03", None),
        ("OR", "0.80", "0.66", "0.97", "0.07", 90),
        ("RR", "0.80", "1.20", "0.50", "0.50", None),  # reversed CI: ci-order
        ("RR", "0.65", "<0.50", "0.85", "0.20", None),  # relation on a bound
        (None, "0.65", "0.50", "0.85", "0.20", None),  # no measure, no null value
    ],
)
def test_ci_p_clean(measure: str | None, v: str, lo: str, hi: str, p: str, level: int | None) -> None:
    assert fires("ci-p", row(effect=effect(measure, v, lo, hi, p, ci_level=level))) == []


# -- effect-direction ----------------------------------------------------------------


def dir_row(a: str | None, b: str | None, favours: str, better: bool | None, eff: object = None) -> object:
    return row(intervention=arm(a), comparator=arm(b), favours=favours, higher_is_better=better, effect=eff)


@pytest.mark.parametrize(
    ("a", "b", "favours", "better", "eff"),
    [
        ("40", "50", "intervention", True, None),
        ("60", "50", "intervention", False, None),
        ("40", "41.6", "intervention", True, None),  # [41.55, ..] just past [39.5, 40.5]
        ("40", "50", "comparator", False, None),
        (None, None, "intervention", False, effect("RR", "0.65", direction="comparator_vs_intervention")),
        (None, None, "comparator", True, effect("MD", "2.5")),
        (None, None, "comparator", False, effect("RD", "−3.1")),
    ],
)
def test_effect_direction_fires(a, b, favours, better, eff) -> None:  # type: ignore[no-untyped-def]
    (f,) = fires("effect-direction", dir_row(a, b, favours, better, eff))
    assert (f.severity, f.field) == ("error", "favours")


def test_effect_direction_message() -> None:
    (f,) = fires("effect-direction", dir_row("40", "50", "intervention", True))
    assert f.message == "favours says intervention, but 40% vs 50% favour the comparator (higher is better)"


@pytest.mark.parametrize(
    ("a", "b", "favours", "better", "eff"),
    [
        ("40", "50", "comparator", True, None),
        ("40", "41", "intervention", True, None),  # touching rounding intervals
        ("40", "40.5", "intervention", True, None),
        ("40", "50", "neither", True, None),
        ("40", "50", "intervention", None, None),
        (None, None, "comparator", False, effect("RR", "0.65", direction="comparator_vs_intervention")),
        (None, None, "intervention", False, effect("RR", "0.65")),
        (None, None, "intervention", True, effect("RR", "1.00")),
        (None, None, "intervention", True, effect("HR", "0.50")),  # HR's event need not be the endpoint
        (None, None, "intervention", False, effect("MD", "−1.5")),
        (None, None, "intervention", True, effect("RD", "0.0")),
    ],
)
def test_effect_direction_clean(a, b, favours, better, eff) -> None:  # type: ignore[no-untyped-def]
    assert fires("effect-direction", dir_row(a, b, favours, better, eff)) == []


# -- format 1.1: effect-recompute per arm ----------------------------------------------


def test_recompute_arm_with_events_but_no_n_falls_back_to_its_percent() -> None:
    # A trial printed 51 (25.5%) vs 50/200 (25.0%) and an RR of 1.02; typed as 1.20 it must be caught.
    # Before 1.1 the row was silently not recomputed: both arms had events, one had no n.
    def r(value: str) -> object:
        return row(
            intervention=arm("25.5", events="51"),
            comparator=arm("25.0", n="200", events="50"),
            effect=effect("RR", value),
        )

    (f,) = fires("effect-recompute", r("1.20"))
    assert f.message == (
        "RR 1.20 cannot follow from 25.5% vs 50/200: within their rounding the RR is between 1.018 and 1.022; " + ADVICE
    )
    assert f.field == "effect.value"
    assert fires("effect-recompute", r("1.02")) == []


@pytest.mark.parametrize(
    ("value", "fired"),
    [
        # 1/8 = 12.5% exactly against "50.0" ∈ [49.95, 50.05]: RD ∈ [−37.55, −37.45].
        ("-37.4", False),  # [−37.45, −37.35] touches −37.45
        ("-37.6", False),  # [−37.65, −37.55] touches −37.55
        ("-37.3", True),
        ("-37.7", True),
    ],
)
def test_recompute_one_arm_exact_one_rounded_at_the_edge(value: str, fired: bool) -> None:
    r = row(intervention=arm("12.5", n="8", events="1"), comparator=arm("50.0", n="100"), effect=effect("RD", value))
    assert len(fires("effect-recompute", r)) == fired


def test_recompute_uses_counts_of_one_arm_over_its_printed_percent() -> None:
    # The intervention's "42.6%" would allow RR 0.62 against 68.4%; its counts 40/100 say 0.585..0.586.
    r = row(intervention=arm("42.6", n="100", events="40"), comparator=arm("68.4"), effect=effect("RR", "0.62"))
    (f,) = fires("effect-recompute", r)
    assert "cannot follow from 40/100 vs 68.4%" in f.message
    r.effect.value = parse_reported("0.585")  # type: ignore[union-attr]
    assert fires("effect-recompute", r) == []


def test_recompute_skips_unusable_counts_and_missing_values() -> None:
    bad = row(intervention=arm("40", n="100", events="40.5"), comparator=arm("50"), effect=effect("RR", "9.9"))
    assert fires("effect-recompute", bad) == []  # range-n speaks
    no_value = row(
        intervention=arm(events="40"), comparator=arm("50", n="100", events="50"), effect=effect("RR", "9.9")
    )
    assert fires("effect-recompute", no_value) == []


# -- format 1.1: ci-symmetry on adjusted ratios, IRR ------------------------------------


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi", "adjusted", "fired"),
    [
        ("RR", "1.50", "1.10", "1.90", None, True),  # a Wald CI on the ratio scale: off-centre on the log scale
        ("RR", "1.50", "1.10", "1.90", True, False),  # adjusted: the ratio scale is accepted
        ("OR", "2.00", "1.20", "2.80", True, False),
        ("RR", "1.55", "1.10", "1.90", True, False),  # [1.545, ..] touches the furthest allowed 1.545
        ("RR", "1.56", "1.10", "1.90", True, True),  # far on both scales
        ("HR", "1.50", "1.10", "1.90", True, True),  # HRs keep the log scale
        ("IRR", "1.50", "1.10", "1.90", None, True),  # IRR: a ratio, log scale
        ("IRR", "1.45", "1.10", "1.90", None, False),
    ],
)
def test_ci_symmetry_adjusted_ratios_and_irr(
    measure: str, v: str, lo: str, hi: str, adjusted: bool | None, fired: bool
) -> None:
    fs = fires("ci-symmetry", row(effect=effect(measure, v, lo, hi, adjusted=adjusted)))
    assert len(fs) == fired


def test_ci_symmetry_message_names_both_scales_for_an_adjusted_rr() -> None:
    (f,) = fires("ci-symmetry", row(effect=effect("RR", "1.50", "1.45", "2.90", adjusted=True)))
    assert "on both the log and the ratio scale" in f.message


# -- format 1.1: ci-p with the level as printed, IRR, a zero p ---------------------------


@pytest.mark.parametrize(
    ("level", "fired"),
    [
        (None, False),  # α = 0.05: p [0.04985, 0.04995] is significant, as the CI says
        (95, False),
        (parse_reported("95"), False),
        (parse_reported("95.02"), True),  # α = 0.0498: p is not significant, yet the CI excludes 1
        (95.02, True),
    ],
)
def test_ci_p_uses_the_level_as_printed(level: object, fired: bool) -> None:
    fs = fires("ci-p", row(effect=effect("RR", "0.65", "0.50", "0.85", "0.0499", ci_level=level)))
    assert len(fs) == fired
    if fired:
        assert fs[0].message.startswith("p 0.0499 is not significant at α = 0.0498, but the 95.02% CI")


def test_ci_p_irr_null_is_one() -> None:
    assert len(fires("ci-p", row(measure="count", effect=effect("IRR", "1.30", "1.10", "1.50", "0.20")))) == 1
    assert fires("ci-p", row(measure="count", effect=effect("IRR", "1.30", "1.10", "1.50", "0.002"))) == []


def test_ci_p_reads_a_zero_p_as_below_half_a_unit() -> None:
    # "0.000" is <0.0005: significant, while the CI includes 1.
    (f,) = fires("ci-p", row(effect=effect("RR", "0.90", "0.70", "1.15", "0.000")))
    assert f.field == "effect.p"
    # ... and consistent with a CI that excludes 1.
    assert fires("ci-p", row(effect=effect("RR", "0.65", "0.50", "0.85", "0.000"))) == []
