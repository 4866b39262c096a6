"""Mutated files for every importer, and what Curator must do with each (issue 15's reliability suite).

:func:`mutants` makes, from a sound file of each kind Curator imports (RIS, MEDLINE, BibTeX,
CSL-JSON, curator/1, the Excel workbook), files damaged the ways files are damaged: bytes flipped,
cut short, a run of bytes doubled or dropped; a workbook's zip members damaged alike. :func:`try_one`
imports one into a copy of a review, in this process, and says what happened: Curator must answer
with exit 0, 1 or 2 (never 3, its exit for a bug), and after a refusal the review must be byte for
byte what it was. The test runs a few of each kind; ``benchmarks/reliability_long.py`` runs many.
"""

from __future__ import annotations

import io
import random
import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from curator.cli import main

FIXTURES = Path(__file__).parents[1] / "references" / "fixtures"


@dataclass(frozen=True)
class Outcome:
    kind: str
    mutant: str
    code: int
    seconds: float
    unchanged: bool
    error: str


def sound_files(folder: Path) -> dict[str, Path]:
    """One sound file of each kind, the curator/1 file and the workbook exported from the demo review."""
    from tests.helpers import stored_demo

    demo = stored_demo(folder / "sound-demo.sqlite")
    for suffix in ("json", "xlsx"):
        code = main(["export", str(demo), "-o", str(folder / f"sound.{suffix}")])
        assert code == 0
    return {
        "ris": FIXTURES / "zotero.ris",
        "medline": FIXTURES / "pubmed.nbib",
        "bibtex": FIXTURES / "library.bib",
        "csl-json": FIXTURES / "zotero.json",
        "curator/1": folder / "sound.json",
        "xlsx": folder / "sound.xlsx",
    }


def _damaged(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    how = rng.choice(("flip", "cut", "double", "drop"))
    if not data:
        return how, data
    at = rng.randrange(len(data))
    if how == "flip":
        changed = bytearray(data)
        for i in range(rng.randint(1, 8)):
            j = (at + i * rng.randint(1, 97)) % len(data)
            changed[j] = rng.randrange(256)
        return f"{how}@{at}", bytes(changed)
    if how == "cut":
        return f"{how}@{at}", data[:at]
    span = rng.randint(1, 4096)
    if how == "double":
        return f"{how}@{at}+{span}", data[: at + span] + data[at : at + span] + data[at + span :]
    return f"{how}@{at}+{span}", data[:at] + data[at + span :]


def _damaged_workbook(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A workbook with one zip member's uncompressed XML damaged (the zip itself sound), or the zip
    bytes themselves damaged."""
    if rng.random() < 0.5:
        return _damaged(data, rng)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    name = rng.choice(names)
    how, part = _damaged(source.read(name), rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for other in names:
            target.writestr(other, part if other == name else source.read(other))
    return f"{name}:{how}", out.getvalue()


def mutants(sound: dict[str, Path], per_kind: int, seed: int = 15) -> Iterator[tuple[str, str, bytes, str]]:
    """``per_kind`` damaged files of each kind: (kind, what was done, the bytes, the file's suffix)."""
    rng = random.Random(seed)
    for kind, path in sound.items():
        data = path.read_bytes()
        for _ in range(per_kind):
            how, bad = _damaged_workbook(data, rng) if kind == "xlsx" else _damaged(data, rng)
            yield kind, how, bad, path.suffix


def try_one(folder: Path, review: Path, kind: str, how: str, data: bytes, suffix: str) -> Outcome:
    """Import one mutant into a copy of ``review``: its exit, its time, and whether a refusal left the
    review's file as it was."""
    target = folder / "target.sqlite"
    for side in ("", "-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)
    shutil.copyfile(review, target)
    before = target.read_bytes()
    bad = folder / f"mutant{suffix}"
    bad.write_bytes(data)
    start = time.perf_counter()
    try:
        code = main(
            ["--reviewer", "fuzz", "import", str(target), str(bad), "--skip-bad"]
            if kind in ("ris", "medline", "bibtex", "csl-json")
            else ["--reviewer", "fuzz", "import", str(target), str(bad), "--replace"]
        )
        error = ""
    except SystemExit as exc:  # argparse
        code, error = int(exc.code or 0), "SystemExit"
    seconds = time.perf_counter() - start
    unchanged = code not in (2,) or target.read_bytes() == before
    return Outcome(kind, how, code, seconds, unchanged, error)
