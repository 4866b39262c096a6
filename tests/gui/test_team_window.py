"""The window on a team review (issue 16): the reviewer it shows is the database user, not a name to
change; the review is named by its database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit

from curator.gui.app import MainWindow
from curator.services import ServerAddress
from tests.helpers import stored_demo
from tests.postgres import Server


def test_the_window_on_a_team_review_shows_the_database_user(qtbot, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    stored_demo(pg_url)
    window = MainWindow(ServerAddress(pg_url), "Ana")
    qtbot.addWidget(window)
    window.show()
    assert window.status_who.text() == "Reviewer: postgres"
    assert not window.status_who.isEnabled()  # the server said who she is: not a name typed here
    assert window.status_file.text() == pg_url.split("?")[0].rsplit("/", 1)[1]
    assert window.status_file.toolTip() == pg_url
    assert window.rows_model.rowCount() == 4
    # An edit is recorded under the database user, whatever name the window was given.
    window.set_reviewer("Someone Else")
    assert window.who == "postgres" and window.status_who.text() == "Reviewer: postgres"
    window.close()


def _input_dialog(window: MainWindow) -> QInputDialog:
    (dialog,) = [d for d in window.findChildren(QInputDialog) if d.isVisible()]
    return dialog


def test_file_open_team_review_asks_the_address_then_the_password(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, pg_server: Server, pg_url: str
) -> None:
    stored_demo(pg_url)
    name = pg_server.role_name("ana")
    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    pg_server.sql(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD 'her secret'")
    try:
        window = MainWindow(stored_demo(tmp_path / "mine.sqlite"), "Ana")
        qtbot.addWidget(window)
        window.show()
        assert window.status_who.isEnabled()
        window.open_team_action.trigger()
        line = _input_dialog(window).findChild(QLineEdit)
        line.selectAll()
        qtbot.keyClicks(line, pg_server.url(database, name))  # no password in it
        qtbot.keyClick(line, Qt.Key.Key_Return)
        asked = _input_dialog(window)  # the server asks for one
        assert asked.labelText() == f"The password of {name} on the server of {database}:"
        secret = asked.findChild(QLineEdit)
        assert secret.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(secret, "her secret")
        qtbot.keyClick(secret, Qt.Key.Key_Return)
        assert window.status_who.text() == f"Reviewer: {name}" and not window.status_who.isEnabled()
        assert window.status_file.text() == database and "her secret" not in window.status_file.toolTip()
        window.close()
    finally:
        pg_server.sql(f"DROP OWNED BY {name}", database)
        pg_server.sql(f"DROP ROLE {name}")
