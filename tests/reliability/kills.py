"""kill -9 in the middle of an import or an export, and what Curator must leave behind (issue 15's
reliability suite).

:func:`kill_import` runs ``curator import`` in a process of its own (into a new file, or ``--replace``
into an existing review) and kills it after a given time; :func:`kill_export` does the same to
``curator export``. Each says what it found afterwards, as an :class:`Outcome` whose ``problems`` must
be empty: an import is all or nothing (the review as before, or complete; a new file absent or
complete), the file is sound (``PRAGMA integrity_check``), its audit chain verifies, it still takes
work, and nothing stray lies beside it (a new review's hidden temporary file only until the next
import); an export leaves its target as it was or complete, and the next export leaves no hidden
temporary file. The tests kill a few; ``benchmarks/reliability_long.py`` kills many, at random moments.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from curator.cli import main

ROOT = Path(__file__).parents[2]
SIDE = ("-wal", "-shm", "-journal")


@dataclass
class Outcome:
    what: str
    after: float
    #: The process was still running when it was killed (else it had finished: nothing to judge but the end).
    killed: bool
    #: What was found: "as before", "complete", "absent", "empty review", "old", "temp left, swept".
    state: str
    seconds: float
    problems: list[str] = field(default_factory=list)


def quietly(*args: str) -> tuple[int, str]:
    """``curator ARGS`` in this process, its output kept: exit status and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue()


def big_exchange_file(folder: Path, copies: int) -> Path:
    """The demo review's exchange file with each comparison's rows repeated ``copies`` times: a file
    that takes a while to import (8 × ``copies`` rows)."""
    from tests.helpers import stored_demo

    demo = stored_demo(folder / "big-source.sqlite")
    out = folder / "big-source.json"
    assert quietly("export", str(demo), "-o", str(out))[0] == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data.pop("x-audit-head", None)
    for comparison in data["comparisons"]:
        comparison["rows"] = comparison["rows"] * copies
    big = folder / f"big-{copies}.json"
    big.write_text(json.dumps(data), encoding="utf-8")
    return big


