"""Importing a big workbook against python-calamine merely reading it, in one run.

    /work/venv/bin/python -m benchmarks.bench_xlsx_import [ROWS]

For a generated clean review of ROWS rows (default 100,000), writes the
sheets ``curator import`` reads (References and Data, as the export writes
them), then times:

* baseline: python-calamine reading the Data sheet's cell values
  (``to_python``), nothing else;
* Curator: :func:`curator.formats.xlsx_read.read_workbook` (container
  checks, both sheets, every cell parsed into a Review).

Each is run three times; the best is printed, with the ratio. Target:
``read_workbook`` under 5 s for 100,000 rows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main(rows: int) -> None:
    from python_calamine import CalamineWorkbook
    from xlsxwriter import Workbook

    from benchmarks.generate import generate_review
    from curator.formats.xlsx_data import add_data_sheet, add_references_sheet
    from curator.formats.xlsx_read import read_workbook

    review = generate_review(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        start = time.perf_counter()
        wb = Workbook(str(path), {"constant_memory": True})
        add_references_sheet(wb, review)
        add_data_sheet(wb, review)
        wb.close()
        written = time.perf_counter() - start
        size = path.stat().st_size

        def baseline() -> int:
            return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python())

        def curator() -> int:
            return read_workbook(path).row_count

        best: dict[str, float] = {}
        for name, run in (("calamine", baseline), ("curator", curator)):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                count = run()
                times.append(time.perf_counter() - start)
            best[name] = min(times)
            assert count >= rows, (name, count)
    print(f"{rows:,} rows; workbook {size / 1e6:.1f} MB written in {written:.1f} s")
    print(f"baseline  python-calamine reading the Data sheet: {best['calamine']:.2f} s")
    print(f"curator   read_workbook (checks + parse + Review): {best['curator']:.2f} s")
    print(f"ratio {best['curator'] / best['calamine']:.1f}x the baseline; target under 5 s: "
          f"{'met' if best['curator'] < 5 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
