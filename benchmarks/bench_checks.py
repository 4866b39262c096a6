"""Checks' throughput on a 100,000-row review, against loading the same rows.

    .venv/bin/python -m benchmarks.bench_checks [ROWS]

Builds a clean generated review (benchmarks/generate.py) into a temporary
database, then measures, in the same run, (a) loading the whole review from
the database and (b) running every rule over it, each the median of three
runs. Prints both times, the checks' throughput and the ratio checks/load
(target: under 3x, and under 5 s for 100,000 rows).
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import generate_review
from curator.checks import run_checks
from curator.store.database import open_database
from curator.store.repository import add_content, load_review


def median_time(func: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(rows: int = 100_000) -> None:
    review = generate_review(rows)
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
    print(f"load  {rows:,} rows from the database: {load_s:.2f} s (baseline)")
    print(
        f"check {rows:,} rows, all rules:        {check_s:.2f} s "
        f"({rows / check_s:,.0f} rows/s, {len(findings)} findings on clean data)"
    )
    print(f"ratio checks / load: {check_s / load_s:.2f}x (target < 3x; and < 5 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
