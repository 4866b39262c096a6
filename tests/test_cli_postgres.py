"""The command line on a team review: a ``postgresql://`` URL wherever a review file is taken (issue 16)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.backends import libpq_url
from tests.helpers import DEMO, run
from tests.postgres import Server


@pytest.fixture(autouse=True)
def _no_typed_reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a team review the reviewer is the database user: no name is typed (conftest sets one)."""
    monkeypatch.delenv("CURATOR_REVIEWER", raising=False)


def _without_head(text: str) -> str:
    return re.sub(r',\n  "x-audit-head": "[0-9a-f]{64}"\n}\n\Z', "\n}\n", text)


def test_import_check_export_info_and_log_work_on_a_team_review_as_on_a_file(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "review.sqlite"
    code, out, err = run(capsys, "import", pg_url, str(DEMO))
    assert (code, err) == (0, "")
    assert out.startswith("Imported ") and out.rstrip().endswith(f"into {pg_url}")
    assert run(capsys, "import", str(file), str(DEMO))[0] == 0

    on_server, on_file = run(capsys, "check", pg_url), run(capsys, "check", str(file))
    assert on_server[0] == on_file[0] and on_server[1].replace(pg_url, "REVIEW") == on_file[1].replace(
        str(file), "REVIEW"
    )

    assert run(capsys, "export", pg_url, "-o", str(tmp_path / "server.json"))[0] == 0
    assert run(capsys, "export", str(file), "-o", str(tmp_path / "file.json"))[0] == 0
    server_json = (tmp_path / "server.json").read_text()
    assert _without_head(server_json) == _without_head((tmp_path / "file.json").read_text())
    assert '"x-audit-head"' in server_json  # the server's chain head, as a file's

    code, out, _ = run(capsys, "info", pg_url)
    assert code == 0 and f"Source:       {pg_url}" in out and "Rows:         8" in out

    code, out, _ = run(capsys, "log", pg_url, "--verify")
    assert code == 0
    assert re.fullmatch(
        r"The audit log is intact: \d+ entries, every one fits its chain; head [0-9a-f]{64} "
        r"\(entry \d+, [0-9: -]+\.\d+ UTC, by postgres\)\.\n",
        out,
    )
    code, out, _ = run(capsys, "log", pg_url, "--format", "json")
    assert code == 0 and {entry["who"] for entry in json.loads(out)} == {"postgres"}


def test_a_typed_reviewer_is_refused_on_a_team_review(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "--reviewer", "Ana", "import", pg_url, str(DEMO))
    assert (code, out) == (2, "")
    assert err == (
        f"curator: {pg_url}: --reviewer is refused on a team review: the audit log records the database user "
        "you log in as (the URL's user), never a typed name\n"
    )
    monkeypatch.setenv("CURATOR_REVIEWER", "Ana")
    code, out, err = run(capsys, "import", pg_url, str(DEMO))
    assert code == 2 and "$CURATOR_REVIEWER is refused on a team review" in err and "unset CURATOR_REVIEWER" in err
    # Nothing was made: the database is still empty, not a review.
    code, _, err = run(capsys, "info", pg_url)
    assert code == 2 and err == f"curator: {pg_url}: is an empty database, not a Curator review\n"


def test_a_reviewer_logged_in_is_recorded_and_her_password_never_shown(
    pg_server: Server, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", pg_url, str(DEMO))[0] == 0
    name = pg_server.role_name("ana")
    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    pg_server.sql(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD 'open sesame'")
    try:
        url = pg_server.url(database, name, "open sesame")
        code, out, err = run(capsys, "fix", url, "pime-vs-tcs[0]", "--field", "intervention.value", "--value", "42.7")
        assert code == 0, err
        code, out, err = run(capsys, "info", url)
        assert code == 0 and "open sesame" not in out + err and f"Source:       {pg_server.url(database, name)}" in out
        code, out, _ = run(capsys, "log", url, "--format", "json")
        assert json.loads(out)[-1]["who"] == name
        code, out, err = run(capsys, "info", pg_server.url(database, name, "wrong"))
        assert code == 2 and "wrong" not in err.replace("wrong password", "")
        assert err.endswith(f"the server refused the login: wrong password for user {name}, or no such user\n")
    finally:
        pg_server.sql(f"DROP OWNED BY {name}", database)
        pg_server.sql(f"DROP ROLE {name}")


def test_a_server_that_cannot_be_reached_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://ana:secret@/review?host={tmp_path}&port=5432"
    code, out, err = run(capsys, "check", url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err and "secret" not in err
    assert err.startswith("curator: postgresql://ana@/review?host=") and "cannot reach the PostgreSQL server" in err


def test_libpq_takes_the_url_the_tests_give(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(pg_url)) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_gui_refuses_a_typed_reviewer_on_a_team_review_before_any_window(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--reviewer", "Ana", "gui", pg_url)
    assert (code, out) == (2, "") and "--reviewer is refused on a team review" in err


def test_compare_takes_a_team_review_beside_a_file(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", pg_url, str(DEMO))[0] == 0
    code, out, err = run(capsys, "compare", pg_url, str(DEMO))
    assert (code, err) == (0, "")


def test_log_verify_catches_an_entry_changed_on_the_server_behind_curators_back(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A superuser who sets the triggers aside and rewrites an entry: --verify tells (exit 1)."""
    import psycopg

    assert run(capsys, "import", pg_url, str(DEMO))[0] == 0
    with psycopg.connect(libpq_url(pg_url), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute("UPDATE audit_log SET who = 'mallory' WHERE id = 3")
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
    code, out, _ = run(capsys, "log", pg_url, "--verify")
    assert code == 1
    assert out.startswith("The audit log has been tampered with: entry 3 (") and "by mallory) does not fit" in out


def test_ids_given_by_an_import_leave_the_servers_sequence_after_them(pg_url: str) -> None:
    """Rows go in with their ids given (the bulk path): the next row the server numbers comes after them."""
    import psycopg

    from curator.demo import demo_review
    from curator.services import ReviewService

    with ReviewService.open(pg_url, create=True) as review:
        review.import_reviews([demo_review()])
        review.rows.insert_row("pime-vs-tcs", 0, review.rows.blank_row())
    with psycopg.connect(libpq_url(pg_url)) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM endpoint_row ORDER BY id").fetchall()]
    assert ids == list(range(1, 10))


def test_push_a_file_to_the_server_and_pull_it_back_with_the_same_history(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lead's pull and push (issue 16, item 5) on a real server: the store takes the URL."""
    solo = tmp_path / "solo.sqlite"
    assert run(capsys, "import", str(solo), str(DEMO))[0] == 0
    code, out, err = run(capsys, "push", str(solo), pg_url)
    assert code == 0, err
    assert out.startswith("pushed 2 comparisons, 8 rows, 17 references and ")
    mine = tmp_path / "mine.sqlite"
    code, _, err = run(capsys, "pull", pg_url, "-o", str(mine))
    assert code == 0, err
    head = run(capsys, "log", pg_url, "--verify", "--format", "json")[1]
    server_head = json.loads(head)["head"]["hash"]
    code, out, _ = run(capsys, "log", str(mine), "--verify", "--head", server_head)
    assert code == 0 and f"The head {server_head} is entry" in out
