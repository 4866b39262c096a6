"""The reliability suite's long run: every area of ``tests/reliability`` at larger numbers, one table.

    .venv/bin/python -m benchmarks.reliability_long [PER_KIND] [SEED] [--only AREA ...]
        [--import-kills N] [--export-kills N] [--writers K] [--seconds T] [--tamperings N] [--turns N]

The areas, each run by the helper module its test uses (so the long run checks what the test checks):

* ``mutants`` (:mod:`tests.reliability.mutants`): PER_KIND damaged files of each kind Curator imports
  (default 300); failed: a crash (exit 3) or a refusal that changed the review.
* ``import-kills`` (:mod:`tests.reliability.kills`): N imports (default 30; half into a new file, half
  ``--replace`` into a review) of a large exchange file, each killed -9 at a random moment; failed: half
  an import, ``PRAGMA integrity_check`` or ``log --verify`` not ok, no longer writable, a file left
  beside the review (a ``.tmp``, or a ``-wal``/``-shm`` with no review).
* ``export-kills`` (same module): N exports of each kind (json, xlsx; default 10), killed at a random
  moment; failed: the earlier export neither kept nor replaced by a complete one, or a hidden temporary
  file still there after the next export.
* ``writers`` (:mod:`tests.reliability.writers`): K writers (default 3) editing one review and a
  reader, for T seconds (default 120); failed: an edit lost, audit entries not one an accepted edit, a
  chain that does not verify, a read that did not see every row.
* ``tampering`` (:mod:`tests.reliability.tampering`): N attacks on the audit log (default 50), each way
  in turn at a random entry of a longer history; failed: the database took it with its triggers
  standing, or ``log --verify`` (``--head`` for a chain rewritten to fit) did not name the right entry.
* ``injection`` (:mod:`tests.reliability.injection`): N turns (default all 19) of the formula payloads,
  each turn every payload in a field, over every text field an import fills; failed: a formula in
  the exported workbook, or a payload not there as its text.

Prints what each area found, then the table; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.reliability.kills import Outcome as Killed
    from tests.reliability.tampering import Tampering

AREAS = ("mutants", "import-kills", "export-kills", "writers", "tampering", "injection")


@dataclass
class Area:
    name: str
    tried: int
    failed: int
    means: str
    slowest: str
    seconds: float = 0.0


def _quiet() -> contextlib.ExitStack:
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
    return stack


def mutants_area(folder: Path, per_kind: int, seed: int) -> Area:
    from tests.helpers import stored_demo
    from tests.reliability.mutants import Outcome, mutants, sound_files, try_one

    with _quiet():
        sound = sound_files(folder)
        review = stored_demo(folder / "review.sqlite")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for mutant in mutants(sound, per_kind, seed):
        with _quiet():
            outcome = try_one(folder, review, *mutant)
        by_kind[outcome.kind].append(outcome)
    bad = 0
    for kind, outcomes in by_kind.items():
        codes = Counter(o.code for o in outcomes)
        crashed = sum(n for code, n in codes.items() if code not in (0, 1, 2))
        written = sum(not o.unchanged for o in outcomes)
        slowest = max(outcomes, key=lambda o: o.seconds)
        bad += crashed + written
        print(
            f"{kind:10} {len(outcomes):5} files: taken {codes[0]:4}, in part {codes[1]:4}, refused {codes[2]:4}, "
            f"crashed {crashed}, refusals that wrote {written}; slowest {slowest.seconds:.2f} s ({slowest.mutant})"
        )
        for o in outcomes:
            if o.code not in (0, 1, 2) or not o.unchanged:
                print(f"    {o}")
    every = [o for outcomes in by_kind.values() for o in outcomes]
    worst = max(every, key=lambda o: o.seconds)
    return Area(
        "damaged files",
        len(every),
        bad,
        "exit 3 (a crash), or a refusal that changed the review",
        f"{worst.seconds:.2f} s ({worst.kind} {worst.mutant})",
    )


def _timed(args: list[str]) -> float:
    import subprocess

    from tests.reliability.kills import ROOT

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "curator", *args], cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - start


def _report_kills(outcomes: list[tuple[Killed, float]], label: Callable[[Killed], str]) -> tuple[int, str]:
    """Print how many kills left each state, and each one that failed; how many failed, and the slowest."""
    states: Counter[str] = Counter()
    bad = 0
    for outcome, _ in outcomes:
        states[label(outcome)] += 1
        if outcome.problems:
            bad += 1
            print(f"    FAILED {outcome}")
    for what, n in sorted(states.items()):
        print(f"    {n:3} {what}")
    worst, seconds = max(outcomes, key=lambda o: o[1])
    return bad, f"{seconds:.2f} s ({worst.what} killed at {worst.after:.2f} s, then judged)"


def import_kills_area(folder: Path, count: int, copies: int, rng: random.Random) -> Area:
    from tests.helpers import stored_demo
    from tests.reliability.kills import big_exchange_file, kill_import

    with _quiet():
        big = big_exchange_file(folder, copies)
        review = stored_demo(folder / "before.sqlite")
    probe = folder / "probe"
    probe.mkdir()
    spans = {"new": _timed(["import", str(probe / "new.sqlite"), str(big)])}
    shutil.copyfile(review, probe / "old.sqlite")
    spans["replace"] = _timed(["import", str(probe / "old.sqlite"), str(big), "--replace"])
    print(
        f"an uncut import of {8 * copies:,} rows: {spans['new']:.1f} s into a new file, "
        f"{spans['replace']:.1f} s --replace"
    )
    outcomes: list[tuple[Killed, float]] = []
    for i in range(count):
        how = "new" if i % 2 == 0 else "replace"
        there = folder / f"kill-{i}"
        there.mkdir()
        after = rng.uniform(0.0, 1.1 * spans[how])
        start = time.perf_counter()
        outcome = kill_import(there, big, 8 * copies, after, into=review if how == "replace" else None)
        outcomes.append((outcome, time.perf_counter() - start))
        shutil.rmtree(there)
    bad, slowest = _report_kills(
        outcomes, lambda o: f"{o.what}: {o.state}" + ("" if o.killed else " (finished before the kill)")
    )
    return Area(
        "kill -9 during import",
        count,
        bad,
        "half an import, integrity_check or log --verify not ok, no longer writable, a file left beside it",
        slowest,
    )


def export_kills_area(folder: Path, count: int, copies: int, rng: random.Random) -> Area:
    from tests.reliability.kills import big_exchange_file, kill_export, quietly

    with _quiet():
        big = big_exchange_file(folder, copies)
    review = folder / "exported.sqlite"
    assert quietly("import", str(review), str(big))[0] == 0
    outcomes: list[tuple[Killed, float]] = []
    for kind in ("json", "xlsx"):
        out = folder / f"out-{kind}"
        out.mkdir()
        target = out / f"r.{kind}"
        span = _timed(["export", str(review), "-o", str(target)])
        print(f"an uncut {kind} export of {8 * copies:,} rows: {span:.1f} s")
        for _ in range(count):
            after = rng.uniform(0.0, 1.1 * span)
            start = time.perf_counter()
            outcome = kill_export(review, target, after)
            outcomes.append((outcome, time.perf_counter() - start))
    bad, slowest = _report_kills(
        outcomes, lambda o: f"{o.what}: target {o.state}" + ("" if o.killed else " (finished before the kill)")
    )
    return Area(
        "kill -9 during export",
        2 * count,
        bad,
        "the target neither the old export nor a complete one, or a temp file left after the next export",
        slowest,
    )


def writers_area(folder: Path, writers: int, seconds: float) -> Area:
    from tests.helpers import stored_demo
    from tests.reliability.writers import write_at_once

    review = stored_demo(folder / "shared.sqlite")
    run = write_at_once(review, writers, seconds=seconds)
    print(
        f"{writers} writers and a reader for {seconds:.0f} s ({run.seconds:.0f} s in all): {run.accepted:,} edits "
        f"accepted, {run.refused} refused, {run.reads:,} reads"
    )
    for message in run.refusals:
        print(f"    refused: {message}")
    for problem in run.problems:
        print(f"    FAILED {problem}")
    return Area(
        "concurrent writers (edits + reads)",
        run.accepted + run.reads,
        len(run.problems),
        "a lost edit, audit entries != accepted edits, a broken chain, a read missing rows",
        f"{run.slowest:.2f} s (one edit or read); {run.refused} edits refused (told so), not failed",
    )


def tampering_area(folder: Path, count: int, rng: random.Random) -> Area:
    from tests.reliability.tampering import WAYS, history, last_entry, try_way

    review = history(folder / "history.sqlite", 200)
    n, _ = last_entry(review)
    print(f"a history of {n} entries")
    ways = list(WAYS)
    by_way: dict[str, list[tuple[Tampering, float]]] = defaultdict(list)
    for i in range(count):
        way = ways[i % len(ways)]
        start = time.perf_counter()
        tampering = try_way(review, folder / "tampered.sqlite", way, rng.randint(1, n))
        by_way[way].append((tampering, time.perf_counter() - start))
    bad = 0
    for way, tried in by_way.items():
        caught = Counter(re.sub(r"entry \d+", "the right entry", t.caught) for t, _ in tried)
        failed = [t for t, _ in tried if t.problems]
        bad += len(failed)
        how = "; ".join(f"{c or 'not caught'} ×{k}" for c, k in caught.most_common(3))
        print(f"    {way:34} {len(tried):3} tried, {len(failed)} not caught as expected: {how}")
        for t in failed:
            print(f"        FAILED {t}")
    worst, seconds = max((pair for tried in by_way.values() for pair in tried), key=lambda p: p[1])
    return Area(
        "audit-chain tampering",
        count,
        bad,
        "the database took it with its triggers up, or --verify (--head) did not name the right entry",
        f"{seconds:.2f} s ({worst.way} at entry {worst.at})",
    )


def injection_area(folder: Path, turns: int) -> Area:
    from tests.helpers import stored_demo
    from tests.reliability.injection import FIELDS, PAYLOADS, try_turn
    from tests.reliability.kills import quietly

    with _quiet():
        demo = stored_demo(folder / "demo.sqlite")
    sound = folder / "demo.json"
    assert quietly("export", str(demo), "-o", str(sound))[0] == 0
    results = [try_turn(folder, sound, turn) for turn in range(turns)]
    bad = [r for r in results if r.problems]
    cells = sum(r.cells for r in results)
    formulas = sum(r.formulas for r in results)
    print(
        f"{len(PAYLOADS)} payloads, {len(FIELDS)} fields, {turns} turns: {turns * len(FIELDS)} payloads placed, "
        f"{cells:,} cells read back, {formulas} formulas"
    )
    for r in bad:
        print(f"    FAILED {r}")
    worst = max(results, key=lambda r: r.seconds)
    return Area(
        "formula injection",
        turns * len(FIELDS),
        sum(len(r.problems) for r in bad),
        "a formula cell in the workbook, or a payload not there as its literal text",
        f"{worst.seconds:.2f} s (turn {worst.turn}: import, export, read back)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.reliability_long", description=__doc__.split("\n")[0])
    parser.add_argument("per_kind", nargs="?", type=int, default=300, help="damaged files of each kind (300)")
    parser.add_argument("seed", nargs="?", type=int, default=15, help="the random seed (15)")
    parser.add_argument("--only", action="append", choices=AREAS, help="run only this area (repeatable)")
    parser.add_argument("--import-kills", type=int, default=30, help="imports killed (30; half into new files)")
    parser.add_argument("--export-kills", type=int, default=10, help="exports killed, of each kind (10)")
    parser.add_argument("--copies", type=int, default=1500, help="the killed import's file: 8 x COPIES rows (1500)")
    parser.add_argument("--writers", type=int, default=3, help="writers at once, beside a reader (3)")
    parser.add_argument("--seconds", type=float, default=120.0, help="how long they write (120)")
    parser.add_argument("--tamperings", type=int, default=50, help="attacks on the audit log (50)")
    parser.add_argument("--turns", type=int, default=19, help="formula payload turns (19: every one in every field)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    runs: dict[str, Callable[[Path], Area]] = {
        "mutants": lambda f: mutants_area(f, args.per_kind, args.seed),
        "import-kills": lambda f: import_kills_area(f, args.import_kills, args.copies, rng),
        "export-kills": lambda f: export_kills_area(f, args.export_kills, max(1, args.copies // 5), rng),
        "writers": lambda f: writers_area(f, args.writers, args.seconds),
        "tampering": lambda f: tampering_area(f, args.tamperings, rng),
        "injection": lambda f: injection_area(f, args.turns),
    }
    areas: list[Area] = []
    for name in args.only or AREAS:
        print(f"== {name}", flush=True)
        folder = Path(tempfile.mkdtemp(prefix=f"reliability-{name}-"))
        start = time.perf_counter()
        try:
            area = runs[name](folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        area.seconds = time.perf_counter() - start
        areas.append(area)
        sys.stdout.flush()
    print()
    print("| area | tried | failed | failed means | slowest case | time |")
    print("|---|---:|---:|---|---|---:|")
    for a in areas:
        print(f"| {a.name} | {a.tried:,} | {a.failed} | {a.means} | {a.slowest} | {a.seconds:.0f} s |")
    return 1 if any(a.failed for a in areas) else 0


if __name__ == "__main__":
    sys.exit(main())
