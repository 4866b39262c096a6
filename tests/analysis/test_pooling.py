"""Pooling agrees with the field's reference software (issue 17): metafor's published results on the 13
BCG trials, statsmodels' independent implementations, and REML's own definition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.meta_analysis import effectsize_2proportions

from curator.analysis import analyse
from curator.analysis.effects import Binary, binary_effect
from curator.analysis.pooling import pool, pool_mantel_haenszel, reml_tau2
from tests.analysis.bcg import BCG, bcg_review


def _bcg() -> tuple[list[Binary], list[float], list[float]]:
    tables = [Binary(a, n1, c, n2) for _au, _y, a, n1, c, n2 in BCG]
    effects = [binary_effect(t, "RR") for t in tables]
    return tables, [y for y, _v in effects], [v for _y, v in effects]


def test_the_bcg_trials_pool_as_metafor_publishes_them() -> None:
    """metafor (Viechtbauer 2010), dat.bcg, measure RR, log scale, to 4 decimals."""
    _t, y, v = _bcg()
    dl = pool(y, v, "dl")
    assert (round(dl.estimate, 4), round(dl.tau2 or 0, 4)) == (-0.7141, 0.3088)
    assert (round(dl.q or 0, 3), round(dl.i2 or 0, 2), dl.q_df) == (152.233, 92.12, 12)
    reml = pool(y, v, "reml")
    assert (round(reml.estimate, 4), round(reml.tau2 or 0, 4)) == (-0.7145, 0.3132)
    assert round(pool(y, v, "fixed").estimate, 4) == -0.4303
    knha = pool(y, v, "reml", hksj=True)  # rma(..., test="knha"): CI -1.1084 to -0.3206, p 0.0019
    assert (round(knha.ci_low, 4), round(knha.ci_high, 4), round(knha.p, 4)) == (-1.1084, -0.3206, 0.0019)


def test_the_bcg_review_pools_through_its_rows_with_the_same_results() -> None:
    [reml] = analyse(bcg_review())  # the defaults: RR (rows with events), REML
    assert (reml.measure, reml.method, reml.k, reml.left_out) == ("RR", "reml", 13, ())
    assert round(math.log(reml.to_json()["estimate"]), 4) == -0.7145
    [dl] = analyse(bcg_review(), method="dl")
    assert dl.pooled is not None and round(dl.pooled.tau2 or 0, 4) == 0.3088
    [fixed] = analyse(bcg_review(), method="fixed", mantel_haenszel=False)
    assert fixed.pooled is not None and round(fixed.pooled.estimate, 4) == -0.4303
    assert math.isclose(sum(s.weight for s in reml.studies), 100)


def test_each_trials_log_risk_ratio_is_statsmodels() -> None:
    tables, y, v = _bcg()
    a = np.array([t.events1 for t in tables])
    n1 = np.array([t.n1 for t in tables])
    c = np.array([t.events2 for t in tables])
    n2 = np.array([t.n2 for t in tables])
    for measure, name in (("RR", "risk-ratio"), ("OR", "odds-ratio"), ("RD", "diff")):
        ours = np.array([binary_effect(t, measure) for t in tables])
        theirs = np.array(effectsize_2proportions(a, n1, c, n2, statistic=name)).T
        assert np.allclose(ours, theirs), measure


def test_mantel_haenszel_odds_ratio_is_statsmodels_stratified_table() -> None:
    tables, _y, _v = _bcg()
    strata = np.array([[[t.events1, t.n1 - t.events1], [t.events2, t.n2 - t.events2]] for t in tables]).T
    theirs = StratifiedTable(strata.transpose(1, 0, 2).astype(float))
    effects = [binary_effect(t, "OR") for t in tables]
    ours = pool_mantel_haenszel(tables, "OR", [e for e, _ in effects], [w for _, w in effects])
    assert math.isclose(ours.estimate, theirs.logodds_pooled, rel_tol=1e-12)
    assert math.isclose(ours.se, theirs.logodds_pooled_se, rel_tol=1e-12)


def _restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / (v + tau2)
    mu = (w * y).sum() / w.sum()
    return float(-0.5 * (np.log(v + tau2).sum() + math.log(w.sum()) + (w * (y - mu) ** 2).sum()))


@settings(max_examples=40)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(0.01, 2)), min_size=3, max_size=12))
@example(  # a full Fisher step overshot, and fell back to 0 again and again: the maximum is at 0.25
    [(-0.2415, 1.8148), (-1.8400, 1.3934), (-1.0770, 1.3637), (-1.8194, 1.6385), (-1.1037, 1.1866),
     (0.0883, 0.2397), (-1.8675, 1.8931)]
)  # fmt: skip
def test_reml_maximises_the_restricted_likelihood(studies: list[tuple[float, float]]) -> None:
    y = np.array([s[0] for s in studies])
    v = np.array([s[1] for s in studies])
    ours = reml_tau2(y, v)
    best = minimize_scalar(
        lambda t2: -_restricted_loglik(t2, y, v), bounds=(0, 50), method="bounded", options={"xatol": 1e-10}
    )
    assert _restricted_loglik(ours, y, v) >= -best.fun - 1e-7


def test_a_single_study_is_its_own_estimate_without_heterogeneity() -> None:
    one = pool([0.5], [0.04], "reml")
    assert (one.estimate, one.tau2, one.q, one.i2, one.prediction) == (0.5, 0.0, None, None, None)
    assert one.ci_low == pytest.approx(0.5 - 1.959964 * 0.2)
