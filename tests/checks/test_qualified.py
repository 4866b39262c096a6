"""Rows marked kaplan_meier, adjusted or contrast (format 1.1) that fired before 1.1 no longer do.

Each case is a correct row of a paper that the rules could not tell from an
error before the format could say how a value was obtained: unmarked it
fires (as it did), marked it gives no finding at all, from any rule.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from curator.review import Row
from tests.checks.builders import all_findings, arm, effect, row


def _analysis(value: str) -> Callable[[Row], None]:
    def mark(r: Row) -> None:
        r.analysis = value

    return mark


def _effect(**marks: object) -> Callable[[Row], None]:
    def mark(r: Row) -> None:
        assert r.effect is not None
        for key, value in marks.items():
            setattr(r.effect, key, value)

    return mark


#: (what the paper printed, the rule that fired before 1.1, how the reviewer marks it now)
CASES: dict[str, tuple[Row, str, Callable[[Row], None]]] = {
    # A Kaplan–Meier cumulative incidence at 2 years: 50.9% of 474 is no whole number of patients.
    "kaplan-meier percent with n": (
        row(endpoint="Relapse at 2 years", intervention=arm("50.9", n="474")),
        "grim-percent",
        _analysis("kaplan_meier"),
    ),
    # 30 events among 100 patients, but 35.2% by Kaplan–Meier (censoring).
    "kaplan-meier percent with events": (
        row(endpoint="Relapse at 2 years", intervention=arm("35.2", n="100", events="30")),
        "events-percent",
        _analysis("kaplan_meier"),
    ),
    # Model-adjusted percentages (marginal means) with the arms' n.
    "adjusted percent": (
        row(endpoint="Responders", intervention=arm("50.9", n="474"), comparator=arm("41.3", n="470")),
        "grim-percent",
        _analysis("adjusted"),
    ),
    # A Mantel–Haenszel RR stratified by centre: 0.75, where the crude 40/100 vs 50/100 is 0.80.
    "adjusted RR from counts": (
        row(
            endpoint="Mortality",
            intervention=arm("40.0", n="100", events="40"),
            comparator=arm("50.0", n="100", events="50"),
            effect=effect("RR", "0.75", method="Mantel–Haenszel"),
        ),
        "effect-recompute",
        _effect(adjusted=True),
    ),
    # A logistic-regression OR: 0.55, where the crude OR of 40% vs 50% is about 0.67.
    "adjusted OR from percents": (
        row(
            endpoint="Mortality",
            intervention=arm("40", n="150"),
            comparator=arm("50", n="150"),
            effect=effect("OR", "0.55", method="logistic regression"),
        ),
        "effect-recompute",
        _effect(adjusted=True),
    ),
    # A Poisson-model RR with a Wald interval on the ratio scale: off-centre on the log scale.
    "adjusted RR with a ratio-scale CI": (
        row(endpoint="Readmission", effect=effect("RR", "1.50", "1.10", "1.90", method="Poisson regression")),
        "ci-symmetry",
        _effect(adjusted=True),
    ),
    # The RD of the change from baseline in the share of responders, not of the end values shown.
    "RD of a change": (
        row(
            endpoint="Clear skin",
            intervention=arm("42.0", n="200", events="84"),
            comparator=arm("30.0", n="200", events="60"),
            effect=effect("RD", "8.5"),
        ),
        "effect-recompute",
        _effect(contrast="change"),
    ),
    # An RR at another time point than the arm values shown.
    "RR of another contrast": (
        row(
            endpoint="Clear skin",
            intervention=arm("42.0", n="200", events="84"),
            comparator=arm("30.0", n="200", events="60"),
            effect=effect("RR", "1.18"),
        ),
        "effect-recompute",
        _effect(contrast="other"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fires_unmarked_and_is_clean_marked(case: str) -> None:
    printed, rule, mark = CASES[case]
    assert [f.rule for f in all_findings(copy.deepcopy(printed))] == [rule]
    marked = copy.deepcopy(printed)
    mark(marked)
    assert all_findings(marked) == []


def test_crude_and_arms_marked_explicitly_still_fire() -> None:
    """Marking a row crude, an effect not adjusted or its contrast arms changes nothing."""
    for case in ("kaplan-meier percent with n", "adjusted RR from counts", "RD of a change"):
        printed, rule, _ = CASES[case]
        explicit = copy.deepcopy(printed)
        explicit.analysis = "crude"
        if explicit.effect is not None:
            explicit.effect.adjusted = False
            explicit.effect.contrast = "arms"
        assert [f.rule for f in all_findings(explicit)] == [rule]
