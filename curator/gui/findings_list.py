"""Every open finding of the review in one table: filter, go to it, accept it.

The status bar's count of open findings opens this list (so does F8,
Review > All open findings…); it shows exactly the findings that count
holds, the live checks' own list (:class:`~curator.gui.live_checks.LiveChecks`),
never computed again here. Findings about rows come first, in the order of
the comparisons and their rows, then those about references, then those
about the whole review. The severity and rule filters narrow the table;
Enter (or a double-click) on a line emits ``activated`` with its finding,
and the window goes to its cell or to its reference; Accept finding… (or
Ctrl+Shift+A) emits ``accept_requested``; a finding that offers a one-step
fix (:mod:`curator.gui.remedies`: Move SDs to SE) shows a button for it,
which emits ``remedy_requested``; Escape emits ``dismissed`` (the
window closes the list and puts the cursor back where it was working).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.checks import Finding
from curator.fields import reference_field
from curator.gui.finding_marks import RANK, SEVERITY_WORDS, brush, icon
from curator.gui.remedies import remedy_words
from curator.naming import Arms
from curator.naming import field_label as named_field

__all__ = ["FindingsListModel", "FindingsList", "Places", "field_label"]

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Places:
    """What the list needs to name where a finding is, in people's words."""

    #: comparison key -> (title, intervention arm label, comparator arm label), in the review's order
    comparisons: dict[str, tuple[str, str, str]]
    #: reference key -> a short line naming it ("Kapp et al., 2002"), in the review's order
    references: dict[str, str]


def field_label(finding: Finding, arms: tuple[str, str] = ("", "")) -> str:
    """The field a finding is about, named as everywhere else (:func:`curator.naming.field_label`:
    "Pimecrolimus Group: n", "Vehicle arm: value") or by its reference label ("DOI"); "" for a whole
    row or reference."""
    if finding.field is None:
        return ""
    if finding.comparison is None:
        try:
            return reference_field(finding.field).label
        except KeyError:
            return finding.field
    return named_field(finding.field, Arms(*arms))


class FindingsListModel(QAbstractTableModel):
    """The open findings, filtered by severity and rule in the model (a list of visible indices)."""

    COLUMNS = ("Severity", "Where", "Row", "Field", "Message", "Rule")
    FindingRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._texts: list[tuple[str, str, str, str, str, str]] = []
        self._visible: list[int] = []
        self.severity: str | None = None
        self.rule: str | None = None
        self._places: Places | None = None
        #: finding -> (its place in the order, its texts), for the places in ``_places``
        self._known: dict[Finding, tuple[tuple[int, int, int], tuple[str, str, str, str, str, str]]] = {}

    def set_findings(self, findings: Sequence[Finding], places: Places) -> None:
        """Show ``findings`` (all of them; the filters stay).

        Each finding's place in the order and its texts are kept for the next call with the same
        ``places``: after an edit the live checks send the review's findings again, nearly all
        unchanged, and the list is not worded again (5,000 findings took 50 ms, now a few)."""
        if places != self._places:
            self._places, self._known = places, {}
        order = {key: i for i, key in enumerate(places.comparisons)}
        ref_order = {key: i for i, key in enumerate(places.references)}

        def sort_key(finding: Finding) -> tuple[int, int, int]:
            if finding.comparison is not None:
                return (0, order.get(finding.comparison, len(order)), finding.row or 0)
            if finding.reference is not None:
                return (1, ref_order.get(finding.reference, len(ref_order)), 0)
            return (2, 0, 0)

        known, kept = self._known, {}
        shown = []
        for finding in findings:
            entry = known.get(finding)
            if entry is None:
                entry = (sort_key(finding), _texts(finding, places))
            kept[finding] = entry
            shown.append((entry, finding))
        self._known = kept  # only the findings shown now: the cache never outgrows the list
        shown.sort(key=lambda pair: pair[0][0])  # stable: the checks' order within a row
        self.beginResetModel()
        self._findings = [finding for _entry, finding in shown]
        self._texts = [entry[1] for entry, _finding in shown]
        self._visible = self._compute()
        self.endResetModel()

    def set_filter(self, severity: str | None, rule: str | None) -> None:
        """Show only the findings of ``severity`` and ``rule`` (None: any)."""
        self.beginResetModel()
        self.severity, self.rule = severity, rule
        self._visible = self._compute()
        self.endResetModel()

    def _compute(self) -> list[int]:
        return [
            i
            for i, f in enumerate(self._findings)
            if (self.severity is None or f.severity == self.severity) and (self.rule is None or f.rule == self.rule)
        ]

    @property
    def findings(self) -> list[Finding]:
        """Every finding shown when nothing is filtered out."""
        return list(self._findings)

    def finding(self, row: int) -> Finding | None:
        return self._findings[self._visible[row]] if 0 <= row < len(self._visible) else None

    def view_row(self, finding: Finding) -> int | None:
        for row, i in enumerate(self._visible):
            if self._findings[i] == finding:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        i = self._visible[index.row()]
        finding = self._findings[i]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[i][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._texts[i][index.column()]}\n\nOn the command line: {finding.locator}"
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return icon(finding.severity)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return brush(finding.severity)
        if role == self.FindingRole:
            return finding
        return None


