"""Re-importing a library in the window (issue #12, item 11): a record sharing a DOI is merged unasked,
only the uncertain ones come to the duplicates dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from curator.gui.app import MainWindow
from curator.gui.references_view import DuplicatesDialog
from curator.services import ReviewService
from tests.gui.test_references_view import drop
from tests.helpers import stored
from tests.test_cli_references import CERTAIN, DOI7, UNCERTAIN


def answer_dialog(qtbot, keys: list[Qt.Key], seen: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    """When the duplicates dialog is up: note its pairs, press ``keys`` on the first choice, then Enter."""

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DuplicatesDialog):
            QTimer.singleShot(10, respond)
            return
        seen.append([f"{p.where} ~ {p.existing.key} ({p.why})" for p in dialog.pairs])
        combo = dialog.choices[0]
        for key in keys:
            qtbot.keyClick(combo, key)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, respond)


def texts(dialog: DuplicatesDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def test_dropping_a_library_asks_only_about_the_uncertain_record(
    window: MainWindow,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with ReviewService.open(window.path, "Ana") as ana:  # reference 7 has its DOI, as a reviewer typed it
        ana.references.set_field("7", "doi", DOI7)
    library = tmp_path / "library.bib"
    library.write_text(CERTAIN + UNCERTAIN, encoding="utf-8")
    window.tabs.setCurrentIndex(1)
    seen: list[list[str]] = []
    answer_dialog(qtbot, [Qt.Key.Key_Down], seen)  # Merge -> Keep both
    drop(window.references_view, [library])
    assert seen == [["library.bib: line 15 ~ 9 (same title)"]]  # not the record sharing 7's DOI
    review = stored(window.path)
    refs = {r.key: r for r in review.references}
    assert refs["7"].journal == "Pediatrics" and refs["7"].authors == ["Wahn, Ulrich", "Bos, Jan D"]
    assert [r.key for r in review.references][17:] == ["18", "19"]
    assert refs["19"].title == refs["9"].title + "." and refs["9"].year is None  # kept beside 9, 9 untouched
    assert window.statusBar().currentMessage() == (
        "Imported 2 references; reference 7: merged library.bib: line 1 (same DOI, same title); "
        "filled Authors, Journal, Year"
    )


def test_leave_it_out_in_the_dialog_imports_the_rest(
    window: MainWindow,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    library = tmp_path / "library.bib"
    library.write_text(UNCERTAIN, encoding="utf-8")
    seen: list[list[str]] = []
    answer_dialog(qtbot, [Qt.Key.Key_Down, Qt.Key.Key_Down], seen)  # Merge -> Keep both -> Leave it out
    assert window.references_view.import_files([library]) is True
    assert seen == [["library.bib: line 2 ~ 9 (same title)"]]
    assert len(stored(window.path).references) == 17
    assert window.statusBar().currentMessage() == "Imported 0 references; 1 left out"


def test_uncertain_duplicates_dialog_picture(
    window: MainWindow,
    qtbot,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """docs/import-uncertain-duplicates.png: the dialog of a re-imported library, the DOI match not in it."""
    from tests.gui.test_screenshots import _save

    with ReviewService.open(window.path, "Ana") as ana:
        ana.references.set_field("7", "doi", DOI7)
    library = tmp_path / "library.bib"
    library.write_text(CERTAIN + UNCERTAIN, encoding="utf-8")
    pictures: list[Path] = []

    def show(dialog: DuplicatesDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert [p.existing.key for p in dialog.pairs] == ["9"]
        assert "1 other record shares a DOI or PMID with reference 7: merged without asking." in texts(dialog)
        pictures.append(_save(dialog, "import-uncertain-duplicates.png", tmp_path))
        dialog.reject()
        return 0

    monkeypatch.setattr(DuplicatesDialog, "exec", show)
    assert window.references_view.import_files([library]) is False
    assert pictures and pictures[0].stat().st_size > 10_000


def test_dropped_bibtex_with_a_set_says_what_was_skipped(
    window: MainWindow,
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """A biblatex @set is no reference: the status bar says it was skipped, the members come in."""
    library = tmp_path / "library.bib"
    library.write_text(
        "@set{pair, entryset = {lee}}\n@article{lee, author = {Ann Lee}, title = {A Kept Member}, year = 2001}\n",
        encoding="utf-8",
    )
    window.tabs.setCurrentIndex(1)
    drop(window.references_view, [library])
    refs = stored(window.path).references
    assert [(r.title, r.authors) for r in refs[17:]] == [("A Kept Member", ["Lee, Ann"])]
    assert window.statusBar().currentMessage() == (
        "Imported 1 reference; library.bib: skipped 1 biblatex @set entry (pair): a set only groups other entries"
    )


def test_dropping_the_same_library_twice_says_its_references_were_already_there(
    window: MainWindow,
    tmp_path: Path,
) -> None:
    """Issue #18: the second drop said only "Imported 0 references"."""
    library = tmp_path / "library.ris"
    library.write_text(
        "TY  - JOUR\nTI  - A first new paper\nAU  - Doe, J\nDO  - 10.1000/first\nER  - \n\n"
        "TY  - JOUR\nTI  - A second new paper\nAU  - Roe, R\nC2  - 31421429\nER  - \n",
        encoding="utf-8",
    )
    window.tabs.setCurrentIndex(1)
    drop(window.references_view, [library])
    assert window.statusBar().currentMessage() == "Imported 2 references"
    drop(window.references_view, [library])
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Imported 0 references; 2 references were already in the review; reference 18: merged library.ris: line 1"
        )
    )
    assert len(stored(window.path).references) == 19


def test_dropping_a_web_page_says_what_it_seems_to_be(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    page = tmp_path / "export.txt"
    page.write_text("<!DOCTYPE html>\n<html><body>Your search results</body></html>", encoding="utf-8")
    window.tabs.setCurrentIndex(1)
    drop(window.references_view, [page])
    assert said == [
        f"{page}: not a reference manager's file (RIS, PubMed/MEDLINE, BibTeX, CSL-JSON or Web of Science): "
        "it seems to be a web page (HTML), not an export: save the export itself from the database's export "
        "or download button"
    ]
    assert len(stored(window.path).references) == 17
