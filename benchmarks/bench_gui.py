"""The desktop app on a 100,000-row review: first screen, filter, sort, memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_gui [ROWS]

Builds a clean generated review whose one comparison has ROWS rows (the
worst case for a table) in a temporary database, then measures offscreen,
in the same run:

- the baseline: opening the main window on an *empty* review and showing
  it (the cost of the window itself);
- opening the main window on the big review and showing its first screen
  (target < 1 s; the database file exists, the window opens it);
- one filter keystroke: a character typed into the filter box, the table
  filtered and repainted (target < 50 ms; median over a typed word);
- a column sort, repainted (target < 300 ms; median over the columns);
- a value typed into a row: saved in its own audited transaction, the row
  re-checked and repainted;
- the process's peak memory (target < 500 MB).

Each figure is printed with its ratio to the empty-window baseline.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.generate import build_apart, generate_review  # noqa: E402
from curator.gui.app import MainWindow  # noqa: E402
from curator.store.database import open_database  # noqa: E402
from curator.store.repository import add_content  # noqa: E402


def _settle(app: QApplication) -> None:
    app.processEvents()
    app.processEvents()


def open_window(app: QApplication, path: Path) -> tuple[float, MainWindow]:
    start = time.perf_counter()
    window = MainWindow(path, "bench")
    window.show()
    window.rows_view.viewport().repaint()
    _settle(app)
    return time.perf_counter() - start, window


def build(path: Path, rows: int) -> None:
    """Write the big review (in a child process, so its memory is not counted)."""
    with open_database(path) as db, db.session() as session:
        add_content(session, generate_review(rows, per_comparison=rows), "bench")


def main(rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.sqlite"
        big = Path(tmp) / "big.sqlite"
        build_apart(build, big, rows)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        open_database(empty).close()

        baselines = []
        for _ in range(3):
            seconds, window = open_window(app, empty)
            baselines.append(seconds)
            window.close()
        baseline = statistics.median(baselines)

        first, window = open_window(app, big)
        shown = window.rows_model.rowCount()
        start = time.perf_counter()
        while window.statusBar().currentMessage().startswith("Checking"):
            app.processEvents()
            time.sleep(0.01)
        checks = time.perf_counter() - start

        keystrokes = []
        for text in ("s", "sc", "sco", "scor", "score", "score 1"):
            start = time.perf_counter()
            window.filter_edit.setText(text)
            window.rows_view.viewport().repaint()
            _settle(app)
            keystrokes.append(time.perf_counter() - start)
        matched = window.rows_model.rowCount()
        window.filter_edit.clear()
        _settle(app)

        sorts = []
        for column in range(window.rows_model.columnCount()):
            start = time.perf_counter()
            window.rows_view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            window.rows_view.viewport().repaint()
            _settle(app)
            sorts.append(time.perf_counter() - start)
        edits = []
        for i, text in enumerate(("41.0", "41.5", "42.0", "42.5", "43.0")):
            start = time.perf_counter()
            window.edits.apply_edit(window.rows_model.comparison_key or "", i, "intervention.value", text)
            window.rows_view.viewport().repaint()
            _settle(app)
            edits.append(time.perf_counter() - start)
        window.close()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    key_s, sort_s = statistics.median(keystrokes), statistics.median(sorts)
    print(f"empty window, opened and shown:            {baseline * 1000:7.1f} ms (baseline)")
    print(
        f"{rows:,}-row review, first screen:        {first * 1000:7.1f} ms "
        f"({first / baseline:.1f}x baseline; target < 1000 ms; {shown:,} rows in the table)"
    )
    print(f"  all checks done on a worker after:       {checks:7.2f} s (the table is usable meanwhile)")
    print(
        f"filter, one keystroke (median of 6):       {key_s * 1000:7.1f} ms "
        f"({key_s / baseline:.2f}x baseline; target < 50 ms; worst {max(keystrokes) * 1000:.1f} ms; "
        f"{matched:,} rows match)"
    )
    print(
        f"sort one column (median of 9):             {sort_s * 1000:7.1f} ms "
        f"({sort_s / baseline:.2f}x baseline; target < 300 ms; worst {max(sorts) * 1000:.1f} ms)"
    )
    edit_s = statistics.median(edits)
    print(
        f"edit a value (saved, audited, row checked): {edit_s * 1000:6.1f} ms "
        f"({edit_s / baseline:.2f}x baseline; median of 5; the whole review is checked again on a worker)"
    )
    print(f"peak memory of the process:                {peak_mb:7.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
