"""Generate big, realistic reviews for the benchmarks.

Percent rows come from true counts (events/n per arm) with RR, OR or RD and
their CIs computed from those counts and rounded as papers print them; mean
rows carry SDs and a mean difference; a few rows are text. Every row cites
one to three of the review's references. The data are clean, so the checks
do their full work on every row (no early exits on faults).
"""

from __future__ import annotations

import math
import random
from typing import Any

from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row, Source

__all__ = ["generate_review"]


def _p(x: float, decimals: int = 1) -> object:
    return parse_reported(f"{x:.{decimals}f}")


def _ratio(x: float) -> object:
    """A ratio printed with two significant decimals at least (0.0042, 0.31, 2.50)."""
    decimals = max(2, 1 - math.floor(math.log10(x))) if x > 0 else 2
    return _p(x, decimals)


def _p_text(p: float) -> str:
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def _percent_row(rng: random.Random, i: int, refs: list[str]) -> Row:
    n1, n2 = rng.randint(40, 900), rng.randint(40, 900)
    e1, e2 = rng.randint(1, n1 - 1), rng.randint(1, n2 - 1)
    p1, p2 = e1 / n1, e2 / n2
    measure = rng.choice(["RR", "OR", "RD"])
    z = 1.959964
    if measure == "RR":
        est = p1 / p2
        se = math.sqrt(1 / e1 - 1 / n1 + 1 / e2 - 1 / n2)
        lo, hi = est * math.exp(-z * se), est * math.exp(z * se)
        zstat = abs(math.log(est)) / se
        fmt = 2
    elif measure == "OR":
        est = (e1 * (n2 - e2)) / ((n1 - e1) * e2)
        se = math.sqrt(1 / e1 + 1 / (n1 - e1) + 1 / e2 + 1 / (n2 - e2))
        lo, hi = est * math.exp(-z * se), est * math.exp(z * se)
        zstat = abs(math.log(est)) / se
        fmt = 2
    else:
        est = 100 * (p1 - p2)
        se = 100 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        lo, hi = est - z * se, est + z * se
        zstat = abs(est) / se
        fmt = 1
    p = math.erfc(zstat / math.sqrt(2))
    if measure == "RD":
        value, low, high = _p(est, fmt), _p(lo, fmt), _p(hi, fmt)
    else:
        value, low, high = _ratio(est), _ratio(lo), _ratio(hi)
    higher_is_better = rng.random() < 0.5
    return Row(
        endpoint=f"Endpoint {i}",
        measure="percent",
        unit="%",
        higher_is_better=higher_is_better,
        intervention=Arm(value=_p(100 * p1), n=_p(n1, 0), events=_p(e1, 0) if rng.random() < 0.7 else None),
        comparator=Arm(value=_p(100 * p2), n=_p(n2, 0), events=_p(e2, 0) if rng.random() < 0.7 else None),
        effect=Effect(measure=measure, value=value, ci_low=low, ci_high=high, p=parse_reported(_p_text(p))),
        finding="significantly different" if p < 0.04 else ("no significant difference" if p > 0.06 else None),
        duration=rng.choice(["12 weeks", "24 weeks", "12 months", "5 years"]),
        population=rng.choice(["Children (2-17 years)", "Adults", "Infants (3-18 months)"]),
        citations=rng.sample(refs, rng.randint(1, 3)),
        source=Source(location=f"Table {rng.randint(1, 4)}", quote=f"{100 * p1:.1f}% vs {100 * p2:.1f}%"),
        status=rng.choice(["draft", "extracted", "verified", "disputed"]),
        extracted_by="ana",
        verified_by=rng.choice([None, "ben"]),
    )


def _mean_row(rng: random.Random, i: int, refs: list[str]) -> Row:
    m1, m2 = rng.uniform(5, 60), rng.uniform(5, 60)
    s1, s2 = rng.uniform(2, 15), rng.uniform(2, 15)
    n1, n2 = rng.randint(20, 400), rng.randint(20, 400)
    md = m1 - m2
    se = math.sqrt(s1 * s1 / n1 + s2 * s2 / n2)
    return Row(
        endpoint=f"Score {i}",
        measure=rng.choice(["mean", "median"]),
        unit=rng.choice(["points", "days"]),
        higher_is_better=rng.random() < 0.5,
        intervention=Arm(value=_p(m1), n=_p(n1, 0), sd=_p(s1)),
        comparator=Arm(value=_p(m2), n=_p(n2, 0), sd=_p(s2)),
        effect=Effect(measure="MD", value=_p(md, 2), ci_low=_p(md - 1.96 * se, 2), ci_high=_p(md + 1.96 * se, 2)),
        population="Adults",
        citations=rng.sample(refs, rng.randint(1, 2)),
        status=rng.choice(["draft", "extracted", "verified"]),
        extracted_by="ana",
    )


def _text_row(rng: random.Random, i: int, refs: list[str]) -> Row:
    return Row(
        endpoint=f"Tolerability {i}",
        measure="text",
        intervention=Arm(text="Higher"),
        comparator=Arm(text="Lower"),
        finding="Tacrolimus had better tolerance.",
        favours="comparator",
        citations=[rng.choice(refs)],
    )


def generate_review(rows: int, *, seed: int = 7, per_comparison: int = 250) -> Review:
    """A clean review of ``rows`` rows in comparisons of ``per_comparison`` rows."""
    rng = random.Random(seed)
    n_refs = max(20, rows // 20)
    references = [
        Reference(
            key=str(k + 1),
            title=f"Trial {k + 1} of pimecrolimus against a comparator, randomised, phase {k % 4 + 1}",
            authors=["Doe, J", "Roe, R"],
            journal="J Dermatol",
            year=1990 + k % 35,
            pmid=str(10_000_000 + k),
            doi=f"10.{1000 + k % 9000}/trial.{k}",
        )
        for k in range(n_refs)
    ]
    keys = [r.key for r in references]
    comparisons = []
    made = 0
    c = 0
    while made < rows:
        count = min(per_comparison, rows - made)
        kinds = rng.choices([_percent_row, _mean_row, _text_row], weights=[6, 3, 1], k=count)
        comparisons.append(
            Comparison(
                key=f"cmp-{c}",
                title=f"Pimecrolimus vs comparator {c}",
                intervention="Pimecrolimus 1% cream",
                comparator=f"Comparator {c} ointment",
                rows=[make(rng, made + j, keys) for j, make in enumerate(kinds)],
            )
        )
        made += count
        c += 1
    return Review(title=f"Generated review of {rows} rows", references=references, comparisons=comparisons)


def build_apart(build: Any, path: Any, rows: int) -> None:
    """Run ``build(path, rows)`` (a module-level function) in a fresh process and say how long it took:
    a GUI benchmark's setup, kept out of its figures and its process's memory."""
    import multiprocessing
    import time

    start = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(target=build, args=(path, rows))
    child.start()
    child.join()
    print(f"setup: wrote {rows:,} rows in {time.perf_counter() - start:.1f} s (not part of the figures)")