def rows(path: Path) -> int:
    """How many rows the review at ``path`` holds; asserts the file is sound."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(raw.execute("SELECT COUNT(*) FROM endpoint_row").fetchone()[0])
    finally:
        raw.close()


def killed_after(after: float, *args: str) -> bool:
    """Run ``curator ARGS`` in its own process and kill -9 it after ``after`` seconds; whether it was
    still running then."""
    process = subprocess.Popen(
        [sys.executable, "-m", "curator", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        return True
    return False


_KILLED_IN = """
import os, signal, sys
import {module} as target
def kill(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
setattr(target, {name!r}, kill)
from curator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def killed_in(module: str, name: str, *args: str) -> int:
    """Run ``curator ARGS`` in its own process, killed -9 the moment it calls ``module.name``; its exit
    status (``-SIGKILL`` when it got there)."""
    code = _KILLED_IN.format(module=module, name=name)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    return done.returncode


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _sound(review: Path, problems: list[str]) -> int | None:
    """The review's rows, after checking it is sound and its audit chain verifies (None: unreadable)."""
    try:
        count = rows(review)
    except (AssertionError, sqlite3.DatabaseError) as exc:
        problems.append(f"integrity_check failed: {exc}")
        return None
    code, said = quietly("log", str(review), "--verify")
    if code != 0:
        problems.append(f"log --verify exit {code}: {said.strip()[:200]}")
    return count


def kill_import(folder: Path, source: Path, expected: int, after: float, *, into: Path | None = None) -> Outcome:
    """Import ``source`` (``expected`` rows) into a new file in the empty ``folder``, or with ``--replace``
    into a copy of the review ``into``, killed after ``after`` seconds; then judge what is left, and that
    the review still takes work (the demo imported over it)."""
    from tests.helpers import DEMO

    target = folder / "target.sqlite"
    assert not any(folder.iterdir()), "a kill is judged in a folder of its own"
    before = None
    if into is not None:
        shutil.copyfile(into, target)
        before = rows(target)
    args = ["import", str(target), str(source)] + (["--replace"] if into is not None else [])
    start = time.perf_counter()
    killed = killed_after(after, *args)
    seconds = time.perf_counter() - start
    problems: list[str] = []
    # A new review is made under a hidden name and renamed when whole: a kill may leave that (and its
    # side files), for the next write of the review to remove; nothing else may lie beside it.
    temporary = re.compile(re.escape(f".{target.name}.") + r"\d+-[0-9a-f]{8}\.tmp(-wal|-shm|-journal)?")
    left = {n for n in _listing(folder) - {target.name} if temporary.fullmatch(n)}
    stray = _listing(folder) - {target.name, *(target.name + s for s in SIDE)} - left
    if stray:
        problems.append(f"left beside the review: {sorted(stray)}")
    if not target.exists():
        state = "absent"
        if into is not None:
            problems.append("the review is gone")
        side = {target.name + s for s in SIDE} & _listing(folder)
        if side:
            problems.append(f"no review, but its {sorted(side)}")
    else:
        count = _sound(target, problems)
        state = {before: "as before", expected: "complete"}.get(count, f"{count} rows")
        if count not in (before, expected):
            problems.append(f"not all or nothing: {count} rows (before: {before or 'no file'}, complete {expected})")
    if left:
        state += ", temp left"
    code, said = quietly("import", str(target), str(DEMO), "--replace")
    if code != 0:
        problems.append(f"no longer takes work: import exit {code}: {said.strip()[:200]}")
    elif (count := _sound(target, problems)) != 8:
        problems.append(f"the import after the kill holds {count} rows, not 8")
    after_next = _listing(folder) - {target.name, *(target.name + s for s in SIDE)}
    if after_next:
        problems.append(f"left after the next import: {sorted(after_next)}")
    what = "import --replace" if into is not None else "import (new file)"
    return Outcome(what, after, killed, state, seconds, problems)


def kill_export(review: Path, target: Path, after: float) -> Outcome:
    """Export ``review`` to ``target`` (which holds an earlier export) killed after ``after`` seconds:
    the target as it was or complete; a hidden temporary file a killed writer left is gone after the
    next export, which must succeed."""
    old = target.read_bytes()
    others = _listing(target.parent) - {target.name}
    start = time.perf_counter()
    killed = killed_after(after, "export", str(review), "-o", str(target))
    seconds = time.perf_counter() - start
    problems: list[str] = []
    now = target.read_bytes() if target.exists() else None
    if now is None:
        problems.append("the earlier export is gone")
        state = "absent"
    elif now == old:
        state = "old"
    else:
        state = "complete" if _complete(target) else "damaged"
        if state == "damaged":
            problems.append("the target holds a damaged export")
    left = _listing(target.parent) - others - {target.name}
    if left:
        if any(not (n.startswith(f".{target.name}.") and n.endswith(".tmp")) for n in left):
            problems.append(f"left beside the target: {sorted(left)}")
        state += ", temp left"
    code, said = quietly("export", str(review), "-o", str(target))
    if code != 0:
        problems.append(f"the next export failed: exit {code}: {said.strip()[:200]}")
    left = _listing(target.parent) - others - {target.name}
    if left:
        problems.append(f"left after the next export: {sorted(left)}")
    return Outcome(f"export {target.suffix[1:]}", after, killed, state, seconds, problems)


def _complete(target: Path) -> bool:
    try:
        if target.suffix == ".json":
            data = json.loads(target.read_text(encoding="utf-8"))
            return bool(data["format"].startswith("curator/")) and "x-audit-head" in data
        with zipfile.ZipFile(target) as z:
            return z.testzip() is None and "xl/workbook.xml" in z.namelist()
    except (ValueError, KeyError, zipfile.BadZipFile, OSError):
        return False
