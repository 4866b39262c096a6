"""The main window (a placeholder until the desktop-app issue lands)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from curator import __version__
from curator.gui.comparisons_model import ComparisonsModel
from curator.review import Review

__all__ = ["MainWindow", "run", "window_title"]


def window_title(review: Review) -> str:
    return f"Curator — {review.title or 'Untitled review'}"


class MainWindow(QMainWindow):
    """Lists the review's comparisons with their row counts."""

    def __init__(self, review: Review, path: Path) -> None:
        super().__init__()
        self.review = review
        self.setWindowTitle(window_title(review))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        heading = QLabel(f"<b>{_escape(review.title or 'Untitled review')}</b>", central)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.comparisons_model = ComparisonsModel(review.comparisons, self)
        self.comparisons_view = QTableView(central)
        self.comparisons_view.setModel(self.comparisons_model)
        self.comparisons_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.comparisons_view.setAlternatingRowColors(True)
        self.comparisons_view.verticalHeader().setVisible(False)
        header = self.comparisons_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.comparisons_view.resizeColumnsToContents()
        layout.addWidget(self.comparisons_view)
        self.setCentralWidget(central)
        counts = review.counts()
        status = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        self.statusBar().showMessage(
            f"{path}  ·  {len(review.references)} references  ·  {review.row_count} rows"
            + (f" ({status})" if status else "")
        )
        self.resize(1000, 420)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run(review: Review, path: Path, *, screenshot: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Curator")
    app.setApplicationVersion(__version__)
    window = MainWindow(review, path)
    window.show()
    if screenshot is not None:
        app.processEvents()
        if not window.grab().save(str(screenshot)):
            from curator.errors import CuratorError

            raise CuratorError(f"{screenshot}: cannot write the picture")
        window.close()
        return 0
    return app.exec()
