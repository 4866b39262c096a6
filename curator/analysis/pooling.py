"""Pooling studies' effects: fixed effect and random effects, heterogeneity, prediction (issue 17).

* **Fixed effect**: inverse variance (statsmodels' ``combine_effects``), or Mantel–Haenszel for a
  binary measure from each study's 2x2 table (RevMan's default), with the Greenland–Robins variance
  (RR, RD) and the Robins–Breslow–Greenland variance (OR), on the raw counts.
* **Random effects** (inverse variance with the between-study variance τ²): DerSimonian–Laird and
  Paule–Mandel from statsmodels, which agree with metafor; REML, which statsmodels has not, by Fisher
  scoring as metafor does it (:func:`reml_tau2`, tested against metafor's published results).
* **Hartung–Knapp–Sidik–Jonkman** on request: the estimate's SE scaled by the weighted residuals and a
  t distribution with k − 1 degrees of freedom (metafor's ``test="knha"``).
* **Heterogeneity**: Cochran's Q with inverse-variance weights around the fixed-effect estimate (around
  the Mantel–Haenszel one for an MH analysis, as RevMan computes it), its χ² p, and I² = (Q − df) / Q
  (Higgins and Thompson; RevMan's, the same for every τ² method).
* **Prediction interval** (random effects, 3 studies or more): estimate ± t(k − 2) · √(τ² + SE²), as the
  Cochrane Handbook gives it.

Everything is on the pooling scale: the natural log for a ratio.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import chdtrc, ndtr, ndtri, stdtr, stdtrit
from statsmodels.stats.meta_analysis import combine_effects

from curator.analysis.effects import Binary
from curator.analysis.names import METHODS

__all__ = ["Pooled", "METHODS", "pool", "pool_mantel_haenszel", "reml_tau2", "dl_tau2"]

#: The confidence level of every interval.
LEVEL = 0.95
_Z = float(ndtri(1 - (1 - LEVEL) / 2))


@dataclass(frozen=True, slots=True)
class Pooled:
    """A pooled estimate on the pooling scale."""

    method: str
    #: ``IV`` (inverse variance) or ``MH`` (Mantel–Haenszel).
    model: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    #: z, or t with the Hartung–Knapp–Sidik–Jonkman interval.
    statistic: float
    p: float
    tau2: float | None
    q: float | None
    q_df: int
    q_p: float | None
    i2: float | None
    prediction: tuple[float, float] | None
    #: Each study's weight in the pooled estimate, percent.
    weights: tuple[float, ...]
    hksj: bool = False


def _heterogeneity(y: np.ndarray, v: np.ndarray, centre: float) -> tuple[float | None, float | None, float | None]:
    k = len(y)
    if k < 2:
        return None, None, None
    q = float(np.sum((y - centre) ** 2 / v))
    df = k - 1
    return q, float(chdtrc(df, q)), (max(0.0, (q - df) / q) * 100 if q > 0 else 0.0)


def dl_tau2(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian–Laird's τ² (statsmodels)."""
    return float(_combine(y, v, "dl").tau2)


