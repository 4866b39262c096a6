"""Editing a big review with many open findings: the list of them all closed, then open.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_gui_findings [ROWS]

Builds the generated review of ROWS rows (default 100,000) in one comparison,
every tenth row's first percentage changed to 99.9 so that it no longer
matches its events/n (about 5,400 open findings with the review's own), in
a temporary database. Opens the window, waits for the checks on the worker,
then types a value into rows, each saved in its own audited transaction, the
row checked again and its findings marked everywhere (the table, the
comparison's findings, the reference marks, the list of all findings when it
is shown): fourteen rows, alternately with the list of all findings closed
and open (F8). Prints the medians (``benchmarks.bench_gui`` measures the same edit
on a clean review).
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_gui import _settle, open_window
from benchmarks.generate import build_apart, generate_review
from curator.numbers import parse_reported
from curator.review import Review
from curator.store.database import open_database
from curator.store.repository import add_content


def with_findings(review: Review) -> Review:
    """``review`` with every tenth row's first percentage off its events/n."""
    comparisons = []
    for comparison in review.comparisons:
        rows = list(comparison.rows)
        for i in range(0, len(rows), 10):
            arm = rows[i].intervention
            if arm is not None and arm.events is not None and arm.value is not None:
                off = dataclasses.replace(arm, value=parse_reported("99.9"))
                rows[i] = dataclasses.replace(rows[i], intervention=off)
        comparisons.append(dataclasses.replace(comparison, rows=rows))
    return dataclasses.replace(review, comparisons=comparisons)


def build(path: Path, rows: int) -> None:
    """Write the review (in a child process, so its memory is not counted)."""
    with open_database(path) as db, db.session() as session:
        add_content(session, with_findings(generate_review(rows, per_comparison=rows)), "bench")


def main(rows: int = 100_000) -> None:
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.sqlite"
        build_apart(build, big, rows)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        _first, window = open_window(app, big)
        while window.statusBar().currentMessage().startswith("Checking"):
            app.processEvents()
            time.sleep(0.01)
        found = len(window.findings)
        key = window.rows_model.comparison_key or ""

        closed: list[float] = []
        shown: list[float] = []
        listed = 0
        for i in range(14):  # alternating, rows alike: odd rows with the list open
            if i % 2:
                window.finding_nav.show_list()
            else:
                window.finding_nav.dock.hide()
            _settle(app)
            start = time.perf_counter()
            window.edits.apply_edit(key, i, "intervention.value", f"{41 + i / 2:.1f}")
            window.rows_view.viewport().repaint()
            _settle(app)
            (shown if i % 2 else closed).append(time.perf_counter() - start)
            listed = max(listed, window.finding_nav.view.model.rowCount())
        window.checks.stop()
        window.close()

    c, o = statistics.median(closed), statistics.median(shown)
    print(f"{rows:,}-row review, {found:,} open findings")
    print(f"edit a value, list of all findings closed: {c * 1000:6.1f} ms (median of 7)")
    print(f"edit a value, list of all findings open:   {o * 1000:6.1f} ms (median of 7; {listed:,} listed)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
