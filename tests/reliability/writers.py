"""Reviewers' processes writing one review at once, and one reading it (issue 15's reliability suite).

Each writer sets one field of every row of the demo review, row after row, for a number of edits or a
number of seconds, and prints the edits the review accepted (the last text of each row); the reader
reads the outline over and over, and every read must see all the rows. :func:`judge` says what went
wrong: an edit lost (a row's field is not its writer's last accepted text), an audit entry missing
or extra (one an accepted edit), a chain that does not verify. The writers edit different fields of
the same rows, so a write of a whole row over another's would show. The test runs two writers for a
few edits; ``benchmarks/reliability_long.py`` runs more, for minutes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).parents[2]
#: The field each writer edits, in turn.
FIELDS = ("note", "finding", "population", "duration")
ROWS = [("pime-vs-tcs", i) for i in range(4)] + [("pime-vs-tac", i) for i in range(4)]

WRITER = textwrap.dedent(
    """
    import json, sys, time
    from curator.errors import CuratorError
    from curator.services import ReviewService

    path, who, name, edits, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    rows = json.loads(sys.argv[6])
    accepted, refused, last, slowest = 0, [], {}, 0.0
    end = time.monotonic() + seconds
    with ReviewService.open(path, who) as service:
        i = 0
        while (i < edits) if edits else (time.monotonic() < end):
            comparison, position = rows[i % len(rows)]
            text = f"{who} {i}"
            start = time.perf_counter()
            try:
                service.rows.edit_field(comparison, position, name, text)
            except CuratorError as exc:
                refused.append(str(exc))
            else:
                accepted += 1
                last[f"{comparison}[{position}]"] = text
            slowest = max(slowest, time.perf_counter() - start)
            i += 1
    print(json.dumps({"accepted": accepted, "refused": refused, "last": last, "slowest": slowest}))
    """
)

READER = textwrap.dedent(
    """
    import json, sys, time
    from curator.services import ReviewService

    path, reads, seconds, rows = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    end = time.monotonic() + seconds
    done, slowest = 0, 0.0
    with ReviewService.open(path, "reader") as service:
        while (done < reads) if reads else (time.monotonic() < end):
            start = time.perf_counter()
            outline = service.outline()
            assert sum(c.rows for c in outline) == rows, outline
            slowest = max(slowest, time.perf_counter() - start)
            done += 1
    print(json.dumps({"reads": done, "slowest": slowest}))
    """
)


@dataclass
class Run:
    writers: int
    accepted: int
    refused: int
    reads: int
    seconds: float
    #: The slowest single edit or read, in seconds.
    slowest: float
    problems: list[str] = field(default_factory=list)
    #: What the refused edits were told (each message once).
    refusals: list[str] = field(default_factory=list)


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )


def write_at_once(review: Path, writers: int, *, edits: int = 0, seconds: float = 0.0, reads: int = 0) -> Run:
    """``writers`` writers (each ``edits`` edits, or for ``seconds``) and a reader (``reads`` reads, or for
    ``seconds``) on the demo review at ``review``, all at once; what they did and what went wrong."""
    from curator.services import ReviewService

    with ReviewService.open(review, "Zed") as service:
        before = len(service.log())
    who = [f"W{k}" for k in range(writers)]
    start = time.perf_counter()
    running = [
        _start(WRITER, str(review), who[k], FIELDS[k % len(FIELDS)], str(edits), str(seconds), json.dumps(ROWS))
        for k in range(writers)
    ]
    running.append(_start(READER, str(review), str(reads), str(seconds), str(len(ROWS))))
    said: list[Said] = []
    problems: list[str] = []
    for process in running:
        out, err = process.communicate(timeout=max(600.0, 3 * seconds))
        if process.returncode != 0:
            problems.append(f"a process failed (exit {process.returncode}): {err.strip()[-400:]}")
            said.append(Said())
        else:
            said.append(Said(**json.loads(out)))
    elapsed = time.perf_counter() - start
    run = Run(
        writers,
        sum(s.accepted for s in said[:-1]),
        sum(len(s.refused) for s in said[:-1]),
        said[-1].reads,
        elapsed,
        max(s.slowest for s in said),
        problems,
        sorted({message for s in said[:-1] for message in s.refused}),
    )
    if not problems:
        problems += judge(review, before, who, said[:-1])
    return run


@dataclass
class Said:
    """What a writer (or the reader) printed at its end."""

    accepted: int = 0
    refused: list[str] = field(default_factory=list)
    #: Each row's last accepted text: ``{"pime-vs-tcs[0]": "W1 12"}``.
    last: dict[str, str] = field(default_factory=dict)
    reads: int = 0
    slowest: float = 0.0


def judge(review: Path, before: int, who: list[str], said: list[Said]) -> list[str]:
    """What went wrong: a lost edit, an audit entry missing or extra, a chain that does not verify."""
    from curator.services import ReviewService
    from tests.helpers import stored

    problems: list[str] = []
    comparisons = {c.key: c.rows for c in stored(review).comparisons}
    for k, told in enumerate(said):
        name = FIELDS[k % len(FIELDS)]
        for where, text in told.last.items():
            key, position = where[:-1].split("[")
            stored_text = getattr(comparisons[key][int(position)], name)
            if stored_text != text:
                problems.append(f"lost update: {where} {name} is {stored_text!r}, {who[k]}'s last edit was {text!r}")
    with ReviewService.open(review, "Zed") as service:
        entries = [entry for entry, _ in service.log()][before:]
    for k, told in enumerate(said):
        name = FIELDS[k % len(FIELDS)]
        mine = [e for e in entries if e["who"] == who[k] and e["field"] == name]
        if len(mine) != told.accepted:
            problems.append(f"{who[k]}: {told.accepted} edits accepted, {len(mine)} audit entries")
    others = [e for e in entries if e["who"] not in who]
    if others:
        problems.append(f"{len(others)} audit entries by no writer")
    from tests.reliability.kills import quietly

    code, out = quietly("log", str(review), "--verify")
    if code != 0:
        problems.append(f"log --verify exit {code}: {out.strip()[:300]}")
    return problems
