"""The findings of the shown comparison, below its table.

One line a finding (severity, row, endpoint, message; the locator as its
tooltip), the first 2,000 of a huge comparison; clicking a line, or Enter
on it, emits ``activated`` with the finding, and the window selects its
cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from curator.checks import Finding
from curator.naming import row_number

__all__ = ["FindingsPanel", "SHOWN"]

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

    def show_findings(self, comparison: str | None, findings: Sequence[Finding]) -> None:
        """List the findings about ``comparison`` (none when it is None)."""
        self.list.clear()
        mine = [f for f in findings if comparison is not None and f.comparison == comparison]
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
