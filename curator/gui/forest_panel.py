"""The Forest plot panel (issue 17): the analysis of the selected row's endpoint, drawn as the
``curator forest`` command draws it, and drawn again after every change to the review.

A dock beside the table (View: Review > Forest plot, F9). It follows the selected row; a change
(an edit, an undo, an import, another reviewer's change the window took in) starts a new drawing a
moment later. The review is read and the plot drawn on a worker (:class:`~curator.gui.tasks.TaskRunner`,
kind ``"forest"``: a newer drawing supersedes a running one), so the window never waits; the panel
says "Drawing…" meanwhile. Over the plot, one line says the pooled result, or why the endpoint
cannot be pooled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap
from PySide6.QtWidgets import QDockWidget, QLabel, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = ["ForestPanel", "install", "SHORTCUT", "summary_words"]

SHORTCUT = "F9"
#: How long after a change the plot is drawn again (changes in a burst draw once).
DELAY_MS = 150


def summary_words(analysis: Any) -> str:
    """The line over the plot: the pooled result in RevMan's words, or why there is none."""
    if analysis is None:
        return "No row of this endpoint."
    p = analysis.pooled
    if p is None:
        return f"{analysis.endpoint}: not pooled: {analysis.refused}."
    est, low, high = (analysis.on_scale(x) for x in (p.estimate, p.ci_low, p.ci_high))
    line = f"{analysis.endpoint}: {analysis.measure} {est:.2f} [{low:.2f}, {high:.2f}], {analysis.k} "
    line += "study" if analysis.k == 1 else "studies"
    if p.i2 is not None:
        line += f", I² {p.i2:.0f}%"
    if analysis.left_out:
        line += f"; {len(analysis.left_out)} left out"
    return line


class ForestPanel(QDockWidget):
    """The dock: a summary line and the plot, scrolled when it is larger than the dock."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Forest plot", window)
        self.setObjectName("forest_plot")
        self._window = window
        self.summary = QLabel("Select a row to see its endpoint's forest plot.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.setWidget(body)
        #: The endpoint shown (comparison key, endpoint), and the last analysis drawn.
        self.shown: tuple[str, str] | None = None
        self.analysis: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.draw)
        self._sized = False
        self.visibilityChanged.connect(self._shown)

    def _shown(self, visible: bool) -> None:
        if not visible:
            return
        if not self._sized:  # the first time: tall enough for a plot of a dozen studies
            self._sized = True
            self._window.resizeDocks([self], [int(self._window.height() * 0.45)], Qt.Orientation.Vertical)
        self.follow()

    def follow(self, *_args: object) -> None:
        """Something changed: draw again soon (only while the dock is shown)."""
        if self.isVisible():
            self._timer.start()

    def _selected(self) -> tuple[str, str] | None:
        w = self._window
        comparison, position = w.comparison_key(), w.current_position()
        if comparison is None or position is None:
            return None
        return comparison, w.rows_model.row_at(position).endpoint

    def draw(self) -> None:
        if not self.isVisible():  # hidden, or the window closed before the delay ran out: nothing to read
            return
        target = self._selected()
        if target is None:
            self.summary.setText("Select a row to see its endpoint's forest plot.")
            self.picture.clear()
            self.shown = None
            return
        self.shown = target
        self.summary.setText(f"Drawing {target[1]}…")
        service = self._window.service
        comparison, endpoint = target

        def work(_progress: Any) -> tuple[Any, bytes | None]:  # on a worker: its own connection
            from curator.formats.forest import forest_png
            from curator.services.analysing import endpoint_analysis

            analysis = endpoint_analysis(service, comparison, endpoint)
            picture = forest_png(analysis, dpi=90) if analysis is not None and analysis.pooled else None
            return analysis, picture

        self._window.tasks.run("forest", "Forest plot", work, self._drawn, self._failed, dialog=False)

    def _drawn(self, result: tuple[Any, bytes | None]) -> None:
        self.analysis, picture = result
        self.summary.setText(summary_words(self.analysis))
        if picture is None:
            self.picture.clear()
            return
        pixmap = QPixmap()
        pixmap.loadFromData(picture, "PNG")
        self.picture.setPixmap(pixmap)

    def _failed(self, message: str) -> None:
        self.summary.setText(f"The forest plot could not be drawn: {message}")
        self.picture.clear()


def install(window: MainWindow) -> ForestPanel:
    """Add the panel (hidden) and its action to the window's Review menu (once)."""
    found = window.findChild(ForestPanel, "forest_plot")
    if found is not None:
        return found
    panel = ForestPanel(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    panel.hide()
    action = panel.toggleViewAction()
    action.setText("Forest &plot of the row's endpoint")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setStatusTip("The pooled analysis of the selected row's endpoint, drawn again after every change")
    window.review_menu.addAction(action)
    window.rows_view.selectionModel().currentChanged.connect(panel.follow)
    window.rows_model.modelReset.connect(panel.follow)
    window.rows_model.dataChanged.connect(panel.follow)
    window.undo_stack.indexChanged.connect(panel.follow)
    return panel
