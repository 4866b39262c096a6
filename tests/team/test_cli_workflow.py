"""The team workflow through Curator's own commands, each reviewer a process logged in as herself
(issue 16): what Curator lets through, the server still refuses, and says so in one line (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.team.team import Team
from tests.team.test_processes import run


def curator(team: Team, who: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` as ``who``: the URL names her, the password is in the environment (as
    ~/.pgpass or PGPASSWORD would give it), never in argv. ``{url}`` in ARGS is her URL."""
    url = team.server.url(team.database, team.name(who))
    argv = [a.replace("{url}", url) for a in args]
    assert team.password(who) not in " ".join(argv)
    env = {k: v for k, v in os.environ.items() if k != "CURATOR_REVIEWER"}  # refused on a team review
    env["PGPASSWORD"] = team.password(who)
    return subprocess.run(
        [sys.executable, "-m", "curator", *argv], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_double_entry_adjudication_and_the_log_through_the_commands(team: Team) -> None:
    assert run(team, "ana", "enter", "pime", "42.6") == "entered"
    # The second extractor enters it blind through `curator double-entry`: it differs.
    entered = curator(team, "cara", "double-entry", "{url}", "pime[0]", "--set", "intervention.value=41.6")
    assert entered.returncode == 0, entered.stderr
    listed = curator(team, "jo", "adjudication", "{url}", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert '"b": "41.6"' in listed.stdout
    # A verifier's decision: Curator has no rule against it; the server refuses.
    refused = curator(team, "vic", "adjudication", "{url}", "--decide", "1", "b")
    assert refused.returncode == 2
    assert "the server refused: your role (verifier) does not allow deciding adjudication items" in refused.stderr
    assert "Traceback" not in refused.stderr
    decided = curator(team, "jo", "adjudication", "{url}", "--decide", "1", "b")
    assert decided.returncode == 0, decided.stderr
    # The extractor cannot confirm her own row.
    own = curator(team, "ana", "confirm", "{url}", "pime[0]", "--field", "intervention.value")
    assert own.returncode == 2 and "a second reviewer must" in own.stderr
    # The log names each reviewer as the server knows her, and its chain is whole.
    verified = curator(team, "vic", "log", "{url}", "--verify")
    assert verified.returncode == 0, verified.stderr
    log = curator(team, "vic", "log", "{url}", "--format", "json")
    assert log.returncode == 0
    for who in ("ana", "cara", "jo"):
        assert f'"who": "{team.name(who)}"' in log.stdout
