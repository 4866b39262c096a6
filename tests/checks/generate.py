"""Clean rows generated from true counts and printed as a paper would print them."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from curator.checks.stats import Estimate, or_ci, rd_ci, rr_ci
from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row, Source

_CI = {"RR": rr_ci, "OR": or_ci, "RD": rd_ci}


def print_number(x: Fraction | float, decimals: int, mode: str = ROUND_HALF_UP) -> str:
    """``x`` rounded to ``decimals`` places as text."""
    f = Fraction(x)
    q = Decimal(1).scaleb(-decimals)
    # Exact: scale, round the Fraction, then place the point.
    scaled = f * 10**decimals
    whole = scaled.numerator // scaled.denominator
    rest = scaled - whole
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (mode == ROUND_HALF_UP or whole % 2 == 1)):
        whole += 1
    return str((Decimal(whole) * q).quantize(q))


def print_ratio(x: float, decimals: int, mode: str) -> str:
    """A ratio printed with at least ``decimals`` places and never as zero."""
    d = decimals
    while Decimal(print_number(x, d, mode)) == 0:
        d += 1
    return print_number(x, d, mode)


def print_p(p: float, decimals: int, mode: str) -> str:
    """A p-value as a paper prints it: a bound when it rounds to zero."""
    text = print_number(p, decimals, mode)
    if Decimal(text) == 0:
        return "<" + str(Decimal(1).scaleb(-decimals))
    return text


def clean_row(
    rng: random.Random,
    endpoint: str,
    e1: int,
    n1: int,
    e2: int,
    n2: int,
    measure: str,
    swapped: bool = False,
    level: int = 95,
    shown: str | None = None,
) -> Row:
    """A row whose every number comes from the counts, correctly computed and rounded."""
    mode = rng.choice([ROUND_HALF_UP, ROUND_HALF_EVEN])
    pd = rng.choice([0, 1, 1, 2])
    if shown is None:
        shown = rng.choice(["events", "n", "n", "none"])

    def make_arm(e: int, n: int) -> Arm:
        value = parse_reported(print_number(Fraction(100 * e, n), pd, mode))
        if shown == "events":
            return Arm(value=value, n=parse_reported(str(n)), events=parse_reported(str(e)))
        if shown == "n":
            return Arm(value=value, n=parse_reported(str(n)))
        return Arm(value=value)

    first, second = ((e2, n2), (e1, n1)) if swapped else ((e1, n1), (e2, n2))
    est: Estimate = _CI[measure](*first, *second, level=level)
    ed = rng.choice([1, 2, 2, 3]) if measure != "RD" else rng.choice([0, 1, 1, 2])
    if measure == "RD":
        texts = [print_number(v, ed, mode) for v in (est.value, est.low, est.high)]
    else:
        texts = [print_ratio(v, ed, mode) for v in (est.value, est.low, est.high)]
    p_text = print_p(est.p, rng.choice([2, 3, 3, 4]), mode)
    higher = rng.choice([True, False])
    p1, p2 = Fraction(e1, n1), Fraction(e2, n2)
    if p1 == p2:
        favours = "neither"
    else:
        favours = "intervention" if (p1 > p2) == higher else "comparator"
    significant = est.p < 0.05
    finding = rng.choice(
        ["The difference was statistically significant.", "Significantly different."]
        if significant
        else ["The arms did not differ significantly.", "No significant difference.", "Non-significant."]
    )
    return Row(
        endpoint=endpoint,
        measure="percent",
        unit="%",
        higher_is_better=higher,
        intervention=make_arm(e1, n1),
        comparator=make_arm(e2, n2),
        effect=Effect(
            measure=measure,
            value=parse_reported(texts[0]),
            ci_low=parse_reported(texts[1]),
            ci_high=parse_reported(texts[2]),
            ci_level=level if level != 95 else None,
            p=parse_reported(p_text),
            direction="comparator_vs_intervention" if swapped else None,
        ),
        finding=finding,
        favours=favours,
        citations=["1"],
        source=Source(location="Table 2", quote="as printed"),
        extracted_by="Ann",
        verified_by="Bo",
    )
