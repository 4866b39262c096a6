"""Pooling 1,000 endpoints of 20 studies each (issue 17), against statsmodels alone on the same data.

    .venv/bin/python -m benchmarks.bench_pooling [ENDPOINTS] [STUDIES] [REPEAT]

Builds a review of ENDPOINTS endpoints (default 1,000) in one comparison, each with STUDIES rows
(default 20) of events and totals per arm. In the same run, the best of REPEAT (default 3) of:

- the baseline: statsmodels alone, given the counts as arrays, per endpoint: its effect sizes
  (``effectsize_2proportions``, log risk ratio) and its DerSimonian-Laird pooling (``combine_effects``);
- ``curator.analysis.analyse`` of the review with DerSimonian-Laird (the same pooling as the baseline),
  and with REML (the default), from the rows as a reviewer stored them: grouping rows by endpoint,
  reading each arm's printed numbers, zero cells, weights, the analyses' objects.

Prints each time and its ratio to the baseline.
"""

from __future__ import annotations

import random
import sys
import time
import warnings

import numpy as np
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

from curator.analysis import analyse
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Reference, Review, Row


def build(endpoints: int, studies: int, seed: int = 1) -> tuple[Review, list[np.ndarray]]:
    rng = random.Random(seed)
    rows, arrays = [], []
    for e in range(endpoints):
        counts = []
        for _s in range(studies):
            n1, n2 = rng.randint(40, 400), rng.randint(40, 400)
            p = rng.uniform(0.1, 0.5)
            a, c = rng.randint(1, int(n1 * p) + 1), rng.randint(1, int(n2 * p * 1.3) + 1)
            counts.append((a, n1, c, n2))
            rows.append(
                Row(
                    endpoint=f"Endpoint {e}",
                    measure="percent",
                    intervention=Arm(n=parse_reported(str(n1)), events=parse_reported(str(a))),
                    comparator=Arm(n=parse_reported(str(n2)), events=parse_reported(str(c))),
                    citations=[f"r{_s}"],
                )
            )
        arrays.append(np.array(counts, dtype=float))
    refs = [Reference(key=f"r{s}", authors=[f"Author{s} A"], year=2000 + s) for s in range(studies)]
    comparison = Comparison(key="c", title="C", intervention="A", comparator="B", rows=rows)
    return Review(title="bench", references=refs, comparisons=[comparison]), arrays


def baseline(arrays: list[np.ndarray]) -> list[float]:
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for counts in arrays:
            y, v = effectsize_2proportions(
                counts[:, 0], counts[:, 1], counts[:, 2], counts[:, 3], statistic="risk-ratio"
            )
            out.append(float(combine_effects(y, v, method_re="dl").mean_effect_re))
    return out


def best(work, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str]) -> None:
    endpoints = int(argv[0]) if argv else 1000
    studies = int(argv[1]) if len(argv) > 1 else 20
    repeat = int(argv[2]) if len(argv) > 2 else 3
    review, arrays = build(endpoints, studies)
    base, theirs = best(lambda: baseline(arrays), repeat)
    dl, ours = best(lambda: analyse(review, method="dl"), repeat)
    reml, _ = best(lambda: analyse(review), repeat)
    agree = max(abs(a.pooled.estimate - t) for a, t in zip(ours, theirs, strict=True))  # type: ignore[union-attr, arg-type]
    print(f"{endpoints} endpoints of {studies} studies, best of {repeat}")
    print(f"statsmodels alone (effect sizes + DL):  {base:7.2f} s")
    print(f"curator analyse, DL:                    {dl:7.2f} s  {dl / base:5.2f}x")
    print(f"curator analyse, REML (the default):    {reml:7.2f} s  {reml / base:5.2f}x")
    print(f"largest difference of the DL estimates: {agree:.2e}")


if __name__ == "__main__":
    main(sys.argv[1:])
