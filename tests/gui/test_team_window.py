"""The window on a team review (issue 16): the reviewer it shows is the database user, not a name to
change; the review is named by its database."""

from __future__ import annotations

from curator.gui.app import MainWindow
from curator.services import ServerAddress
from tests.helpers import stored_demo


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
