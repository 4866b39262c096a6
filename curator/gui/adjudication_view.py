"""Adjudication: the fields two reviewers entered differently, side by side, and a third one's decision.

A table of the open items (:func:`~curator.services.items`):
the row, its endpoint, the field, value A and value B each with who entered
it, and the source quote; "Show decided" lists the decided ones too, with
their decision. Below, the selected item: its source location and verbatim
quote, and the choice: **A**, **B**, or a **new value** (validated as it is
typed by :func:`~curator.formats.flat.parse_field`; kept and marked with the
reason when it does not fit) with a reason (required for a new value).
Decide (Enter in the reason) calls :func:`~curator.services.decide`
in one write transaction; the item leaves the list and the next one is
selected. A refusal (you entered one of the values, no reason for a new
value) is shown in the view and nothing is written. Alt+A, Alt+B and Alt+N
choose; Escape closes.

Working at once (issue 16): the panel shows the field's value in the review
now, and a decision expects it (compare-and-set): when another reviewer
changed the field meanwhile, the refusal opens
:class:`~curator.gui.stale_dialog.StaleWriteDialog`, theirs beside your
decision; **Apply mine** (M) decides again over theirs, **Keep theirs** (T)
leaves the item open, as it is now. What others change (a decision, a fix, a
new item) shows within a second, as in the window (``ReviewState.others_changed``),
keeping the item selected and the choice, value and reason being typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.errors import StaleWrite
from curator.fields import parse as parse_field
from curator.gui.state import ReviewState, mark_invalid
from curator.gui.working_at_once import WorkingAtOnce, shown_as_left
from curator.naming import field_label, from_words, row_place, value_words
from curator.services import Item

if TYPE_CHECKING:
    from curator.gui.stale_dialog import StaleWriteDialog
    from curator.services.live import Changes

__all__ = ["AdjudicationModel", "AdjudicationDialog", "value_with_who"]

Index = QModelIndex | QPersistentModelIndex


def value_with_who(value: str | None, who: str | None, field: str = "") -> str:
    """``'50.8' (Ana)``; ``nothing`` for an empty value; a yes/no or a choice of ``field`` in the
    words the row form shows (``'yes' (Ana)``, not ``'true'``)."""
    shown = "nothing" if value is None else repr(value_words(field, value) if field else value)
    return f"{shown} ({who})" if who else shown


def _decision(item: Item) -> str:
    if item.is_open:
        return "open"
    reason = f": {item.reason}" if item.reason else ""
    return f"{item.choice} {value_with_who(item.final, None, item.field)} by {item.decided_by}{reason}"


class AdjudicationModel(QAbstractTableModel):
    """One line per adjudication item."""

    COLUMNS = ("#", "Row", "Endpoint", "Field", "Value A", "Value B", "Source quote", "Decision")
    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[Item] = []

    def set_items(self, items: Sequence[Item]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == self.ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            quote = item.source_quote or ""
            if role == Qt.ItemDataRole.DisplayRole:
                quote = " │ ".join(" ".join(cell.split()) for cell in quote.split("\t"))
            return (
                item.id,
                row_place(item.comparison, item.position),
                item.endpoint,
                field_label(item.field, item.arms),
                value_with_who(item.value_a, item.who_a, item.field),
                value_with_who(item.value_b, item.who_b, item.field),
                quote,
                _decision(item),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in (4, 5) and item.is_open:
            return QBrush(QColor("#FFF2CC"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class AdjudicationDialog(QDialog):
    """The items side by side; decide the selected one."""

    def __init__(self, parent: QWidget, state: ReviewState) -> None:
        super().__init__(parent)
        from curator.gui.source_box import SourceBox

        self.state = state
        self.who = state.who
        self.changed = False
        self.setWindowTitle(f"Adjudication — {self.who}")

        self.count = QLabel()
        self.show_decided = QCheckBox("Show &decided")
        self.show_decided.toggled.connect(lambda _on: self.refresh())
        self.model = AdjudicationModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((34, 110, 210, 130, 100, 100, 200, 80)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_item())

        self.source = SourceBox(self, quote_lines=2)
        self.item_label = QLabel()
        self.item_label.setTextFormat(Qt.TextFormat.PlainText)
        self.choice_a = QRadioButton("&A")
        self.choice_b = QRadioButton("&B")
        self.choice_new = QRadioButton("&New value:")
        self.choices = QButtonGroup(self)
        for button in (self.choice_a, self.choice_b, self.choice_new):
            self.choices.addButton(button)
        self.new_value = QLineEdit()
        self.new_value.setPlaceholderText("the value as the source prints it")
        self.new_value.textEdited.connect(self._new_value_typed)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why (required for a new value)")
        self.decide_button = QPushButton("D&ecide")
        self.decide_button.setDefault(True)
        self.decide_button.clicked.connect(self.decide)
        self.message = QLabel()
        self.message.setWordWrap(True)
        #: Its writes, messages and following of others' changes, as verify mode's.
        self.at_once = WorkingAtOnce(self, state, self.message, self._others_changed)
        choice = QGridLayout()
        choice.addWidget(self.choice_a, 0, 0)
        choice.addWidget(self.choice_b, 1, 0)
        choice.addWidget(self.choice_new, 2, 0)
        choice.addWidget(self.new_value, 2, 1)
        choice.addWidget(QLabel("Reason:"), 3, 0)
        choice.addWidget(self.reason, 3, 1)
        choice.addWidget(self.decide_button, 3, 2)
        choice.setColumnStretch(1, 1)
        self.panel = QGroupBox("Decision")
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.addWidget(self.item_label)
        panel_layout.addWidget(self.source)
        panel_layout.addLayout(choice)
        panel_layout.addWidget(self.message)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        top = QGridLayout()
        top.addWidget(self.count, 0, 0)
        top.addWidget(self.show_decided, 0, 1, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.panel)
        layout.addWidget(close)
        self.resize(1080, 620)
        self.refresh()

    @property
    def stale(self) -> StaleWriteDialog | None:
        """The theirs-and-yours dialog on show after a decision refused as stale (None when none)."""
        return self.at_once.stale

    # -- reading -------------------------------------------------------------------------

    def refresh(self, select: int = 0, *, keep: int | None = None) -> None:
        """Read the items again; select the one at view row ``select`` (or the last), or item ``keep`` while
        it is listed."""
        found = self.state.service.checking.adjudication_items(open_only=not self.show_decided.isChecked())
        select = next((row for row, item in enumerate(found) if item.id == keep), select)
        still_open = sum(1 for item in found if item.is_open)
        self.model.set_items(found)
        self.count.setText(
            f"<b>{still_open} open</b> adjudication {'item' if still_open == 1 else 'items'}"
            + ("" if still_open else ": nothing to decide")
        )
        if found:
            row = min(select, len(found) - 1)
            self.view.setCurrentIndex(self.model.index(row, 0))
        self._show_item()

    @property
    def current_item(self) -> Item | None:
        index = self.view.currentIndex()
        item = self.model.data(index, AdjudicationModel.ItemRole) if index.isValid() else None
        return item if isinstance(item, Item) else None

    def _show_item(self) -> None:
        item = self.current_item
        self.message.clear()
        self.new_value.clear()
        mark_invalid(self.new_value, None)
        self.reason.clear()
        self.choices.setExclusive(False)
        for button in (self.choice_a, self.choice_b, self.choice_new):
            button.setChecked(False)
        self.choices.setExclusive(True)
        if item is None:
            self.item_label.setText("")
            self.source.set_source(None, None)
            self.choice_a.setText("&A")
            self.choice_b.setText("&B")
            self.panel.setEnabled(False)
            return
        self.panel.setEnabled(item.is_open)
        self.panel.setTitle(f"Item {item.id}: {'decide' if item.is_open else _decision(item)}")
        where = row_place(item.comparison, item.position)
        now = value_with_who(item.current or None, None, item.field)
        self.item_label.setText(
            f"{where} · {item.endpoint} · {field_label(item.field, item.arms)}  ({item.origin})"
            + (f" · in the review now: {now}" if item.is_open else "")
        )
        self.source.set_source(item.source_location, item.source_quote)
        self.choice_a.setText("&A: " + value_with_who(item.value_a, item.who_a, item.field).replace("&", "&&"))
        self.choice_b.setText("&B: " + value_with_who(item.value_b, item.who_b, item.field).replace("&", "&&"))

    # -- deciding ------------------------------------------------------------------------

    def _new_value_typed(self, text: str) -> bool:
        """A new value is checked as it is typed; one that does not fit is kept, marked, with the reason."""
        self.choice_new.setChecked(True)
        item = self.current_item
        if item is None:
            return False
        try:
            parse_field(item.field, from_words(item.field, text))
        except ValueError as exc:
            mark_invalid(self.new_value, f"{field_label(item.field, item.arms)}: {exc}")
            self.at_once.say(f"{field_label(item.field, item.arms)}: {exc}", error=True)
            return False
        mark_invalid(self.new_value, None)
        self.message.clear()
        return True

    def choose(self, choice: str, *, value: str = "", reason: str = "") -> None:
        """Set the choice (``a``, ``b`` or ``new``) as a reviewer would, without deciding."""
        {"a": self.choice_a, "b": self.choice_b, "new": self.choice_new}[choice].setChecked(True)
        if value:
            self.new_value.setText(value)
            self._new_value_typed(value)
        if reason:
            self.reason.setText(reason)

    def decide(self) -> Item | None:
        """Decide the selected item as chosen (one write transaction); the next item is selected."""
        item = self.current_item
        if item is None or not item.is_open:
            return None
        checked = self.choices.checkedButton()
        if checked is None:
            self.at_once.say("Choose A, B or a new value first.", error=True)
            return None
        choice = "a" if checked is self.choice_a else "b" if checked is self.choice_b else "new"
        value = self.new_value.text() if choice == "new" else None
        if value is not None and not self._new_value_typed(value):
            return None
        if value is not None:
            value = from_words(item.field, value)  # yes, Kaplan–Meier: stored as TRUE, kaplan_meier
        reason = self.reason.text()
        row = self.view.currentIndex().row()
        return self._decide(item, choice, value, reason, item.current, row)

    def _decide(self, item: Item, choice: str, value: str | None, reason: str, expected: str, row: int) -> Item | None:
        """Decide ``item``, compare-and-set on ``expected`` (the field's value as shown); a refusal because
        it moved meanwhile shows theirs and yours."""
        ok, decided = self.at_once.run(
            lambda: self.state.service.checking.decide(
                item.id, choice, value=value, reason=reason or None, expected=expected
            ),
            lambda exc: self._refused(exc, item, choice, value, reason, row),
        )
        if not ok:
            return None
        assert isinstance(decided, Item)
        self.changed = True
        self.refresh(select=row + 1 if self.show_decided.isChecked() else row)
        self.at_once.say(f"Item {decided.id} decided: {_decision(decided)}")
        return decided

    def _refused(self, error: StaleWrite, item: Item, choice: str, value: str | None, reason: str, row: int) -> None:
        """The decision was refused because someone changed the field meanwhile: theirs beside the value
        decided. Apply mine decides again over theirs; Keep theirs leaves the item open, shown as it is now."""
        final = item.value_a if choice == "a" else item.value_b if choice == "b" else value
        chosen = {"a": f"A ({item.who_a})" if item.who_a else "A", "b": f"B ({item.who_b})" if item.who_b else "B"}
        said = chosen.get(choice, "a new value")
        shown = value_with_who(item.current or None, None, item.field)
        theirs = error.theirs or ""
        self.at_once.ask(
            error,
            yours=final or "",
            over=item.current,
            endpoint=item.endpoint,
            yours_note=f"your decision, {said}, over {shown} in the review as you saw it",
            apply_mine=lambda: self._decide(item, choice, value, reason, theirs, row),
            keep_theirs=lambda: self._keep_theirs(item),
        )

    def _keep_theirs(self, item: Item) -> None:
        self.refresh(keep=item.id)
        self.at_once.say(f"Kept theirs: item {item.id} is still open, shown as it is now.")

    # -- others' changes -------------------------------------------------------------------

    def _others_changed(self, changes: Changes) -> None:
        """Another reviewer changed the review: read the items again, keeping the one selected and what is
        being typed for it."""
        item = self.current_item
        checked = self.choices.checkedButton()
        typed = (self.new_value.text(), self.reason.text())
        focus = self.focusWidget()
        self.refresh(keep=item.id if item is not None else None)
        now = self.current_item
        said = shown_as_left(changes)
        if item is not None and now is not None and now.id == item.id and now.is_open:
            self.new_value.setText(typed[0])
            self.reason.setText(typed[1])
            if checked is self.choice_new and not self._new_value_typed(typed[0]):
                said = ""  # the reason the new value does not fit stays said
            elif checked is not None:
                checked.setChecked(True)
            if focus is not None:
                focus.setFocus()
        if said:
            self.at_once.say(said)

    def done(self, result: int) -> None:
        """Closing stops following others' changes."""
        self.at_once.stop()
        super().done(result)
