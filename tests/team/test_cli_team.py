"""``curator team init / add-reviewer / reviewers`` (issue 16): what an administrator types.

A reviewer's password comes from a file or a prompt, never the command line; Curator hashes it
before it leaves the machine, so not even the server's statement log sees it.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from curator.cli import main
from tests.postgres import Server
from tests.team.team import Team


def can_log_in(server: Server, database: str, name: str, password: str) -> bool:
    try:
        with psycopg.connect(server.url(database, name, password)) as conn:
            return conn.execute("SELECT current_user").fetchone() == (name,)
    except psycopg.OperationalError:
        return False


def database_of(url: str) -> str:
    return url.split("?")[0].rsplit("/", 1)[1]


def no_prompt(*_: Any) -> str:
    raise AssertionError("no password should have been asked")


def test_init_makes_a_team_review_once(pg_server: Server, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["team", "init", pg_url, "--title", "Eczema trials"]) == 0
    out = capsys.readouterr().out
    database = database_of(pg_url)
    assert f"{database}_extractor, {database}_verifier, {database}_adjudicator, {database}_admin" in out
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT title FROM review").fetchone() == ("Eczema trials",)
        assert conn.execute("SELECT who, action, table_name FROM audit_log").fetchall() == [
            ("postgres", "insert", "review")
        ]
    assert main(["team", "init", pg_url, "--title", "Again"]) == 2
    assert "is a team review already" in capsys.readouterr().err
    assert main(["team", "reviewers", pg_url]) == 0
    assert "no reviewers yet" in capsys.readouterr().out
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT blind FROM curator_team").fetchone() == (True,)


def test_init_not_blind(pg_server: Server, pg_url: str) -> None:
    assert main(["team", "init", pg_url, "--title", "Open", "--not-blind"]) == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT blind FROM curator_team").fetchone() == (False,)


def test_init_refuses_an_empty_title_and_a_file(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "init", pg_url, "--title", "  "]) == 2
    assert "a team review needs a title" in capsys.readouterr().err
    assert main(["team", "init", str(tmp_path / "r.sqlite"), "--title", "T"]) == 2
    assert "a team review is named by a postgresql:// URL" in capsys.readouterr().err


def test_add_reviewer_reads_the_password_from_a_file_and_it_never_reaches_the_server(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(getpass, "getpass", no_prompt)
    with team.owner() as owner:  # the server logs every statement of this database
        owner.execute(f"ALTER DATABASE \"{team.database}\" SET log_statement = 'all'")
    secret = "correct horse battery staple"
    file = tmp_path / "pw.txt"
    file.write_text(secret + "\n")
    name = team.server.role_name("lee")
    argv = ["team", "add-reviewer", team.url, name, "--role", "verifier", "--password-file", str(file)]
    assert main(argv) == 0
    assert f"{name} added as verifier" in capsys.readouterr().out
    assert secret not in " ".join(argv)
    assert can_log_in(team.server, team.database, name, secret)
    assert not can_log_in(team.server, team.database, name, secret + "\n")
    log = (team.server.folder / "server.log").read_text(errors="replace")
    assert "curator_add_reviewer" in log and name in log  # the statement was logged...
    assert secret not in log  # ...with the password's SCRAM hash, not the password


def test_add_reviewer_asks_the_password_at_a_prompt_twice(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []

    def prompt(text: str = "") -> str:
        asked.append(text)
        return "typed at the prompt"

    monkeypatch.setattr(getpass, "getpass", prompt)
    name = team.server.role_name("pat")
    assert main(["team", "add-reviewer", team.url, name, "--role", "extractor"]) == 0
    assert asked == [f"Password for {name}: ", f"Password for {name} again: "]
    assert can_log_in(team.server, team.database, name, "typed at the prompt")

    answers = iter(["one", "two"])
    monkeypatch.setattr(getpass, "getpass", lambda _text="": next(answers))
    other = team.server.role_name("sam")
    assert main(["team", "add-reviewer", team.url, other, "--role", "extractor"]) == 2
    assert "the two passwords typed differ; nothing was written" in capsys.readouterr().err
    with team.owner() as owner:
        assert owner.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (other,)).fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--role", "boss"], "pw", "'boss' is not a role: choose extractor, verifier, adjudicator or admin"),
        (["--role", "verifier"], "", "the password file is empty"),
        (["--role", "verifier"], "\nsecond line", "the password file is empty"),
        (["--role", "verifier"], None, "no such password file"),
    ],
)
def test_add_reviewer_refuses_bad_input(
    team: Team,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    content: str | None,
    message: str,
) -> None:
    monkeypatch.setattr(getpass, "getpass", no_prompt)
    file = tmp_path / "pw.txt"
    if content is not None:
        file.write_text(content)
    name = team.server.role_name("kim")
    assert main(["team", "add-reviewer", team.url, name, *args, "--password-file", str(file)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    with team.owner() as owner:
        assert owner.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (name,)).fetchone() == (0,)


def test_only_an_administrator_adds_reviewers_and_a_name_is_taken_once(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "pw.txt"
    file.write_text("a password\n")
    name = team.server.role_name("new")
    # An extractor may not.
    assert (
        main(["team", "add-reviewer", team.url_of("ana"), name, "--role", "verifier", "--password-file", str(file)])
        == 2
    )
    err = capsys.readouterr().err
    assert f"{team.name('ana')} is not an administrator of this review" in err
    # The review's administrator may, without any right to make roles on the server.
    with team.owner() as owner:
        assert owner.execute(
            "SELECT rolcreaterole FROM pg_roles WHERE rolname = %s", (team.name("max"),)
        ).fetchone() == (False,)
    assert (
        main(["team", "add-reviewer", team.url_of("max"), name, "--role", "verifier", "--password-file", str(file)])
        == 0
    )
    capsys.readouterr()
    # A name the server has (a reviewer's, or any other role's) is refused.
    for taken in (name, "postgres"):
        assert main(["team", "add-reviewer", team.url, taken, "--role", "extractor", "--password-file", str(file)]) == 2
        assert f"the server has a role named {taken} already" in capsys.readouterr().err
    # A name that would need quoting, and a wrong password, are said plainly.
    assert (
        main(["team", "add-reviewer", team.url, "Bad Name", "--role", "extractor", "--password-file", str(file)]) == 2
    )
    assert "cannot be a reviewer's name" in capsys.readouterr().err
    wrong = team.server.url(team.database, team.name("max"), "not hers")
    assert main(["team", "reviewers", wrong]) == 2
    err = capsys.readouterr().err
    assert "the server refused the login: wrong password" in err and "not hers" not in err


def test_reviewers_lists_names_and_roles(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["team", "reviewers", team.url_of("cara")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "role"]
    rows = [line.split() for line in lines[1:]]
    assert rows == [
        [team.name("ana"), "extractor"],
        [team.name("cara"), "extractor"],
        [team.name("vic"), "verifier"],
        [team.name("jo"), "adjudicator"],
        [team.name("max"), "admin"],
    ]


def test_a_reviewer_connects_with_pgpassword_in_another_process(team: Team, tmp_path: Path) -> None:
    """`curator team` as separate processes, the password in the environment, not in the URL or argv."""
    url = team.server.url(team.database, team.name("max"))
    file = tmp_path / "pw"
    file.write_text("ned's\n")
    ned = team.server.role_name("ned")
    env = {**os.environ, "PGPASSWORD": team.password("max")}
    curator = [sys.executable, "-m", "curator"]
    added = subprocess.run(
        [*curator, "team", "add-reviewer", url, ned, "--role", "verifier", "--password-file", str(file)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(
        [*curator, "team", "reviewers", url], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert listed.returncode == 0, listed.stderr
    assert [ned, "verifier"] in [line.split() for line in listed.stdout.splitlines()]
    refused = subprocess.run(
        [*curator, "team", "reviewers", url],
        capture_output=True, text=True, env={**env, "PGPASSWORD": "wrong"}, timeout=120, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and "the server refused the login: wrong password" in refused.stderr


def test_the_log_tells_a_change_made_outside_curator(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.team.test_rules import raw_row

    monkeypatch.delenv("CURATOR_REVIEWER", raising=False)
    ana = team.connect("ana")
    row_id = raw_row(ana)
    ana.execute("UPDATE endpoint_row SET intervention_value = '43' WHERE id = %s", (row_id,))
    assert main(["log", team.url_of("vic")]) == 0
    out = capsys.readouterr().out
    ana_name = team.name("ana")
    assert f"{ana_name} added row 1 of pime with SQL, outside Curator" in out
    assert (
        f"{ana_name} changed Pimecrolimus arm: value of row 1 of pime from 42.6 to 43 with SQL, outside Curator" in out
    )


def test_a_solo_review_pushed_to_the_server_becomes_a_team_review(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its history kept and still whole; its rows entered by whom its log says."""
    monkeypatch.delenv("CURATOR_REVIEWER", raising=False)
    solo = tmp_path / "solo.sqlite"
    assert main(["--reviewer", "ana solo", "demo", str(solo)]) == 0
    assert main(["push", str(solo), pg_url]) == 0
    assert main(["team", "init", pg_url, "--title", "Now a team's"]) == 0
    capsys.readouterr()
    assert main(["log", pg_url, "--verify"]) == 0
    assert "The audit log is intact" in capsys.readouterr().out
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT DISTINCT entered_by FROM endpoint_row").fetchall() == [("ana solo",)]
        assert conn.execute("SELECT title FROM review").fetchone() == ("Now a team's",)
