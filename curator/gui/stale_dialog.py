"""A save refused as stale: theirs and yours side by side, and the reviewer chooses (issue 16).

Every edit is compare-and-set on the value the reviewer saw. When someone
else changed that value meanwhile (another window, another reviewer,
``curator fix`` in a terminal), the service refuses the edit
(:class:`~curator.errors.StaleWrite`, nothing written) and
:class:`StaleWrites` opens :class:`StaleWriteDialog`: *theirs* (stored now,
who changed it and when, from the audit log) beside *yours* (typed, not
saved), and the value yours was typed over. **Keep theirs** (T, Enter or
Esc) shows the row as they left it; **Apply mine** (M) saves yours as a new,
undoable edit, compare-and-set against theirs, so a third change meanwhile
is refused again rather than overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.errors import StaleWrite
from curator.naming import field_label

if TYPE_CHECKING:
    from curator.gui.app import MainWindow
    from curator.services import ReviewService

__all__ = ["StaleWriteDialog", "StaleWrites", "field_dialog"]


def _value(text: str | None) -> str:
    return text if text else "(empty)"


class StaleWriteDialog(QDialog):
    """Theirs and yours for one field; ``accepted`` is Apply mine, ``rejected`` Keep theirs."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        place: str,
        label: str,
        theirs: str,
        by: str,
        yours: str,
        over: str,
        yours_note: str | None = None,
    ) -> None:
        """``yours_note`` says what yours is (by default: typed over ``over``, the value the reviewer saw)."""
        super().__init__(parent)
        self.setWindowTitle("Curator — changed meanwhile")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        heading = QLabel(
            f"<b>{place}</b> was changed {by} while you were editing it. "
            "Yours is not saved yet: keep theirs, or apply yours over it."
        )
        heading.setWordWrap(True)
        grid = QGridLayout()
        self.theirs_label = QLabel(_value(theirs))
        self.yours_label = QLabel(_value(yours))
        big = self.theirs_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        for column, (title, value, note) in enumerate(
            (
                ("Theirs — stored now", self.theirs_label, f"{label} as it is stored now"),
                (
                    "Yours — not saved",
                    self.yours_label,
                    yours_note or f"typed over {_value(over)}, the value you saw",
                ),
            )
        ):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
            value.setFont(big)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setStyleSheet("QLabel { border: 1px solid #bbb; padding: 6px; background: white; }")
            grid.addWidget(value, 1, column)
            small = QLabel(note)
            small.setWordWrap(True)
            small.setStyleSheet("QLabel { color: #555; }")
            small.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(small, 2, column)
            grid.setColumnStretch(column, 1)
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton("Keep &theirs (T)")
        self.apply_button = QPushButton("Apply &mine (M)")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.keep_button.setFocus()
        self.setMinimumWidth(560)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """T keeps theirs, M applies mine (Enter and Esc keep theirs)."""
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() == Qt.Key.Key_M:
            self.accept()
        elif event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() == Qt.Key.Key_T:
            self.reject()
        else:
            super().keyPressEvent(event)


class StaleWrites(QObject):
    """Opens :class:`StaleWriteDialog` for an edit the window's service refused as stale, and does what the
    reviewer chooses."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The dialog on show (None when none): the tests drive it with keys.
        self.dialog: StaleWriteDialog | None = None
        window.state.stale_refused.connect(self.refused)

    def refused(self, error: StaleWrite, changes: dict[str, tuple[str, str]]) -> None:
        w = self.window
        comparison, position, name = error.comparison, error.position, error.field
        if comparison is None or position is None or name is None or name not in changes:
            QMessageBox.warning(w, "Curator — not saved", str(error))  # not about this edit's field: say it
            return
        theirs, yours = error.theirs or "", changes[name][1]
        self.dialog = dialog = field_dialog(
            w, w.service, error, yours=yours, over=changes[name][0], endpoint=self._endpoint(comparison, position)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        again = {**changes, name: (theirs, yours)}
        dialog.accepted.connect(lambda: self._apply_mine(comparison, position, again))
        dialog.rejected.connect(lambda: self._keep_theirs(comparison, position))
        dialog.finished.connect(self._closed)
        dialog.open()

    def _endpoint(self, comparison: str, position: int) -> str | None:
        w = self.window
        if w.comparison_key() == comparison and 0 <= position < w.row_count():
            return w.row_at(position).endpoint
        return None

    def _closed(self) -> None:
        self.dialog = None

    def _apply_mine(self, comparison: str, position: int, changes: dict[str, tuple[str, str]]) -> None:
        """Save yours over theirs: a new edit, undoable, compare-and-set against theirs."""
        from curator.gui.commands import EditCommand, EditFieldsCommand

        state, stack = self.window.state, self.window.undo_stack
        if len(changes) == 1:
            ((name, (old, new)),) = changes.items()
            stack.push(EditCommand(state, comparison, position, name, old, new))
        else:
            stack.push(EditFieldsCommand(state, comparison, position, changes))

    def _keep_theirs(self, comparison: str, position: int) -> None:
        """Yours is dropped: show the row as they left it."""
        self.window.live.show_row(comparison, position)
        self.window.show_message("Kept theirs; your value was not saved")


def field_dialog(
    parent: QWidget,
    service: ReviewService,
    error: StaleWrite,
    *,
    yours: str,
    over: str,
    endpoint: str | None = None,
    yours_note: str | None = None,
) -> StaleWriteDialog:
    """The dialog for a write about a row's field that ``service`` refused as stale (``error`` names the row and
    the field, and holds theirs): who changed it last and when, from the audit log, beside ``yours``. Not shown
    yet: the caller connects Apply mine (``accepted``) and Keep theirs (``rejected``), then opens it."""
    comparison, position, name = error.comparison, error.position, error.field
    assert comparison is not None and position is not None and name is not None
    last = service.live.last_change(comparison, position, name)
    return StaleWriteDialog(
        parent,
        place=service.field_place(comparison, position, name, endpoint),
        label=field_label(name, service.arms(comparison)),
        theirs=error.theirs or "",
        by="by someone" if last is None else f"by {last.who} at {_when(last.at)}",
        yours=yours,
        over=over,
        yours_note=yours_note,
    )


def _when(at: object) -> str:
    from curator.services.story import when

    return when(at)  # type: ignore[arg-type]
