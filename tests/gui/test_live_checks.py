"""Checks of a big review run on a worker: the window stays usable, the findings arrive."""

from __future__ import annotations

from pathlib import Path

import pytest

import curator.gui.live_checks as live
from curator.gui.app import MainWindow
from tests.helpers import stored_demo


@pytest.fixture
def big_window(qtbot, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The demo, treated as a big review: every whole-review check goes to the worker."""
    monkeypatch.setattr(live, "SMALL_REVIEW", 0)
    window = MainWindow(stored_demo(tmp_path / "r.sqlite"), "Ben")
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()  # waits for the worker


def test_the_table_shows_before_the_findings_arrive_from_the_worker(qtbot, big_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert big_window.rows_model.rowCount() == 4  # the first screen does not wait for the checks
    assert big_window.findings == []
    assert big_window.statusBar().currentMessage().startswith("Checking the review")
    qtbot.waitUntil(lambda: len(big_window.findings) == 34, timeout=10_000)
    assert big_window.comparisons_model.data(big_window.comparisons_model.index(1, 3)) == 3
    assert big_window.statusBar().currentMessage() == ""


def test_a_newer_check_cancels_the_running_one(qtbot, big_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: big_window.checks.running is not None, timeout=5_000)
    first = big_window.checks.running
    assert first is not None
    big_window.check_all()
    assert first.progress.cancelled and first.superseded
    qtbot.waitUntil(lambda: len(big_window.findings) == 34, timeout=10_000)
