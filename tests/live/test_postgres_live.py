"""Working at once on a PostgreSQL review (issue 16): stale writes refused, and a change in another process
shown in an open window within a second, the window woken by the server's NOTIFY (its poll stopped)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from curator.errors import StaleWrite
from curator.gui.app import MainWindow
from curator.services import ReviewService
from curator.services.sources import ServerAddress, open_review
from curator.store.repository import add_content
from tests.backends import as_reviewer
from tests.doublecheck import review_by
from tests.live import SHOWN_WITHIN_MS
from tests.live.test_window_live import cell


@pytest.fixture
def review(pg_url: str) -> str:
    """Ana's extraction of the demo review, on the server."""
    with open_review(pg_url) as db, db.session() as session:
        add_content(session, review_by("Ana"), "Ana")
    return pg_url


def curator(*args: str) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` in another process, as the database user of the URL (no typed reviewer on a server)."""
    env = {k: v for k, v in os.environ.items() if k != "CURATOR_REVIEWER"}
    return subprocess.run(
        [sys.executable, "-m", "curator", *args], capture_output=True, text=True, check=False, env=env
    )


def test_fix_expect_on_a_moved_value_is_refused_with_both_values(review: str) -> None:
    done = curator("fix", review, "pime-vs-tcs[2]", "--field", "intervention.value", "--value", "50.3",
                   "--expect", "50.80")  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not fixed to '50.3': it is now '50.8', not '50.80' as this change expected" in done.stderr
    done = curator("fix", review, "pime-vs-tcs[2]", "--field", "intervention.value", "--value", "50.3",
                   "--expect", "50.8")  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_verdict_on_a_value_another_process_changed_is_refused(review: str) -> None:
    with ReviewService.open(ServerAddress(review)) as mine:
        seen = mine.rows.row("pime-vs-tcs", 2)
        done = curator("fix", review, "pime-vs-tcs[2]", "--field", "intervention.value", "--value", "50.3")
        assert done.returncode == 0, done.stderr
        with pytest.raises(StaleWrite, match="it is now '50.3', not '50.8'"):
            mine.checking.verify_field("pime-vs-tcs", 2, "intervention.value", expected="50.8")
        with pytest.raises(StaleWrite, match="the row was not deleted: it is now '50.3', not '50.8'"):
            mine.rows.delete_row("pime-vs-tcs", 2, expected=seen)
        changes = mine.live.changes(0)
        assert ("pime-vs-tcs", 2) in changes.rows


def test_a_change_in_another_process_shows_at_once_woken_by_notify(qtbot, review: str) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ServerAddress(as_reviewer(review, "Ben")), "Ben")  # a reviewer who logs in with a password
    qtbot.addWidget(window)
    window.show()
    assert window.live.listener is not None and window.live.listener.running  # its own login, password and all
    window.live.timer.stop()  # no polling: only the server's notification can bring the change
    window.select_row("pime-vs-tcs", 2, 1)
    assert cell(window, 2, "intervention.value") == "50.8"

    done = curator("fix", review, "pime-vs-tcs[2]", "--field", "intervention.value", "--value", "50.3")
    assert done.returncode == 0, done.stderr

    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    assert window.current_position() == 2
    listener = window.live.listener
    window.close()
    assert not listener.running  # stopped with the window: no thread left behind
    window.live.woken.emit()  # a wake the listener queued just before it stopped
    pool = window.service.db.engine.pool
    assert pool.checkedin() + pool.checkedout() == 0  # no connection opened again, to be left open


def test_a_save_over_their_change_on_the_server_shows_theirs_and_yours(qtbot, review: str) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ServerAddress(review), "postgres")
    qtbot.addWidget(window)
    window.show()
    window.select_row("pime-vs-tcs", 2)
    edit = window.row_form.edits["intervention.value"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "50.9")
    done = curator("fix", review, "pime-vs-tcs[2]", "--field", "intervention.value", "--value", "50.3")
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)

    qtbot.keyClick(edit, Qt.Key.Key_Return)

    dialog = window.stale_writes.dialog
    assert dialog is not None
    assert (dialog.theirs_label.text(), dialog.yours_label.text()) == ("50.3", "50.9")
    qtbot.keyClick(dialog, Qt.Key.Key_M)
    assert cell(window, 2, "intervention.value") == "50.9"
    window.close()
