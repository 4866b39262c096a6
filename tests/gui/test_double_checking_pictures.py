"""The pictures of verify mode and of the adjudication view in docs/, taken from the real dialogs.

Each test checks what the picture must show; ``CURATOR_SCREENSHOTS=1``
also writes it to docs/ (look at it before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from curator.gui.adjudication_view import AdjudicationDialog
from curator.gui.verify_view import VerifyDialog
from tests.doublecheck import stored_by
from tests.gui.reviewers import controls, window_as
from tests.gui.test_adjudication_view import ben_enters_blind

DOCS = Path(__file__).parents[2] / "docs"


def _save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    target = DOCS / name if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path / name
    assert widget.grab().save(str(target))
    return target


def test_verify_mode_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Ben in verify mode on a row whose percentage does not match its counts: the finding above the
    fields, the field marked, three fields confirmed, the marked one current."""
    from curator.services import ReviewService

    path = stored_by(tmp_path / "ana.sqlite", "Ana")
    with ReviewService.open(path, "Ana") as ana:
        for name, text in (("intervention.n", "267"), ("intervention.events", "95"), ("intervention.value", "35.9")):
            ana.rows.edit_field("pime-vs-tcs", 0, name, text)
    window = window_as(qtbot, path, "Ben")
    qtbot.waitUntil(lambda: any("95/267" in f.message for f in window.findings))
    window.select_row("pime-vs-tcs", 0)
    dialog = controls(window).open_verify()
    assert isinstance(dialog, VerifyDialog)
    dialog.resize(1000, 680)
    for _ in range(4):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert dialog.current_field is not None and dialog.current_field.field == "intervention.value"
    assert "35.9% does not match 95/267 = 35.6%" in dialog.findings.text()
    assert dialog.model.data(dialog.model.index(0, 2)) == "verified by Ben"
    assert [b.text() for b in (dialog.confirm_button, dialog.fix_button, dialog.dispute_button)] == [
        "&Confirm (Enter)",
        "&Fix… (F)",
        "&Dispute… (D)",
    ]
    picture = _save(dialog, "verify-mode.png", tmp_path)
    assert picture.stat().st_size > 20_000


def test_adjudication_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    review = stored_by(tmp_path / "ana.sqlite", "Ana")
    ben_enters_blind(review)
    window = window_as(qtbot, review, "Cleo")
    dialog = controls(window).open_adjudication()
    assert isinstance(dialog, AdjudicationDialog)
    dialog.resize(1080, 540)
    assert dialog.model.rowCount() == 2
    dialog.choose("b", reason="Figure 2 reads 58.0")
    picture = _save(dialog, "adjudication.png", tmp_path)
    assert picture.stat().st_size > 20_000


def test_history_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window with the History dock beside the table, on a row Ana extracted, Ben confirmed, then
    changed: the row's story in the words of the form, the comparison list at its width."""
    from curator.store.verification import verify_row

    path = stored_by(tmp_path / "ana.sqlite", "Ana")
    window = window_as(qtbot, path, "Ben")
    with window.service.db.session() as session:
        verify_row(session, "pime-vs-tcs", 2, "Ben")
    window.reload()
    window.resize(1360, 760)
    window.select_row("pime-vs-tcs", 2)
    assert window.edits.apply_edit("pime-vs-tcs", 2, "intervention.n", "474")
    assert window.edits.apply_edit("pime-vs-tcs", 2, "intervention.value", "50.9")
    panel = controls(window).history
    comparisons = window.comparisons_view.width()
    controls(window).history_action.trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 3)
    texts = [panel.model.data(panel.model.index(r, 1)) for r in range(panel.model.rowCount())]
    assert texts[:3] == [
        "Pimecrolimus Group: value needs confirming again: the confirmed value '50.8' became '50.9'",
        "Ben changed Pimecrolimus Group: value from '50.8' to '50.9'",
        "The row is no longer verified by Ben",
    ]
    assert "Ben entered Pimecrolimus Group: n: 474" in texts
    assert "Ben confirmed Endpoint: Flare-Free Patients, without a located source" in texts
    assert window.comparisons_view.width() >= comparisons - 2
    picture = _save(window, "history.png", tmp_path)
    assert picture.stat().st_size > 10_000
