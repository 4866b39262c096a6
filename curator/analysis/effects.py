"""Each study's effect on the scale it is pooled on, from a row of a review (issue 17).

A row gives its study's data in one of three ways, tried in this order for the measure asked for:

* **binary** (RR, OR, RD): each arm's events and n; where a ``percent`` row gives no events, the one
  whole number of events its printed percent and n allow (42.6% of 61 can only be 26) is taken, and a
  percent that several counts fit is left out, saying so;
* **continuous** (MD, SMD): each arm's mean, SD (or SE, made an SD with the arm's n) and n, on a
  ``mean`` row;
* **generic** (any measure, HR and adjusted estimates included): the row's reported estimate and its
  CI (or its SE, of the log for a ratio), as RevMan's generic inverse variance takes it.

Formulas are RevMan's (Deeks & Higgins, *Statistical algorithms in Review Manager*), which metafor's
``escalc`` shares: ratios on the natural-log scale; 0.5 added to every cell of a study with a zero cell
(metafor's ``add=1/2, to="only0"``; a risk difference is made from the counts as they are, its
variance from the corrected cells); a study with no events (or only events) in both arms is left out
of a ratio and kept in a risk difference; SMD is Hedges' adjusted g with RevMan's variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from scipy.special import ndtri
from statsmodels.stats.meta_analysis import effectsize_smd

from curator.analysis.names import BINARY, CONTINUOUS, MEASURES, RATIO
from curator.numbers import Reported
from curator.review import Arm, Effect, Row

__all__ = [
    "RATIO",
    "BINARY",
    "CONTINUOUS",
    "MEASURES",
    "Binary",
    "Continuous",
    "Generic",
    "arm_events",
    "binary_data",
    "continuous_data",
    "generic_data",
    "binary_effect",
    "continuous_effect",
    "generic_effect",
    "NotPoolable",
]


class NotPoolable(ValueError):
    """Why a row gives no effect for the measure asked for (said to the reviewer as it is)."""


@dataclass(frozen=True, slots=True)
class Binary:
    """A study's 2x2 table: events and totals of the intervention (1) and comparator (2) arms."""

    events1: int
    n1: int
    events2: int
    n2: int
    #: The events were worked out from the printed percents (said in the analysis).
    from_percent: bool = False


@dataclass(frozen=True, slots=True)
class Continuous:
    mean1: float
    sd1: float
    n1: int
    mean2: float
    sd2: float
    n2: int
    #: An SD was made from an SE (said in the analysis).
    from_se: bool = False


@dataclass(frozen=True, slots=True)
class Generic:
    """A reported estimate: ``estimate`` and ``se`` on the pooling scale (the log for a ratio)."""

    estimate: float
    se: float


def _number(value: Reported | None) -> float | None:
    if value is None or value.not_reported or value.relation is not None:
        return None
    return float(value.value)


def _whole(value: Reported | None) -> int | None:
    if value is None or value.not_reported or value.relation is not None:
        return None
    if value.value != value.value.to_integral_value():
        return None
    return int(value.value)


def arm_events(arm: Arm, row: Row, which: str) -> tuple[int, int, bool]:
    """An arm's events and n, and whether the events were worked out from its printed percent (the one
    whole count that fits); :class:`NotPoolable` says why there are none."""
    n = _whole(arm.n)
    if n is None or n <= 0:
        raise NotPoolable(f"the {which} arm has no number of patients (n)")
    events = _whole(arm.events)
    if events is not None:
        if not 0 <= events <= n:
            raise NotPoolable(f"the {which} arm's events ({events}) are not between 0 and n ({n})")
        return events, n, False
    if row.measure != "percent" or arm.value is None or _number(arm.value) is None:
        raise NotPoolable(f"the {which} arm has no events (nor a percent of its n)")
    if not row.is_crude:  # a model's or a Kaplan-Meier percent is no count over n
        how = "a Kaplan-Meier estimate" if row.analysis == "kaplan_meier" else "adjusted"
        raise NotPoolable(f"the {which} arm's {arm.value.text}% is {how}, not events over n; give its events")
    low, high = (arm.value.value - arm.value.half_unit) * n / 100, (arm.value.value + arm.value.half_unit) * n / 100
    fits = range(max(0, math.ceil(low)), min(n, math.floor(high)) + 1)
    if len(fits) != 1:
        counts = "no whole number" if not fits else f"{len(fits)} counts ({fits[0]} to {fits[-1]})"
        raise NotPoolable(f"the {which} arm's {arm.value.text}% of {n} fits {counts} of events; give its events")
    return fits[0], n, True


def binary_data(row: Row) -> Binary:
    if row.intervention is None or row.comparator is None:
        raise NotPoolable("a row needs both arms for a binary measure")
    e1, n1, p1 = arm_events(row.intervention, row, "intervention")
    e2, n2, p2 = arm_events(row.comparator, row, "comparator")
    return Binary(e1, n1, e2, n2, from_percent=p1 or p2)


