"""The References tab: search, drop files in, choose about duplicates, merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QMessageBox

from curator.demo import demo_review
from curator.gui.app import MainWindow
from curator.gui.references_view import DuplicatesDialog, ReferencesModel
from tests.helpers import REFERENCE_FIXTURES as FIXTURES
from tests.helpers import stored


def drop(view, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    view.dropEvent(event)


def test_model_and_search(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ReferencesModel()
    model.set_review(demo_review())
    qtmodeltester.check(model)
    assert model.rowCount() == 17
    assert model.data(model.index(6, 4)) == 2  # reference 7 is cited by two rows
    model.set_filter("tacrolimus meta-analysis")
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["14"]
    qtmodeltester.check(model)


def test_dropping_a_file_with_a_duplicate_asks_and_merges(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def choose(dialog: DuplicatesDialog) -> int:
        seen.append([p.existing.key for p in dialog.pairs])
        dialog.choices[0].setCurrentIndex(0)  # Merge
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DuplicatesDialog, "exec", choose)
    view = window.references_view
    drop(view, [FIXTURES / "pubmed.nbib"])
    assert seen == [["7"]]  # the PubMed record of the demo's reference 7
    review = stored(window.path)
    assert len(review.references) == 18 and review.references[6].pmid
    assert window.tabs.tabText(1) == "References (18)"
    assert view.model.rowCount() == 18


def test_declining_the_duplicates_imports_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DuplicatesDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    before = window.path.read_bytes()
    assert window.references_view.import_files([FIXTURES / "pubmed.nbib"]) is False
    assert window.path.read_bytes() == before


def test_unreadable_records_skip_or_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    asked: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(DuplicatesDialog, "exec", lambda dialog: (dialog.accept(), QDialog.DialogCode.Accepted)[1])
    view = window.references_view
    assert view.import_files([FIXTURES / "malformed.ris"]) is False
    assert "cannot be read" in asked[0] and "line " in asked[0]
    assert len(stored(window.path).references) == 17
    assert view.import_files([FIXTURES / "malformed.ris"]) is True
    assert len(stored(window.path).references) > 17


def test_merge_two_selected_references(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    view = window.references_view
    view.table.selectRow(8)  # [9]
    view.table.selectionModel().select(
        view.model.index(9, 0),
        view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows,
    )
    assert view.merge_selected() is True
    review = stored(window.path)
    assert "10" not in [r.key for r in review.references]
    assert review.comparisons[0].rows[1].citations == ["9"]


def test_screenshot_of_the_references_tab(window: MainWindow, tmp_path: Path) -> None:
    window.tabs.setCurrentIndex(1)
    png = tmp_path / "refs.png"
    assert window.grab().save(str(png)) and png.stat().st_size > 1000
    json.dumps(str(png))


def test_copy_citations_to_the_clipboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    view = window.references_view
    view.table.selectRow(13)  # [14]
    assert view.copy_citations() == (
        "Efficacy and tolerance of tacrolimus and pimecrolimus for atopic dermatitis: a meta-analysis."
    )
    assert QApplication.clipboard().text().startswith("Efficacy and tolerance")
    assert view.copy_action.shortcut().toString() == "Ctrl+C"
