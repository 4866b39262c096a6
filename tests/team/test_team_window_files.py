"""File > Export, File > Import and Review > Merge reviewer file… in the window on a team review (issue 16):
each as a reviewer logged in as herself uses it, and what it wrote is hers, as the server knows her."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from curator.gui.app import MainWindow
from curator.gui.double_checking import install
from curator.gui.export_dialog import ExportDialog
from curator.services import ReviewService
from curator.services.sources import ServerAddress
from tests.doublecheck import stored_by
from tests.gui.reviewers import controls
from tests.team.team import Team

pytestmark = pytest.mark.gui


def team_window(qtbot: Any, team: Team, who: str) -> MainWindow:
    """``who``'s window on the team review, logged in as her database user (the name given is not hers)."""
    window = MainWindow(ServerAddress(team.url_of(who)), "Someone Else")
    qtbot.addWidget(window)
    install(window)
    window.show()
    assert window.who == team.name(who)
    return window


def rows_of(team: Team, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in team.owner().execute(sql).fetchall()]


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The system's file dialog answers ``path`` (it is the platform's, not Curator's)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def test_export_on_a_team_review_writes_the_file(qtbot: Any, team: Team, tmp_path: Path) -> None:
    stored_by(team.url_of("ana"), "Ana")
    window = team_window(qtbot, team, "vic")
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    assert dialog.format() == "xlsx" and dialog.target() == Path.home() / f"{team.database}.xlsx"
    target = tmp_path / "team.xlsx"
    dialog.target_edit.setFocus()
    dialog.target_edit.selectAll()
    qtbot.keyClicks(dialog.target_edit, str(target))

    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Return)  # Export, the default button

    assert dialog.task is not None
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert dialog.message.startswith("Wrote 8 rows in 2 comparison sheets"), dialog.message
    assert target.read_bytes()[:2] == b"PK"
    assert window.statusBar().currentMessage().startswith("Wrote 8 rows in 2 comparison sheets to team.xlsx")


def test_import_on_a_team_review_is_stored_under_the_authenticated_user(
    qtbot: Any, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = stored_by(tmp_path / "ana-offline.sqlite", "Ana")
    window = team_window(qtbot, team, "ana")
    assert window.rows_model.rowCount() == 0
    choose_file(monkeypatch, source)

    window.import_action.trigger()

    qtbot.waitUntil(lambda: window.comparisons_model.rowCount() == 2, timeout=30_000)
    assert window.statusBar().currentMessage().startswith("Imported"), window.statusBar().currentMessage()
    ana = team.name("ana")
    assert rows_of(team, "SELECT DISTINCT entered_by FROM endpoint_row") == [(ana,)]
    assert rows_of(team, "SELECT DISTINCT who FROM audit_log WHERE table_name = 'endpoint_row'") == [(ana,)]
    assert rows_of(team, "SELECT count(*) FROM endpoint_row") == [(8,)]


def test_merge_on_a_team_review_sends_the_differences_to_adjudication_as_the_user(
    qtbot: Any, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_by(team.url_of("ana"), "Ana")  # Ana's extraction, on the server
    theirs = stored_by(tmp_path / "vic-offline.sqlite", "Ana", differ=True)  # Vic's copy, read differently twice
    window = team_window(qtbot, team, "vic")
    double = controls(window)
    choose_file(monkeypatch, theirs)

    double.merge_action.trigger()

    task = double.task
    assert task is not None and task.wait()
    assert double.message_box is not None
    text = double.message_box.text()
    assert "• 2 differing fields sent to adjudication (Review ▸ Adjudication)" in text.splitlines(), text
    vic = team.name("vic")
    assert rows_of(team, "SELECT field, value_a, value_b FROM adjudication_item ORDER BY id") == [
        ("intervention.value", "50.8", "58.0"),
        ("comparator.value", "34.8", "17.2"),
    ]
    assert rows_of(team, "SELECT DISTINCT opened_by FROM adjudication_item") == [(vic,)]
    assert rows_of(team, "SELECT DISTINCT who FROM audit_log WHERE action = 'open-adjudication'") == [(vic,)]
    with ReviewService.open(ServerAddress(team.url_of("jo"))) as jo:  # the adjudicator sees them
        assert len(jo.checking.adjudication_items(open_only=True)) == 2
