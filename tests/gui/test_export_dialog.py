"""File > Export and File > Import on a worker, with progress; cancel and errors leave nothing behind."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from curator.gui import export_dialog as module
from curator.gui.export_dialog import ExportDialog, import_into
from curator.gui.tasks import CANCELLED_STATUS
from curator.progress import Progress
from curator.services import importing
from curator.services.sources import read_source
from curator.store.access import create_review
from curator.store.database import open_database
from curator.store.repository import audit_entries
from tests.helpers import DEMO, ROOT, stored, stored_demo


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_demo(tmp_path / "review.sqlite")


@pytest.fixture
def dialog(qtbot, review: Path) -> ExportDialog:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(None, review, "Ben", show_after_ms=0)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


class HeldProgress:
    """Passes progress on, and holds the work at the first report ``when`` accepts
    until the test releases it (so the test sees the progress dialog, with no timing)."""

    def __init__(self, progress: Progress, when: Callable[[int, int, str], bool]) -> None:
        self._progress = progress
        self._when = when
        self.reached = threading.Event()
        self.release = threading.Event()
        self.seen: list[tuple[int, int, str]] = []

    @property
    def cancelled(self) -> bool:
        return self._progress.cancelled

    def update(self, done: int, total: int, what: str) -> None:
        self.seen.append((done, total, what))
        self._progress.update(done, total, what)
        if self._when(done, total, what) and not self.reached.is_set():
            self.reached.set()
            assert self.release.wait(30), "the test never released the work"


@pytest.fixture
def hold_export(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[int, int, str], bool]], list[HeldProgress]]:
    """Make the dialog's export hold at a chosen progress report."""
    holds: list[HeldProgress] = []

    def install(when: Callable[[int, int, str], bool]) -> list[HeldProgress]:
        real = module.export_review

        def held(*args: Any, progress: Progress, **kwargs: Any) -> str:
            hold = HeldProgress(progress, when)
            holds.append(hold)
            try:
                return real(*args, progress=hold, **kwargs)
            finally:
                hold.reached.set()

        monkeypatch.setattr(module, "export_review", held)
        return holds

    return install


def _wait_held(qtbot, holds: list[HeldProgress], dlg: ExportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(holds))
    assert holds[0].reached.wait(30)
    task = dlg.task
    assert task is not None
    held_at = holds[0].seen[-1]
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible() and task.last_progress == held_at)


# -- export --------------------------------------------------------------------


def test_formats_come_from_the_writer_registry_with_their_suffixes(dialog: ExportDialog, review: Path) -> None:
    box = dialog.format_box
    assert [box.itemData(i) for i in range(box.count())] == ["xlsx", "json", "csv", "revman-csv", "metafor-csv"]
    assert [box.itemText(i) for i in range(box.count())] == [
        "Excel workbook (.xlsx)",
        "curator/1 exchange file (JSON) (.json)",
        "CSV data table (.csv)",
        "RevMan Web study data (.zip)",
        "metafor CSV for R (.csv)",
    ]
    assert dialog.target() == review.with_suffix(".xlsx")  # suggested beside the review
    dialog.set_format("csv")
    assert dialog.target() == review.with_suffix(".csv")
    assert dialog.description.text().startswith("The flat Data table")
    assert dialog.verified_only.isHidden()
    dialog.set_target(review.parent / "for-ana")
    assert dialog.target() == review.parent / "for-ana.csv"
    dialog.set_target(review.parent)
    assert dialog.target() is None and not dialog.export_button.isEnabled()  # a folder is no file
    dialog.target_edit.clear()
    assert dialog.target() is None and not dialog.export_button.isEnabled()
    dialog.set_target(review.parent / "for-ana.csv")
    dialog.set_format("revman-csv")  # the name follows the format: RevMan's files go in one archive
    assert dialog.target() == review.parent / "for-ana.zip"


