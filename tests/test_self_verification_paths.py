"""Issue #11: Ana, who extracted the rows, tries every path that could mark
her own row verified. None makes it count as verified here (``curator info``,
the window's counts, ``export --verified-only``), and each says so where she
acted: a refusal in the form, the table and the CLI; a claim, with its file
and who imported it, for an import.

"Verified here" is defined in :mod:`curator.store.verified_here`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from curator.formats.exchange import write_exchange
from curator.formats.xlsx_export import write_workbook
from curator.gui.app import MainWindow
from curator.gui.rows_model import EDIT_FIELDS
from curator.review import Review
from curator.services.sources import open_review
from curator.store.browse import comparison_outline
from curator.store.edits import set_row_field
from curator.store.verified_here import claim_at
from tests.doublecheck import audit_count, review_by, stored_by, table
from tests.helpers import run, stored

ROW = "pime-vs-tcs[0]"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Ana's extraction: every row extracted by Ana, none verified."""
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def info(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[dict[str, object], str]:
    code, out, _ = run(capsys, "info", str(path), "--format", "json")
    assert code == 0
    code, text, _ = run(capsys, "info", str(path))
    assert code == 0
    return json.loads(out), text


def outline_verified(path: Path) -> tuple[int, int]:
    """The window's outline counts: rows verified here, rows only claimed verified."""
    with open_review(path, create=False) as database, database.session(write=False) as session:
        outline = comparison_outline(session.connection())
    return sum(c.verified for c in outline), sum(c.claimed for c in outline)


def exported_verified_rows(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path) -> str:
    book = tmp_path / "v.xlsx"
    code, _, err = run(capsys, "--reviewer", "Ana", "export", str(path), "-o", str(book), "--verified-only")
    assert code == 0
    return err


def assert_not_verified_here(
    capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path, *, claimed: int = 0
) -> None:
    data, text = info(capsys, path)
    assert data["rows_verified_here"] == 0 and data["rows_claimed_verified"] == claimed
    more = f" ({claimed} more claimed verified by their file)" if claimed else ""
    assert f"Verified:     0 verified here{more}\n" in text
    assert outline_verified(path) == (0, claimed)
    assert "Wrote 0 rows" in exported_verified_rows(capsys, path, tmp_path)


# -- the form and the table ------------------------------------------------------------------


def window_as(qtbot, path: Path, who: str) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(path, who)
    qtbot.addWidget(window)
    window.show()
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    return window


def test_the_form_shows_status_and_verifier_but_refuses_them(  # type: ignore[no-untyped-def]
    qtbot, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    window = window_as(qtbot, db, "Ana")
    form = window.row_form
    before, entries = stored(db), audit_count(db)
    combo = form.choices["status"]
    assert combo.currentText() == "extracted" and combo.toolTip().startswith("Not typed: follows the verifications")
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # towards "verified"
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "extracted"
    assert form.message.text().startswith("Status: follows the verifications of the row's fields; verify the row's")
    # Chosen with the mouse from the list: put back, and refused the same way.
    form.message.clear()
    combo.setCurrentText("verified")
    combo.activated.emit(combo.currentIndex())
    assert combo.currentText() == "extracted" and "verify the row's fields instead" in form.message.text()

    verifier = form.edits["verified_by"]
    assert verifier.isReadOnly()
    form.message.clear()
    verifier.setFocus()
    qtbot.keyClicks(verifier, "Ben")
    qtbot.keyClick(verifier, Qt.Key.Key_Return)
    assert verifier.text() == ""
    assert form.message.text().startswith("Verified by: follows the verifications of the row's fields")

    assert stored(db) == before and audit_count(db) == entries  # nothing written
    assert "(0 verified here)" in window.status_counts.text()
    window.close()
    assert_not_verified_here(capsys, db, tmp_path)


def test_the_table_cell_of_status_cannot_be_typed_into(  # type: ignore[no-untyped-def]
    qtbot, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    window = window_as(qtbot, db, "Ana")
    before, entries = stored(db), audit_count(db)
    model, view = window.rows_model, window.rows_view
    index = model.index(0, EDIT_FIELDS.index("status"))
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert "follows the verifications" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)  # the edit key opens the endpoint's editor...
    assert [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)  # ... but none on the status
    assert not [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()], "no editor opens"
    qtbot.keyClicks(view, "verified")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.data(index) == "extracted"
    # Even asked directly, the model refuses and says why in the status bar.
    assert not model.setData(index, "verified")
    assert (
        "Status in row 1 (Patients Requiring TCS) of pime-vs-tcs: follows the verifications"
        in window.statusBar().currentMessage()
    )
    assert stored(db) == before and audit_count(db) == entries
    window.close()
    assert_not_verified_here(capsys, db, tmp_path)


# -- the command line and the store ------------------------------------------------------------


def test_the_commands_refuse_her_own_row(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = audit_count(db)
    attempts = [
        ["confirm", str(db), ROW],
        ["confirm", str(db), ROW, "--field", "intervention.value"],
        ["fix", str(db), ROW, "--field", "intervention.value", "--value", "42.6"],
        ["double-entry", str(db), ROW, "--set", "intervention.value=42.6"],
    ]
    for args in attempts:
        code, out, err = run(capsys, "--reviewer", "Ana", *args)
        assert (code, out) == (2, ""), args
        assert "Ana extracted this row; a second reviewer must verify it" in err, args
    assert audit_count(db) == entries
    # No command types a status: the edit path behind every cell refuses it, for anyone.
    with open_review(db, create=False) as database, database.session() as session:
        for name, text in (("status", "verified"), ("verified_by", "Ben")):
            with pytest.raises(Exception, match="cannot be typed; verify the row's fields instead"):
                set_row_field(session, "pime-vs-tcs", 0, name, text, "Ana")
    assert audit_count(db) == entries
    assert_not_verified_here(capsys, db, tmp_path)


def test_renaming_the_extractor_does_not_let_her_verify(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_review(db, create=False) as database, database.session() as session:
        set_row_field(session, "pime-vs-tcs", 0, "extracted_by", "Zed", "Ana")
    code, _, err = run(capsys, "--reviewer", "Ana", "confirm", str(db), ROW)
    assert code == 2 and "Ana extracted this row (named its extractor before the name was changed)" in err
    assert_not_verified_here(capsys, db, tmp_path)


def test_merging_her_own_second_file_verifies_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = stored_by(tmp_path / "ana-again.sqlite", "Ana")
    code, out, _ = run(capsys, "--reviewer", "Ana", "merge", str(db), str(theirs))
    assert code == 0 and "Ana extracted both" in out
    assert_not_verified_here(capsys, db, tmp_path)


# -- imports: a file's status is its claim ---------------------------------------------------------


def claiming(verifier: str) -> Review:
    """Ana's extraction whose first row says it was verified by ``verifier``."""
    review = review_by("Ana")
    first = review.comparisons[0].rows[0]
    review.comparisons[0].rows[0] = replace(first, status="verified", verified_by=verifier)
    return review


def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path, file: Path) -> Path:
    target = tmp_path / "imported.sqlite"
    code, out, _ = run(capsys, "--reviewer", "Ana", "import", str(target), str(file))
    assert code == 0 and out.startswith("Imported 2 comparisons, 8 rows")
    return target


@pytest.mark.parametrize("verifier", ["Ana", "Ben"])
def test_an_imported_file_naming_a_verifier_is_a_claim(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], verifier: str
) -> None:
    file = tmp_path / f"{verifier.lower()}-verified.json"
    write_exchange(claiming(verifier), file)
    path = imported(capsys, tmp_path, file)
    assert_not_verified_here(capsys, path, tmp_path, claimed=1)

    # The claim is kept exactly: the exchange round trip gives the file's status and verifier back.
    code, out, _ = run(capsys, "export", str(path), "-o", "-")
    first = json.loads(out)["comparisons"][0]["rows"][0]
    assert (first["status"], first["verified_by"]) == ("verified", verifier)

    # Shown as a claim, with the file and who imported it: in the log and in the form.
    sentence = f"verified by {verifier}, per file {file.name} imported by Ana (a claim, not a verification made here)"
    with open_review(path, create=False) as database, database.session(write=False) as session:
        claim = claim_at(session, "pime-vs-tcs", 0)
    assert claim is not None and claim.sentence() == sentence
    code, out, _ = run(capsys, "log", str(path), "--row", ROW)
    told = (
        f"from file {file.name}, taking its status as the file says: verified by {verifier} "
        "(a claim, not a verification made here)"
    )
    assert code == 0 and re.search(rf"Ana entered the row '[^']+' \(\d+ values\) {re.escape(told)}", out), out
    window = window_as(qtbot, path, "Ana")
    assert sentence in window.row_form.provenance.text()
    assert "(0 verified here, 1 more claimed by their file)" in window.status_counts.text()
    window.close()

    # The self-verified rule still sees Ana's claim about herself.
    code, out, _ = run(capsys, "check", str(path), "--rule", "self-verified")
    assert (code == 1) == (verifier == "Ana") and ("self-verified" in out) == (verifier == "Ana")


def test_an_import_names_its_file_in_each_rows_insert_entry_and_writes_no_entry_per_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "ben-verified.json"
    write_exchange(claiming("Ben"), file)
    path = imported(capsys, tmp_path, file)
    inserts = table(path, "SELECT new FROM audit_log WHERE table_name = 'endpoint_row' AND action = 'insert'")
    snapshots = [json.loads(new) for (new,) in inserts]
    assert len(snapshots) == 8 and {snap["origin"] for snap in snapshots} == {file.name}
    assert [snap["status_claimed"] for snap in snapshots] == [True] + [False] * 7
    assert table(path, "SELECT count(*) FROM audit_log WHERE action = 'claim'") == [(0,)]


def test_a_claim_told_by_an_entry_of_its_own_as_imports_wrote_it_before_is_still_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Logs written before December 2026 give a claimed row a ``claim`` entry after its insert entry."""
    from curator.store.audit import Audit

    file = tmp_path / "ben-verified.json"
    write_exchange(claiming("Ben"), file)
    path = imported(capsys, tmp_path, file)
    with open_review(path, create=False) as database, database.session() as session:
        row_id = table(path, "SELECT id FROM endpoint_row WHERE status_claimed")[0][0]
        audit = Audit("Cy")
        audit.event("claim", "endpoint_row", row_id, "status", "older.json", "verified by Ben")
        audit.flush(session.connection())
        session.commit()
    sentence = "verified by Ben, per file older.json imported by Cy (a claim, not a verification made here)"
    with open_review(path, create=False) as database, database.session(write=False) as session:
        claim = claim_at(session, "pime-vs-tcs", 0)
    assert claim is not None and claim.sentence() == sentence
    code, out, _ = run(capsys, "log", str(path), "--row", ROW)
    told = (
        "Cy took the row as its file says: verified by Ben, per file older.json (a claim, not a verification made here)"
    )
    assert code == 0 and told in out


def test_a_claimed_row_becomes_verified_here_only_when_a_second_reviewer_verifies_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "ben-verified.json"
    write_exchange(claiming("Ben"), file)
    path = imported(capsys, tmp_path, file)
    assert info(capsys, path)[0]["rows_verified_here"] == 0
    code, _, _ = run(capsys, "--reviewer", "Cy", "confirm", str(path), ROW)
    assert code == 0
    assert table(path, "SELECT status, verified_by, status_claimed FROM endpoint_row WHERE id = 1") == [
        ("verified", "Cy", 0)
    ]
    data, text = info(capsys, path)
    assert (data["rows_verified_here"], data["rows_claimed_verified"]) == (1, 0)
    assert "Verified:     1 verified here\n" in text
    assert outline_verified(path) == (1, 0)
    assert "Wrote 1 row in" in exported_verified_rows(capsys, path, tmp_path)


def test_an_imported_workbook_naming_a_verifier_is_a_claim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "ben-verified.xlsx"
    write_workbook(claiming("Ben"), book, exported_by="Ben")  # its Data sheet is what import reads
    path = imported(capsys, tmp_path, book)
    assert table(path, "SELECT status, verified_by, status_claimed FROM endpoint_row WHERE id = 1") == [
        ("verified", "Ben", 1)
    ]
    assert_not_verified_here(capsys, path, tmp_path, claimed=1)
    with open_review(path, create=False) as database, database.session(write=False) as session:
        claim = claim_at(session, "pime-vs-tcs", 0)
    assert claim is not None and claim.file == book.name and claim.by == "Ana"


def test_the_windows_import_keeps_the_file_and_importer_of_a_claim(tmp_path: Path) -> None:
    from curator.services.importing import import_file

    file = tmp_path / "ben-verified.json"
    write_exchange(claiming("Ben"), file)
    path = tmp_path / "window.sqlite"
    open_review(path).close()
    assert import_file(path, file, "Ana").startswith("Imported 2 comparisons")
    with open_review(path, create=False) as database, database.session(write=False) as session:
        claim = claim_at(session, "pime-vs-tcs", 0)
    assert claim is not None and (claim.words, claim.file, claim.by) == ("verified by Ben", file.name, "Ana")
    assert outline_verified(path) == (0, 1)


def test_a_verified_row_deleted_and_put_back_is_only_a_claim(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its field verifications went with it; the status it comes back with is not verified here."""
    from curator.store.rows import delete_row, insert_row

    assert run(capsys, "--reviewer", "Ben", "confirm", str(db), ROW)[0] == 0
    assert outline_verified(db) == (1, 0)
    with open_review(db, create=False) as database, database.session() as session:
        row = delete_row(session, "pime-vs-tcs", 0, "Ana")
        insert_row(session, "pime-vs-tcs", 0, row, "Ana")  # what undo does
    assert table(db, "SELECT status, verified_by, status_claimed FROM endpoint_row WHERE position = 0 "
                 "AND comparison_id = 1") == [("verified", "Ben", 1)]  # fmt: skip
    assert_not_verified_here(capsys, db, tmp_path, claimed=1)
