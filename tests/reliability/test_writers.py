"""Two reviewers' processes writing one review at once, and a third reading it: no edit is lost, none
is half-written, and every one has its audit entry (issue 15's reliability suite, in small)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from curator.services import ReviewService
from tests.helpers import stored, stored_demo

EDITS = 40

_WRITER = textwrap.dedent(
    """
    import sys
    from curator.services import ReviewService

    path, who, comparison = sys.argv[1], sys.argv[2], sys.argv[3]
    with ReviewService.open(path, who) as service:
        for i in range({edits}):
            service.rows.edit_field(comparison, i % 4, "note", f"{{who}} {{i}}")
    """
).format(edits=EDITS)

_READER = textwrap.dedent(
    """
    import sys
    from curator.services import ReviewService

    with ReviewService.open(sys.argv[1], "reader") as service:
        for _ in range(60):
            outline = service.outline()
            assert sum(c.rows for c in outline) == 8, outline
    """
)


def _run(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )


def test_two_writers_and_a_reader_at_once_lose_nothing(tmp_path: Path) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    with ReviewService.open(review, "Ana") as service:
        before = len(service.log())
    running = [
        _run(_WRITER, str(review), "Ana", "pime-vs-tcs"),
        _run(_WRITER, str(review), "Ben", "pime-vs-tac"),
        _run(_READER, str(review)),
    ]
    for process in running:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    rows = {c.key: c.rows for c in stored(review).comparisons}
    # Each writer's last edit of each row is what is stored: nothing lost, nothing from the other.
    for key, who in (("pime-vs-tcs", "Ana"), ("pime-vs-tac", "Ben")):
        assert [r.note for r in rows[key]] == [f"{who} {EDITS - 4 + i}" for i in range(4)]
    with ReviewService.open(review, "Zed") as service:
        entries = [entry for entry, _ in service.log()][before:]
    notes = [e for e in entries if e["field"] == "note"]
    assert len(notes) == 2 * EDITS  # one audit entry an edit, none lost
    assert {e["who"] for e in notes} == {"Ana", "Ben"}
