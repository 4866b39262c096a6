"""The dialog that shows imported records that look like references already
in the review, pair by pair, each to merge, to keep or to leave out.

Only the uncertain pairs come here (a title equal or nearly so, no shared
DOI or PMID): a record sharing an identifier is merged without a question."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from curator.formats.references import format_vancouver
from curator.references import ImportPlan

__all__ = ["DuplicatesDialog"]


class DuplicatesDialog(QDialog):
    """Each record that looks like a reference already there, with a choice."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Curator — references already in the review")
        self.plan = plan
        self.pairs = list(plan.undecided)
        layout = QVBoxLayout(self)
        one = len(self.pairs) == 1
        intro = QLabel(
            f"{len(self.pairs)} imported record{'' if one else 's'} look{'s' if one else ''} like "
            f"{'a reference' if one else 'references'} already there, but no DOI or PMID says so for certain. "
            "For each, merge it (fill the empty fields of the one there), keep both, or leave it out."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        merged = [p for p in plan.pairs if p.certain and p.decision == "merge"]
        if merged:
            keys = ", ".join(dict.fromkeys(p.existing.key for p in merged if not p.in_file))
            said = QLabel(
                f"{len(merged)} other record{'' if len(merged) == 1 else 's'} "
                f"share{'s' if len(merged) == 1 else ''} a DOI or PMID with "
                + (f"reference {keys}" if keys else "an earlier record")
                + ": merged without asking."
            )
            said.setWordWrap(True)
            layout.addWidget(said)
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
            choice.addItem("Leave it out", "skip")
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
