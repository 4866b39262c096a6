"""The Review menu's double-checking actions, wired to the main window.

    install(window) -> None

adds to ``window.review_menu``: Verify mode (Ctrl+Shift+V), Blind double
entry (Ctrl+Shift+B), Adjudication (Ctrl+Shift+J), History (Ctrl+H, a dock
beside the table, or below it in a narrow window) and Merge reviewer file…. The actions live on a
:class:`DoubleChecking` controller, a child of the window (found with
``window.findChild(DoubleChecking)``), which opens the views
(:mod:`curator.gui.verify_view`, :mod:`curator.gui.double_entry_view`,
:mod:`curator.gui.adjudication_view`, :mod:`curator.gui.history_view`) and
reloads the window's review after a view that changed it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox, QSplitter, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from curator.gui.adjudication_view import AdjudicationDialog
    from curator.gui.app import MainWindow
    from curator.gui.double_entry_view import DoubleEntryDialog
    from curator.gui.edit_actions import TablePlace
    from curator.gui.history_view import HistoryPanel
    from curator.gui.live_checks import LiveChecks
    from curator.gui.state import ReviewState
    from curator.gui.tasks import Task, TaskRunner
    from curator.gui.verify_view import VerifyDialog
    from curator.progress import Progress
    from curator.services import MergeSummary

__all__ = ["install", "DoubleChecking", "merge_summary_text"]

#: The History dock's width beside the table, at most and at least (below the table when less is free).
HISTORY_WIDTH, HISTORY_MIN_WIDTH = 420, 280
#: The width the part of the window History must not crush keeps at least (the comparison list).
KEEP_WIDTH = 180


def install(window: MainWindow) -> None:
    """Add the double-checking actions to the window's Review menu (once)."""
    if window.findChild(DoubleChecking, "double_checking") is None:
        follow = (
            window.rows_view.selectionModel().currentChanged,
            window.rows_model.modelReset,
            window.rows_model.dataChanged,
            window.undo_stack.indexChanged,
        )
        # Space the History dock takes comes from the table and the form, not from the comparison list.
        window.splitter.setStretchFactor(0, 0)
        window.splitter.setStretchFactor(1, 1)
        DoubleChecking(
            window.state,
            window.tasks,
            window.undo_stack,
            window,
            window.review_menu,
            window,
            follow,
            keep=window.left,
            checks=window.checks,
            readable=window.row_form,
        )


def _widen(part: QWidget | None, width: int) -> None:
    """Give ``part`` of a splitter ``width`` from its neighbour, which keeps at least its minimum."""
    splitter = part.parentWidget() if part is not None else None
    if part is None or not isinstance(splitter, QSplitter) or part.width() >= width:
        return
    sizes = splitter.sizes()
    at = splitter.indexOf(part)
    shown = [i for i in range(len(sizes)) if i != at and not (splitter.widget(i) or part).isHidden()]
    after = [i for i in shown if i > at]  # the next part shown (the paper beside the form may be hidden)
    before = [i for i in shown if i < at]
    other = after[0] if after else before[-1] if before else -1
    if at < 0 or other < 0:
        return
    neighbour = splitter.widget(other)
    least = neighbour.minimumSizeHint().width() if neighbour is not None else 0
    given = min(width - sizes[at], max(0, sizes[other] - least))
    sizes[at], sizes[other] = sizes[at] + given, sizes[other] - given
    splitter.setSizes(sizes)


