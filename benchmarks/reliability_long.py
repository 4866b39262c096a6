"""The reliability suite's long run: many damaged files of every kind Curator imports.

    .venv/bin/python -m benchmarks.reliability_long [PER_KIND] [SEED]

Runs :mod:`tests.reliability.mutants` with PER_KIND damaged files of each kind (default 300) and
prints, per kind, how many Curator took (exit 0), took in part (1) and refused (2), how many crashed
(3: must be none), how many refusals changed the review (must be none), and the slowest import.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path


def main(per_kind: int, seed: int) -> int:
    from tests.helpers import stored_demo
    from tests.reliability.mutants import Outcome, mutants, sound_files, try_one

    folder = Path(tempfile.mkdtemp(prefix="reliability-"))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        sound = sound_files(folder)
        review = stored_demo(folder / "review.sqlite")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for mutant in mutants(sound, per_kind, seed):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
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
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300, int(sys.argv[2]) if len(sys.argv) > 2 else 15))