@pytest.mark.parametrize("fmt", ["xlsx", "json", "csv"])
def test_export_runs_with_progress_and_the_file_reads_back(
    dialog: ExportDialog, qtbot, review: Path, tmp_path: Path, fmt: str, hold_export: Any
) -> None:  # type: ignore[no-untyped-def]
    holds = hold_export(lambda done, total, what: True)
    target = tmp_path / "out" / f"demo.{fmt}"
    target.parent.mkdir()
    dialog.set_format(fmt)
    dialog.set_target(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    _wait_held(qtbot, holds, dialog)
    task = dialog.task
    assert task is not None and task.dialog is not None
    assert task.dialog.windowTitle() == f"Exporting demo.{fmt}"
    assert not dialog.export_button.isEnabled()  # one export at a time
    holds[0].release.set()
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as signal:
        pass
    assert signal.args[0].startswith("Wrote ") and str(target) in signal.args[0]
    assert dialog.message == signal.args[0] and not dialog.isVisible()
    if fmt == "csv":
        assert target.read_text(encoding="utf-8").count("\n") >= 9  # header and 8 rows
    else:
        assert read_source(target).row_count == 8
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


def test_xlsx_export_reports_its_progress(dialog: ExportDialog, qtbot, tmp_path: Path, hold_export: Any) -> None:  # type: ignore[no-untyped-def]
    holds = hold_export(lambda done, total, what: False)  # hold nowhere: only record
    dialog.set_target(tmp_path / "demo.xlsx")
    task = dialog.export()
    assert task is not None and task.wait() and task.status == "done"
    seen = holds[0].seen
    assert seen[0] == (0, 1, "reading the review")
    assert (0, 8, "comparison tables") in seen and (8, 8, "data table") in seen
    assert seen[-1] == (8, 8, "saving")


def test_cancel_leaves_no_file(dialog: ExportDialog, qtbot, tmp_path: Path, hold_export: Any) -> None:  # type: ignore[no-untyped-def]
    holds = hold_export(lambda done, total, what: what == "comparison tables")
    target = tmp_path / "out" / "demo.xlsx"
    target.parent.mkdir()
    dialog.set_target(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    _wait_held(qtbot, holds, dialog)
    task = dialog.task
    assert task is not None and task.dialog is not None
    cancel = task.dialog.findChild(QPushButton)
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    holds[0].release.set()
    with qtbot.waitSignal(task.finished, timeout=30_000) as signal:
        pass
    assert signal.args == [CANCELLED_STATUS]
    assert list(target.parent.iterdir()) == []  # neither the file nor a temporary one
    assert dialog.isVisible() and dialog.status_label.text() == "Export cancelled, nothing was written"
    assert dialog.export_button.isEnabled()  # ready to try again


def test_cancel_leaves_an_existing_file_as_it_was(
    dialog: ExportDialog, qtbot, tmp_path: Path, hold_export: Any
) -> None:  # type: ignore[no-untyped-def]
    holds = hold_export(lambda done, total, what: what == "comparison tables")
    target = tmp_path / "demo.xlsx"
    target.write_bytes(b"last week's export")
    dialog.set_target(target)
    task = dialog.export()
    _wait_held(qtbot, holds, dialog)
    assert task is not None
    task.cancel()
    holds[0].release.set()
    assert task.wait() and task.status == CANCELLED_STATUS
    assert target.read_bytes() == b"last week's export"


def test_the_dialogs_own_cancel_cancels_a_running_export(
    dialog: ExportDialog, qtbot, tmp_path: Path, hold_export: Any
) -> None:  # type: ignore[no-untyped-def]
    holds = hold_export(lambda done, total, what: what == "comparison tables")
    dialog.set_target(tmp_path / "demo.xlsx")
    task = dialog.export()
    _wait_held(qtbot, holds, dialog)
    assert task is not None
    dialog.reject()  # Escape, or its Cancel button
    assert dialog.isVisible() and task.status == "cancelling"
    holds[0].release.set()
    assert task.wait() and task.status == CANCELLED_STATUS
    assert list(tmp_path.iterdir()) == [dialog.db_path]
    dialog.reject()  # nothing running: now it closes
    assert not dialog.isVisible()


def test_an_error_is_shown_in_the_dialog_and_nothing_is_written(dialog: ExportDialog, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no such folder" / "demo.json"
    dialog.set_format("json")
    dialog.set_target(target)
    task = dialog.export()
    assert task is not None and task.wait()
    assert dialog.isVisible()
    assert dialog.status_label.isVisible()
    assert dialog.status_label.text() == f"{target}: cannot write: the folder {str(target.parent)!r} does not exist"
    assert task.message_box is None  # shown in the dialog, not on top of it
    assert list(tmp_path.iterdir()) == [dialog.db_path]


def test_a_locked_review_cannot_be_read_for_export(
    dialog: ExportDialog, qtbot, review: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import curator.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.1)  # no need to wait for the lock to go
    holder = sqlite3.connect(review, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        dialog.set_format("json")
        dialog.set_target(tmp_path / "demo.json")
        task = dialog.export()
        assert task is not None and task.wait()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dialog.status_label.text() == (
        f"{review}: the review is busy: another program, or another Curator, has been writing to it for more than "
        "10 s; try again when it is done"
    )
    assert not (tmp_path / "demo.json").exists()


# -- import --------------------------------------------------------------------


@pytest.fixture
def empty_review(tmp_path: Path) -> Path:
    path = tmp_path / "new.sqlite"
    create_review(path, "Pimecrolimus", "Ana")
    return path


def test_import_an_exchange_file_into_the_open_review(parent: QWidget, empty_review: Path) -> None:
    messages: list[str] = []
    task = import_into(parent, empty_review, DEMO, "Ben", messages.append)
    assert task.wait()
    assert messages == ["Imported 2 comparisons, 8 rows, 17 references from demo-review.json into new.sqlite"]
    assert stored(empty_review).row_count == 8
    with open_database(empty_review, create=False) as db, db.session(write=False) as session:
        who = {e["who"] for e in audit_entries(session) if e["table_name"] == "endpoint_row"}
    assert who == {"Ben"}


def test_import_an_excel_workbook(parent: QWidget, review: Path, empty_review: Path, tmp_path: Path) -> None:
    from curator.formats.xlsx_export import write_workbook

    workbook = tmp_path / "from-ana.xlsx"
    write_workbook(stored(review), workbook, exported_by="Ana")
    messages: list[str] = []
    assert import_into(parent, empty_review, workbook, "Ben", messages.append).wait()
    assert messages and messages[0].startswith("Imported 2 comparisons, 8 rows")
    assert stored(empty_review).row_count == 8


def test_import_of_a_bad_file_names_the_place_and_writes_nothing(
    parent: QWidget, empty_review: Path, tmp_path: Path
) -> None:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["comparisons"][0]["rows"][2]["intervention"]["n"] = "forty"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = _digest(empty_review)
    errors: list[str] = []
    done: list[str] = []
    task = import_into(parent, empty_review, bad, "Ben", done.append, on_error=errors.append)
    assert task.wait()
    assert done == [] and len(errors) == 1
    assert errors[0].startswith(f"{bad}: ")
    assert "comparisons[0].rows[2].intervention.n" in errors[0] and "forty" in errors[0]
    assert _digest(empty_review) == before


def test_import_that_conflicts_is_refused_whole(parent: QWidget, review: Path) -> None:
    before = stored(review)
    task = import_into(parent, review, DEMO, "Ben", lambda m: None)
    assert task.wait()
    assert task.message_box is not None
    assert "is already in the review" in task.message_box.text()
    assert stored(review) == before
    task.message_box.close()


def test_cancelled_import_rolls_back(
    parent: QWidget, qtbot, empty_review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    reached, release = threading.Event(), threading.Event()
    real_report = importing.report

    def held_report(progress: Any, done: int, total: int, what: str) -> None:
        if what == "saving":  # everything is written, the transaction not yet committed
            reached.set()
            assert release.wait(30)
        real_report(progress, done, total, what)

    monkeypatch.setattr(importing, "report", held_report)
    before = _digest(empty_review)
    task = import_into(parent, empty_review, DEMO, "Ben", lambda m: None, show_after_ms=0)
    assert reached.wait(30)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible())
    task.cancel()
    release.set()
    assert task.wait() and task.status == CANCELLED_STATUS
    assert stored(empty_review).row_count == 0
    assert _digest(empty_review) == before


# -- the picture in docs/ ------------------------------------------------------


def test_picture_of_the_export_dialog_with_its_progress(
    dialog: ExportDialog, qtbot, tmp_path: Path, hold_export: Any
) -> None:  # type: ignore[no-untyped-def]
    """The export dialog and, below it, its progress halfway; CURATOR_SCREENSHOTS=1 keeps it in docs/."""
    holds = hold_export(lambda done, total, what: what == "comparison tables" and 0 < done < total)
    dialog.set_target(Path("/home/ana/reviews/pimecrolimus.xlsx"))
    dialog.target_edit.setCursorPosition(0)
    out = tmp_path / "out"
    out.mkdir()
    real_target = dialog.target

    def target() -> Path | None:  # the picture shows a typical path; the file goes to the test's folder
        chosen = real_target()
        return None if chosen is None else out / chosen.name

    dialog.target = target  # type: ignore[method-assign]
    task = dialog.export()
    _wait_held(qtbot, holds, dialog)
    assert task is not None and task.dialog is not None
    progress = task.dialog
    assert 0 < progress.value() < progress.maximum()
    for widget in (dialog, progress):
        for label in widget.findChildren(QLabel):
            if label.isVisible() and not label.wordWrap():
                assert label.width() >= label.sizeHint().width(), f"clipped: {label.text()!r}"
    dialog.target_edit.deselect()
    dialog.target_edit.setCursorPosition(0)
    back, front = dialog.grab(), progress.grab()
    gap = 12
    picture = QImage(
        max(back.width(), front.width()) + 2, back.height() + gap + front.height() + 2, QImage.Format.Format_ARGB32
    )
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setPen(QColor("#9a9a9a"))
    for pixmap, top_left in (
        (back, QPoint(0, 0)),
        (front, QPoint((back.width() - front.width()) // 2, back.height() + gap)),
    ):
        painter.drawPixmap(top_left + QPoint(1, 1), pixmap)
        painter.drawRect(top_left.x(), top_left.y(), pixmap.width() + 1, pixmap.height() + 1)
    painter.end()
    holds[0].release.set()
    assert task.wait() and task.status == "done"
    path = tmp_path / "export-dialog.png"
    assert picture.save(str(path))
    if os.environ.get("CURATOR_SCREENSHOTS"):
        shutil.copy(path, ROOT / "docs" / "export-dialog.png")


def test_enter_in_the_file_field_exports(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Export is the default button once the dialog shows (it was Cancel: Enter cancelled the export)."""
    assert dialog.export_button.isDefault() and not dialog.browse_button.autoDefault()
    target = tmp_path / "by-enter.json"
    dialog.set_format("json")
    dialog.target_edit.selectAll()
    qtbot.keyClicks(dialog.target_edit, str(target))
    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Return)
    assert dialog.task is not None and dialog.task.wait()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert json.loads(target.read_text(encoding="utf-8"))["format"].startswith("curator/1")
