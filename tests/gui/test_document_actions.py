"""Attaching a paper in the window (issue 14, item 1): File > Attach paper… on the reference chosen,
a PDF dropped on a reference (left list, References tab), detaching it (asks; refused while evidence
points at it), the marks of the references that have a paper, and bad files (item 7) refused whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget

from curator.gui import document_actions
from curator.gui.app import MainWindow
from curator.gui.references_model import ReferencesModel
from curator.pdf import sha256_of
from tests.documents.pdfs import encrypted, long_paper, paper, scan
from tests.helpers import document_tables

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _pdf(tmp_path: Path, name: str = "wahn-2002.pdf", data: bytes | None = None) -> Path:
    path = tmp_path / name
    path.write_bytes(data if data is not None else paper([[(72, 100, "42.6%")], [(72, 100, "0·55")]]))
    return path


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """File dialogs answer ``path``; the titles they were asked with."""
    titles: list[str] = []

    def answer(_parent: QWidget, title: str, *_args: object) -> tuple[str, str]:
        titles.append(title)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    return titles


def _warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    return said


def _paper_column(window: MainWindow, key: str) -> str:
    model = window.references_view.model
    window.tabs.setCurrentIndex(1)
    row = model.view_row(key)
    assert row is not None
    return str(model.data(model.index(row, ReferencesModel.PAPER)))


def _list_line(window: MainWindow, key: str) -> str:
    row = [r.key for r in window.references].index(key)
    return window.references_list.item(row).text()


def _press_attach(qtbot, window: MainWindow, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Press File > Attach paper…'s keys in ``widget`` of the window, the window active (as a shortcut needs)."""
    if QApplication.activeWindow() is not window:
        with qtbot.waitActive(window):
            window.activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_P, CTRL_SHIFT)


def _drop(widget: QWidget, point: QPoint, paths: list[Path]) -> None:
    """Drop files on ``widget`` at ``point`` (for a list, in its viewport's coordinates) as a file manager
    does. (Qt delivers a drop only within a drag it runs itself, so the widget's handler is called.)"""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        point.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    widget.dropEvent(event)  # type: ignore[attr-defined]
    assert event.isAccepted()


