"""Throughput of the consistency checks on 100,000 in-memory rows.

Run:  PYTHONPATH=. /work/venv/bin/python benchmarks/bench_checks_core.py [ROWS]

The rows are a realistic mix: percent rows with events/n, with n only or
with neither, RR/OR/RD effects with CIs and p-values (correctly computed
from counts and rounded as papers print them), some mean/median rows, a few
planted faults, citations across 2,000 references. Prints the time to run
every rule, and to split accepted findings. (The database-load baseline is
wired in separately.)
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from decimal import ROUND_HALF_UP

from curator.checks import run_checks, split_accepted
from curator.checks.stats import or_ci, rd_ci, rr_ci
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row, Source

_CI = {"RR": rr_ci, "OR": or_ci, "RD": rd_ci}


def _fmt(x: float, d: int) -> str:
    from decimal import Decimal

    return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def make_review(rows: int, seed: int = 1, per_comparison: int = 25, references: int = 2000) -> Review:
    """A review of ``rows`` generated rows."""
    rng = random.Random(seed)
    P = parse_reported
    refs = [
        Reference(
            key=str(i),
            title=f"Trial {i} of drug {i % 97} in condition {i % 13}: a randomised study",
            doi=f"10.{1000 + i % 9000}/trial.{i}",
        )
        for i in range(references)
    ]
    comparisons: list[Comparison] = []
    for c in range(0, rows, per_comparison):
        comp_rows: list[Row] = []
        for r in range(min(per_comparison, rows - c)):
            kind = rng.random()
            cites = [str(rng.randrange(references)) for _ in range(rng.choice((1, 1, 2)))]
            if kind < 0.7:
                n1, n2 = rng.randint(20, 1500), rng.randint(20, 1500)
                e1, e2 = rng.randint(1, n1 - 1), rng.randint(1, n2 - 1)
                shown = rng.random()
                d = rng.choice((0, 1, 1, 2))

                def arm(e: int, n: int, d: int = d, shown: float = shown) -> Arm:
                    v = P(_fmt(100 * e / n, d))
                    if shown < 0.4:
                        return Arm(value=v, n=P(str(n)), events=P(str(e)))
                    if shown < 0.8:
                        return Arm(value=v, n=P(str(n)))
                    return Arm(value=v)

                eff = None
                if rng.random() < 0.6:
                    m = rng.choice(("RR", "OR", "RD"))
                    est = _CI[m](e1, n1, e2, n2)
                    ed = 2 if m != "RD" else 1
                    if m != "RD" and est.low < 0.01:
                        ed = 3
                    p = _fmt(est.p, 3)
                    eff = Effect(
                        measure=m,
                        value=P(_fmt(est.value, ed)),
                        ci_low=P(_fmt(est.low, ed)),
                        ci_high=P(_fmt(est.high, ed)),
                        p=P(p if p != "0.000" else "<0.001"),
                    )
                row = Row(
                    endpoint=f"Outcome {r}",
                    measure="percent",
                    unit="%",
                    higher_is_better=rng.random() < 0.5,
                    intervention=arm(e1, n1),
                    comparator=arm(e2, n2),
                    effect=eff,
                    finding=rng.choice((None, "significantly better", "did not differ significantly")),
                    citations=cites,
                    source=Source("Table 2", "quoted text"),
                    extracted_by="Ann",
                    verified_by=rng.choice(("Bo", "Bo", "ann")),
                )
            else:
                mean1, mean2 = rng.uniform(1, 100), rng.uniform(1, 100)
                row = Row(
                    endpoint=f"Score {r}",
                    measure=rng.choice(("mean", "median")),
                    unit="points",
                    intervention=Arm(
                        value=P(_fmt(mean1, 1)), n=P(str(rng.randint(10, 500))), sd=P(_fmt(rng.uniform(1, 20), 1))
                    ),
                    comparator=Arm(value=P(_fmt(mean2, 1))),
                    effect=Effect(
                        measure="MD",
                        value=P(_fmt(mean1 - mean2, 1)),
                        ci_low=P(_fmt(mean1 - mean2 - 3, 1)),
                        ci_high=P(_fmt(mean1 - mean2 + 3, 1)),
                        p=P("0.04" if abs(mean1 - mean2) > 3.2 else "0.40" if abs(mean1 - mean2) < 2.8 else "0.05"),
                        versus=rng.choice((None, "placebo", "Drug")),
                    ),
                    citations=cites,
                )
            comp_rows.append(row)
        comparisons.append(
            Comparison(
                key=f"c{c}",
                title=f"Drug {c} vs placebo",
                intervention=f"Drug {c}",
                comparator="Placebo",
                rows=comp_rows,
            )
        )
    return Review(title="Benchmark", references=refs, comparisons=comparisons)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    review = make_review(rows)
    t1 = time.perf_counter()
    findings = run_checks(review)
    t2 = time.perf_counter()
    open_, accepted = split_accepted(findings, review.accepted_findings)
    t3 = time.perf_counter()
    counts = Counter((f.rule, f.severity) for f in findings)
    print(f"generated {review.row_count:,} rows and {len(review.references):,} references in {t1 - t0:.2f} s")
    print(f"run_checks: {t2 - t1:.2f} s ({review.row_count / (t2 - t1):,.0f} rows/s), {len(findings):,} findings")
    print(f"split_accepted: {t3 - t2:.3f} s")
    for (rule, severity), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {n:8,}  {severity:7}  {rule}")


if __name__ == "__main__":
    main()
