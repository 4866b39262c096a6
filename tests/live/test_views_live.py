"""Working at once in verify mode and adjudication (issue 16): another reviewer's change shown within a second,
as in the window, and a verdict or decision on a value changed meanwhile refused, showing theirs and yours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.gui.adjudication_view import AdjudicationDialog
from curator.gui.app import MainWindow
from curator.gui.stale_dialog import StaleWriteDialog
from curator.gui.verify_view import VerifyDialog
from curator.services import ReviewService
from tests.doublecheck import audit_count, stored_by, table
from tests.gui.reviewers import controls, states, window_as
from tests.gui.test_adjudication_view import ben_enters_blind
from tests.live import SHOWN_WITHIN_MS

pytestmark = pytest.mark.gui

ROW = ("pime-vs-tcs", 2)  # Flare-Free Patients: Pimecrolimus Group value 50.8 (row id 3)
VALUE = "intervention.value"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def cleo_fixes(review: Path | str, value: str, expected: str = "50.8") -> None:
    """Cleo, at another window on the same review, fixes row 3's Pimecrolimus value."""
    with ReviewService.open(review, "Cleo") as other:
        other.checking.fix_field(*ROW, VALUE, value, expected=expected)


def verify(qtbot, window: MainWindow) -> VerifyDialog:  # type: ignore[no-untyped-def]
    """Verify mode from row 3, on its Pimecrolimus value (moved to with the arrow keys)."""
    window.select_row(*ROW)
    controls(window).verify_action.trigger()  # offscreen, no window has the focus a shortcut needs
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog) and dialog.current_row == ROW
    while dialog.current_field is not None and dialog.current_field.field != VALUE:
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    return dialog


def shown(dialog: VerifyDialog, field: str = VALUE) -> str | None:
    """The value verify mode shows for a field."""
    return dialog.model.states[dialog.model.row_of(field)].value


def test_verify_mode_shows_another_reviewers_fix_within_a_second_keeping_the_field(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = verify(qtbot, window)
    assert shown(dialog) == "50.8"

    cleo_fixes(review, "50.3")

    qtbot.waitUntil(lambda: shown(dialog) == "50.3", timeout=SHOWN_WITHIN_MS)
    assert dialog.current_field is not None and dialog.current_field.field == VALUE  # the place stayed
    assert dialog.current_field.state == "verified" and dialog.current_field.by == "Cleo"
    assert dialog.message.text() == "Changed by Cleo: shown as they left it"


def test_a_confirm_of_a_value_changed_meanwhile_shows_theirs_and_yours_and_keeps_theirs(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = verify(qtbot, window)
    window.live.timer.stop()  # Ben has not seen Cleo's change yet when he presses Enter
    cleo_fixes(review, "50.3")
    before = audit_count(review)

    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)

    stale = dialog.stale
    assert isinstance(stale, StaleWriteDialog) and stale.isVisible()
    assert (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "50.8")
    words = " ".join(label.text() for label in stale.findChildren(type(stale.theirs_label)))
    assert "Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs</b> was changed by Cleo at" in words
    assert "the value you confirmed as the source prints it" in words
    assert audit_count(review) == before  # nothing written

    qtbot.keyClick(stale, Qt.Key.Key_T)  # keep theirs

    assert dialog.stale is None and audit_count(review) == before
    assert shown(dialog) == "50.3" and dialog.current_field is not None and dialog.current_field.field == VALUE
    assert dialog.message.text() == "Kept theirs: Pimecrolimus Group: value is '50.3'; yours was not saved."


def test_a_fix_typed_over_a_value_changed_meanwhile_is_refused_and_apply_mine_saves_it(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = verify(qtbot, window)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "50.9")

    cleo_fixes(review, "50.3")
    qtbot.waitUntil(lambda: shown(dialog) == "50.3", timeout=SHOWN_WITHIN_MS)
    assert dialog.editor_box.isVisible() and dialog.editor.text() == "50.9"  # what Ben types stays
    before = audit_count(review)

    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)  # saved against 50.8, the value he typed over: refused

    stale = dialog.stale
    assert stale is not None, dialog.message.text()
    assert (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "50.9")
    assert audit_count(review) == before
    qtbot.keyClick(stale, Qt.Key.Key_M)  # apply mine

    field = states(review, *ROW)[VALUE]
    assert (field.value, field.state, field.by) == ("50.9", "verified", "Ben")
    assert table(review, f"SELECT who, old, new FROM audit_log WHERE action = 'update' AND field = '{VALUE}'") == [
        ("Cleo", "50.8", "50.3"),
        ("Ben", "50.3", "50.9"),
    ]
    assert not dialog.editor_box.isVisible() and dialog.counts["fixed"] == 1


