"""How long the window is blocked while a big comparison is deleted and the delete undone.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_delete_comparison [ROWS]

Builds a generated review whose one comparison has ROWS rows (default
100,000) in a temporary database, then measures, in the same run:

- the baseline: the service's ``rows.delete_comparison`` and
  ``rows.restore_comparison`` timed alone, without a window (on a copy of
  the database);
- in the main window, Edit > Delete comparison and then Undo, each the way
  the window does it now (on a worker, with a progress dialog, above
  ``BACKGROUND_ROWS``) and, for comparison, on the GUI thread as before
  (the threshold raised past ROWS). While each runs, a QTimer ticking every
  10 ms records the longest gap between two ticks: how long the window did
  not answer. Each gap is printed with its ratio to the baseline's time.

The window stays blocked a little after the worker is done: showing the
review again (the comparisons, the restored table) happens on the GUI
thread, as after any change.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

import curator.gui.edit_actions as edit_actions  # noqa: E402
from benchmarks.generate import build_apart, generate_review  # noqa: E402
from curator.gui.app import MainWindow  # noqa: E402
from curator.services import ReviewService  # noqa: E402
from curator.store.database import open_database  # noqa: E402
from curator.store.repository import add_content  # noqa: E402

TICK_MS = 10


def build(path: Path, rows: int) -> None:
    """Write the big review (in a child process, so that its memory is not the window's)."""
    with open_database(path) as db, db.session() as session:
        add_content(session, generate_review(rows, per_comparison=rows), "bench")


class Ticks:
    """The longest gap between two ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.longest = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> Ticks:
        self.clock.start()
        self.last, self.longest = 0, 0
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self.timer.stop()


def settle(app: QApplication, seconds: float = 0.2) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def in_window(app: QApplication, window: MainWindow, act: Callable[[], None]) -> tuple[float, float]:
    """Run ``act`` in the window and wait for its work to end; (seconds in all, longest gap in seconds)."""
    task_before = window.edits.task
    start = time.perf_counter()
    with Ticks() as ticks:
        act()
        task = window.edits.task
        if task is not None and task is not task_before:
            while task.is_running():
                app.processEvents()
                time.sleep(0.001)
        app.processEvents()  # the last repaint after the change
    return time.perf_counter() - start, ticks.longest / 1000


def window_run(app: QApplication, path: Path, threshold: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Delete the big comparison and undo it, with ``BACKGROUND_ROWS`` at ``threshold``."""
    edit_actions.BACKGROUND_ROWS = threshold
    window = MainWindow(path, "bench")
    window.show()
    settle(app)
    while window.statusBar().currentMessage().startswith("Checking"):  # the first checks, on their worker
        settle(app, 0.05)
    window.comparisons_view.selectRow(0)
    settle(app)
    delete = in_window(app, window, lambda: window.edits.delete_comparison(confirm=False))
    assert not window.outline, "the comparison is deleted"
    undo = in_window(app, window, window.undo_action.trigger)
    assert len(window.outline) == 1, "the comparison is back"
    window.close()
    window.deleteLater()
    settle(app)
    return delete, undo


def main(rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.sqlite"
        build_apart(build, big, rows)

        copy = Path(tmp) / "baseline.sqlite"
        shutil.copy(big, copy)
        with ReviewService.open(copy, "bench") as service:
            key = service.outline()[0].key
            start = time.perf_counter()
            saved = service.rows.delete_comparison(key)
            base_delete = time.perf_counter() - start
            start = time.perf_counter()
            service.rows.restore_comparison(*saved)
            base_undo = time.perf_counter() - start

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        QMessageBox.question = lambda *_a: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
        threshold = edit_actions.BACKGROUND_ROWS
        on_worker = window_run(app, big, threshold)
        on_gui = window_run(app, big, rows + 1)

    print(f"baseline, the service alone: delete {base_delete:6.2f} s, restore (undo) {base_undo:6.2f} s")
    for what, (total, gap), (_gui_total, gui_gap), base in (
        ("delete", on_worker[0], on_gui[0], base_delete),
        ("undo  ", on_worker[1], on_gui[1], base_undo),
    ):
        print(
            f"{what} in the window: GUI thread blocked at most {gap:6.2f} s ({gap / base:.2f}x baseline; "
            f"{total:.2f} s until done), on the GUI thread as before: {gui_gap:6.2f} s ({gui_gap / base:.2f}x)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
