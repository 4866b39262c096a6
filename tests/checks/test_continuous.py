"""The continuous-outcome rules: md-recompute, sd-se, md-precision, ci-p-value.

Each rule fires and stays clean at the edge of the printed numbers' rounding;
the published worked examples (the Cochrane Handbook's MD 3.8, P = 0.008 with
25 and 22 patients, SE 1.37; Altman & Bland's 17 (1.4 to 32.6), P = 0.032)
are clean, and their SD-for-SE mix-up is caught with its remedy.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.checks import run_checks
from curator.checks.finding import Finding
from curator.checks.precision import normal_quantile, normal_tail, t_quantile, t_tail
from curator.checks.rules.continuous import ADVICE
from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row
from tests.checks.builders import review, row

OURS = ("md-recompute", "sd-se", "md-precision", "ci-p-value")


def _rep(text: str | None):
    return parse_reported(text) if text is not None else None


def arm(value: str | None = None, sd: str | None = None, n: str | None = None, se: str | None = None) -> Arm:
    return Arm(value=_rep(value), sd=_rep(sd), n=_rep(n), se=_rep(se))


def md(
    value: str | None = None,
    lo: str | None = None,
    hi: str | None = None,
    p: str | None = None,
    measure: str = "MD",
    **kw: Any,
) -> Effect:
    return Effect(measure=measure, value=_rep(value), ci_low=_rep(lo), ci_high=_rep(hi), p=_rep(p), **kw)


def mean_row(a: Arm | None = None, b: Arm | None = None, effect: Effect | None = None, **kw: Any) -> Row:
    return row(measure="mean", unit="points", intervention=a, comparator=b, effect=effect, **kw)


def findings(rule: str, *rows: Row) -> list[Finding]:
    return run_checks(review(*rows), rules=[rule])


def ours(*rows: Row) -> list[Finding]:
    return run_checks(review(*rows), rules=OURS)


# ---------------------------------------------------------------------------
# md-recompute
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fires"), [("1.90", False), ("1.91", True), ("1.70", False), ("1.69", True)])
def test_md_recompute_at_the_rounding_edge(value: str, fires: bool) -> None:
    # 12.1 − 10.3 is anywhere in [12.05 − 10.35, 12.15 − 10.25] = [1.7, 1.9].
    got = findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md(value)))
    assert bool(got) is fires
    if fires:
        (f,) = got
        assert (f.severity, f.field) == ("error", "effect.value")
        assert f.message.startswith(f"MD {value} cannot follow from the arm means 12.1 − 10.3")
        assert "between 1.7 and 1.9" in f.message
        assert f.message.endswith(ADVICE)
        assert "mark the effect adjusted if it is model-based" in ADVICE and "set its contrast" in ADVICE


def test_md_recompute_follows_the_direction() -> None:
    swapped = {"direction": "comparator_vs_intervention"}
    assert not findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("-1.8", **swapped)))
    (f,) = findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("1.8", **swapped)))
    assert "10.3 − 12.1" in f.message and "between -1.9 and -1.7" in f.message


@pytest.mark.parametrize(
    ("row_kw", "effect_kw"),
    [
        ({}, {"adjusted": True}),
        ({}, {"contrast": "change"}),
        ({}, {"contrast": "other"}),
        ({"analysis": "adjusted"}, {}),
        ({"analysis": "kaplan_meier"}, {}),
    ],
)
def test_marked_adjusted_or_contrast_rows_are_not_recomputed(row_kw: dict, effect_kw: dict) -> None:
    # An MD 3.0 from arms 13.8 − 10.0 and a CI far too wide for the SDs:
    # both rules fire on the crude row, neither once the row says why.
    crude = mean_row(arm("13.8", "4.7", "25"), arm("10.0", "4.7", "22"), md("3.0", "-2.0", "8.0"))
    assert {f.rule for f in ours(crude)} == {"md-recompute", "md-precision"}
    marked = mean_row(
        arm("13.8", "4.7", "25"), arm("10.0", "4.7", "22"), md("3.0", "-2.0", "8.0", **effect_kw), **row_kw
    )
    assert not [f for f in ours(marked) if f.rule in ("md-recompute", "md-precision")]


def test_md_recompute_needs_plain_numbers_on_a_mean_row() -> None:
    assert not findings("md-recompute", mean_row(arm("<12.1"), arm("10.3"), md("5.0")))
    assert not findings("md-recompute", mean_row(arm("NR"), arm("10.3"), md("5.0")))
    assert not findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("5.0", measure="SMD")))
    assert not findings("md-recompute", row(intervention=arm("12.1"), comparator=arm("10.3"), effect=md("5.0")))
    assert not findings("md-recompute", mean_row(arm("12.1"), None, md("5.0")))


# ---------------------------------------------------------------------------
# sd-se
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sd", "fires"), [("6.25", False), ("6.26", True), ("5.75", False), ("5.74", True)])
def test_sd_se_at_the_rounding_edge(sd: str, fires: bool) -> None:
    # SE 1.2 with n = 25: SD = SE·√25 is anywhere in [1.15·5, 1.25·5] = [5.75, 6.25].
    got = findings("sd-se", mean_row(arm("10.0", sd, "25", se="1.2"), arm("9.0", "5.0", "25")))
    assert bool(got) is fires
    if fires:
        (f,) = got
        assert (f.severity, f.field) == ("error", "intervention.sd")
        assert f.message == (
            f"SD {sd} and SE 1.2 cannot both hold with n = 25: SD = SE·√n would be 5.75 to 6.25; "
            "check which of the two the paper gives"
        )


def test_sd_se_on_the_comparator_and_the_handbook_arm() -> None:
    # The Handbook's SD 4.69 with n = 25 has SE 0.938: clean as printed.
    assert not findings("sd-se", mean_row(arm("13.8", "4.69", "25", se="0.94")))
    (f,) = findings("sd-se", mean_row(arm("13.8", "4.69", "25", se="0.94"), arm("10.0", "0.94", "22", se="4.69")))
    assert f.field == "comparator.sd"


def test_sd_se_needs_sd_se_and_n() -> None:
    assert not findings("sd-se", mean_row(arm("10", "4.0", None, se="1.2")))
    assert not findings("sd-se", mean_row(arm("10", "4.0", "NR", se="1.2")))
    assert not findings("sd-se", mean_row(arm("10", "<4.0", "25", se="1.2")))
    assert not findings("sd-se", mean_row(arm("10", "4.0", "25.5", se="1.2")))


# ---------------------------------------------------------------------------
# md-precision
# ---------------------------------------------------------------------------


def handbook_row(sd1: str, sd2: str, p: str = "0.008") -> Row:
    """The Cochrane Handbook's example (section 6.5.2.3): MD 3.8, P = 0.008,
    25 and 22 patients, so t = 2.78 with 45 df and SE = 3.8 / 2.78 = 1.37."""
    return mean_row(arm("13.8", sd1, "25"), arm("10.0", sd2, "22"), md("3.8", p=p))


def test_the_handbook_example_is_clean() -> None:
    # SE 1.37 gives an SD of 1.37 / √(1/25 + 1/22) = 4.69 in each arm.
    assert not ours(handbook_row("4.69", "4.69"))
    assert not ours(handbook_row("4.7", "4.7"))


def test_the_handbook_sds_typed_as_ses_are_caught_with_the_remedy() -> None:
    # The arms' standard errors are 4.69/√25 = 0.94 and 4.69/√22 = 1.00.
    (f,) = ours(handbook_row("0.94", "1.00"))
    assert (f.rule, f.severity, f.field, f.remedy) == ("md-precision", "warning", "intervention.sd", "sd-as-se")
    assert f.message.startswith("MD 3.8 with p 0.008 implies an SE of 1.26 to 1.47 (the normal or t with 21 to 45 df)")
    assert "more than 1.25 times the 0.281 to 0.286 that SD 0.94 and SD 1.00 with n = 25 and 22 allow" in f.message
    assert "the SDs look like standard errors (as SEs they would allow 1.36 to 1.38)" in f.message
    assert f.message.endswith("move them to the SE fields")


def test_the_handbook_sds_typed_as_ses_with_the_ci_too() -> None:
    # MD 3.8 ± 2.014·1.37 (t with 45 df): 1.0 to 6.6.
    assert not ours(mean_row(arm("13.8", "4.69", "25"), arm("10.0", "4.69", "22"), md("3.8", "1.0", "6.6", "0.008")))
    (f,) = ours(mean_row(arm("13.8", "0.94", "25"), arm("10.0", "1.00", "22"), md("3.8", "1.0", "6.6", "0.008")))
    assert f.message.startswith("the 95% CI 1.0 to 6.6 implies an SE of ")
    assert " and MD 3.8 with p 0.008 implies an SE of 1.26 to 1.47" in f.message
    assert f.remedy == "sd-as-se"


def edge_row(ci_high: str) -> Row:
    return mean_row(arm("13.6", "4.7", "25"), arm("10.0", "4.7", "22"), md("3.6", "0.00", ci_high))


def test_md_precision_at_the_rounding_edge_with_t_at_the_fewest_df() -> None:
    # The arms allow at most 4.75·√(1/25 + 1/22) = 1.3886 (pooled and unpooled
    # agree with equal SDs); the CI's width is at least U − 0.005 − 0.005...
    # the implied SE is width / (2·q), smallest with q = t at min(n) − 1 = 21 df.
    allowed = 4.75 * math.sqrt(1 / 25 + 1 / 22)
    q21 = t_quantile(21, 0.025)[1]
    threshold = 2 * q21 * 1.25 * allowed  # the narrowest width that must fire
    assert 7.22 - 0.01 < threshold < 7.23 - 0.01
    assert not ours(edge_row("7.22"))
    (f,) = ours(edge_row("7.23"))
    assert f.rule == "md-precision" and f.remedy is None
    assert f.message.startswith("the 95% CI 0.00 to 7.23 implies an SE of 1.73 to 1.85")
    assert f.message.endswith("check the SDs, the n and the MD's CI and p against the paper")
    # Under the normal alone 7.22 would already be too wide: t saved it.
    assert 2 * normal_quantile(0.025)[1] * 1.25 * allowed < 7.22 - 0.01


def test_md_precision_reads_se_for_a_missing_sd() -> None:
    # SD 4.7 given as SE 0.94 (= 4.7/√25) in the first arm: the same clean row.
    assert not ours(mean_row(arm("13.6", None, "25", se="0.94"), arm("10.0", "4.7", "22"), md("3.6", "0.00", "7.2")))
    (f,) = ours(mean_row(arm("13.6", None, "25", se="0.094"), arm("10.0", "0.47", "22"), md("3.6", "0.00", "7.2")))
    assert "SE 0.094 and SD 0.47" in f.message and f.field == "intervention.se"


def test_md_precision_p_below_a_thousandth_cannot_fire() -> None:
    # Read as ≤ 0.0002: any statistic above that of 0.0002, so any small SE.
    assert not findings("md-precision", handbook_row("0.94", "1.00", p="0.0002"))
    assert findings("md-precision", handbook_row("0.94", "1.00", p="0.002"))


def test_md_precision_a_ci_that_is_not_the_mds_is_not_called_an_se_mix_up() -> None:
    # MD 1.5 far from the centre (3.8) of its CI: the SDs may be SEs, or the CI belongs elsewhere.
    (f,) = findings(
        "md-precision", mean_row(arm("11.5", "0.94", "25"), arm("10.0", "1.00", "22"), md("1.5", "1.0", "6.6"))
    )
    assert f.remedy is None and "look like standard errors" not in f.message


def test_md_precision_never_reports_a_smaller_se() -> None:
    # A paired or adjusted analysis legitimately gives a narrower CI.
    assert not findings(
        "md-precision", mean_row(arm("13.6", "4.7", "25"), arm("10.0", "4.7", "22"), md("3.6", "3.5", "3.7"))
    )


def test_md_precision_needs_both_n_and_spreads() -> None:
    bad_ci = md("3.6", "0.0", "20.0")
    assert findings("md-precision", mean_row(arm("13.6", "4.7", "25"), arm("10.0", "4.7", "22"), bad_ci))
    assert not findings("md-precision", mean_row(arm("13.6", "4.7", None), arm("10.0", "4.7", "22"), bad_ci))
    assert not findings("md-precision", mean_row(arm("13.6", None, "25"), arm("10.0", "4.7", "22"), bad_ci))
    assert not findings("md-precision", mean_row(arm("13.6", "NR", "25"), arm("10.0", "4.7", "22"), bad_ci))
    assert not findings("md-precision", mean_row(arm("13.6", "4.7", "1"), arm("10.0", "4.7", "1"), bad_ci))


# ---------------------------------------------------------------------------
# ci-p-value
# ---------------------------------------------------------------------------


def altman_bland(p: str, **kw: Any) -> Row:
    """Altman & Bland (BMJ 2011;343:d2090): a difference of 17 (95% CI 1.4 to 32.6), P = 0.032."""
    return row(measure=None, effect=md("17", "1.4", "32.6", p, **kw))


def test_altman_and_bland_is_clean() -> None:
    assert not ours(altman_bland("0.032"))
    assert not ours(altman_bland("0.03"))
    assert not ours(altman_bland("<0.05"))


@pytest.mark.parametrize(
    ("p", "fires"),
    [
        # The largest implied statistic: 2·17.5 / (32.55 − 1.45) · 1.96 = 2.2057,
        # 1.5 times that is 3.3086, the statistic of p = 0.000938; an exact p
        # below 0.001 stands for anything up to its printed value.
        ("0.00094", False),
        ("0.00093", True),
        ("0.001", False),
        ("<0.001", False),
        ("<0.0001", True),
        ("0.000", True),  # read as < 0.0005
        # The smallest: 2·16.5 / (32.65 − 1.35) · 1.96 = 2.0664, divided by 1.5
        # is 1.3776, the statistic of p = 0.1683.
        ("0.168", False),
        ("0.169", True),
        (">0.05", False),
        (">0.2", True),
    ],
)
def test_ci_p_value_at_the_rounding_edge(p: str, fires: bool) -> None:
    got = ours(altman_bland(p))
    assert [f.rule for f in got] == (["ci-p-value"] if fires else [])
    if fires:
        (f,) = got
        assert (f.severity, f.field) == ("warning", "effect.p")
        assert f.message.startswith(f"p {p} does not fit MD 17 (95% CI 1.4 to 32.6): ")
        assert "test statistic of about 2.14 (p ≈ 0.03)" in f.message
        assert f.message.endswith("check the p-value, the estimate and the CI")


def test_ci_p_value_accepts_t_for_an_md_with_both_n() -> None:
    # MD 20 with SE 1 and 4 df... t with 2 df: CI 20 ± 4.303 and p = 0.0025.
    # The normal reads the CI as z = 9.1 but the p as z = 3.0; t with 2 df fits.
    assert not ours(mean_row(arm(n="3"), arm(n="3"), md("20", "15.7", "24.3", "0.0025")))
    (f,) = ours(mean_row(effect=md("20", "15.7", "24.3", "0.0025")))
    assert "under the normal distribution" in f.message
    # An RD uses the normal only, whatever the n.
    rd = row(
        intervention=Arm(n=_rep("3")), comparator=Arm(n=_rep("3")), effect=md("20", "15.7", "24.3", "0.0025", "RD")
    )
    assert [f.rule for f in ours(rd)] == ["ci-p-value"]


def test_ci_p_value_on_the_log_scale_for_ratios() -> None:
    # RR 1.50 (1.10 to 2.05): ln 1.5 / ((ln 2.05 − ln 1.10) / 3.92) = 2.55, p ≈ 0.011.
    assert not ours(row(effect=md("1.50", "1.10", "2.05", "0.01", "RR")))
    (f,) = ours(row(effect=md("1.50", "1.10", "2.05", "0.2", "RR")))
    assert "about 2.55 (p ≈ 0.01) on the log scale" in f.message
    # It runs on adjusted estimates too: a Cox model's HR, CI and p come from one fit.
    assert ours(row(effect=md("0.70", "0.55", "0.89", "0.30", "HR", adjusted=True)))
    assert not ours(row(effect=md("0.70", "0.55", "0.89", "0.004", "HR", adjusted=True)))


def test_ci_p_value_uses_the_ci_level_as_printed() -> None:
    # At 95% p = 0.2 is far off; read as a 50% CI (q = 0.674) the same bounds fit it.
    assert ours(row(effect=md("1.50", "1.10", "2.05", "0.2", "RR")))
    assert not ours(row(effect=md("1.50", "1.10", "2.05", "0.2", "RR", ci_level=_rep("50.0"))))
    assert not ours(row(effect=md("1.50", "1.10", "2.05", "0.2", "RR", ci_level=50)))


@pytest.mark.parametrize(
    "effect",
    [
        md("<17", "1.4", "32.6", "0.0001"),
        md("17", "NR", "32.6", "0.0001"),
        md("17", "32.6", "1.4", "0.0001"),  # reversed: ci-order
        md("0", "0.5", "2.0", "0.0001", "RR"),  # a ratio ≤ 0
        md("17", "1.4", "32.6", "1.5"),  # p out of range: range-p
        md("17", "1.4", "32.6", None),
        Effect(measure=None, value=_rep("17"), ci_low=_rep("1.4"), ci_high=_rep("32.6"), p=_rep("0.0001")),
    ],
)
def test_ci_p_value_skips(effect: Effect) -> None:
    assert not findings("ci-p-value", row(measure=None, effect=effect))


# ---------------------------------------------------------------------------
# True data never fire
# ---------------------------------------------------------------------------


def _printed(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}"


def _p_printed(p: float, style: int) -> str:
    """As papers print p: ``0.032``/``<0.001``, or two significant digits/``<0.0001``."""
    if style:
        return "<0.001" if p < 0.001 else f"{p:.3f}"
    return "<0.0001" if p < 0.0001 else f"{p:.2g}"


@settings(max_examples=80, deadline=None)
@given(
    n1=st.integers(2, 300),
    n2=st.integers(2, 300),
    m1=st.floats(-50, 150),
    shift=st.floats(-20, 20),
    sd1=st.floats(0.3, 40),
    sd2=st.floats(0.3, 40),
    decimals=st.integers(1, 2),
    pooled=st.booleans(),
    test=st.sampled_from(["z", "t-pooled", "t-min", "t-mid"]),
    swapped=st.booleans(),
    p_style=st.integers(0, 1),
    level=st.sampled_from([90, 95, 99]),
)
def test_true_data_rounded_as_printed_never_fire(
    n1: int, n2: int, m1: float, shift: float, sd1: float, sd2: float, decimals: int, pooled: bool,
    test: str, swapped: bool, p_style: int, level: int,
) -> None:  # fmt: skip
    """Means, SDs, SEs and n per arm, and an MD with a z or t CI and p computed
    from them, rounded as a paper prints them: none of the four rules fires."""
    m2 = m1 + shift
    if pooled:
        sp2 = ((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2)
        se = math.sqrt(sp2 * (1 / n1 + 1 / n2))
    else:
        se = math.sqrt(sd1**2 / n1 + sd2**2 / n2)
    df_min, df_max = max(1, min(n1, n2) - 1), n1 + n2 - 2
    df = {"t-pooled": df_max, "t-min": df_min, "t-mid": (df_min + df_max) // 2}.get(test)
    tail = (100 - level) / 200

    def quantile(t: float) -> float:
        return sum(t_quantile(df, t)) / 2 if df else sum(normal_quantile(t)) / 2

    diff = (m2 - m1) if swapped else (m1 - m2)
    q = quantile(tail)
    stat = abs(diff) / se
    p = 2 * (t_tail(df, stat) if df else normal_tail(stat))
    d = decimals
    eff = Effect(
        measure="MD",
        value=_rep(_printed(diff, d)),
        ci_low=_rep(_printed(diff - q * se, d)),
        ci_high=_rep(_printed(diff + q * se, d)),
        p=_rep(_p_printed(p, p_style)),
        ci_level=level,
        direction="comparator_vs_intervention" if swapped else None,
    )
    a = arm(_printed(m1, d), _printed(sd1, d), str(n1), se=_printed(sd1 / math.sqrt(n1), d + 1))
    b = arm(_printed(m2, d), _printed(sd2, d), str(n2), se=_printed(sd2 / math.sqrt(n2), d + 1))
    assert ours(mean_row(a, b, eff)) == []


@settings(max_examples=50, deadline=None)
@given(
    measure=st.sampled_from(["RR", "OR", "HR", "IRR", "RD", "SMD"]),
    log_est=st.floats(-3, 3),
    se=st.floats(0.01, 1.5),
    decimals=st.integers(2, 3),
    p_style=st.integers(0, 1),
    level=st.sampled_from([90, 95, 99]),
)
def test_true_estimates_with_a_normal_ci_and_p_never_fire(
    measure: str, log_est: float, se: float, decimals: int, p_style: int, level: int
) -> None:
    """An estimate, its Wald CI and its two-sided p from one z statistic
    (on the log scale for ratios), rounded as printed: ci-p-value stays quiet."""
    q = sum(normal_quantile((100 - level) / 200)) / 2
    lo, hi = log_est - q * se, log_est + q * se
    if measure in ("RR", "OR", "HR", "IRR"):
        est, lo, hi = math.exp(log_est), math.exp(lo), math.exp(hi)
    else:
        est = log_est
    p = 2 * normal_tail(abs(log_est) / se)
    eff = md(
        _printed(est, decimals),
        _printed(lo, decimals),
        _printed(hi, decimals),
        _p_printed(p, p_style),
        measure,
        ci_level=level,
    )
    assert ours(row(measure=None, effect=eff)) == []


def test_numbers_beyond_floats_are_decided_exactly() -> None:
    # Squares of 1e299 overflow a float; the exact check decides.
    # 1e299 − 0 is anywhere in [0.5e299 − 0.5, 1.5e299 + 0.5].
    assert not findings("md-recompute", mean_row(arm("1e299"), arm("0"), md("1e299")))
    assert findings("md-recompute", mean_row(arm("1e299"), arm("0"), md("3e299")))
    assert not findings("sd-se", mean_row(arm("1", "5e299", "25", se="1e299")))
    assert findings("sd-se", mean_row(arm("1", "9e299", "25", se="1e299")))
    assert not findings("sd-se", mean_row(arm("1", "5e200", "25", se="1e200")))
    assert findings("sd-se", mean_row(arm("1", "9e200", "25", se="1e200")))
    assert not ours(row(measure=None, effect=md("2e299", "1e299", "3e299", "0.0001")))
    assert ours(row(measure=None, effect=md("2e299", "1e299", "3e299", "0.5")))
    wide = md("2e200", "1e200", "3e200")
    assert not ours(mean_row(arm("3e200", "5e200", "25"), arm("1e200", "5e200", "22"), wide))
    assert ours(mean_row(arm("3e200", "5e198", "25"), arm("1e200", "5e198", "22"), wide))
