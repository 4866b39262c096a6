"""An audit of the 1.1 rules against ``checks.md``, clause by clause.

Each test pins one clause of the catalogue at its edge: a case that fires
and one just across that does not, so dropping or inverting the clause
fails a test. The numbers are worked in the comments.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.checks.precision import normal_quantile, normal_tail
from tests.checks.builders import effect as ratio_effect
from tests.checks.builders import fires, row
from tests.checks.test_continuous import arm, findings, md, mean_row

# ---------------------------------------------------------------------------
# ci-p-value
# ---------------------------------------------------------------------------


def _cpv(eff: object, **kw: object) -> list[str]:
    return [f.rule for f in findings("ci-p-value", row(measure=None, effect=eff, **kw))]  # type: ignore[arg-type]


def test_ci_p_value_factor_one_and_a_half_at_the_edge() -> None:
    # MD 3.000000 (1.040036 to 4.959964): SE 1.000000, z = 3.000000 (rounding ~1e-6).
    # p 0.04407017 is z = 3/1.49: within 1.5; p 0.04694956 is z = 3/1.51: beyond it.
    ci = ("3.000000", "1.040036", "4.959964")
    assert _cpv(md(*ci, "0.04407017")) == []
    assert _cpv(md(*ci, "0.04694956")) == ["ci-p-value"]
    # ... and above: z = 3·1.49 fits, 3·1.51 does not.
    assert _cpv(md(*ci, f"{2 * normal_tail(3 * 1.49):.6e}")) == []
    assert _cpv(md(*ci, f"{2 * normal_tail(3 * 1.51):.6e}")) == ["ci-p-value"]


def test_ci_p_value_reads_an_exact_p_over_its_rounding_interval() -> None:
    # z = 3 from the CI; z = 2 (= 3/1.5) is p = 0.0455. "0.05" stands for
    # [0.045, 0.055]: 0.045 is z = 2.005, within 1.5 of 3 -> clean.
    # "0.050" stands for [0.0495, 0.0505]: z ≤ 1.963 -> fires.
    ci = ("3.000000", "1.040036", "4.959964")
    assert _cpv(md(*ci, "0.05")) == []
    assert _cpv(md(*ci, "0.050")) == ["ci-p-value"]


def test_ci_p_value_reads_an_exact_p_below_a_thousandth_as_at_most_its_value() -> None:
    # MD 10.0 (8.0 to 12.0): z ≈ 9.8. An exact 0.0004 stands for anything ≤ 0.0004
    # (statistics from 3.54 up): clean. An exact 0.004 (≥ 0.001) is z ≈ 2.88: fires.
    assert _cpv(md("10.0", "8.0", "12.0", "0.0004")) == []
    assert _cpv(md("10.0", "8.0", "12.0", "=0.0009")) == []
    assert _cpv(md("10.0", "8.0", "12.0", "0.004")) == ["ci-p-value"]
    assert _cpv(md("10.0", "8.0", "12.0", "0.0010")) == ["ci-p-value"]  # printed value 0.001: not below
    # Read as ≤ its value, not over its rounding: a CI that implies z ≈ 1.5 against 0.0004
    # (z ≥ 3.54, more than 1.5 times) still fires.
    assert _cpv(md("3.0", "-0.9", "6.9", "0.0004")) == ["ci-p-value"]


@pytest.mark.parametrize(
    ("p", "fired"),
    [
        ("<0.001", False),  # z ≈ 9.8 is above z(0.001) = 3.29
        ("≤0.001", False),
        (">0.05", True),  # every statistic below 1.96: 9.8 is far beyond
        ("<0.05", False),
    ],
)
def test_ci_p_value_relations_with_a_large_statistic(p: str, fired: bool) -> None:
    assert _cpv(md("10.0", "8.0", "12.0", p)) == (["ci-p-value"] if fired else [])


@pytest.mark.parametrize(
    ("p", "fired"),
    [
        (">0.05", False),  # z ≈ 0.49 is below 1.96
        ("<0.05", True),  # statistics above 1.96; 0.49·1.5 < 1.96
        ("<0.5", False),  # above 0.674: 0.49·1.5 = 0.74 reaches it
        ("<0.2", True),  # above 1.28: 0.49·1.5 = 0.74 does not
    ],
)
def test_ci_p_value_relations_with_a_small_statistic(p: str, fired: bool) -> None:
    # MD 0.5 (−1.5 to 2.5): SE 1.02, z ≈ 0.49.
    assert _cpv(md("0.5", "-1.5", "2.5", p)) == (["ci-p-value"] if fired else [])


@pytest.mark.parametrize("p", ["0", "0.000", "=0.000", "<0.000", "≤0.000"])
def test_ci_p_value_reads_a_zero_p_as_below_half_a_unit(p: str) -> None:
    # A zero p is p < half a unit (0.000 is < 0.0005, z > 3.48): a large statistic
    # fits it, a small one (z ≈ 0.1; "0" is < 0.5, z > 0.67) does not. Read as nothing,
    # it would skip both.
    assert _cpv(md("10.0", "8.0", "12.0", p)) == []
    assert _cpv(md("0.1", "-1.9", "2.1", p)) == ["ci-p-value"]


def test_ci_p_value_zero_p_edge_of_the_half_unit() -> None:
    # "0.00" is < 0.005 (z > 2.807): a CI implying z = 1.90 reaches 2.807/1.5 = 1.871: clean;
    # z = 1.85 does not: fires. (SE 1.000000 from the CI; estimate = z.)
    half = 1.959964
    for z, fired in ((1.90, False), (1.85, True)):
        e = f"{z:.6f}"
        eff = md(e, f"{z - half:.6f}", f"{z + half:.6f}", "0.00")
        assert _cpv(eff) == (["ci-p-value"] if fired else [])


def test_ci_p_value_uses_the_centre_of_the_ci_too() -> None:
    # MD 0.1 (1.0 to 3.0): the estimate gives z ≈ 0.2, the CI's centre 2 gives z ≈ 3.92;
    # p 0.0001 is z = 3.89: the centre fits, so no finding (the estimate alone would fire).
    assert _cpv(md("0.1", "1.0", "3.0", "0.0001")) == []
    # Neither fits: the centre's z 3.92 and the estimate's 0.1 to 0.29 are both far from
    # p 0.97's 0.031 to 0.044.
    assert _cpv(md("0.1", "1.0", "3.0", "0.97")) == ["ci-p-value"]
    # The estimate's statistic counts on its own: estimate 2.0 with a CI centred on 0.
    assert _cpv(md("2.0", "-1.0", "1.0", "0.0001")) == []  # z(est) = 3.92
    assert _cpv(md("2.0", "-1.0", "1.0", "0.97")) == []  # the centre's z ≈ 0: it fits
    assert _cpv(md("2.0", "-1.0", "1.0", "0.2")) == ["ci-p-value"]  # z 1.28: neither 3.9 nor ≈ 0


def test_ci_p_value_runs_whether_or_not_ci_p_fires() -> None:
    # 17 (1.4 to 32.6) excludes 0 while p 0.5 is not significant: ci-p fires, and the
    # statistics (2.14 against 0.67) are more than 1.5 times apart: ci-p-value too.
    r = row(measure=None, effect=md("17", "1.4", "32.6", "0.5"))
    assert {f.rule for f in fires("ci-p", r)} == {"ci-p"}
    assert {f.rule for f in findings("ci-p-value", r)} == {"ci-p-value"}


def _two_arms(n1: str, n2: str) -> dict[str, object]:
    return {"intervention": arm(n=n1), "comparator": arm(n=n2)}


@pytest.mark.parametrize(
    ("measure", "ns", "fired"),
    [
        ("MD", ("3", "3"), False),  # t with 2 df fits
        ("SMD", ("3", "3"), False),
        ("MD", None, True),  # without both n the normal only
        ("MD", ("3", None), True),
        ("RD", ("3", "3"), True),  # RD: the normal only
    ],
)
def test_ci_p_value_t_for_means_with_both_n_normal_otherwise(measure: str, ns: tuple | None, fired: bool) -> None:
    # 10.0 (5.697 to 14.303): with t at 2 df (q 4.303) SE 1, t = 10, p = 0.0099;
    # under the normal SE = 2.195, z = 4.56 against p 0.0099's 2.58: 1.77 apart.
    kw = {}
    if ns is not None:
        kw = {"intervention": arm(n=ns[0]), "comparator": arm(n=ns[1])}
    got = _cpv(md("10.000", "5.697", "14.303", "0.0099", measure), **kw)
    assert got == (["ci-p-value"] if fired else [])


def test_ci_p_value_ratios_use_the_normal_only_even_with_n() -> None:
    # On the log scale 1.0 ± 0.4303 with p 0.0099 fits t at 2 df (statistic 10 · 0.1 …) but a
    # ratio is read with the normal only: z = 1.0 / (0.4303 / 1.96) = 4.56 against 2.58.
    import math

    e, lo, hi = (f"{math.exp(x):.6f}" for x in (1.0, 1.0 - 0.4303, 1.0 + 0.4303))
    p = "0.0099"
    assert _cpv(md(e, lo, hi, p, "HR"), **_two_arms("3", "3")) == ["ci-p-value"]


def test_ci_p_value_reads_a_printed_ci_level_string() -> None:
    # 3.000000 ± 1.959964 is SE 1 at 95%: z 3 against p 1e-8's 5.73, beyond 1.5.
    # Read at the printed level "99.99" (q 3.89) the SE is 0.504 and z 5.96: it fits.
    from curator.numbers import parse_reported

    ci = ("3.000000", "1.040036", "4.959964")
    assert _cpv(md(*ci, "0.00000001")) == ["ci-p-value"]
    assert _cpv(md(*ci, "0.00000001", ci_level=parse_reported("99.99"))) == []


# ---------------------------------------------------------------------------
# md-precision
# ---------------------------------------------------------------------------


def _mdp(a: object, b: object, eff: object) -> list:
    return findings("md-precision", mean_row(a, b, eff))  # type: ignore[arg-type]


def _ci_for_se(se: float, centre: float = 5.0) -> tuple[str, str, str]:
    """A 95% CI whose width implies ``se`` under the normal (6 decimals)."""
    h = se * sum(normal_quantile(0.025)) / 2
    return f"{centre:.6f}", f"{centre - h:.6f}", f"{centre + h:.6f}"


def test_md_precision_factor_one_and_a_quarter_one_sided() -> None:
    # n 10 000 each (t ≈ normal), SD 100.0 each: allowed SE ≈ √(2·100²/10 000) = 1.414
    # (SDs' rounding ±0.05 moves it by 0.05%).
    a, b = arm("105.0", "100.0", "10000"), arm("100.0", "100.0", "10000")
    allowed = 2**0.5
    assert _mdp(a, b, md(*_ci_for_se(allowed * 1.24))) == []
    assert len(_mdp(a, b, md(*_ci_for_se(allowed * 1.26)))) == 1
    # A smaller implied SE is never reported, however small.
    assert _mdp(a, b, md(*_ci_for_se(allowed / 20))) == []


def test_md_precision_each_path_separately() -> None:
    # The Handbook's SEs typed as SDs (0.96, 0.98; n 25, 22) allow an SE of about 0.28.
    a, b = arm("8.3", "0.96", "25"), arm("12.1", "0.98", "22")
    # The CI path alone (no p): −3.8 (−6.49 to −1.11) implies 1.37.
    assert len(_mdp(a, b, md("-3.8", "-6.49", "-1.11"))) == 1
    # The p path alone (no CI): 3.8 / q(0.008) ≈ 1.43.
    (f,) = _mdp(a, b, md("-3.8", p="0.008"))
    assert "MD -3.8 with p 0.008 implies" in f.message
    # A p path that fits does not hide a CI path that fails: the rule fires on either.
    assert len(_mdp(a, b, md("-3.8", "-6.49", "-1.11", "0.0000001"))) == 1


def test_md_precision_p_below_a_thousandth_cannot_make_the_p_path_fire() -> None:
    a, b = arm("8.3", "0.96", "25"), arm("12.1", "0.98", "22")
    assert len(_mdp(a, b, md("-3.8", p="0.001"))) == 1  # 3.8 / 3.29 = 1.15 > 1.25·0.28
    assert _mdp(a, b, md("-3.8", p="0.0009")) == []  # read as ≤ 0.0009: any statistic above 3.3
    assert _mdp(a, b, md("-3.8", p="0.000")) == []  # zero: below half a unit
    assert _mdp(a, b, md("-3.8", p="<0.01")) == []  # a relation: not an exact p, no path


def test_md_precision_pooled_and_unpooled_are_both_allowed() -> None:
    # n 10 and 100. SDs 10 and 1: unpooled √(100/10 + 1/100) = 3.16, pooled √(9.25·0.11) = 1.01.
    # An implied SE of 3.5 fits the unpooled only; swap the SDs and it fits the pooled only
    # (pooled √(91.75·0.11) = 3.18, unpooled √(1/10 + 100/100) = 1.05).
    ci = md(*_ci_for_se(3.5))
    assert _mdp(arm("5", "10.00", "10"), arm("0", "1.00", "100"), ci) == []
    assert _mdp(arm("5", "1.00", "10"), arm("0", "10.00", "100"), ci) == []
    # 5.0 is beyond both (3.18·1.25 = 3.97 even with t at 9 df: 5.0·1.96/2.26 = 4.34).
    big = md(*_ci_for_se(5.0))
    assert len(_mdp(arm("5", "10.00", "10"), arm("0", "1.00", "100"), big)) == 1
    assert len(_mdp(arm("5", "1.00", "10"), arm("0", "10.00", "100"), big)) == 1


def test_md_precision_reads_an_se_as_sd_times_root_n() -> None:
    # SE 0.20 with n 25 is an SD of 1.00; with SDs 1.00 the SE allowed is 0.29.
    ci = md(*_ci_for_se(0.35))
    assert _mdp(arm("5", se="0.20", n="25"), arm("0", se="0.20", n="25"), ci) == []
    assert len(_mdp(arm("5", se="0.20", n="25"), arm("0", se="0.20", n="25"), md(*_ci_for_se(0.40)))) == 1
    # An SD given wins over the SE.
    assert len(_mdp(arm("5", "0.50", "25", "0.20"), arm("0", "0.50", "25", "0.20"), ci)) == 1


def test_md_precision_look_like_standard_errors_needs_the_ci_centred() -> None:
    a, b = arm("8.3", "0.96", "25"), arm("12.1", "0.98", "22")
    (f,) = _mdp(a, b, md("-3.8", "-6.49", "-1.11"))
    assert f.remedy == "sd-as-se" and "look like standard errors" in f.message
    # −3.8 with its CI centred at −3.8 + 0.1·2.69 (= −3.531) is within 10% of the half-width: still an SE mix-up.
    (f,) = _mdp(a, b, md("-3.8", "-6.22", "-0.84"))
    assert f.remedy == "sd-as-se"
    # Centred at −3.8 + 0.2·2.69: the CI does not belong to the MD: no remedy.
    (f,) = _mdp(a, b, md("-3.8", "-5.95", "-0.57"))
    assert f.remedy is None and "look like standard errors" not in f.message


def test_md_precision_look_like_standard_errors_needs_a_near_fit() -> None:
    # SDs 0.10 as SEs allow √(0.1²·25/25 + 0.1²·22/22)... far below 1.37·(1/1.25): no remedy.
    (f,) = _mdp(arm("8.3", "0.10", "25"), arm("12.1", "0.10", "22"), md("-3.8", "-6.49", "-1.11"))
    assert f.remedy is None


@pytest.mark.parametrize(
    ("row_kw", "effect_kw"),
    [({"analysis": "adjusted"}, {}), ({}, {"adjusted": True}), ({}, {"contrast": "change"})],
)
def test_md_precision_only_on_crude_arm_contrasts(row_kw: dict, effect_kw: dict) -> None:
    a, b = arm("8.3", "0.96", "25"), arm("12.1", "0.98", "22")
    assert len(_mdp(a, b, md("-3.8", "-6.49", "-1.11"))) == 1
    marked = mean_row(a, b, md("-3.8", "-6.49", "-1.11", **effect_kw), **row_kw)
    assert findings("md-precision", marked) == []


# ---------------------------------------------------------------------------
# md-recompute, sd-se, median-order, grim-mean, grimmer-sd
# ---------------------------------------------------------------------------


def test_md_recompute_direction_at_the_edge() -> None:
    swapped = {"direction": "comparator_vs_intervention"}
    # 10.3 − 12.1 is in [−1.9, −1.7].
    assert findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("-1.90", **swapped))) == []
    assert len(findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("-1.91", **swapped)))) == 1
    assert len(findings("md-recompute", mean_row(arm("12.1"), arm("10.3"), md("1.80", **swapped)))) == 1


@pytest.mark.parametrize(
    ("sd", "se", "n", "fired"),
    [
        # se 1.0 -> [0.95, 1.05]; n 4: sd in [1.90, 2.10]
        ("1.9", "1.0", "4", False),  # [1.85, 1.95] meets it
        ("1.84", "1.0", "4", True),
        ("2.1", "1.0", "4", False),
        ("2.16", "1.0", "4", True),
    ],
)
def test_sd_se_squares_over_rounding(sd: str, se: str, n: str, fired: bool) -> None:
    assert len(findings("sd-se", mean_row(arm("5", sd, n, se)))) == fired


def test_median_order_min_and_max_around_a_mean() -> None:
    from tests.checks.builders import arm as barm

    def mean_with(**kw: str) -> list:
        return fires("median-order", row(measure="mean", unit="points", intervention=barm(value="12.1", n="50", **kw)))

    assert mean_with(min="12.15") == []  # [12.145, 12.155] meets [12.05, 12.15]
    assert mean_with(max="12.05") == []
    assert len(mean_with(min="12.16")) == 1  # [12.155, ..] is above 12.15
    assert len(mean_with(max="12.04")) == 1


def test_grim_mean_counts_items() -> None:
    # n 10 with 3 items: means are S/30. 2.03 ([2.025, 2.035]) holds 61/30 = 2.0333: clean;
    # with 1 item S/10 cannot: fires.
    assert findings("grim-mean", mean_row(arm("2.03", n="10"), integer_items=_rep("3"))) == []
    assert len(findings("grim-mean", mean_row(arm("2.03", n="10"), integer_items=_rep("1")))) == 1


def test_grimmer_sd_only_with_one_item_and_for_negative_data() -> None:
    # Mean 3.5 of n 2 whole numbers needs {a, 7 − a}: SD |2a − 7|/√2, odd multiples of 0.707.
    # SD 1.00 is impossible; so is the same with the data negated (mean −3.5).
    for mean in ("3.5", "-3.5"):
        assert len(findings("grimmer-sd", mean_row(arm(mean, "1.00", "2"), integer_items=_rep("1")))) == 1
        assert findings("grimmer-sd", mean_row(arm(mean, "0.71", "2"), integer_items=_rep("1"))) == []
        assert findings("grimmer-sd", mean_row(arm(mean, "1.00", "2"), integer_items=_rep("2"))) == []


def _rep(t: str):  # type: ignore[no-untyped-def]
    from curator.numbers import parse_reported

    return parse_reported(t, whole=True)


# ---------------------------------------------------------------------------
# effect-recompute fallback, ci-symmetry scales
# ---------------------------------------------------------------------------


def test_effect_recompute_exact_arm_and_rounded_arm() -> None:
    from tests.checks.builders import arm as barm

    # Intervention 20/100 exactly; comparator 10% ([9.95, 10.05]) with n but no events:
    # RR 20/p2 in [1.9900, 2.0101].
    def r(value: str) -> object:
        return row(
            intervention=barm(value="20", n="100", events="20"),
            comparator=barm(value="10.0", n="100"),
            effect=ratio_effect("RR", value),
        )

    assert fires("effect-recompute", r("1.99")) == []
    assert fires("effect-recompute", r("2.01")) == []
    assert len(fires("effect-recompute", r("1.98"))) == 1
    assert len(fires("effect-recompute", r("2.02"))) == 1


@pytest.mark.parametrize(
    ("measure", "adjusted", "fired"),
    [("RR", True, False), ("OR", True, False), ("HR", True, True), ("RR", None, True), ("IRR", True, True)],
)
def test_ci_symmetry_either_scale_only_for_adjusted_rr_and_or(measure: str, adjusted: bool | None, fired: bool) -> None:
    # 1.50 (1.10 to 1.90): centred on the ratio scale, off-centre on the log scale.
    got = fires("ci-symmetry", row(effect=ratio_effect(measure, "1.50", "1.10", "1.90", adjusted=adjusted)))
    assert len(got) == fired


# ---------------------------------------------------------------------------
# True data rounded as a paper prints them never fire: the edges the other
# property tests leave out (0 to 4 decimals, SE-only arms, zero and tiny exact
# p-values, a printed level, any df of the accepted range, one arm counted
# exactly and the other by its percent, events without n)
# ---------------------------------------------------------------------------

_QUIET = ("significance-claim", "effect-direction", "citation-missing", "range-p")


def _p_as_printed(p: float, style: int) -> str:
    return [
        "<0.001" if p < 0.001 else f"{p:.3f}",
        f"{p:.2g}",  # an exact p below 0.001 with two significant digits
        f"{p:.3f}",  # may print 0.000
        f"={p:.3f}",  # may print =0.000
        "<0.05" if p < 0.05 else f"{p:.2f}",
        ">0.05" if p > 0.05 else f"{p:.3f}",
    ][style]


@given(
    n=st.tuples(st.one_of(st.integers(2, 6), st.integers(2, 300)), st.one_of(st.integers(2, 6), st.integers(2, 300))),
    scale=st.sampled_from([0.01, 1, 100]),
    m1=st.floats(-3, 3),
    shift=st.floats(-2, 2),
    sds=st.tuples(st.floats(0.02, 3), st.floats(0.02, 3)),
    digits=st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4)),
    pooled=st.booleans(),
    df_at=st.one_of(st.none(), st.floats(0, 1)),
    swapped=st.booleans(),
    p_style=st.integers(0, 5),
    level=st.sampled_from(["90", "95", "99", "95.02"]),
    spread=st.sampled_from(["sd", "sd+se", "se", "mixed"]),
)
def test_true_means_at_the_printing_edges_never_fire(
    n: tuple[int, int], scale: float, m1: float, shift: float, sds: tuple[float, float],
    digits: tuple[int, int, int], pooled: bool, df_at: float | None, swapped: bool, p_style: int,
    level: str, spread: str,
) -> None:  # fmt: skip
    import math

    from curator.checks import run_checks
    from curator.checks.precision import t_quantile, t_tail
    from curator.numbers import parse_reported
    from curator.review import Arm, Effect
    from tests.checks.builders import review
    from tests.checks.generate import print_number

    (n1, n2), (dm, dsd, dci) = n, digits
    m1, m2 = m1 * scale, (m1 + shift) * scale
    sd1, sd2 = sds[0] * scale, sds[1] * scale
    if pooled:
        se = math.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2) * (1 / n1 + 1 / n2))
    else:
        se = math.sqrt(sd1**2 / n1 + sd2**2 / n2)
    lo_df, hi_df = max(1, min(n1, n2) - 1), n1 + n2 - 2
    df = None if df_at is None else lo_df + int(df_at * (hi_df - lo_df))
    tail = (100 - float(level)) / 200
    q = sum(t_quantile(df, tail) if df else normal_quantile(tail)) / 2
    diff = (m2 - m1) if swapped else (m1 - m2)
    stat = abs(diff) / se
    p = 2 * (t_tail(df, stat) if df else normal_tail(stat))
    r = parse_reported
    eff = Effect(
        measure="MD",
        value=r(print_number(diff, dci)),
        ci_low=r(print_number(diff - q * se, dci)),
        ci_high=r(print_number(diff + q * se, dci)),
        p=r(_p_as_printed(p, p_style)),
        ci_level=r(level),
        direction="comparator_vs_intervention" if swapped else None,
    )

    def one(m: float, sd: float, k: int, with_sd: bool, with_se: bool) -> Arm:
        return Arm(
            value=r(print_number(m, dm)),
            n=r(str(k)),
            sd=r(print_number(sd, dsd)) if with_sd else None,
            se=r(print_number(sd / math.sqrt(k), dsd + 1)) if with_se else None,
        )

    has = {"sd": (True, False), "sd+se": (True, True), "se": (False, True), "mixed": (True, False)}[spread]
    a = one(m1, sd1, n1, *has)
    b = one(m2, sd2, n2, *((False, True) if spread == "mixed" else has))
    got = [f for f in run_checks(review(mean_row(a, b, eff))) if f.severity != "info" and f.rule not in _QUIET]
    assert got == [], [f.message for f in got]


@given(
    n=st.tuples(
        st.one_of(st.integers(1, 12), st.integers(1, 3000)), st.one_of(st.integers(1, 12), st.integers(1, 3000))
    ),
    share=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    measure=st.sampled_from(["RR", "OR", "RD"]),
    swapped=st.booleans(),
    shown=st.tuples(*[st.sampled_from(["events", "n", "events only", "none"])] * 2),
    pd=st.integers(0, 3),
    seed=st.integers(0, 2**32),
)
def test_true_counts_with_arms_shown_differently_never_fire(
    n: tuple[int, int], share: tuple[float, float], measure: str, swapped: bool,
    shown: tuple[str, str], pd: int, seed: int,
) -> None:  # fmt: skip
    """One arm counted exactly, the other by its percent alone (or with events but no n)."""
    import random
    from fractions import Fraction

    from curator.checks import run_checks
    from curator.numbers import parse_reported
    from curator.review import Arm, Comparison, Review
    from tests.checks.builders import ref
    from tests.checks.generate import clean_row, print_number

    (n1, n2) = n
    e1, e2 = round(share[0] * n1), round(share[1] * n2)
    if measure != "RD" and not (0 < e1 < n1 and 0 < e2 < n2):
        return
    if measure == "RD" and (e1, e2) in ((0, 0), (n1, n2)):
        return
    rw = clean_row(random.Random(seed), "E", e1, n1, e2, n2, measure, swapped=swapped, shown="events")

    def one(e: int, k: int, how: str) -> Arm:
        value = parse_reported(print_number(Fraction(100 * e, k), pd))
        events, total = parse_reported(str(e), whole=True), parse_reported(str(k), whole=True)
        return {
            "events": Arm(value=value, events=events, n=total),
            "n": Arm(value=value, n=total),
            "events only": Arm(value=value, events=events),
            "none": Arm(value=value),
        }[how]

    rw.intervention, rw.comparator = one(e1, n1, shown[0]), one(e2, n2, shown[1])
    rv = Review(references=[ref("1")], comparisons=[Comparison("a-vs-b", "A vs B", "A", "B", rows=[rw])])
    got = [f for f in run_checks(rv) if f.severity != "info" and f.rule not in _QUIET]
    assert got == [], [f.message for f in got]


@pytest.mark.parametrize("df", [3, 4, 5, 8])
def test_t_quantiles_at_the_tiniest_tails_for_few_df(df: int) -> None:
    # The t density at these quantiles underflows a float; the Newton step is taken in logs.
    from curator.checks.precision import t_quantile, t_tail

    for tail in (1e-250, 1e-290):
        lo, hi = t_quantile(df, tail)
        assert t_tail(df, lo) >= tail >= t_tail(df, hi)
        assert hi - lo <= 1e-6 * hi


def test_ci_p_value_with_an_absurdly_small_p_bound_and_t() -> None:
    # An MD whose statistic the normal cannot fit sends the search to t with 3 to 6 df at a
    # tail of 5e-251: it used to stop `curator check` with a ZeroDivisionError.
    kw = {"intervention": arm(n="4"), "comparator": arm(n="4")}
    assert _cpv(md("100.0", "99.0", "101.0", ">1e-250"), **kw) == []
    assert _cpv(md("100.0", "99.0", "101.0", "<1e-250"), **kw) == []


def test_md_precision_reads_the_ci_level_as_printed() -> None:
    # The Handbook's arms (SDs 4.8 and 4.6, n 25 and 22) allow an SE of 1.37; its CI
    # −6.49 to −1.11 implies 1.37 at 95%, but 3.99 read as a 50% CI (q 0.674).
    from curator.numbers import parse_reported

    a, b = arm("8.3", "4.8", "25"), arm("12.1", "4.6", "22")
    assert _mdp(a, b, md("-3.8", "-6.49", "-1.11")) == []
    assert _mdp(a, b, md("-3.8", "-6.49", "-1.11", ci_level=parse_reported("95.0"))) == []
    assert len(_mdp(a, b, md("-3.8", "-6.49", "-1.11", ci_level=parse_reported("50.0")))) == 1
