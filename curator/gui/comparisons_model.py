"""The review's comparisons as a Qt table model (a thin adapter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from curator.checks import Finding
from curator.services import ComparisonSummary

__all__ = ["ComparisonsModel"]

Index = QModelIndex | QPersistentModelIndex


class ComparisonsModel(QAbstractTableModel):
    """One line per comparison: its title, rows, verified rows and open findings."""

    COLUMNS = ("Comparison", "Rows", "Verified here", "Findings")
    ObjectRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        comparisons: Sequence[ComparisonSummary] = (),
        findings: Sequence[Finding] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._comparisons = list(comparisons)
        self._findings = _count(findings)

    def set_comparisons(
        self, comparisons: Sequence[ComparisonSummary], findings: Sequence[Finding] | None = None
    ) -> None:
        self.beginResetModel()
        self._comparisons = list(comparisons)
        if findings is not None:
            self._findings = _count(findings)
        self.endResetModel()

    def set_findings(self, findings: Sequence[Finding]) -> None:
        """New finding counts (the comparisons stay)."""
        self._findings = _count(findings)
        if self._comparisons:
            last = self.index(len(self._comparisons) - 1, len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, len(self.COLUMNS) - 1), last)

    def update_counts(self, comparisons: Sequence[ComparisonSummary]) -> None:
        """The same comparisons with new row counts (no reset: the selection stays)."""
        self._comparisons = list(comparisons)
        if self._comparisons:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._comparisons) - 1, len(self.COLUMNS) - 1))

    def keys(self) -> list[str]:
        return [c.key for c in self._comparisons]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._comparisons)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._comparisons):
            return None
        comparison = self._comparisons[index.row()]
        if role == self.ObjectRole:
            return comparison
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                comparison.title,
                comparison.rows,
                comparison.verified,
                self._findings.get(comparison.key, 0),
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2:
                from curator.services import counts_words

                words = counts_words(comparison.verified, comparison.claimed)
                return f"{words}, by a reviewer other than the extractor"
            return f"{comparison.intervention} vs {comparison.comparator} ({comparison.key})"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:  # the counts' headers on two lines: the titles get the room
            return self.COLUMNS[section].replace(" ", "\n") if section else self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(self.COLUMNS[section])
        return None


_HEADER_TIPS = {
    "Rows": "Rows in the comparison",
    "Verified here": "Rows verified in this review by a second reviewer (not only claimed by a file)",
    "Findings": "Open findings of the checks on the comparison's rows",
}


def _count(findings: Sequence[Finding]) -> dict[str, int]:
    """Open findings per comparison key."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.comparison is not None:
            counts[finding.comparison] = counts.get(finding.comparison, 0) + 1
    return counts
