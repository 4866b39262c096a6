"""The findings of the shown comparison, below its table; a reference's, under its form.

:class:`FindingsPanel`: one line a finding (severity, row, endpoint,
message; the locator as its tooltip), the first 2,000 of a huge comparison;
clicking a line, or Enter on it, emits ``activated`` with the finding, and
the window selects its cell.

:class:`ReferenceFindingsBox`: the selected reference's open findings under
the reference form, with Accept finding… (``accept_requested``): the same
acceptance with a reason as a row's findings have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from curator.checks import Finding
from curator.gui.finding_marks import icon
from curator.naming import row_number

__all__ = ["FindingsPanel", "ReferenceFindingsBox", "SHOWN"]

#: A comparison's findings listed at most (the count says how many there are).
SHOWN = 2000


class FindingsPanel(QWidget):
    """A comparison's findings, one line each."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        #: the comparison and the findings listed
        self._shown: tuple[str | None, list[Finding]] = (None, [])

    def show_findings(self, comparison: str | None, findings: Sequence[Finding]) -> None:
        """List the findings about ``comparison`` (none when it is None).

        The same findings as shown already (an edit that changed none of them) are left as they are:
        listing 2,000 wrapped lines again took some 70 ms of every edit of a big comparison."""
        mine = [f for f in findings if comparison is not None and f.comparison == comparison]
        shown_comparison, shown = self._shown
        if comparison == shown_comparison and len(mine) == len(shown) and Counter(mine) == Counter(shown):
            return
        self._shown = (comparison, mine)
        self.list.clear()
        for finding in mine[:SHOWN]:
            item = QListWidgetItem(
                f"{finding.severity.upper()}  row {row_number(finding.row) if finding.row is not None else '?'} · "
                f"{finding.endpoint}: {finding.message}"
            )
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(finding.locator)
            self.list.addItem(item)
        more = f" (the first {SHOWN:,} listed)" if len(mine) > SHOWN else ""
        self.label.setText(f"<b>Findings</b> in this comparison: {len(mine)}{more}")

    def current(self) -> Finding | None:
        item = self.list.currentItem()
        finding = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return finding if isinstance(finding, Finding) else None

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.activated.emit(finding)


class ReferenceFindingsBox(QWidget):
    """The open findings of one reference, and Accept finding… for the selected one."""

    #: a finding the reviewer wants to accept with a reason
    accept_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(110)
        self.accept_button = QPushButton("Accept finding…")
        self.accept_button.setToolTip(
            "Accept the selected finding with a reason (Ctrl+Shift+A); it stops counting as open"
        )
        self.accept_button.clicked.connect(self._accept)
        self.list.currentItemChanged.connect(lambda item, _old: self.accept_button.setEnabled(item is not None))
        self.list.itemActivated.connect(lambda _item: self._accept())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.list)
        layout.addWidget(self.accept_button)
        self.show_findings([])

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """List a reference's findings (the first selected, so Accept takes it)."""
        self.list.clear()
        for finding in findings:
            item = QListWidgetItem(
                icon(finding.severity),
                f"{finding.severity.upper()}  {finding.message}",  # as the row's findings
            )
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(f"{finding.message}\n\nOn the command line: {finding.locator}")
            self.list.addItem(item)
        self.label.setText(f"<b>Findings on this reference:</b> {len(findings) or 'none'}")
        if findings:
            self.list.setCurrentRow(0)
        self.accept_button.setEnabled(bool(findings))

    def findings(self) -> list[Finding]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def select(self, finding: Finding) -> bool:
        found = self.findings()
        if finding not in found:
            return False
        self.list.setCurrentRow(found.index(finding))
        return True

    def current(self) -> Finding | None:
        item = self.list.currentItem()
        finding = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return finding if isinstance(finding, Finding) else None

    def _accept(self) -> None:
        finding = self.current()
        if finding is not None:
            self.accept_requested.emit(finding)
