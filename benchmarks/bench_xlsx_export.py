"""The stakeholder workbook against pandas' bare to_excel, in one run.

    .venv/bin/python -m benchmarks.bench_xlsx_export [ROWS]

For a generated clean review of ROWS rows (default 100,000), each in a fresh
process so that memory figures are its own:

* baseline: ``pandas.DataFrame.to_excel`` (openpyxl engine) writing the same
  flat Data table with no formatting at all;
* Curator: the full formatted workbook (every comparison sheet, References,
  Findings, Data, About) with ``curator.formats.xlsx_export.write_workbook``;
* Curator again at a quarter of the rows, to show whether memory grows
  with the row count.

Prints seconds and the peak extra memory (RSS high-water mark above the
process's size once the review is loaded) of each, and the time ratio
(target: at most 0.6x pandas).

Measured here (2 shared cores; issue 15): 100,000 rows, pandas 79.0 s,
Curator 21.4 s (0.27x), +47 MiB; before the rows went in a row at a time
(:func:`curator.formats.cells.write_row`) 0.62x at 20,000 rows. Tried for the
Data sheet alone at 20,000 rows (CPU seconds, same conditions): Curator's
per-cell XlsxWriter calls 3.5, XlsxWriter's own ``write_row`` (bare, no
formats) 3.6, pyexcelerate (bare) 3.3, rustpy-xlsxwriter (bare, from
records) 0.5, ``write_row`` 1.2-1.3 (with the Text formats and header
comments). A second writer cannot add a sheet to XlsxWriter's workbook, and
none of them writes the comparison sheets (a fill, number format and
comment per cell, merged legend, print titles, header and footer). The ZIP
at compression level 1 rather than 6: 0.3 s less of 3.8 at 20,000 rows,
a fifth bigger file; not taken.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(kind: str, rows: int, out: str) -> None:
    import gc

    from benchmarks.generate import generate_review

    review = generate_review(rows)
    if kind == "pandas":
        import pandas as pd

        from curator.formats.flat import flat_table

        header, body = flat_table(review)
        frame = pd.DataFrame(body, columns=header)
        del body
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset the RSS high-water mark
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    if kind == "pandas":
        frame.to_excel(out, index=False, engine="openpyxl")
    else:
        from curator.formats.xlsx_export import write_workbook

        write_workbook(review, out, exported_by="bench")
    seconds = time.perf_counter() - start
    peak = _rss_kib("VmHWM")
    print(json.dumps({"seconds": seconds, "extra_mib": (peak - before) / 1024, "bytes": Path(out).stat().st_size}))


def _run(kind: str, rows: int, folder: str) -> dict[str, float]:
    out = str(Path(folder) / f"{kind}-{rows}.xlsx")
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_xlsx_export", "--child", kind, str(rows), out],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pandas = _run("pandas", rows, folder)
        ours = _run("curator", rows, folder)
        quarter = _run("curator", rows // 4, folder)
    print(
        f"pandas to_excel, bare Data table, {rows:,} rows: {pandas['seconds']:.1f} s, "
        f"+{pandas['extra_mib']:.0f} MiB (baseline)"
    )
    print(
        f"Curator full workbook, {rows:,} rows:          {ours['seconds']:.1f} s, "
        f"+{ours['extra_mib']:.0f} MiB, {ours['bytes'] / 1e6:.1f} MB file"
    )
    print(
        f"Curator full workbook, {rows // 4:,} rows:           {quarter['seconds']:.1f} s, "
        f"+{quarter['extra_mib']:.0f} MiB"
    )
    print(
        f"ratio Curator / pandas: {ours['seconds'] / pandas['seconds']:.2f}x (target <= 0.6x); "
        f"memory at {rows:,} vs {rows // 4:,} rows: {ours['extra_mib']:.0f} vs {quarter['extra_mib']:.0f} MiB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