def _moments(arm: Arm, which: str) -> tuple[float, float, int, bool]:
    mean = _number(arm.value)
    n = _whole(arm.n)
    if mean is None:
        raise NotPoolable(f"the {which} arm has no mean")
    if n is None or n <= 1:
        raise NotPoolable(f"the {which} arm has no number of patients (n) above 1")
    sd = _number(arm.sd)
    from_se = False
    if sd is None:
        se = _number(arm.se)
        if se is None:
            raise NotPoolable(f"the {which} arm has neither an SD nor an SE")
        sd, from_se = se * math.sqrt(n), True
    if sd <= 0:
        raise NotPoolable(f"the {which} arm's SD is not above 0")
    return mean, sd, n, from_se


def continuous_data(row: Row) -> Continuous:
    if row.measure != "mean":
        raise NotPoolable(f"a {row.measure or 'row without a measure'} row gives no means")
    if row.intervention is None or row.comparator is None:
        raise NotPoolable("a row needs both arms for a continuous measure")
    m1, s1, n1, e1 = _moments(row.intervention, "intervention")
    m2, s2, n2, e2 = _moments(row.comparator, "comparator")
    return Continuous(m1, s1, n1, m2, s2, n2, from_se=e1 or e2)


def generic_data(row: Row, measure: str) -> Generic:
    """The row's reported estimate of ``measure`` (intervention versus comparator)."""
    effect: Effect | None = row.effect
    if effect is None or effect.measure is None:
        raise NotPoolable("it reports no effect estimate")
    if effect.contrast == "other":
        raise NotPoolable("its estimate contrasts something its arms do not show (another time point or subgroup)")
    if effect.measure != measure:
        raise NotPoolable(f"it reports an {effect.measure}, not an {measure}")
    value = _number(effect.value)
    if value is None:
        raise NotPoolable(f"its {measure} has no value")
    ratio = measure in RATIO
    if ratio and value <= 0:
        raise NotPoolable(f"its {measure} ({effect.value.text if effect.value else value}) is not above 0")
    low, high = _number(effect.ci_low), _number(effect.ci_high)
    estimate = math.log(value) if ratio else value
    if low is not None and high is not None:
        if ratio and (low <= 0 or high <= 0):
            raise NotPoolable(f"its {measure}'s CI does not lie above 0")
        if not low < high:
            raise NotPoolable(f"its CI ({low:g} to {high:g}) is not an interval")
        z = float(ndtri(1 - (1 - float(effect.level_exact / Decimal(100))) / 2))
        se = ((math.log(high) - math.log(low)) if ratio else (high - low)) / (2 * z)
    else:
        given = _number(effect.se)
        if given is None or given <= 0:
            raise NotPoolable(f"its {measure} has neither a CI nor an SE")
        se = given
    if effect.direction == "comparator_vs_intervention":
        estimate = -estimate
    if measure == "RD" and row.measure == "percent":  # percentage points; a risk difference is pooled as a fraction
        estimate, se = estimate / 100, se / 100
    return Generic(estimate, se)


def binary_effect(data: Binary, measure: str) -> tuple[float, float]:
    """The study's estimate (log for RR and OR) and its variance. With a zero cell, 0.5 is added to every
    cell for a ratio; a risk difference keeps its counts (0 events of 10 and of 12 is a difference of
    0) and takes its variance from the corrected cells, which is never 0."""
    a: float
    b: float
    c: float
    d: float
    a, b, c, d = data.events1, data.n1 - data.events1, data.events2, data.n2 - data.events2
    if measure in ("RR", "OR") and (a + c == 0 or b + d == 0):
        raise NotPoolable("no events in either arm (or only events): a ratio cannot be estimated")
    raw = a / data.n1 - c / data.n2
    if min(a, b, c, d) == 0:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    n1, n2 = a + b, c + d
    if measure == "RR":
        return math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2
    if measure == "OR":
        return math.log((a * d) / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d
    if measure == "RD":
        p1, p2 = a / n1, c / n2
        return raw, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    raise NotPoolable(f"an {measure} is not made from events")


def continuous_effect(data: Continuous, measure: str) -> tuple[float, float]:
    n1, n2 = data.n1, data.n2
    if measure == "MD":
        return data.mean1 - data.mean2, data.sd1**2 / n1 + data.sd2**2 / n2
    if measure == "SMD":  # Hedges' g with RevMan's variance: statsmodels' formula is RevMan's
        g, v = effectsize_smd(data.mean1, data.sd1, n1, data.mean2, data.sd2, n2)
        return float(g), float(v)
    raise NotPoolable(f"an {measure} is not made from means")


def generic_effect(data: Generic) -> tuple[float, float]:
    return data.estimate, data.se**2