def test_a_dispute_of_a_value_changed_meanwhile_can_dispute_theirs(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = verify(qtbot, window)
    window.live.timer.stop()
    qtbot.keyClick(dialog.view, Qt.Key.Key_D)
    qtbot.keyClicks(dialog.editor, "Figure 2 reads 58.0")
    cleo_fixes(review, "50.3")

    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)

    stale = dialog.stale
    assert stale is not None and (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "50.8")
    qtbot.keyClick(stale, Qt.Key.Key_M)
    field = states(review, *ROW)[VALUE]
    assert (field.value, field.state, field.by, field.comment) == ("50.3", "disputed", "Ben", "Figure 2 reads 58.0")


# -- adjudication ----------------------------------------------------------------------------


@pytest.fixture
def items(review: Path) -> Path:
    """Ana's extraction with Ben's blind entry of two rows he reads differently: two items to decide."""
    ben_enters_blind(review)
    return review


def adjudicate(window: MainWindow) -> AdjudicationDialog:
    controls(window).adjudication_action.trigger()
    dialog = window.findChild(AdjudicationDialog)
    assert isinstance(dialog, AdjudicationDialog) and dialog.isVisible()
    return dialog


def choose_b(qtbot, dialog: AdjudicationDialog, reason: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog.choice_b, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.reason, reason)


def test_adjudication_shows_another_decision_within_a_second_keeping_what_is_typed(qtbot, items: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, items, "Cleo")
    dialog = adjudicate(window)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)  # item 2, the Tacrolimus value
    assert dialog.current_item is not None and dialog.current_item.id == 2
    choose_b(qtbot, dialog, "Table 3 reads 17.2")

    with ReviewService.open(items, "Dan") as other:  # another adjudicator decides item 1
        other.checking.decide(1, "a", expected="50.8")

    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=SHOWN_WITHIN_MS)
    assert dialog.count.text() == "<b>1 open</b> adjudication item"
    assert dialog.current_item is not None and dialog.current_item.id == 2  # still on item 2
    assert dialog.choice_b.isChecked() and dialog.reason.text() == "Table 3 reads 17.2"
    assert dialog.message.text() == "Changed by Dan: shown as they left it"

    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert table(items, "SELECT id, choice, decided_by FROM adjudication_item ORDER BY id") == [
        (1, "a", "Dan"),
        (2, "b", "Cleo"),
    ]


def test_a_decision_on_a_value_changed_meanwhile_shows_theirs_and_yours(qtbot, items: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, items, "Cleo")
    dialog = adjudicate(window)
    assert "in the review now: '50.8'" in dialog.item_label.text()
    window.live.timer.stop()  # Cleo decides on what she saw, before Dan's fix shows
    with ReviewService.open(items, "Dan") as other:
        other.checking.fix_field(*ROW, VALUE, "50.3", expected="50.8")
    choose_b(qtbot, dialog, "Figure 2 reads 58.0")
    before = audit_count(items)

    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    stale = dialog.stale
    assert isinstance(stale, StaleWriteDialog) and stale.isVisible()
    assert (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "58.0")
    words = " ".join(label.text() for label in stale.findChildren(type(stale.theirs_label)))
    assert "was changed by Dan at" in words and "your decision, B (Ben), over '50.8'" in words
    assert audit_count(items) == before and dialog.model.rowCount() == 2  # nothing decided

    qtbot.keyClick(stale, Qt.Key.Key_T)  # keep theirs: the item stays open, shown as it is now
    assert dialog.current_item is not None and dialog.current_item.id == 1 and dialog.current_item.is_open
    assert "in the review now: '50.3'" in dialog.item_label.text()

    choose_b(qtbot, dialog, "Figure 2 reads 58.0")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # decided on what is shown now: accepted
    assert dialog.stale is None
    assert table(items, "SELECT choice, final, decided_by FROM adjudication_item WHERE id = 1") == [
        ("b", "58.0", "Cleo")
    ]
    assert states(items, *ROW)[VALUE].value == "58.0"


