"""The pictures in docs/, taken from the real window on the demo review.

Each test checks what the picture must show; ``CURATOR_SCREENSHOTS=1``
also writes it to docs/ (look at it before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from curator.gui.app import MainWindow

DOCS = Path(__file__).parents[2] / "docs"


def _save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    target = DOCS / name if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path / name
    QApplication.processEvents()  # let the layouts take the labels' new sizes
    assert widget.grab().save(str(target))
    return target


def _tacrolimus_row_with_a_bad_n(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Cleo has verified some of the row's fields; Ben types a bad n."""
    from curator.store.verification import verify_field

    with window.service.db.session() as session:
        for name in ("endpoint", "measure", "unit", "higher_is_better", "intervention.value"):
            verify_field(session, "pime-vs-tac", 0, name, "Cleo")
    window.reload()
    window.resize(1500, 820)
    window.comparisons_view.selectRow(1)
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 3))
    edit = window.row_form.edits["intervention.n"]
    edit.setFocus()
    qtbot.keyClicks(edit, "forty")
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_main_window_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tacrolimus_row_with_a_bad_n(qtbot, window)
    assert window.findings_label.text() == "<b>Findings</b> in this comparison: 3"
    assert window.row_form.message.text() == 'Pimecrolimus 1% Cream arm: n: "forty" is not a whole number'
    picture = _save(window, "main-window.png", tmp_path)
    assert picture.stat().st_size > 20_000


def test_row_form_with_a_finding_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tacrolimus_row_with_a_bad_n(qtbot, window)
    form = window.row_form
    texts = [form.findings.item(i).text() for i in range(form.findings.count())]
    assert any("versus" in t for t in texts)
    assert form.state_of("intervention.value") == "✓" and form.state_of("intervention.n") == ""
    form.findings.setCurrentRow(0)
    assert form.accept_button.isEnabled()
    _save(form, "row-form-finding.png", tmp_path)
