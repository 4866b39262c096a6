"""Checks' throughput on a 100,000-row review, against loading the same rows.

    .venv/bin/python -m benchmarks.bench_checks [ROWS] [--mix classic|1.1]

Builds a clean generated review into a temporary database, then measures,
in the same run, (a) loading the whole review from the database and (b)
running every registered rule over it, each the median of three runs.
Prints both times, the checks' throughput and the ratio checks/load
(target: under 3x, and under 5 s for 100,000 rows).

The default mix (``1.1``, issue #13) is half ``mean`` rows with every field
format 1.1 adds (arm SE and CI, min/max, ``integer_items`` of one item per
patient so GRIM and GRIMMER run, an MD with SE, CI, p, level, method,
``adjusted`` and ``contrast``), and half the classic mix of
benchmarks/generate.py (percent rows with RR/OR/RD, mean and median rows,
text rows), with median rows given Q1/Q3/min/max and some percent rows marked
Kaplan–Meier or adjusted. All data are clean (drawn whole-number data,
rounded as papers print them), so every rule does its full work on every row.
``--mix classic`` is benchmarks/generate.py alone.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import _percent_row, _text_row, generate_review
from curator.checks import RULES, run_checks
from curator.numbers import Reported, parse_reported
from curator.review import Arm, Comparison, Effect, Review, Row
from curator.store.database import open_database
from curator.store.repository import add_content, load_review

_Z = 1.959964


def median_time(func: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _r(x: float, decimals: int = 2) -> Reported:
    return parse_reported(f"{x:.{decimals}f}")


def _whole(k: int) -> Reported:
    return parse_reported(str(k), whole=True)


def _p_text(p: float) -> Reported:
    return parse_reported("<0.001" if p < 0.001 else f"{p:.3f}")


def _scores(rng: random.Random, n: int) -> list[int]:
    """n whole-number scores (0 to 20) around a random centre."""
    centre = rng.uniform(4, 16)
    weights = [math.exp(-((k - centre) ** 2) / 18) for k in range(21)]
    return rng.choices(range(21), weights, k=n)


def _mean_arm(rng: random.Random, data: list[int]) -> tuple[Arm, float, float, int]:
    n = len(data)
    mean = sum(data) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in data) / (n - 1))
    se = sd / math.sqrt(n)
    arm = Arm(
        value=_r(mean),
        n=_whole(n),
        sd=_r(sd),
        se=_r(se, 3),
        ci_low=_r(mean - _Z * se),
        ci_high=_r(mean + _Z * se),
        min=_whole(min(data)),
        max=_whole(max(data)),
    )
    return arm, mean, sd, n


def mean_row_1_1(rng: random.Random, i: int, refs: list[str]) -> Row:
    """A crude mean row of whole-number scores with every 1.1 field a mean row can have."""
    a, m1, s1, n1 = _mean_arm(rng, _scores(rng, rng.randint(20, 300)))
    b, m2, s2, n2 = _mean_arm(rng, _scores(rng, rng.randint(20, 300)))
    md = m1 - m2
    se = math.sqrt(s1 * s1 / n1 + s2 * s2 / n2)
    p = math.erfc(abs(md) / se / math.sqrt(2))
    return Row(
        endpoint=f"Symptom score {i}",
        measure="mean",
        analysis="crude",
        unit="points",
        integer_items=_whole(1),
        higher_is_better=False,
        intervention=a,
        comparator=b,
        effect=Effect(
            measure="MD",
            value=_r(md),
            ci_low=_r(md - _Z * se),
            ci_high=_r(md + _Z * se),
            ci_level=95,
            p=_p_text(p),
            se=_r(se, 3),
            adjusted=False,
            contrast="arms",
            method="Welch t test",
        ),
        population="Adults",
        citations=rng.sample(refs, rng.randint(1, 2)),
        status=rng.choice(["draft", "extracted", "verified"]),
        extracted_by="ana",
    )


def median_row_1_1(rng: random.Random, i: int, refs: list[str]) -> Row:
    """A median row with its IQR and range."""

    def arm() -> Arm:
        data = sorted(_scores(rng, rng.randint(20, 300)))
        n = len(data)
        return Arm(
            value=_whole(data[n // 2]),
            n=_whole(n),
            q1=_whole(data[n // 4]),
            q3=_whole(data[(3 * n) // 4]),
            min=_whole(data[0]),
            max=_whole(data[-1]),
        )

    return Row(
        endpoint=f"Days to clearance {i}",
        measure="median",
        unit="days",
        intervention=arm(),
        comparator=arm(),
        citations=rng.sample(refs, 1),
        extracted_by="ana",
    )


def percent_row_1_1(rng: random.Random, i: int, refs: list[str]) -> Row:
    """A classic percent row; one in five marked Kaplan–Meier or with an adjusted effect."""
    row = _percent_row(rng, i, refs)
    mark = rng.random()
    if mark < 0.1:
        row.analysis = "kaplan_meier"
    elif mark < 0.2 and row.effect is not None:
        row.effect.adjusted = True
        row.effect.method = "Mantel–Haenszel"
    return row


def generate_mixed_review(rows: int, *, seed: int = 11, per_comparison: int = 250) -> Review:
    """Half 1.1 mean rows; the rest percent (60%), median (15%), classic mean/median (15%) and text (10%) rows."""
    classic = generate_review(rows // 4 + 1, seed=seed)
    references = classic.references
    keys = [r.key for r in references]
    classic_means = [r for c in classic.comparisons for r in c.rows if r.measure in ("mean", "median")]
    rng = random.Random(seed)

    def classic_mean(rng: random.Random, i: int, refs: list[str]) -> Row:
        return dataclasses.replace(classic_means[i % len(classic_means)], endpoint=f"Score {i}")

    other = [percent_row_1_1, median_row_1_1, classic_mean, _text_row]
    comparisons = []
    made = 0
    c = 0
    while made < rows:
        count = min(per_comparison, rows - made)
        comp_rows = []
        for j in range(count):
            i = made + j
            make = mean_row_1_1 if j % 2 == 0 else rng.choices(other, weights=[12, 3, 3, 2])[0]
            comp_rows.append(make(rng, i, keys))
        comparisons.append(
            Comparison(
                key=f"mix-{c}",
                title=f"Pimecrolimus vs comparator {c}",
                intervention="Pimecrolimus 1% cream",
                comparator=f"Comparator {c} ointment",
                rows=comp_rows,
            )
        )
        made += count
        c += 1
    return Review(title=f"Mixed 1.1 review of {rows} rows", references=references, comparisons=comparisons)


def main(rows: int = 100_000, mix: str = "1.1") -> None:
    review = generate_mixed_review(rows) if mix == "1.1" else generate_review(rows)
    means = sum(1 for c in review.comparisons for r in c.rows if r.measure == "mean" and r.integer_items is not None)
    print(f"mix {mix}: {rows:,} rows, {means:,} of them 1.1 mean rows; {len(RULES)} rules registered")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite")
        start = time.perf_counter()
        with db.session() as session:
            add_content(session, review, "bench")
        print(f"setup: wrote {rows:,} rows in {time.perf_counter() - start:.1f} s (not part of the figures)")

        def load() -> Any:
            with db.session(write=False) as session:
                return load_review(session)

        load_s, loaded = median_time(load)
        gc.freeze()  # as `curator check` does once the review is loaded
        check_s, findings = median_time(lambda: run_checks(loaded))
        db.close()
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    print(f"load  {rows:,} rows from the database: {load_s:.2f} s (baseline)")
    print(
        f"check {rows:,} rows, all rules:        {check_s:.2f} s "
        f"({rows / check_s:,.0f} rows/s, {len(findings)} findings on clean data{': ' if by_rule else ''}"
        f"{', '.join(f'{k} {v}' for k, v in sorted(by_rule.items()))})"
    )
    print(f"ratio checks / load: {check_s / load_s:.2f}x (target < 3x; and < 5 s)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--mix")]
    chosen = "1.1"
    if "--mix" in sys.argv:
        chosen = sys.argv[sys.argv.index("--mix") + 1]
        args = [a for a in args if a != chosen]
    main(int(args[0]) if args else 100_000, chosen)
