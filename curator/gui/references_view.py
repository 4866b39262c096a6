"""The review's references: a searchable, editable table that takes dropped files.

Add (Insert), edit and delete (Delete) references: Key, PMID and DOI can be
typed into the table, every field into the form beside it; what is typed is
checked as it is typed (:func:`curator.services.parse_reference_field`)
and text that does not fit is kept, marked, with its reason. Each change is
an undoable command (:mod:`curator.gui.reference_commands`) calling a core
service in its own audited transaction; a reference still cited cannot be
deleted, and the message names the rows that cite it.

Dropping RIS, PubMed (.nbib), BibTeX, CSL-JSON or Web of Science files on it imports their
references through the core (:mod:`curator.references`): unreadable records
are reported and the reviewer chooses to skip them or import nothing;
records that match a reference already there are shown pair by pair, each
to merge or to keep. "Merge references…" folds one selected reference into
another and re-points every citation; Ctrl+C (or the context menu) copies
the selected references' citations.

The review's open findings about each reference (:meth:`ReferencesView.set_findings`)
are marked in the table's Findings column and listed under the form, where
the selected one can be accepted with a reason (``accept_requested``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.checks import Finding
from curator.errors import CuratorError, StaleWrite
from curator.fields import reference_texts
from curator.formats.references import format_vancouver
from curator.gui.duplicates_dialog import DuplicatesDialog
from curator.gui.findings_panel import ReferenceFindingsBox
from curator.gui.reference_commands import AddReferenceCommand, DeleteReferencesCommand, SetReferenceFieldCommand
from curator.gui.reference_form import ReferenceForm
from curator.gui.references_model import ReferencesModel, ValidatingDelegate
from curator.gui.state import ReviewState
from curator.references import ImportPlan
from curator.review import Reference, Review
from curator.services.references import ReferenceImport, already_there, read_reference_files
from curator.words import counted

__all__ = ["ReferencesModel", "ReferencesView", "DuplicatesDialog", "import_summary"]


def import_summary(done: ReferenceImport) -> str:
    """What an import of reference files did, in one line for the status bar."""
    added, merged = done.counts.get("references", 0), done.merged
    text = f"Imported {added} reference{'' if added == 1 else 's'}"
    if done.counts.get("references_already_there"):
        text += "; " + already_there(done.counts["references_already_there"])
    if merged:
        text += "; " + "; ".join(merged)
    if done.left_out:
        text += f"; {len(done.left_out)} left out"
    return text


class ReferencesView(QWidget):
    """Search box, the references table with its form, Add, Delete, Merge
    references…; files can be dropped on it.

    ``state`` holds the review's service, whose use cases make every change
    (one transaction each); changes are pushed
    on ``undo_stack`` (the view's own when None). After each change
    ``changed`` is emitted: the owner reads the review again and calls
    :meth:`set_review` (when nobody does, the view reads it itself).
    """

    #: Emitted after the review's references changed in the database.
    changed = Signal()
    #: A finding about a reference that the reviewer wants to accept with a reason.
    accept_requested = Signal(object)
    #: PDF files dropped on a reference (its key; the selected one's when dropped beside the table's
    #: rows, None when none is selected): its papers (see :mod:`curator.gui.document_actions`).
    papers_dropped = Signal(object, list)

    def __init__(
        self,
        state: ReviewState,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.review = Review()
        self._reviews_shown = 0
        self.last_error: str | None = None
        self._select_next: str | None = None
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.setAcceptDrops(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search references by key, citation, PMID or DOI — drop RIS/PubMed/BibTeX files here"
        )
        self.search.setClearButtonEnabled(True)
        self.model = ReferencesModel(self)
        # Queued: the cell's editor closes before the save reads the review again.
        self.model.edit_requested.connect(self.edit_field, Qt.ConnectionType.QueuedConnection)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(ValidatingDelegate(self.error_of, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (2, 90), (3, 170), (4, 70), (ReferencesModel.FINDINGS, 70)):
            self.table.setColumnWidth(col, width)
        # Insert, Delete, undo and redo are keys of the table, not window
        # shortcuts, so that they never clash with the main window's own.
        self.table.installEventFilter(self)
        self.copy_action = QAction("Copy citation", self.table)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_citations)
        self.add_action = QAction("Add reference\tInsert", self.table)
        self.add_action.triggered.connect(self.add_reference)
        self.delete_action = QAction("Delete reference\tDelete", self.table)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addActions([self.copy_action, self.add_action, self.delete_action])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.form = ReferenceForm(self.error_of)
        self.form.edit_requested.connect(lambda key, name, old, new: self.edit_field(key, name, new, old=old))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add a reference at the end of the list (Insert)")
        self.add_button.clicked.connect(self.add_reference)
        self.edit_button = QPushButton("Edit")
        self.edit_button.setToolTip("Edit the selected reference in the form (or type into Key, PMID, DOI: F2)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected references; a cited reference cannot be deleted (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.merge_button = QPushButton("Merge references…")
        self.merge_button.setToolTip("Select two references: the first one selected is kept")
        self.merge_button.clicked.connect(self.merge_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9C0006;")
        top = QHBoxLayout()
        top.addWidget(self.search)
        for button in (self.add_button, self.edit_button, self.delete_button, self.merge_button):
            top.addWidget(button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.findings_box = ReferenceFindingsBox()
        self.findings_box.accept_requested.connect(self.accept_requested)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form, 1)
        right_layout.addWidget(self.findings_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([680, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        self.search.textChanged.connect(self.model.set_filter)
        #: The window's import shortcut, named by the hint of an empty list (set once the menus are built).
        self.import_keys = ""
        from curator.gui.empty_state import EmptyHint, references_hint

        self.empty_hint = EmptyHint(
            self.table,
            lambda: references_hint(
                has_references=bool(self.review is not None and self.review.references),
                add_keys="Insert",
                import_keys=self.import_keys,
            ),
        )

    def set_review(self, review: Review, cited: dict[str, int] | None = None) -> None:
        """Show the review's references, keeping the selected one selected.

        ``cited`` is how many rows cite each key (see
        :func:`curator.services.citation_counts`); when not given it
        is counted from the review's rows, or, for a review given without
        its comparisons, read from the database."""
        current = self.current_reference()
        keep = self._select_next or (current.key if current is not None else None)
        self.review = review
        self._reviews_shown += 1
        if cited is None and review.references and not review.comparisons:
            cited = self._citation_counts()
        self.model.set_review(review, cited)
        if keep is not None:
            self.select_key(keep)
        self._current_changed()

    def _citation_counts(self) -> dict[str, int]:
        try:
            counts = self.state.service.references.citation_counts()
        except CuratorError:  # a read-only file: the counts are not worth a message
            return {}
        return counts if isinstance(counts, dict) else {}

    # -- selection -------------------------------------------------------------

    def current_reference(self) -> Reference | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        ref: Reference | None = self.model.data(index, ReferencesModel.ReferenceRole)
        return ref

    def select_key(self, key: str) -> bool:
        """Select reference ``key`` (clearing the search if it hides it)."""
        row = self.model.view_row(key)
        if row is None and self.search.text():
            self.search.clear()
            row = self.model.view_row(key)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _current_changed(self, *_args: object) -> None:
        self.form.show_reference(self.current_reference())
        self._show_reference_findings()

    # -- findings --------------------------------------------------------------

    def set_findings(self, findings: list[Finding]) -> bool:
        """Mark the references with the review's open findings about them (the live checks' list).
        True when the references' findings changed."""
        if not self.model.set_findings(findings):
            return False
        self._show_reference_findings()
        return True

    def _show_reference_findings(self) -> None:
        ref = self.current_reference()
        shown = self.findings_box.current()
        self.findings_box.show_findings(self.model.findings_of(ref.key) if ref is not None else [])
        if shown is not None:
            self.findings_box.select(shown)

    # -- editing ---------------------------------------------------------------

    def error_of(self, key: str, name: str, text: str) -> str | None:
        """Why ``text`` cannot be field ``name`` of reference ``key``, or None
        (the check of every cell and form field, as it is typed)."""
        try:
            self.state.service.references.check_field(key, name, text)
        except CuratorError as exc:
            return str(exc)
        return None

    def apply(self, change: Callable[[], object], select: str | None = None) -> tuple[bool, Any]:
        """Run one use case (its own transaction); then show the review as
        stored and select reference ``select``. A refusal is shown, not raised."""
        self.last_error = None
        try:
            result = self.state.run_raising(change)
        except CuratorError as exc:
            self.last_error = str(exc)
            self.message.setText(self.last_error)
            return False, None
        self.message.clear()
        shown = self._reviews_shown
        # Shown again with ``select`` selected at once (a renamed reference is
        # followed by its new key), so that the form never loses the keyboard.
        self._select_next = select
        try:
            self.changed.emit()
            if self._reviews_shown == shown:  # nobody read the review again: read it here
                review = self.state.service.review()
                assert isinstance(review, Review)
                self.set_review(review)
        finally:
            self._select_next = None
        current = self.current_reference()
        if select is not None and (current is None or current.key != select):
            self.select_key(select)
        return True, result

    def edit_field(self, key: str, name: str, text: str, *, old: str | None = None) -> bool:
        """Save field ``name`` of reference ``key`` as typed (undoable); text
        that does not fit, or is refused, stays where it was typed, marked
        with its reason. True when saved (or unchanged). ``old`` is the text
        it was typed over (the form's: compared when saved, so that someone
        else's change meanwhile is refused, not overwritten); else the text
        the list shows."""
        ref = next((r for r in self.review.references if r.key == key), None)
        if ref is None:
            return False
        error = self.error_of(key, name, text)
        if error is None:
            old = reference_texts(ref)[name] if old is None else old
            if text == old:
                self.model.clear_pending(key, name)
                return True
            citing = None
            if name == "key":
                citing = self._confirm_rename(key, text)
                if citing is None:  # called off: everything as it was
                    self.model.clear_pending(key, name)
                    if self.form.key == key:
                        self.form.revert(name)
                    return False
            self.undo_stack.push(SetReferenceFieldCommand(self, key, name, old, text, citing=citing))
            error = self.last_error
        if error is not None:
            self.model.set_pending(key, name, text, error)
            if self.form.key == key:
                self.form.mark(name, error)
            self.message.setText(error)
            return False
        self.model.clear_pending(key if name != "key" else text, name)
        return True

    def _confirm_rename(self, key: str, new: str) -> int | None:
        """How many rows cite ``key``, once the reviewer agreed that they will
        cite ``new`` instead (asked only when some do); None when called off."""
        try:
            citing = int(self.state.run_raising(lambda: self.state.service.references.rows_citing(key)))
        except CuratorError as exc:
            self.message.setText(str(exc))
            return None
        if citing == 0:
            return 0
        rows = "1 row cites" if citing == 1 else f"{citing} rows cite"
        they = "it" if citing == 1 else "they"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Curator — rename reference",
            f"Rename reference {key} to {new}?\n\n{rows} {key}; {they} will cite {new}.\n\n"
            "The rename and the citations are one change: Undo (Ctrl+Z) puts both back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Rename")
        box.button(QMessageBox.StandardButton.No).setText(f"&Keep {key}")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        focus = QApplication.focusWidget()  # the next field when Tab finished the key
        answer = box.exec()
        if focus is not None:  # give the keyboard back where it was, for the typing that follows
            focus.activateWindow()
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        return citing if answer == QMessageBox.StandardButton.Yes else None

    def next_key(self) -> str:
        """A key for a new reference: the number after the highest numeric key."""
        keys = {r.key for r in self.review.references}
        number = max((int(k) for k in keys if k.isdecimal()), default=0) + 1
        while str(number) in keys:
            number += 1
        return str(number)

    def add_reference(self) -> bool:
        """Add an empty reference at the end (undoable), select it and put
        the cursor in its title."""
        key = self.next_key()
        self.undo_stack.push(AddReferenceCommand(self, Reference(key=key)))
        if self.last_error is not None:
            return False
        self.form.edits["title"].setFocus()
        return True

    def edit_selected(self) -> None:
        """Put the cursor in the selected reference's form."""
        if self.current_reference() is None and self.model.rowCount():
            self.table.selectRow(0)
        self.form.edits["title"].setFocus()
        self.form.edits["title"].selectAll()

    def delete_selected(self) -> bool:
        """Delete the selected references (one undoable step, all or none); a
        cited one is refused with the rows citing it. True when deleted."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        refs = [self.model.data(self.model.index(row, 0), ReferencesModel.ReferenceRole) for row in rows]
        keys = [ref.key for ref in refs]
        if not keys:
            return False
        self.undo_stack.push(DeleteReferencesCommand(self, keys, {ref.key: ref for ref in refs}))
        if self.last_error is not None:
            QMessageBox.warning(self, "Curator — delete reference", self.last_error)
            return False
        if self.model.rowCount():
            self.table.selectRow(min(rows[0], self.model.rowCount() - 1))
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            action = self._key_action(event)
            if action is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, event: QKeyEvent) -> Callable[[], object] | None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.key() == Qt.Key.Key_Insert:
                return self.add_reference
            if event.key() == Qt.Key.Key_Delete:
                return self.delete_selected
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo_stack.undo
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Z
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        ):
            return self.undo_stack.redo
        return None

    # -- drag and drop ---------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        if paths and all(p.suffix.casefold() == ".pdf" for p in paths):
            self.papers_dropped.emit(self.reference_at(event.position().toPoint()), paths)
            return
        self.import_files(paths)

    def reference_at(self, point: QPoint) -> str | None:
        """The key of the reference whose row is at ``point`` (in this view's coordinates), else of the
        selected one, else None."""
        inside = self.table.viewport().mapFrom(self, point)
        if self.table.viewport().rect().contains(inside):
            index = self.table.indexAt(inside)
            if index.isValid():
                ref = self.model.data(index, ReferencesModel.ReferenceRole)
                if ref is not None:
                    return str(ref.key)
        current = self.current_reference()
        return None if current is None else current.key

    # -- actions ---------------------------------------------------------------

    def import_files(self, paths: list[Path]) -> bool:
        """Import references from files, asking what to do about bad records
        and duplicates (the same use case as ``curator import``: planned
        against the references as stored, in the import's own transaction).
        Returns True when something was written."""
        try:
            files = read_reference_files(paths)
        except CuratorError as exc:
            QMessageBox.warning(self, "Curator — import references", str(exc))
            return False
        problems = [p for f in files for p in f.problems]
        if problems:
            shown = "\n".join(str(p) for p in problems[:10])
            answer = QMessageBox.question(
                self,
                "Curator — records that cannot be read",
                f"{counted(len(problems), 'record')} cannot be read:\n\n{shown}\n\nSkip them and import the others?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        asked: list[bool] = []

        def decide(plan: ImportPlan) -> bool:
            asked.append(DuplicatesDialog(plan, self).exec() == QDialog.DialogCode.Accepted)
            return asked[-1]

        try:
            done = self.state.run_raising(
                lambda: self.state.service.references.import_files(
                    files, decide=decide, name_files=lambda f: Path(f.path).name
                )
            )
        except CuratorError as exc:
            if asked and not asked[-1]:
                return False  # the reviewer closed the duplicates dialog: nothing to say
            QMessageBox.warning(self, "Curator — import references", str(exc))
            return False
        self.changed.emit()
        notes = [f"{Path(f.path).name}: {note}" for f in files for note in f.notes]
        self.state.message.emit("; ".join([import_summary(done), *notes]))
        return True

    def copy_citations(self) -> str:
        """Copy the selected references' Vancouver citations (one a line)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        refs = [self.model.data(self.model.index(row, 0), ReferencesModel.ReferenceRole) for row in rows]
        text = "\n".join(format_vancouver(ref) for ref in refs)
        QApplication.clipboard().setText(text)
        return text

    def merge_selected(self) -> bool:
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

        def stale(error: StaleWrite) -> None:
            """One of the two was changed meanwhile (another window or reviewer): say so, show them as now."""
            QMessageBox.warning(
                self,
                "Curator — merge references",
                f"{error}\n\nThe references are shown as they are now: look at them again before merging.",
            )
            self.changed.emit()

        seen = {keep.key: keep, drop.key: drop}  # compare-and-set: the two as the reviewer saw them
        ok, _counts = self.state.run(
            lambda: self.state.service.references.merge(keep.key, drop.key, expected=seen),
            "Curator — merge references",
            on_stale=stale,
        )
        if not ok:
            return False
        self.changed.emit()
        return True