def _combine(y: np.ndarray, v: np.ndarray, method_re: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # k = 2 with Q = 0 divides by zero inside, harmlessly
        return combine_effects(y, v, method_re=method_re)


def _dl_start(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian-Laird's τ² from its closed form: only where REML starts (its own pooling, ``dl``, is
    statsmodels')."""
    w = 1 / v
    sw = w.sum()
    q = (w * (y - (w * y).sum() / sw) ** 2).sum()
    return float(max(0.0, (q - (len(y) - 1)) / (sw - (w**2).sum() / sw)))


def _restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """REML's log-likelihood of τ² (up to a constant)."""
    w = 1 / (v + tau2)
    sw = w.sum()
    mu = (w * y).sum() / sw
    return float(-0.5 * (np.log(v + tau2).sum() + math.log(sw) + (w * (y - mu) ** 2).sum()))


def reml_tau2(y: np.ndarray, v: np.ndarray, *, tol: float = 1e-10, max_iter: int = 200) -> float:
    """τ² by restricted maximum likelihood: Fisher scoring from DerSimonian–Laird's value, kept at 0 or
    above (metafor's ``rma(method="REML")``), a step halved while it does not raise the likelihood
    (metafor's step adjustment: a full step can overshoot, and then the next one falls back to 0, over
    and over, where the maximum is in between).

    For the intercept-only model, with w = 1 / (v + τ²) and P = W − w wᵀ / Σw, a step is
    (yᵀPPy − tr P) / tr PP."""
    tau2 = _dl_start(y, v) if len(y) > 1 else 0.0
    here = _restricted_loglik(tau2, y, v)
    for _ in range(max_iter):
        w = 1 / (v + tau2)
        sw, sw2 = w.sum(), (w**2).sum()
        mu = (w * y).sum() / sw
        py = w * (y - mu)
        tr_p = sw - sw2 / sw
        tr_pp = sw2 - 2 * (w**3).sum() / sw + (sw2 / sw) ** 2
        step = ((py**2).sum() - tr_p) / tr_pp
        new = max(0.0, tau2 + step)
        there = _restricted_loglik(new, y, v)
        while there < here and abs(new - tau2) > tol:
            new = (tau2 + new) / 2
            there = _restricted_loglik(new, y, v)
        if abs(new - tau2) < tol:
            return float(new)
        tau2, here = new, there
    return float(tau2)


def _tau2(y: np.ndarray, v: np.ndarray, method: str) -> float:
    if len(y) < 2:
        return 0.0
    if method == "reml":
        return reml_tau2(y, v)
    return float(_combine(y, v, method).tau2)


def _interval(estimate: float, se: float, df: int | None) -> tuple[float, float, float, float]:
    """CI low and high, the test statistic and its two-sided p (z, or t with ``df``)."""
    stat = estimate / se if se > 0 else math.inf
    # scipy.special's distribution functions: those of scipy.stats, without their checks' cost (a
    # thousand analyses called them tens of thousands of times).
    if df is None:
        crit = _Z
        p = float(2 * ndtr(-abs(stat)))
    else:
        crit = float(stdtrit(df, 1 - (1 - LEVEL) / 2))
        p = float(2 * stdtr(df, -abs(stat)))
    return estimate - crit * se, estimate + crit * se, stat, p


def pool(y: Sequence[float], v: Sequence[float], method: str = "reml", *, hksj: bool = False) -> Pooled:
    """Inverse-variance pooling of estimates ``y`` with variances ``v``."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    ys, vs = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    k = len(ys)
    fixed_w = 1 / vs
    fixed = float((fixed_w * ys).sum() / fixed_w.sum())
    q, q_p, i2 = _heterogeneity(ys, vs, fixed)
    tau2 = None if method == "fixed" else _tau2(ys, vs, method)
    w = fixed_w if tau2 is None else 1 / (vs + tau2)
    estimate = float((w * ys).sum() / w.sum())
    se = float(math.sqrt(1 / w.sum()))
    df = None
    if hksj and k > 1:
        scale = float((w * (ys - estimate) ** 2).sum() / (k - 1))
        se, df = float(math.sqrt(scale / w.sum())), k - 1
    low, high, stat, p = _interval(estimate, se, df)
    prediction = None
    if tau2 is not None and k >= 3:
        crit = float(stdtrit(k - 2, 1 - (1 - LEVEL) / 2))
        half = crit * math.sqrt(tau2 + se**2)
        prediction = (estimate - half, estimate + half)
    weights = tuple(float(x) for x in w / w.sum() * 100)
    return Pooled(method, "IV", estimate, se, low, high, stat, p, tau2, q, k - 1, q_p, i2, prediction, weights, hksj)


def pool_mantel_haenszel(tables: Sequence[Binary], measure: str, y: Sequence[float], v: Sequence[float]) -> Pooled:
    """Mantel–Haenszel fixed-effect pooling of 2x2 tables (``y``, ``v``: each study's own estimate and
    variance, for Q)."""
    a = np.array([s.events1 for s in tables], dtype=float)
    n1 = np.array([s.n1 for s in tables], dtype=float)
    c = np.array([s.events2 for s in tables], dtype=float)
    n2 = np.array([s.n2 for s in tables], dtype=float)
    b, d, n = n1 - a, n2 - c, n1 + n2
    if measure == "OR":
        r, s = a * d / n, b * c / n
        big_p, big_q = (a + d) / n, (b + c) / n
        estimate = math.log(r.sum() / s.sum())
        var = (
            (big_p * r).sum() / (2 * r.sum() ** 2)
            + (big_p * s + big_q * r).sum() / (2 * r.sum() * s.sum())
            + (big_q * s).sum() / (2 * s.sum() ** 2)
        )
        weights = s
    elif measure == "RR":
        r, s = a * n2 / n, c * n1 / n
        estimate = math.log(r.sum() / s.sum())
        var = ((n1 * n2 * (a + c) - a * c * n) / n**2).sum() / (r.sum() * s.sum())
        weights = s
    elif measure == "RD":
        weights = n1 * n2 / n
        estimate = float(((a * n2 - c * n1) / n).sum() / weights.sum())
        var = ((a * b * n2**3 + c * d * n1**3) / (n1 * n2 * n**2)).sum() / weights.sum() ** 2
    else:
        raise ValueError(f"Mantel–Haenszel pools RR, OR and RD, not {measure}")
    se = float(math.sqrt(var))
    low, high, stat, p = _interval(estimate, se, None)
    q, q_p, i2 = _heterogeneity(np.asarray(y, dtype=float), np.asarray(v, dtype=float), estimate)
    share = tuple(float(x) for x in weights / weights.sum() * 100)
    return Pooled("fixed", "MH", estimate, se, low, high, stat, p, None, q, len(tables) - 1, q_p, i2, None, share)
