"""A paper's PDF, 300 pages: Curator's reading against the library alone (issue 14, item 8).

    .venv/bin/python -m benchmarks.bench_pdf [PAGES]

Writes a 300-page PDF of 50 lines of printed results a page (fpdf2, from
the test extra), with one ``42.6%`` on page 288, then measures in the same
run, each the median of five:

- the baseline: pypdfium2 alone opening the bytes, drawing page 1 and
  closing (what any viewer must do before it shows anything);
- Curator checking the file before keeping it (``inspect_pdf``);
- Curator drawing page 1 and a page further in (``render_page``: the
  first page shown, and a page turn), at 1.5 pixels a point;
- Curator finding a number over all pages (``find_text``);
- Curator locating a row's five values over all pages (``locate_row``, what
  ``curator locate`` does: one pass over the pages for all of them).

Targets (issue 14): the first page within 1 s, a page turn within 100 ms,
a number found over all pages within 2 s. The desktop pane adds Qt's
painting to these; its own figures come with it.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import pypdfium2 as pdfium

from curator.demo import demo_review
from curator.locate import locate_row
from curator.pdf import find_text, inspect_pdf, render_page
from tests.documents.pdfs import paper


def median_time(f: Callable[[], object], before: Callable[[], object] = lambda: None, runs: int = 5) -> float:
    """The median of ``runs`` timings of ``f`` (``before`` runs ahead of each, untimed)."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def library_first_page(data: bytes) -> None:
    """The baseline: pypdfium2 alone opening the bytes, drawing page 1 at 1.5 pixels a point, closing."""
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    page.render(scale=1.5, rev_byteorder=True).close()
    page.close()
    doc.close()


def printed_results(pages: int) -> tuple[bytes, int]:
    """A PDF of ``pages`` pages of 50 lines of printed results, one ``42.6%`` on page 288 (or the last):
    its bytes and that page's index (from 0)."""
    lines = [
        [(72, 72 + 14 * i, f"Line {i}: mean 12.{i % 10} (SD 4.{i % 7}), n = {100 + i}; RR 0.{60 + i % 30} (0.5-0.9)")
         for i in range(50)]
        for _ in range(pages)
    ]  # fmt: skip
    target = min(288, pages) - 1
    lines[target].append((72, 800, "Patients requiring TCS: 42.6%"))
    return paper(lines), target


def main(pages: int = 300) -> None:
    data, target = printed_results(pages)
    row = demo_review().comparisons[0].rows[0]  # endpoint, two values, duration, population
    print(f"a {pages}-page PDF of {len(data) / 1e6:.1f} MB")
    base = median_time(lambda: library_first_page(data))
    print(f"pypdfium2 alone, open and draw page 1: {base * 1000:8.1f} ms (baseline)")
    rows = [
        ("check the file before keeping it", lambda: inspect_pdf(data), None),
        ("first page drawn (open, draw, close)", lambda: render_page(data, 1), 1.0),
        ("a page turn (page 150 drawn)", lambda: render_page(data, min(150, pages)), 0.1),
        ("a number found over all pages", lambda: find_text(data, "42.6%"), 2.0),
        ("a row's five values located, all pages", lambda: locate_row(row, data), 2.0),
    ]
    for label, run, target_s in rows:
        seconds = median_time(run)
        goal = f"; target < {target_s * 1000:.0f} ms" if target_s else ""
        print(f"{label + ':':40} {seconds * 1000:8.1f} ms ({seconds / base:.2f}x baseline{goal})")
    hits = find_text(data, "42.6%")
    assert [h.page for h in hits] == [target + 1], hits


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