def test_apply_mine_decides_over_their_change(qtbot, items: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, items, "Cleo")
    dialog = adjudicate(window)
    window.live.timer.stop()
    with ReviewService.open(items, "Dan") as other:
        other.checking.fix_field(*ROW, VALUE, "50.3", expected="50.8")
    choose_b(qtbot, dialog, "Figure 2 reads 58.0")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    stale = dialog.stale
    assert stale is not None

    qtbot.keyClick(stale, Qt.Key.Key_M)

    assert table(items, "SELECT choice, final, decided_by FROM adjudication_item WHERE id = 1") == [
        ("b", "58.0", "Cleo")
    ]
    assert states(items, *ROW)[VALUE].value == "58.0" and dialog.model.rowCount() == 1


# -- on a PostgreSQL review ----------------------------------------------------------------------


@pytest.fixture
def team_review(pg_url: str) -> str:
    """Ana's extraction of the demo review, on the server."""
    from curator.services.sources import open_review
    from curator.store.repository import add_content
    from tests.doublecheck import review_by

    with open_review(pg_url) as db, db.session() as session:
        add_content(session, review_by("Ana"), "Ana")
    return pg_url


def server_window(qtbot, url: str, who: str) -> MainWindow:  # type: ignore[no-untyped-def]
    """``who``'s window on the team review, logged in as her own database user, double-checking installed."""
    from curator.gui.double_checking import install
    from curator.services.sources import ServerAddress
    from tests.backends import as_reviewer

    window = MainWindow(ServerAddress(as_reviewer(url, who)), who)
    qtbot.addWidget(window)
    install(window)
    window.show()
    return window


def test_on_the_server_verify_mode_shows_a_fix_at_once_and_a_fix_over_it_shows_theirs_and_yours(
    qtbot, team_review: str
) -> None:  # type: ignore[no-untyped-def]
    from curator.services.sources import ServerAddress
    from tests.backends import as_reviewer

    window = server_window(qtbot, team_review, "Ben")
    assert window.live.listener is not None
    window.live.timer.stop()  # no polling: the server's notification brings the change
    dialog = verify(qtbot, window)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "50.9")

    with ReviewService.open(ServerAddress(as_reviewer(team_review, "Cleo"))) as other:
        other.checking.fix_field(*ROW, VALUE, "50.3", expected="50.8")

    qtbot.waitUntil(lambda: shown(dialog) == "50.3", timeout=SHOWN_WITHIN_MS)
    assert dialog.editor.text() == "50.9"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    stale = dialog.stale
    assert stale is not None and (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "50.9")
    words = " ".join(label.text() for label in stale.findChildren(type(stale.theirs_label)))
    assert "was changed by Cleo at" in words
    qtbot.keyClick(stale, Qt.Key.Key_M)
    assert table(team_review, "SELECT intervention_value FROM endpoint_row WHERE id = 3") == [("50.9",)]
    assert table(team_review, f"SELECT who, old, new FROM audit_log WHERE field = '{VALUE}' AND action = 'update' "
                 "ORDER BY id") == [("Cleo", "50.8", "50.3"), ("Ben", "50.3", "50.9")]  # fmt: skip
    window.close()


def test_on_the_server_a_decision_on_a_value_changed_meanwhile_is_refused(qtbot, team_review: str) -> None:  # type: ignore[no-untyped-def]
    from curator.services.sources import ServerAddress
    from tests.backends import as_reviewer

    with ReviewService.open(ServerAddress(as_reviewer(team_review, "Ben"))) as ben:
        ben.checking.double_entry(*ROW, {VALUE: "58.0"})
    window = server_window(qtbot, team_review, "Cleo")
    dialog = adjudicate(window)
    assert dialog.model.rowCount() == 1
    window.live.timer.stop()
    window.live.stop()  # Cleo decides on what she saw: Dan's fix does not show first
    with ReviewService.open(ServerAddress(as_reviewer(team_review, "Dan"))) as dan:
        dan.checking.fix_field(*ROW, VALUE, "50.3", expected="50.8")
    choose_b(qtbot, dialog, "Figure 2 reads 58.0")

    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    stale = dialog.stale
    assert stale is not None and (stale.theirs_label.text(), stale.yours_label.text()) == ("50.3", "58.0")
    assert table(team_review, "SELECT decided_by FROM adjudication_item") == [(None,)]
    qtbot.keyClick(stale, Qt.Key.Key_M)
    assert table(team_review, "SELECT choice, final, decided_by FROM adjudication_item") == [("b", "58.0", "Cleo")]
    window.close()
