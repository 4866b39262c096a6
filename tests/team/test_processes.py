"""Reviewers in separate processes, each logged in as herself (issue 16): the rules hold between
processes as within one, and the server's audit chain stays whole when they write at once."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.team.team import Team

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start(team: Team, who: str, action: str, *args: str) -> subprocess.Popen[str]:
    url = team.server.url(team.database, team.name(who))  # the password comes from the environment
    env = {**os.environ, "PGPASSWORD": team.password(who), "PYTHONPATH": ROOT}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.team.actor", action, url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip


def run(team: Team, who: str, action: str, *args: str) -> str:
    proc = start(team, who, action, *args)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out.strip()


def test_three_reviewers_in_three_processes(team: Team) -> None:
    assert run(team, "ana", "enter", "pime", "42.6") == "entered"
    # Cara, in her own process, cannot read ana's value until she has entered hers.
    assert run(team, "cara", "visible") == "[]"
    assert run(team, "cara", "double-entry", "pime", "42.60") == "matched"
    assert run(team, "cara", "visible") == "['42.6']"
    # Vic, a verifier, reads everything; ana's own verification is refused by the server.
    assert run(team, "vic", "visible") == "['42.6']"
    proc = start(team, "ana", "verify-sql")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "cannot verify or dispute its field intervention.value" in err
    with team.owner() as owner:
        whos = owner.execute("SELECT DISTINCT who FROM audit_log WHERE action = 'double-entry'").fetchall()
        assert whos == [(team.name("cara"),)]
        assert owner.execute("SELECT by FROM field_verification").fetchall() == [(team.name("cara"),)]
    run(team, "vic", "verify", "pime")
    with team.owner() as owner:
        # One record per field: vic's verification took the place of cara's.
        assert owner.execute("SELECT by FROM field_verification").fetchall() == [(team.name("vic"),)]


def test_writers_at_once_keep_one_unbroken_chain(team: Team) -> None:
    assert run(team, "ana", "enter", "a", "1") == "entered"
    assert run(team, "cara", "enter", "b", "2") == "entered"
    procs = [start(team, "ana", "edits", "a", "15"), start(team, "cara", "edits", "b", "15")]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "edited", err
    from sqlalchemy import create_engine

    from curator.store.audit import verify_chain
    from tests.team.team import sqlalchemy_url

    engine = create_engine(sqlalchemy_url(team.url_of("vic")))
    try:
        with engine.connect() as conn:
            report = verify_chain(conn)
    finally:
        engine.dispose()
    assert report.intact, report.problem
    with team.owner() as owner:
        counts = dict(
            owner.execute(
                "SELECT who, count(*) FROM audit_log WHERE field = 'intervention.value' GROUP BY who"
            ).fetchall()
        )
        ids = [i for (i,) in owner.execute("SELECT id FROM audit_log ORDER BY id")]
    assert counts == {team.name("ana"): 16, team.name("cara"): 16}
    assert ids == list(range(1, len(ids) + 1))