class DoubleChecking(QObject):
    """Verify mode, blind double entry, adjudication, history and merge over one review's state (a
    controller: it adds its actions to ``menu`` and its History dock to ``host``)."""

    def __init__(
        self,
        state: ReviewState,
        tasks: TaskRunner,
        undo_stack: QUndoStack,
        place: TablePlace,
        menu: QMenu,
        host: QMainWindow,
        follow: Sequence[SignalInstance] = (),
        keep: QWidget | None = None,
        checks: LiveChecks | None = None,
        readable: QWidget | None = None,
    ) -> None:
        """``keep`` is a part of the window whose width the History dock must not take (the comparison
        list); ``readable`` one that must keep the width it needs to be read (the row form, whose fields
        are cut at its right edge below that); ``checks`` the window's live checks, whose findings verify
        mode shows."""
        super().__init__(host)
        from curator.gui.history_view import HistoryPanel

        self.setObjectName("double_checking")
        self.state, self.tasks, self.undo_stack, self.place, self.menu = state, tasks, undo_stack, place, menu
        self.host = host  # the parent of the views and messages
        self.keep, self.checks, self.readable = keep, checks, readable
        self.history: HistoryPanel = HistoryPanel(state, place, follow, host)
        host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history)
        self.history.hide()
        #: The last message box the merge showed (its summary or its refusal).
        self.message_box: QMessageBox | None = None
        #: The last merge started (for tests to wait on).
        self.task: Task[MergeSummary] | None = None

        menu.addSeparator()
        self.verify_action = self._action(
            "&Verify mode…",
            self.open_verify,
            "Ctrl+Shift+V",
            "Check the unverified rows field by field against the source: Enter confirms, F fixes, D disputes",
        )
        self.double_entry_action = self._action(
            "&Blind double entry…",
            self.open_double_entry,
            "Ctrl+Shift+B",
            "Enter the current row's values again without seeing them; differences go to adjudication",
        )
        self.adjudication_action = self._action(
            "Ad&judication…",
            self.open_adjudication,
            "Ctrl+Shift+J",
            "Decide the fields two reviewers entered differently",
        )
        self.history_action = self.history.toggleViewAction()
        self.history_action.setText("&History of the row")
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setStatusTip("Show or hide the current row's story: who entered, confirmed or changed what")
        self.history_action.toggled.connect(lambda shown: self.place_history() if shown else None)
        menu.addAction(self.history_action)
        host.addAction(self.history_action)
        menu.addSeparator()
        self.merge_action = self._action(
            "&Merge reviewer file…",
            lambda: self.merge_file(),
            None,
            "Bring another reviewer's file in: agreement verifies, differences go to adjudication",
        )

    def place_history(self) -> None:
        """Give the History dock room without crushing the rest: beside the table, as wide as the window
        can spare once the comparison list keeps its width, the table its minimum and the form the width
        its fields are read at (at most
        :data:`HISTORY_WIDTH`); below the table when that is less than :data:`HISTORY_MIN_WIDTH`. A dock
        the reviewer floated is left where it is."""
        dock, host = self.history, self.host
        if dock.isFloating():
            return
        self._widen_keep()
        central = host.centralWidget()
        needed = central.minimumSizeHint().width() if central is not None else 0
        if self.keep is not None:
            needed += max(self.keep.width(), KEEP_WIDTH) - self.keep.minimumSizeHint().width()
        if self.readable is not None:
            needed += max(0, self.readable.sizeHint().width() - self.readable.minimumSizeHint().width())
        spare = host.width() - needed - 16  # the dock's frame and separator
        if spare >= HISTORY_MIN_WIDTH:
            if host.dockWidgetArea(dock) != Qt.DockWidgetArea.RightDockWidgetArea:
                host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            host.resizeDocks([dock], [min(spare, HISTORY_WIDTH)], Qt.Orientation.Horizontal)
            readable = self.readable
            if readable is not None:  # once the dock has its width: the form's from the table's
                QTimer.singleShot(0, lambda: _widen(readable, readable.sizeHint().width()))
        else:
            if host.dockWidgetArea(dock) != Qt.DockWidgetArea.BottomDockWidgetArea:
                host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            host.resizeDocks([dock], [max(150, min(220, host.height() // 4))], Qt.Orientation.Vertical)

    def _widen_keep(self) -> None:
        """A comparison list left narrower than :data:`KEEP_WIDTH` (as a session before this version could
        save it) gets that width back from its neighbour in the splitter."""
        if self.keep is not None:
            _widen(self.keep, KEEP_WIDTH)

    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None, tip: str) -> QAction:
        action = QAction(text, self.host)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        self.host.addAction(action)
        return action

    def _current(self) -> tuple[str, int] | None:
        key, position = self.place.comparison_key(), self.place.current_position()
        return None if key is None or position is None else (key, position)

    def _opened(self, dialog: QDialog) -> None:
        """Show a view window-modally; reload the review when it closes having changed it."""

        def closed(_result: int) -> None:
            if getattr(dialog, "changed", False):
                self.state.review_changed.emit()
            self.history.refresh()

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(closed)
        dialog.open()

    def open_verify(self) -> VerifyDialog:
        """Verify mode, from the current row on."""
        from curator.gui.verify_view import VerifyDialog

        dialog = VerifyDialog(self.host, self.state, self._current(), self.checks)
        self._opened(dialog)
        return dialog

    def open_double_entry(self) -> DoubleEntryDialog | None:
        """Blind double entry of the current row."""
        from curator.gui.double_entry_view import DoubleEntryDialog

        place = self._current()
        if place is None:
            self.state.message.emit("Select the row to enter again first")
            return None
        dialog = DoubleEntryDialog(self.host, self.state, *place)
        self._opened(dialog)
        return dialog

    def open_adjudication(self) -> AdjudicationDialog:
        """The open adjudication items, side by side."""
        from curator.gui.adjudication_view import AdjudicationDialog

        dialog = AdjudicationDialog(self.host, self.state)
        self._opened(dialog)
        return dialog

    def merge_file(self, path: Path | None = None) -> Task[MergeSummary] | None:
        """Merge another reviewer's file into the review (asked for when ``path`` is None).

        The merge runs on a worker with its own connection, in one write
        transaction, behind a progress dialog whose Cancel rolls it back. A
        file that is not a review, or of another schema, is refused with the
        core's message and nothing is changed. Returns the running task
        (None when no file was chosen or it is the review itself).
        """
        from curator.services import ReviewService

        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self.host,
                "Merge reviewer file",
                str(self.state.folder),
                "Reviews (*.sqlite *.db *.curator *.json *.xlsx);;All files (*)",
            )
            if not chosen:
                return None
            path = Path(chosen)
        if isinstance(self.state.path, Path) and path.resolve() == self.state.path.resolve():
            self._tell(
                QMessageBox.Icon.Warning,
                "Curator — not merged",
                f"{path}: is the review itself; merge another reviewer's file",
            )
            return None
        ours, who, theirs_path = self.state.path, self.state.who, path

        def work(progress: Progress) -> MergeSummary:
            with ReviewService.open(ours, who) as review:  # a connection of the worker's own
                return review.checking.merge(theirs_path, progress=progress)

        def done(summary: MergeSummary) -> None:
            self.undo_stack.clear()  # a merge is one audited change, not undone here
            self.state.review_changed.emit()
            self.history.refresh()
            self.state.message.emit(f"Merged {theirs_path.name}")
            self._tell(QMessageBox.Icon.Information, "Merged", merge_summary_text(summary, theirs_path))

        def failed(message: str) -> None:
            self._tell(QMessageBox.Icon.Warning, "Curator — not merged", message)

        self.task = self.tasks.run("merge", f"Merging {path.name}", work, done, failed)
        return self.task

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.host)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box


def merge_summary_text(summary: MergeSummary, path: Path) -> str:
    """What a merge did, in a few lines."""
    lines = [f"Merged {path.name}:", *(f"• {line}" for line in summary.lines("Review ▸ Adjudication"))]
    return "\n".join(lines)
