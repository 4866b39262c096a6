"""What the server refuses a reviewer's role is said in people's words (issue 16): which action her role
does not allow ("your role (verifier) does not allow entering rows"), in one line, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import ProgrammingError

from curator.errors import CuratorError
from curator.services import ReviewService
from curator.services.sources import ServerAddress
from curator.store.database import explain_server
from tests.team.team import Team

ADDRESS = ServerAddress("postgresql://vic@/review?host=/tmp")


class Denied(Exception):
    """What psycopg raises, as SQLAlchemy wraps it: the server's words and the statement."""


def refusal(statement: str, words: str, role: str | None = "verifier") -> str:
    exc = ProgrammingError(statement, {}, Denied(words))
    return str(explain_server(ADDRESS, exc, role=role))


@pytest.mark.parametrize(
    ("statement", "table", "action"),
    [
        ("INSERT INTO endpoint_row (position) VALUES (%(p)s)", "endpoint_row", "entering rows"),
        ("UPDATE adjudication_item SET choice=%(c)s WHERE id = 1", "adjudication_item", "deciding adjudication items"),
        (
            "INSERT INTO adjudication_item (row_id) VALUES (1)",
            "adjudication_item",
            "sending differences to adjudication",
        ),
        ("UPDATE review SET title = 'x'", "review", "changing the review's title or description"),
        ("delete from reference where id = 3", "reference", "deleting references"),
    ],
)
def test_the_action_refused_is_named_from_the_statement_and_the_table(statement: str, table: str, action: str) -> None:
    said = refusal(statement, f"permission denied for table {table}")
    assert said == f"{ADDRESS}: the server refused: your role (verifier) does not allow {action}"


def test_without_a_known_role_or_action_it_still_says_the_role_does_not_allow_it() -> None:
    assert refusal("INSERT INTO citation VALUES (1)", "permission denied for table citation", role=None) == (
        f"{ADDRESS}: the server refused: your role does not allow changing which references a row cites"
    )
    assert refusal("SELECT 1", "permission denied for function secret()", role="extractor") == (
        f"{ADDRESS}: the server refused: your role does not allow this (permission denied for function secret())"
    )
    said = refusal(
        "INSERT INTO blind_entry (row_id) VALUES (1)",
        'new row violates row-level security policy for table "blind_entry"',
        role="extractor",
    )
    assert said == f"{ADDRESS}: the server refused: your role (extractor) does not allow entering rows blind"


def test_a_verifier_adding_rows_with_the_cli_is_refused_in_one_line(team: Team, tmp_path: Path) -> None:
    from curator.cli import main

    assert main(["demo", str(tmp_path / "demo.sqlite")]) == 0
    assert main(["export", str(tmp_path / "demo.sqlite"), "-o", str(tmp_path / "demo.json")]) == 0
    env = {k: v for k, v in os.environ.items() if k != "CURATOR_REVIEWER"}
    done = subprocess.run(
        [sys.executable, "-m", "curator", "import", team.url_of("vic"), str(tmp_path / "demo.json")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert done.stderr.endswith(": the server refused: your role (verifier) does not allow adding references\n")
    assert "pw of" not in done.stderr  # never the password
    owner = team.owner()
    assert owner.execute("SELECT count(*) FROM reference").fetchone() == (0,)  # nothing half-written


def test_a_verifier_entering_a_row_is_told_her_role_does_not_allow_entering_rows(team: Team) -> None:
    from curator.review import Row

    with ReviewService.open(ServerAddress(team.url_of("ana"))) as ana:
        ana.rows.new_comparison("pime", "Pimecrolimus vs TCS", "Pimecrolimus", "TCS")
    with ReviewService.open(ServerAddress(team.url_of("vic"))) as vic:
        with pytest.raises(CuratorError) as refused:
            vic.rows.insert_row("pime", 0, Row(endpoint="Itch"))
    assert str(refused.value).endswith("the server refused: your role (verifier) does not allow entering rows")
    with ReviewService.open(ServerAddress(team.url_of("jo"))) as jo:
        with pytest.raises(CuratorError, match=r"your role \(adjudicator\) does not allow deleting comparisons$"):
            jo.rows.delete_comparison("pime")
