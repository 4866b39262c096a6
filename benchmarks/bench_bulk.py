"""Bulk work on a big review, each against its baseline in the same run (issue 15's table).

    .venv/bin/python -m benchmarks.bench_bulk [ROWS] [REPEAT]

Generates a clean review of ROWS rows (default 100,000; benchmarks.generate),
writes it as a curator/1 file, then times, each as a command a user runs (a
fresh process, wall clock):

1. ``curator import big.json`` into a new file, against ``json.load`` +
   flattening the rows + the standard library's ``sqlite3.executemany`` of
   them into one table;
2. ``curator export big.sqlite -o big.json``, against a plain ``SELECT`` of
   the rows + ``json.dump``;
3. ``curator export big.sqlite -o big.xlsx`` (the stakeholder workbook),
   against pandas ``to_excel`` (openpyxl) of the same flat table (timed
   alone: the frame is built before its clock starts);
4. ``curator check big.sqlite``, against the JSON export of 2.

Import, JSON export and check run REPEAT times (default 3), each in turn with its baseline, and the
shortest of each is kept (a busy machine slows a run, never speeds it up); the workbook and its
baseline run once (each lasts a minute or more, long enough to even the noise out). Prints each
time, its baseline and the ratio, with issue 15's targets.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_TARGETS = {"import": 3.0, "export json": 3.0, "export xlsx": 0.6, "check": 3.0}


def _timed(*command: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _curator(*args: str) -> float:
    return _timed(sys.executable, "-m", "curator", "--reviewer", "bench", *args)


def _python(code: str, *args: str) -> float:
    return _timed(sys.executable, "-c", code, *args)


_IMPORT_BASELINE = """
import json, sqlite3, sys
data = json.load(open(sys.argv[1]))
def flat(row, prefix=""):
    out = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(flat(value, prefix + key + "."))
        else:
            out[prefix + key] = value if not isinstance(value, list) else "; ".join(map(str, value))
    return out
flats = [flat(r) for c in data["comparisons"] for r in c["rows"]]
names = sorted({n for f in flats for n in f})
lines = [tuple(str(f.get(n, "")) for n in names) for f in flats]
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE row (" + ", ".join(f'"{n}" TEXT' for n in names) + ")")
db.executemany("INSERT INTO row VALUES (" + ", ".join("?" for _ in names) + ")", lines)
db.commit()
"""

_EXPORT_BASELINE = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cursor = db.execute("SELECT * FROM endpoint_row")
names = [d[0] for d in cursor.description]
rows = [dict(zip(names, r)) for r in cursor]
json.dump(rows, open(sys.argv[2], "w"), default=str)
"""

_XLSX_BASELINE = """
import sys, time
import pandas as pd
from curator.formats.exchange import read_exchange
from curator.formats.flat import flat_table
header, body = flat_table(read_exchange(sys.argv[1]))
frame = pd.DataFrame(body, columns=header)
start = time.perf_counter()
frame.to_excel(sys.argv[2], index=False, engine="openpyxl")
print(time.perf_counter() - start)
"""


def _best_of(repeat: int, ours: Any, base: Any) -> tuple[float, float]:
    """The shortest of ``repeat`` runs of each, taken in turn (ours, then the baseline): a busy machine
    slows a run, never speeds it up, so the shortest is the closest to what each costs."""
    times = [(ours(), base()) for _ in range(repeat)]
    return min(t for t, _ in times), min(b for _, b in times)


def main(rows: int, repeat: int = 3) -> None:
    from benchmarks.generate import generate_review
    from curator.formats.exchange import write_exchange

    folder = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    big = folder / "big.json"
    write_exchange(generate_review(rows), big)
    print(f"a review of {rows:,} rows: {big.stat().st_size / 1e6:.0f} MB of curator/1; the best of {repeat} runs")
    results: list[tuple[str, float, float, str]] = []

    def import_ours() -> float:
        for leftover in folder.glob("big.sqlite*"):
            leftover.unlink()
        return _curator("import", str(folder / "big.sqlite"), str(big))

    def import_base() -> float:
        for leftover in folder.glob("baseline.sqlite*"):
            leftover.unlink()
        return _python(_IMPORT_BASELINE, str(big), str(folder / "baseline.sqlite"))

    ours, base = _best_of(repeat, import_ours, import_base)
    results.append(("import", ours, base, "json.load + flatten + sqlite3.executemany"))

    ours, base = _best_of(
        repeat,
        lambda: _curator("export", str(folder / "big.sqlite"), "-o", str(folder / "out.json")),
        lambda: _python(_EXPORT_BASELINE, str(folder / "big.sqlite"), str(folder / "plain.json")),
    )
    results.append(("export json", ours, base, "a plain SELECT of the rows + json.dump"))
    json_export = ours

    ours = _curator("export", str(folder / "big.sqlite"), "-o", str(folder / "out.xlsx"))
    done = subprocess.run(
        [sys.executable, "-c", _XLSX_BASELINE, str(big), str(folder / "pandas.xlsx")],
        check=True,
        capture_output=True,
        text=True,
    )
    base = float(done.stdout.split()[-1])  # to_excel alone: the frame made before the clock starts
    results.append(("export xlsx", ours, base, "pandas to_excel (openpyxl) of the flat table"))

    def check() -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "curator", "check", str(folder / "big.sqlite")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # exit 1 when it finds something: a finding is not a failure here
        return time.perf_counter() - start

    ours = min(check() for _ in range(repeat))
    results.append(("check", ours, json_export, "the JSON export above"))

    for name, ours, base, what in results:
        ratio = ours / base if base else float("nan")
        print(
            f"{name:12} {ours:7.1f} s   baseline {base:7.1f} s ({what})   "
            f"ratio {ratio:.2f}x (target <= {_TARGETS[name]}x)"
        )
    raw = sqlite3.connect(folder / "big.sqlite")
    assert raw.execute("SELECT COUNT(*) FROM endpoint_row").fetchone()[0] == rows
    raw.close()
    print(json.dumps({name: round(ours / base, 2) for name, ours, base, _ in results}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