def _texts(finding: Finding, places: Places) -> tuple[str, str, str, str, str, str]:
    severity = SEVERITY_WORDS.get(finding.severity, finding.severity)
    if finding.comparison is not None:
        title, intervention, comparator = places.comparisons.get(finding.comparison, (finding.comparison, "", ""))
        row = "" if finding.row is None else f"{finding.row + 1}"
        if finding.endpoint:
            row = f"{row} · {finding.endpoint}" if row else finding.endpoint
        where = title
        field = field_label(finding, (intervention, comparator))
    elif finding.reference is not None:
        line = places.references.get(finding.reference, "")
        where, row = f"Reference [{finding.reference}]" + (f" {line}" if line else ""), ""
        field = field_label(finding)
    else:
        where, row, field = "The review", "", finding.field or ""
    return (severity, where, row, field, finding.message, finding.rule)


class FindingsList(QWidget):
    """Severity and rule filters above the table of findings; Go to and Accept below."""

    #: a finding to go to (its cell, or its reference)
    activated = Signal(object)
    #: a finding the reviewer wants to accept with a reason
    accept_requested = Signal(object)
    #: a finding whose one-step fix the reviewer asks for
    remedy_requested = Signal(object)
    #: Escape: the reviewer is done with the list
    dismissed = Signal()

    ALL_SEVERITIES = "All severities"
    ALL_RULES = "All rules"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsListModel(self)
        self.severity_box = QComboBox()
        self.severity_box.setToolTip("Show the findings of one severity")
        self.rule_box = QComboBox()
        self.rule_box.setToolTip("Show the findings of one rule")
        self.rule_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the filters and buttons
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((90, 260, 200, 190, 400, 150)):
            self.table.setColumnWidth(col, width)
        self.go_button = QPushButton("Go to")
        self.go_button.setToolTip("Show the selected finding's cell, or its reference (Enter)")
        self.accept_button = QPushButton("Accept finding…")
        self.accept_button.setToolTip("Accept the selected finding with a reason (Ctrl+Shift+A)")
        self.remedy_button = QPushButton()
        self.remedy_button.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.severity_box)
        top.addWidget(self.rule_box)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.go_button)
        top.addWidget(self.remedy_button)
        top.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        # Filters, then the table, then its buttons: Shift+Tab from the table reaches the rule filter.
        QWidget.setTabOrder(self.severity_box, self.rule_box)
        QWidget.setTabOrder(self.rule_box, self.table)
        QWidget.setTabOrder(self.table, self.go_button)
        QWidget.setTabOrder(self.go_button, self.remedy_button)
        QWidget.setTabOrder(self.remedy_button, self.accept_button)
        self.severity_box.currentIndexChanged.connect(self._filter_changed)
        self.rule_box.currentIndexChanged.connect(self._filter_changed)
        self.table.activated.connect(self._activated)
        self.go_button.clicked.connect(self._go)
        self.accept_button.clicked.connect(self._accept)
        self.remedy_button.clicked.connect(self._remedy)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._buttons())
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.dismissed)
        self._fill_boxes()
        self._show_count()
        self._buttons()

    def set_findings(self, findings: Sequence[Finding], places: Places) -> None:
        """Show the open findings, keeping the filters and, where it still is, the selected one."""
        current = self.current()
        row = self.table.currentIndex().row()
        self.model.set_findings(findings, places)
        self._fill_boxes()
        self._reselect(current, row)
        self._show_count()

    def _fill_boxes(self) -> None:
        findings = self.model.findings
        severity, rule = self.model.severity, self.model.rule
        for box in (self.severity_box, self.rule_box):
            box.blockSignals(True)
            box.clear()
        severities = Counter(f.severity for f in findings)
        rules = Counter(f.rule for f in findings)
        self.severity_box.addItem(self.ALL_SEVERITIES, None)
        for name in sorted(RANK, key=lambda s: -RANK[s]):
            self.severity_box.addItem(f"{SEVERITY_WORDS[name]} ({severities[name]})", name)
        self.rule_box.addItem(self.ALL_RULES, None)
        for name in sorted(set(rules) | ({rule} if rule else set())):
            self.rule_box.addItem(f"{name} ({rules[name]})", name)
        self.severity_box.setCurrentIndex(max(0, self.severity_box.findData(severity)))
        self.rule_box.setCurrentIndex(max(0, self.rule_box.findData(rule)))
        for box in (self.severity_box, self.rule_box):
            box.blockSignals(False)

    def _filter_changed(self) -> None:
        current = self.current()
        self.model.set_filter(self.severity_box.currentData(), self.rule_box.currentData())
        self._reselect(current, 0)
        self._show_count()

    def _reselect(self, finding: Finding | None, row: int) -> None:
        view_row = self.model.view_row(finding) if finding is not None else None
        if view_row is None:
            view_row = min(max(row, 0), self.model.rowCount() - 1)
        if view_row >= 0:
            self.table.setCurrentIndex(self.model.index(view_row, 0))
        self._buttons()

    def _show_count(self) -> None:
        total, shown = len(self.model.findings), self.model.rowCount()
        noun = "open finding" if total == 1 else "open findings"
        self.count_label.setText(f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown")

    def _buttons(self) -> None:
        current = self.current()
        self.go_button.setEnabled(current is not None)
        self.accept_button.setEnabled(current is not None)
        words = remedy_words(current)
        self.remedy_button.setVisible(words is not None)
        if words is not None:
            self.remedy_button.setText(words[0])
            self.remedy_button.setToolTip(words[1])

    def current(self) -> Finding | None:
        """The selected finding, if any."""
        index = self.table.currentIndex()
        return self.model.finding(index.row()) if index.isValid() else None

    def select(self, finding: Finding) -> bool:
        row = self.model.view_row(finding)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def focus(self) -> None:
        """Put the cursor in the table, on the selected finding (the first when none is)."""
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus()

    def _activated(self, index: QModelIndex) -> None:
        finding = self.model.finding(index.row())
        if finding is not None:
            self.activated.emit(finding)

    def _go(self) -> None:
        finding = self.current()
        if finding is not None:
            self.activated.emit(finding)

    def _accept(self) -> None:
        finding = self.current()
        if finding is not None:
            self.accept_requested.emit(finding)

    def _remedy(self) -> None:
        finding = self.current()
        if remedy_words(finding) is not None:
            self.remedy_requested.emit(finding)
