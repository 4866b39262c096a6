"""The review's references: a searchable table that takes dropped files.

Dropping RIS, PubMed (.nbib), BibTeX or CSL-JSON files on it imports their
references through the core (:mod:`curator.references`): unreadable records
are reported and the reviewer chooses to skip them or import nothing;
records that match a reference already there are shown pair by pair, each
to merge or to keep. "Merge references…" folds one selected reference into
another and re-points every citation; Ctrl+C (or the context menu) copies
the selected references' citations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from curator.errors import CuratorError
from curator.references import ImportPlan, format_vancouver, is_reference_file, plan_import, read_reference_file
from curator.review import Reference, Review

__all__ = ["ReferencesModel", "ReferencesView", "DuplicatesDialog"]

Index = QModelIndex | QPersistentModelIndex


class ReferencesModel(QAbstractTableModel):
    """Key, Vancouver citation, PMID, DOI and how many rows cite it; filtered in the model."""

    COLUMNS = ("Key", "Citation", "PMID", "DOI", "Cited by")
    ReferenceRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._refs: list[Reference] = []
        self._texts: list[tuple[str, str, str, str, int]] = []
        self._visible: list[int] = []
        self._filter = ""

    def set_review(self, review: Review) -> None:
        cited: dict[str, int] = {}
        for comparison in review.comparisons:
            for row in comparison.rows:
                for key in set(row.citations):
                    cited[key] = cited.get(key, 0) + 1
        self.beginResetModel()
        self._refs = list(review.references)
        self._texts = [
            (r.key, format_vancouver(r) or (r.note or ""), r.pmid or "", r.doi or "", cited.get(r.key, 0))
            for r in self._refs
        ]
        self._visible = self._compute()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = " ".join(text.split()).casefold()
        self._visible = self._compute()
        self.endResetModel()

    def _compute(self) -> list[int]:
        if not self._filter:
            return list(range(len(self._refs)))
        words = self._filter.split()
        return [
            i
            for i, texts in enumerate(self._texts)
            if all(w in " ".join(str(t) for t in texts[:4]).casefold() for w in words)
        ]

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
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[i][index.column()]
        if role == self.ReferenceRole:
            return self._refs[i]
        return None


class DuplicatesDialog(QDialog):
    """Each record that matches a reference already there, with a choice."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Curator — references already in the review")
        self.plan = plan
        self.pairs = list(plan.undecided)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{len(self.pairs)} imported records match references already there. "
                "For each, merge it (fill the empty fields of the one there) or keep both."
            )
        )
        self.table = QTableWidget(len(self.pairs), 4, self)
        self.table.setHorizontalHeaderLabels(["Already there", "In the file", "Why", "Do"])
        self.table.setWordWrap(True)
        self.choices: list[QComboBox] = []
        from PySide6.QtWidgets import QTableWidgetItem

        for r, pair in enumerate(self.pairs):
            there = f"[{pair.existing.key}] {format_vancouver(pair.existing)}"
            self.table.setItem(r, 0, QTableWidgetItem(there))
            self.table.setItem(r, 1, QTableWidgetItem(format_vancouver(pair.incoming)))
            self.table.setItem(r, 2, QTableWidgetItem(pair.why))
            choice = QComboBox()
            choice.setMaximumHeight(30)
            choice.addItem("Merge", "merge")
            choice.addItem("Keep both", "keep")
            self.table.setCellWidget(r, 3, choice)
            self.choices.append(choice)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(96)
        self.table.setColumnWidth(2, 110)
        self.table.setColumnWidth(3, 110)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 360)

    def accept(self) -> None:
        for pair, choice in zip(self.pairs, self.choices, strict=True):
            pair.decision = choice.currentData()
        super().accept()


class ReferencesView(QWidget):
    """Search box, the references table, Merge references…; files can be dropped on it."""

    #: Emitted after the review's references changed in the database.
    changed = Signal()

    def __init__(
        self, writer: Callable[[Callable[[Any], object]], object], who: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._write = writer  # runs a function with a write session on the review's database
        self.who = who
        self.review = Review()
        self.setAcceptDrops(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search references by key, citation, PMID or DOI — drop RIS/PubMed/BibTeX files here"
        )
        self.search.setClearButtonEnabled(True)
        self.model = ReferencesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (2, 90), (3, 170), (4, 70)):
            self.table.setColumnWidth(col, width)
        self.copy_action = QAction("Copy citation", self.table)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_citations)
        self.table.addAction(self.copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.merge_button = QPushButton("Merge references…")
        self.merge_button.setToolTip("Select two references: the first one selected is kept")
        self.merge_button.clicked.connect(self.merge_selected)
        top = QHBoxLayout()
        top.addWidget(self.search)
        top.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.search.textChanged.connect(self.model.set_filter)

    def set_review(self, review: Review) -> None:
        self.review = review
        self.model.set_review(review)

    # -- drag and drop ---------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.import_files(paths)

    # -- actions ---------------------------------------------------------------

    def import_files(self, paths: list[Path]) -> bool:
        """Import references from files, asking what to do about bad records
        and duplicates. Returns True when something was written."""
        from curator.store.references import apply_reference_import

        try:
            files = []
            for path in paths:
                if not is_reference_file(path):
                    raise CuratorError(f"{path}: not a RIS, PubMed, BibTeX or CSL-JSON file")
                files.append(read_reference_file(path))
        except CuratorError as exc:
            QMessageBox.warning(self, "Curator — import references", str(exc))
            return False
        problems = [p for f in files for p in f.problems]
        if problems:
            shown = "\n".join(str(p) for p in problems[:10])
            answer = QMessageBox.question(
                self,
                "Curator — records that cannot be read",
                f"{len(problems)} records cannot be read:\n\n{shown}\n\nSkip them and import the others?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        incoming = [ref for f in files for ref in f.references]
        where = [f"{Path(f.path).name}: {w}" for f in files for w in f.where]
        plan = plan_import(self.review.references, incoming, where=where)
        if plan.undecided and DuplicatesDialog(plan, self).exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            self._write(lambda session: apply_reference_import(session, plan, self.who))
        except CuratorError as exc:
            QMessageBox.warning(self, "Curator — import references", str(exc))
            return False
        self.changed.emit()
        return True

    def copy_citations(self) -> str:
        """Copy the selected references' Vancouver citations (one a line)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        refs = [self.model.data(self.model.index(row, 0), ReferencesModel.ReferenceRole) for row in rows]
        text = "\n".join(format_vancouver(ref) for ref in refs)
        QApplication.clipboard().setText(text)
        return text

    def merge_selected(self) -> bool:
        from curator.store.references import merge_references

        rows = self.table.selectionModel().selectedRows()
        refs = [self.model.data(index, ReferencesModel.ReferenceRole) for index in rows]
        if len(refs) != 2:
            QMessageBox.information(self, "Curator — merge references", "Select the two references to merge.")
            return False
        keep, drop = refs
        answer = QMessageBox.question(
            self,
            "Curator — merge references",
            f"Keep [{keep.key}] and fold [{drop.key}] into it? Every citation of [{drop.key}] will cite "
            f"[{keep.key}], and [{drop.key}] is deleted.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._write(lambda session: merge_references(session, keep.key, drop.key, self.who))
        self.changed.emit()
        return True