def test_attach_paper_from_the_file_menu_goes_to_the_reference_the_row_cites(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    pdf = _pdf(tmp_path)
    titles = _choose_file(monkeypatch, pdf)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert "Attach &paper…" in [a.text() for a in menu.actions()]
    window.select_row("pime-vs-tcs", 0)  # cites reference 7 only
    window.rows_view.setFocus()
    _press_attach(qtbot, window, window.rows_view)
    assert titles == ["Curator — attach the paper of [7]"]
    assert window.document_actions.last_message == "Attached wahn-2002.pdf (2 pages) as the paper of [7]"
    assert window.statusBar().currentMessage().startswith("Attached wahn-2002.pdf")
    (document,) = window.service.documents.all()
    assert (document.reference, document.sha256) == ("7", sha256_of(pdf.read_bytes()))
    assert _list_line(window, "7").startswith("[7] PDF · ")
    assert not _list_line(window, "8").startswith("[8] PDF")
    assert _paper_column(window, "7") == "wahn-2002.pdf (2 p.)"
    assert _paper_column(window, "8") == ""
    entries = [e for e, _ in window.service.log()]
    assert {(e["table_name"], e["who"]) for e in entries[-2:]} == {("document", "Ben"), ("document_blob", "Ben")}


def test_a_row_citing_several_references_asks_whose_paper_it_is(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _choose_file(monkeypatch, _pdf(tmp_path))
    offered: list[list[str]] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], *_a: object) -> tuple[str, bool]:
        offered.append(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    window.select_row("pime-vs-tcs", 1)  # cites references 9 and 10
    _press_attach(qtbot, window, window.rows_view)
    assert [line.split("]")[0] for line in offered[0]] == ["[9", "[10"]
    assert [d.reference for d in window.service.documents.all()] == ["10"]


def test_the_reference_selected_in_the_left_list_takes_the_paper(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _choose_file(monkeypatch, _pdf(tmp_path))
    listing = window.references_list
    listing.setFocus()
    listing.setCurrentRow(0)
    for _ in range(2):
        qtbot.keyClick(listing, Qt.Key.Key_Down)  # the third reference
    _press_attach(qtbot, window, listing)
    assert [d.reference for d in window.service.documents.all()] == ["3"]


def test_a_pdf_dropped_on_a_reference_of_the_left_list_is_its_paper(window: MainWindow, tmp_path: Path) -> None:
    pdf = _pdf(tmp_path)
    listing = window.references_list
    row = [r.key for r in window.references].index("8")
    listing.scrollToItem(listing.item(row))
    _drop(listing, listing.visualItemRect(listing.item(row)).center(), [pdf])
    (document,) = window.service.documents.all()
    assert (document.reference, document.file) == ("8", "wahn-2002.pdf")
    assert _list_line(window, "8").startswith("[8] PDF · ")


def test_a_pdf_dropped_on_a_row_of_the_references_tab_is_that_reference_s_paper(
    window: MainWindow, tmp_path: Path
) -> None:
    pdf = _pdf(tmp_path)
    window.tabs.setCurrentIndex(1)
    view = window.references_view
    table = view.table
    row = view.model.view_row("14")
    assert row is not None
    table.scrollTo(view.model.index(row, 0))
    centre = table.visualRect(view.model.index(row, 1)).center()
    _drop(view, table.viewport().mapTo(view, centre), [pdf])
    assert [d.reference for d in window.service.documents.all()] == ["14"]
    assert _paper_column(window, "14") == "wahn-2002.pdf (2 p.)"
    assert view.model.rowCount() == 17  # not taken for a library of references


def test_a_scan_is_attached_and_the_status_bar_says_what_it_cannot_do(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _choose_file(monkeypatch, _pdf(tmp_path, "scan.pdf", scan()))
    window.select_row("pime-vs-tcs", 0)
    _press_attach(qtbot, window, window.rows_view)
    assert window.document_actions.last_message == (
        "Attached scan.pdf (1 page) as the paper of [7]. scan.pdf has no text layer (a scan): "
        "it can be viewed and its values typed, not searched or captured"
    )
    assert window.statusBar().toolTip() == window.document_actions.last_message
    assert [d.file for d in window.service.documents.all()] == ["scan.pdf"]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (encrypted(), "the PDF is encrypted (it needs a password); save an unprotected copy"),
        (paper([[(72, 100, "1")]])[:300], "the PDF is damaged and cannot be read (Failed to load document"),
        (b"Name,Value\n", "not a PDF (it does not start as a PDF does (%PDF))"),
    ],
    ids=["encrypted", "damaged", "not a pdf"],
)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_written(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot, data: bytes, says: str
) -> None:  # type: ignore[no-untyped-def]
    bad = _pdf(tmp_path, "paper.pdf", data)
    _choose_file(monkeypatch, bad)
    said = _warnings(monkeypatch)
    before = document_tables(window.path)
    window.select_row("pime-vs-tcs", 0)
    _press_attach(qtbot, window, window.rows_view)
    assert len(said) == 1 and said[0].startswith(f"{bad}: {says}")
    assert window.statusBar().toolTip() == said[0]
    assert document_tables(window.path) == before
    assert not _list_line(window, "7").startswith("[7] PDF")


def test_a_file_bigger_than_any_paper_is_refused_in_the_window(
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    huge = tmp_path / "atlas.pdf"
    with huge.open("wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(200_000_001)
    said = _warnings(monkeypatch)
    before = document_tables(window.path)
    listing = window.references_list
    _drop(listing, listing.visualItemRect(listing.item(0)).center(), [huge])
    window.document_actions.task.wait()  # a big file is read on a worker thread  # type: ignore[union-attr]
    assert len(said) == 1 and said[0].startswith(f"{huge}: 200 MB is more than a paper needs")
    assert document_tables(window.path) == before


def test_a_big_paper_is_attached_on_a_worker_thread(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_actions, "BIG_FILE", 1_000_000)
    pdf = _pdf(tmp_path, "long.pdf", long_paper())
    listing = window.references_list
    _drop(listing, listing.visualItemRect(listing.item(6)).center(), [pdf])  # reference 7
    task = window.document_actions.task
    assert task is not None and task.wait()
    assert task.status == "done"
    assert window.document_actions.last_message == "Attached long.pdf (500 pages) as the paper of [7]"
    assert _paper_column(window, "7") == "long.pdf (500 p.)"


def _select_on_references_tab(window: MainWindow, words: str, key: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Show the References tab, type ``words`` in its search (which leaves reference ``key``), and go to it."""
    window.tabs.setCurrentIndex(1)
    view = window.references_view
    view.search.setFocus()
    qtbot.keyClicks(view.search, words)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Home)
    ref = view.current_reference()
    assert ref is not None and ref.key == key


def test_detach_asks_first_then_removes_the_paper(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window.service.documents.attach("14", _pdf(tmp_path))
    window.document_actions.refresh()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_p: QWidget, _t: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    _select_on_references_tab(window, "tacrolimus meta-analysis", "14", qtbot)
    assert "Detach paper…" in [a.text() for a in window.references_view.table.actions()]  # the context menu
    qtbot.keyClick(window.references_view.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert asked == [
        "Detach wahn-2002.pdf from reference [14]? Its file leaves the review (attach it again to bring it back)."
    ]
    assert len(window.service.documents.all()) == 1  # No: kept
    qtbot.keyClick(window.references_view.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert window.service.documents.all() == []
    assert window.document_actions.last_message == "Detached wahn-2002.pdf from reference [14]"
    assert window.references_view.model.paper_of("14") == ""
    assert document_tables(window.path)[:2] == ([], [])


def test_detach_is_refused_while_a_value_was_read_from_the_paper(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    done = window.service.documents.attach("14", _pdf(tmp_path))
    raw = sqlite3.connect(window.path)
    raw.execute(
        "INSERT INTO evidence (row_id, field, document, page, text, boxes, extensions) "
        "VALUES ((SELECT MIN(id) FROM endpoint_row), 'intervention.value', ?, 1, '42.6%', '[]', '{}')",
        (done.document.sha256,),
    )
    raw.commit()
    raw.close()
    window.document_actions.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    said = _warnings(monkeypatch)
    before = document_tables(window.path)
    _select_on_references_tab(window, "tacrolimus meta-analysis", "14", qtbot)
    qtbot.keyClick(window.references_view.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert said == ["wahn-2002.pdf: 1 value of the review was read from it (their evidence points at it); it is kept"]
    assert window.statusBar().toolTip() == said[0]
    assert document_tables(window.path) == before
    assert window.references_view.model.paper_of("14") == "wahn-2002.pdf (2 p.)"


def test_other_files_dropped_on_the_references_tab_are_still_imported_as_references(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from curator.gui.references_view import DuplicatesDialog
    from tests.helpers import REFERENCE_FIXTURES

    asked: list[str] = []

    def decline(dialog: DuplicatesDialog) -> int:
        asked.append(dialog.pairs[0].existing.key)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(DuplicatesDialog, "exec", decline)
    window.tabs.setCurrentIndex(1)
    _drop(window.references_view, QPoint(10, 10), [REFERENCE_FIXTURES / "pubmed.nbib"])
    assert asked == ["7"]  # the import of a reference library asked about its duplicate
    assert window.service.documents.all() == []


def test_references_with_their_papers_picture(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """docs/references-papers.png: the References tab and the left list marking the references with a paper."""
    import os

    docs = Path(__file__).parents[2] / "docs"
    window.resize(1500, 760)
    listing = window.references_list
    _drop(listing, listing.visualItemRect(listing.item(6)).center(), [_pdf(tmp_path)])  # reference 7
    _drop(listing, listing.visualItemRect(listing.item(13)).center(), [_pdf(tmp_path, "scan.pdf", scan())])  # 14
    assert "scan.pdf has no text layer (a scan)" in window.statusBar().currentMessage()
    _select_on_references_tab(window, "", "1", qtbot)
    view = window.references_view
    for _ in range(6):
        qtbot.keyClick(view.table, Qt.Key.Key_Down)  # reference 7, whose paper is kept
    view.table.setColumnWidth(ReferencesModel.PAPER, 170)
    assert _paper_column(window, "7") == "wahn-2002.pdf (2 p.)" and _paper_column(window, "14") == "scan.pdf (1 p.)"
    assert _list_line(window, "7").startswith("[7] PDF · ") and _list_line(window, "14").startswith("[14] PDF · ")
    target = docs if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path
    QApplication.processEvents()
    assert window.grab().save(str(target / "references-papers.png"))


def test_with_no_reference_to_choose_attach_says_how_to_choose_one(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from curator.services.sources import open_review

    open_review(tmp_path / "empty.sqlite").close()
    window = MainWindow(tmp_path / "empty.sqlite", "Ben")
    qtbot.addWidget(window)
    window.show()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    asked = _choose_file(monkeypatch, _pdf(tmp_path))
    _press_attach(qtbot, window, window.rows_view)
    assert told == [
        "Choose the reference whose paper this is: select it in the references list or on the References tab, "
        "or a row that cites it"
    ]
    assert asked == [] and window.service.documents.all() == []


def test_the_paper_column_says_when_the_review_names_a_paper_without_its_file() -> None:
    from curator.gui.document_actions import paper_mark
    from curator.review import Document

    held = Document("a" * 64, "wahn-2002.pdf", "7", pages=12, stored=True)
    named = Document("b" * 64, "appendix.pdf", "7", stored=False)
    assert paper_mark([held, named]) == "wahn-2002.pdf (12 p.); appendix.pdf (its file is not in the review)"


def test_the_paper_of_one_reference_dropped_on_another_is_refused_saying_whose_it_is(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review keeps a paper once, as one reference's: the same file dropped on [8] after [7] leaves it
    [7]'s, and the window says so (it said "the paper of [8]", which was not true)."""
    pdf = _pdf(tmp_path)
    listing = window.references_list
    for key in ("7", "8"):
        if key == "8":
            said = _warnings(monkeypatch)
        row = [r.key for r in window.references].index(key)
        listing.scrollToItem(listing.item(row))
        _drop(listing, listing.visualItemRect(listing.item(row)).center(), [pdf])
    assert said == [
        "wahn-2002.pdf is already the paper of [7]: a paper belongs to one reference, so [8] still has none. "
        "If [7] and [8] are the same paper, merge them (curator merge-references)."
    ]
    (document,) = window.service.documents.all()
    assert document.reference == "7"
    assert not _list_line(window, "8").startswith("[8] PDF")


def test_asked_whose_paper_it_is_a_reference_that_has_one_says_so(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window.service.documents.attach("9", _pdf(tmp_path, "scan.pdf", scan()))
    window.document_actions.refresh()
    _choose_file(monkeypatch, _pdf(tmp_path))
    offered: list[list[str]] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], *_a: object) -> tuple[str, bool]:
        offered.append(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    window.select_row("pime-vs-tcs", 1)  # cites references 9 and 10
    _press_attach(qtbot, window, window.rows_view)
    assert offered[0][0].endswith(" — has scan.pdf (1 p.)") and offered[0][0].startswith("[9] ")
    assert "— has" not in offered[0][1]
    assert sorted(d.reference or "" for d in window.service.documents.all()) == ["10", "9"]
