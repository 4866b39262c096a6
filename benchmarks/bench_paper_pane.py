"""The paper beside the form, 300 pages, in the window: what a reviewer waits for (issue 14, item 8).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_paper_pane [PAGES]

Stores a 300-page PDF (50 lines of printed results a page, one ``42.6%`` on
page 288) in a review, attached to the reference row 1 cites, opens the
main window on it, and measures in the same run, each the median of five:

- the baseline: pypdfium2 alone opening the bytes, drawing page 1 and
  closing (what any viewer must do before it shows anything);
- the window going to row 1 from a row with no paper: the bytes read from
  the review file, the PDF opened, page 1 drawn and painted (the first page
  shown after opening);
- a page turn (Page Down), drawn and painted;
- find (Ctrl+Shift+F, ``42.6%``, Enter) until every page was looked through
  and the place found is shown.

Targets (issue 14): the first page within 1 s, a page turn within 100 ms,
a number found over all pages within 2 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.bench_pdf import library_first_page, median_time, printed_results
from curator.gui.app import MainWindow
from curator.services import ReviewService
from tests.helpers import stored_demo


def main(pages: int = 300) -> None:
    app = QApplication.instance() or QApplication([])
    data, target = printed_results(pages)
    folder = Path(tempfile.mkdtemp())
    review = stored_demo(folder / "r.sqlite")
    pdf = folder / "long.pdf"
    pdf.write_bytes(data)
    with ReviewService.open(review, "Ana") as service:
        service.documents.attach("7", pdf)
    window = MainWindow(review, "Ben")
    window.resize(1500, 900)
    window.show()
    QTest.qWaitForWindowExposed(window)
    pane = window.paper_pane
    print(f"a {pages}-page PDF of {len(data) / 1e6:.1f} MB, in a review")

    base = median_time(lambda: library_first_page(data))
    print(f"{'pypdfium2 alone, open and draw page 1:':44} {base * 1000:8.1f} ms (baseline)")

    def first_page() -> None:
        window.select_row("pime-vs-tcs", 0)  # cites [7]
        pane.view.repaint()
        app.processEvents()
        assert pane.page == 1 and pane.view.image is not None

    def page_turn() -> None:
        QTest.keyClick(pane.view, Qt.Key.Key_PageDown)
        pane.view.repaint()
        assert pane.view.image is not None

    def find() -> None:
        QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(pane.find_edit, "42.6%")
        QTest.keyClick(pane.find_edit, Qt.Key.Key_Return)
        while pane._find_next_page:
            app.processEvents()
        pane.view.repaint()
        assert [h.page for h in pane.found] == [target + 1], pane.found

    def other_row() -> None:
        window.select_row("pime-vs-tcs", 3)  # cites [8]: no paper
        app.processEvents()

    turns = iter(range(100, pages - 1, 7))  # a page never drawn yet each time: no page kept drawn helps

    def page_middle() -> None:
        pane.go(next(turns))
        pane.view.setFocus()

    def clear_find() -> None:
        QTest.keyClick(pane.find_edit, Qt.Key.Key_Escape)  # closes the find bar and forgets the places
        pane.find_edit.clear()
        pane.go(1)
        assert not pane.found

    rows = [
        ("first page shown (going to the row)", first_page, other_row, 1.0),
        ("a page turn (Page Down), painted", page_turn, page_middle, 0.1),
        ("a number found over all pages, shown", find, clear_find, 2.0),
    ]
    for label, run, before, target_s in rows:
        seconds = median_time(run, before)
        goal = f"target < {target_s * 1000:.0f} ms"
        print(f"{label + ':':44} {seconds * 1000:8.1f} ms ({seconds / base:.2f}x baseline; {goal})")
    window.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
