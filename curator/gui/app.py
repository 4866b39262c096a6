"""The main window: enter, review and fix a whole review from the keyboard.

The comparisons are on the left (with row, verified and open-finding
counts), the selected comparison's rows in the centre (editable cells;
filter with Ctrl+F, sort by any column), the selected row's every field on
the right with its findings, and all the comparison's findings below. The
References tab lists, edits and imports references.

The window reads the review a screenful at a time (:mod:`curator.services`)
so a 100,000-row review opens at once; the checks run over the whole review
when it opens (on a worker thread for a big review), again on the edited row
right after each edit, and over the whole review again shortly after.
Every change is an undoable command (:mod:`curator.gui.commands`) calling a
use case of the review's service (:class:`~curator.services.ReviewService`)
in its own audited transaction. The window is composed, not inherited: the
open review is a :class:`~curator.gui.state.ReviewState` whose signals the
window follows, and its menus are controllers that receive that state: the
Edit menu's changes (:class:`~curator.gui.edit_actions.EditActions`), the
File menu (:class:`~curator.gui.file_actions.FileActions`) and the live
checks (:class:`~curator.gui.live_checks.LiveChecks`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from curator.errors import CuratorError
from curator.gui.settings import DEFAULT_SIZE, Settings
from curator.paths import server_database
from curator.words import counted

if TYPE_CHECKING:
    # What the window is made of is imported when a review is opened, after the
    # window's first paint (the services load SQLAlchemy: half a second).
    from curator.checks import Finding
    from curator.gui.references_view import ReferencesView
    from curator.review import AcceptedFinding, Reference, Row
    from curator.services import ComparisonSummary, Location, ReviewService

__all__ = ["MainWindow", "window_title", "fit_words"]

#: A list of more references than this is filled when its tab is first shown.
LAZY_REFERENCES = 1_000


def window_title(title: str | None) -> str:
    return f"Curator — {title or 'Untitled review'}"


class MainWindow(QMainWindow):
    """Comparisons on the left, the selected table in the centre, the row on the right, findings below."""

    # The menus and their actions (made by :func:`curator.gui.menus.build_menus`).
    recent_menu: QMenu
    review_menu: QMenu
    help_menu: QMenu
    new_review_action: QAction
    open_action: QAction
    open_team_action: QAction
    save_copy_action: QAction
    import_action: QAction
    export_action: QAction
    properties_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    new_row_action: QAction
    duplicate_row_action: QAction
    delete_row_action: QAction
    move_up_action: QAction
    move_down_action: QAction
    new_comparison_action: QAction
    delete_comparison_action: QAction
    form_action: QAction
    find_action: QAction
    accept_action: QAction
    find_in_paper_action: QAction
    capture_action: QAction
    accept_place_action: QAction
    paper_keyboard_action: QAction
    next_place_action: QAction
    previous_place_action: QAction
    preferences_action: QAction
    check_action: QAction
    findings_list_action: QAction
    shortcuts_action: QAction
    about_action: QAction

    def __init__(
        self, path: Location | str | None, who: str = "curator", *, later: bool = False, create_as: str | None = None
    ) -> None:
        """The window on the review at ``path`` (the embedded default review when None), for reviewer ``who``.

        With ``later``, only the window's frame is made (saying "Opening …"): :meth:`open_review`
        reads the review and fills it; :func:`run` calls it after the first paint, so the window
        shows before the half second that loading the services and the review takes. With
        ``create_as``, a review that does not exist yet is made (the default review with the demo
        in it), its content entered by that name.
        """
        super().__init__()
        self._opening = (path, who, create_as)
        #: True once the review is read and shown.
        self.opened = False
        self.resize(*DEFAULT_SIZE)
        where = "the default review" if path is None else server_database(path) if isinstance(path, str) else path.name
        self.setWindowTitle(f"Curator — opening {where}…")
        opening = QLabel(f"Opening {where}…")
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(opening)  # replaced by the review's panels once it is read
        if not later:
            self.open_review()

    def open_review(self) -> None:
        """Read the review and fill the window (a review that cannot be opened raises CuratorError)."""
        if self.opened:
            return
        from curator.gui.double_checking import install
        from curator.gui.edit_actions import EditActions, UndoStack
        from curator.gui.file_actions import FileActions
        from curator.gui.live_checks import LiveChecks
        from curator.gui.menus import build_menus
        from curator.gui.state import ReviewState
        from curator.gui.tasks import TaskRunner
        from curator.services import ReviewService

        path, who, create_as = self._opening
        if create_as is None:
            service = ReviewService.open(path, who)
        else:
            from curator.services.sources import open_review

            service = ReviewService(open_review(path, create=True, who=create_as), who)
        self.state = ReviewState(service, self)
        self.references: list[Reference] = []
        self.accepted: list[AcceptedFinding] = []
        self.outline: list[ComparisonSummary] = []
        self.title: str | None = None
        self.tasks = TaskRunner(self)
        self.checks = LiveChecks(self.state, self.tasks, self)
        self.undo_stack = UndoStack(self)

        self._build_widgets()
        self.edits = EditActions(self.state, self.undo_stack, self, self)
        self.files = FileActions(self.state, self.undo_stack, self)
        self.files.import_references = self._import_references
        from curator.gui.finding_navigation import FindingNavigation
        from curator.gui.form_keys import FormKeys

        self.form_keys = FormKeys(self.state, self.rows_view, self.row_form, self)
        self.finding_nav = FindingNavigation(self)  # the findings count, the list of them all, reference marks
        build_menus(self)
        from curator.gui.empty_state import EmptyHint, hint_text, keys_of

        self.references_view.import_keys = keys_of(self.import_action)

        self.empty_hint = EmptyHint(
            self.rows_view,
            lambda: hint_text(
                has_comparison=self.rows_model.comparison_key is not None,
                filtered=bool(self.filter_edit.text()),
                new_comparison_keys=keys_of(self.new_comparison_action),
                new_row_keys=keys_of(self.new_row_action),
                import_keys=keys_of(self.import_action),
            ),
        )
        self._follow_state()
        install(self)  # verify mode, blind double entry, adjudication, history, merge
        from curator.gui.forest_panel import install as install_forest_panel

        self.forest_panel = install_forest_panel(self)  # Review > Forest plot (F9)
        self._install_documents()
        self.opened = True
        self.load()

    def _install_documents(self) -> None:
        """File > Attach paper…, dropping a PDF on a reference, detaching it, and the marks of the
        references that have a paper (:mod:`curator.gui.document_actions`)."""
        from curator.gui.document_actions import DocumentActions

        self.document_actions = DocumentActions(self)
        self.document_actions.documents_changed.connect(self.papers.review_changed)

    # -- layout ------------------------------------------------------------------

    def _build_widgets(self) -> None:
        from curator.gui.comparisons_model import ComparisonsModel
        from curator.gui.finding_marks import DotSpace
        from curator.gui.findings_panel import FindingsPanel
        from curator.gui.row_form import RowForm
        from curator.gui.rows_model import RowsModel

        self.comparisons_model = ComparisonsModel(parent=self)
        self.comparisons_view = QTableView()
        self.comparisons_view.setModel(self.comparisons_model)
        self.comparisons_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.comparisons_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.comparisons_view.verticalHeader().setVisible(False)
        self.comparisons_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.comparisons_model.columnCount()):
            self.comparisons_view.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.comparisons_view.setWordWrap(True)
        self.comparisons_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.comparisons_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter rows by endpoint, population, citation or status (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.rows_model = RowsModel(self, pending=self.state.pending)
        self.rows_model.edit_handler = self._edits_requested
        self.rows_model.rejected = lambda message: self.show_message(f"Not saved: {message}")
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        header = self.rows_view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the table's own order first
        header.setSortIndicatorShown(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.rows_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.rows_view.setSortingEnabled(True)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.rows_view.setAlternatingRowColors(True)
        self.rows_view.setWordWrap(True)
        vertical = self.rows_view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(44)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for col, width in enumerate((180, 130, 130, 160, 220, 80, 130, 64, 80)):
            self.rows_view.setColumnWidth(col, width)

        self.findings_panel = FindingsPanel()
        self.findings_label, self.findings_list = self.findings_panel.label, self.findings_panel.list

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.filter_edit)
        centre_layout.addWidget(self.rows_view)
        centre.setMinimumWidth(200)  # beside the form and the paper in a small window, the table stays usable
        self.row_form = RowForm(pending=self.state.pending)
        self.row_form.edit_requested.connect(self._edit_requested)
        self.row_form.edits_requested.connect(self._edits_requested)
        self.row_form.accept_requested.connect(lambda finding: self.edits.accept_finding(finding))
        self.table_and_form = QSplitter(Qt.Orientation.Horizontal)
        self.table_and_form.addWidget(centre)
        self.table_and_form.addWidget(self.row_form)
        from curator.gui.papers import Papers

        self.papers = Papers(self)
        self.paper_pane = self.papers.pane
        self.table_and_form.addWidget(self.paper_pane)
        self.table_and_form.setSizes([560, 340, 460])
        self.table_and_findings = QSplitter(Qt.Orientation.Vertical)
        self.table_and_findings.addWidget(self.table_and_form)
        self.table_and_findings.addWidget(self.findings_panel)
        self.table_and_findings.setSizes([560, 150])
        self.references_view = self._make_references_view()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table_and_findings, "Comparison table")
        self.tabs.addTab(self.references_view, "References")
        self._references_stale = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self.references_label = QLabel()
        from curator.gui.document_actions import PaperDropList

        self.references_list = PaperDropList()  # a PDF dropped on a reference is its paper
        self.references_list.setUniformItemSizes(True)
        self.references_list.setItemDelegate(DotSpace(self.references_list))  # clean lines aligned with marked
        self.references_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.references_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.references_list.setToolTip("Enter or double-click: show the reference on the References tab")
        self.references_list.itemActivated.connect(self._reference_activated)
        references_box = QWidget()
        references_layout = QVBoxLayout(references_box)
        references_layout.setContentsMargins(0, 4, 0, 0)
        references_layout.addWidget(self.references_label)
        references_layout.addWidget(self.references_list)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.comparisons_view)
        self.left.addWidget(references_box)
        self.left.setSizes([430, 300])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([280, 1080])
        self.setCentralWidget(self.splitter)

        self.status_who = QToolButton()  # the reviewer's name: click to change it
        self.status_who.setAutoRaise(True)
        self.status_who.setCursor(Qt.CursorShape.PointingHandCursor)
        self.status_who.setToolTip("Your name in the audit log: click to change it (also Edit > Preferences…)")
        self.status_who.clicked.connect(self.show_preferences)
        self.status_file = QLabel()
        self.status_counts = QLabel()
        for label in (self.status_who, self.status_file, self.status_counts):
            self.statusBar().addPermanentWidget(label)

        self.filter_edit.textChanged.connect(self.rows_model.set_filter)
        self.rows_view.selectionModel().currentChanged.connect(self._row_selected)
        self.comparisons_view.selectionModel().selectionChanged.connect(self._comparison_selected)
        self.findings_panel.activated.connect(self._finding_activated)

    def _make_references_view(self) -> ReferencesView:
        from curator.gui.references_view import ReferencesView

        view = ReferencesView(self.state, undo_stack=self.undo_stack)
        view.changed.connect(self.reload)
        return view

    def _follow_state(self) -> None:
        """Show what the review's state says changed."""
        self.state.row_saved.connect(self._row_saved)
        self.state.rows_changed.connect(self.rows_changed)
        self.state.review_changed.connect(self.reload)
        self.state.acceptances_changed.connect(self._acceptances_changed)
        self.state.properties_changed.connect(self._properties_changed)
        self.state.replaced.connect(self._review_replaced)
        self.state.message.connect(self.show_message)
        self.statusBar().messageChanged.connect(self._message_changed)
        self.checks.findings_changed.connect(self._set_findings)
        self.checks.progress_message.connect(
            lambda text: self.statusBar().showMessage(text) if text else self.statusBar().clearMessage()
        )

    # -- the review's state, for the controllers and the tests --------------------------

    @property
    def service(self) -> ReviewService:
        return self.state.service

    @property
    def path(self) -> Location:
        return self.state.path

    @property
    def who(self) -> str:
        return self.state.who if self.opened else self._opening[1]

    def set_reviewer(self, name: str) -> None:
        """From now on, act (and be recorded in the audit log) as ``name``."""
        self._opening = (self._opening[0], name, self._opening[2])
        if self.opened and self.service.on_server:
            self.statusBar().showMessage(
                f"On a team review your changes are recorded as the database user you logged in as, {self.who}", 10_000
            )
            return
        if self.opened:
            self.state.who = name
            self.status_who.setText(f"Reviewer: {name}")
            self.statusBar().showMessage(f"Your changes are now recorded as {name}'s", 10_000)

    @property
    def findings(self) -> list[Finding]:
        return self.checks.findings

    @property
    def row_total(self) -> int:
        return sum(c.rows for c in self.outline)

    def check_all(self) -> None:
        self.checks.check_all(self.row_total)

    def splitters(self) -> dict[str, QSplitter]:
        """The splitters whose sizes are kept between sessions."""
        return {
            "main": self.splitter,
            "left": self.left,
            "table_form_and_paper": self.table_and_form,  # a new name: the paper made it three parts
            "table_and_findings": self.table_and_findings,
        }

    # -- reading the review ---------------------------------------------------------

    def load(self) -> None:
        """Read the outline of the review and show it (checks follow)."""
        service = self.service
        self.papers.review_changed()
        self.title = service.title()
        self.outline = service.outline()
        self.references = service.reference_list()
        self.accepted = service.acceptances()
        self.setWindowTitle(window_title(self.title))
        self.comparisons_model.set_comparisons(self.outline, self.findings)
        self._show_references()
        self.row_form.references = self.references
        if self.outline:
            self.comparisons_view.selectRow(0)
        else:
            self._show_comparison(None)
        self._show_status()
        self.check_all()

    def _properties_changed(self) -> None:
        """The review's title (or description) changed: show the new title."""
        self.title = self.service.title()
        self.setWindowTitle(window_title(self.title))

    def _review_replaced(self) -> None:
        """Another review was opened in this window."""
        self.checks.clear()
        self.filter_edit.clear()
        self.load()

    def _show_references(self) -> None:
        """List the references; a long list only when its tab is shown (it takes a while)."""
        self.tabs.setTabText(1, f"References ({len(self.references)})")
        self.references_label.setText(f"<b>References</b> ({len(self.references)})")
        self.references_list.clear()
        self.references_list.addItems([_reference_line(r) for r in self.references])
        self.finding_nav.mark_reference_list(fresh=True)
        self.document_actions.refresh()  # which references have a paper
        self._references_stale = True
        if len(self.references) <= LAZY_REFERENCES or self.tabs.currentIndex() == 1:
            self._fill_references()

    def _fill_references(self) -> None:
        if self._references_stale:
            self._references_stale = False
            from curator.review import Review

            self.references_view.set_review(Review(title=self.title, references=list(self.references)))

    def _import_references(self, paths: list[Path]) -> bool:
        """File > Import of a reference library: on the References tab, as if the files were dropped there."""
        self.tabs.setCurrentIndex(1)
        return self.references_view.import_files(paths)

    def _citations_changed(self) -> None:
        """A row's citations changed: the References tab's "Cited by" is read again when it is shown."""
        self._references_stale = True
        if self.tabs.currentIndex() == 1:
            self._fill_references()

    def _reference_activated(self, item: QListWidgetItem) -> None:
        """Show the chosen reference on the References tab."""
        self.finding_nav.show_reference(self.references[self.references_list.row(item)].key)

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._fill_references()

    def reload(self) -> None:
        """Read the review again (after a change that may touch many rows), keeping the place."""
        key = self.rows_model.comparison_key
        position = self.current_position()
        self.papers.review_changed()
        self.outline = self.service.outline()
        self.references = self.service.reference_list()
        self.accepted = self.service.acceptances()
        self.row_form.references = self.references
        self._show_references()
        self._select_comparison_keeping(key, position)
        self.check_all()

    def _select_comparison_keeping(self, key: str | None, position: int | None) -> None:
        keys = [c.key for c in self.outline]
        self.comparisons_view.selectionModel().blockSignals(True)
        self.comparisons_model.set_comparisons(self.outline, self.findings)
        self.comparisons_view.selectionModel().blockSignals(False)
        if key in keys:
            self.comparisons_view.selectRow(keys.index(key))
            self._show_comparison(self.outline[keys.index(key)])
            if position is not None and self.rows_model.row_count():
                self.select_row(key, min(position, self.rows_model.row_count() - 1))
        elif self.outline:
            self.comparisons_view.selectRow(0)
            self._show_comparison(self.outline[0])
        else:
            self._show_comparison(None)
        self._show_status()

    # -- selection -------------------------------------------------------------------------

    def _comparison_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        summary = self.comparisons_model.data(indexes[0], self.comparisons_model.ObjectRole) if indexes else None
        self._show_comparison(summary)

    def _show_comparison(self, summary: ComparisonSummary | None) -> None:
        if summary is None:
            self.rows_model.set_comparison(None)
        else:
            source = self.service.stored_rows(summary.key)
            self.rows_model.set_source(summary, source, self.findings)
            QTimer.singleShot(100, source.haystacks)  # ready before the first keystroke in the filter
        self.rows_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._show_comparison_findings()
        self.row_form.show_row(None, -1, None)
        self.papers.show_row(None, -1, None)
        if self.rows_model.rowCount():
            self.rows_view.setCurrentIndex(self.rows_model.index(0, 0))

    def _show_comparison_findings(self) -> None:
        self.findings_panel.show_findings(self.rows_model.comparison_key, self.findings)

    # -- where the reviewer is (the TablePlace of the controllers) ------------------------

    def comparison_key(self) -> str | None:
        return self.rows_model.comparison_key

    def current_position(self) -> int | None:
        index = self.rows_view.currentIndex()
        return self.rows_model.position(index.row()) if index.isValid() else None

    def row_count(self) -> int:
        return self.rows_model.row_count()

    def row_at(self, position: int) -> Row:
        return self.rows_model.row_at(position)

    def focus_table(self) -> None:
        self.rows_view.setFocus()

    def current_finding(self) -> Finding | None:
        if self.finding_nav.in_charge():
            return self.finding_nav.current()
        item = self.row_form.findings.currentItem()
        finding = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        from curator.checks import Finding

        return finding if isinstance(finding, Finding) else self.findings_panel.current()

    # -- what changed ------------------------------------------------------------------------

    def _edit_requested(self, comparison: str, position: int, name: str, old: str, new: str) -> None:
        self.edits.edit_requested(comparison, position, name, old, new)

    def _edits_requested(self, comparison: str, position: int, changes: dict[str, tuple[str, str]]) -> None:
        self.edits.edit_fields_requested(comparison, position, changes)

    def _row_saved(self, comparison: str, position: int, row: Row) -> None:
        """Show a row as stored after an edit, and check it again."""
        if self.rows_model.comparison_key != comparison:
            self.select_row(comparison, position)
        before = self.rows_model.row_at(position)
        was = before.status
        self.rows_model.replace_row(position, row)
        if before.citations != row.citations:
            self._citations_changed()
        if row.status != was:  # the verified counts may have changed
            self._refresh_outline_counts()
        if self.current_position() != position:
            self.select_row(comparison, position)  # shows the row in the form
        else:
            self._row_selected(self.rows_view.currentIndex())  # the form shows it as stored, with its states
        summary = next((c for c in self.outline if c.key == comparison), None)
        if summary is not None:
            self.checks.recheck_row(summary, position, row, self.references, self.accepted)

    def _refresh_outline_counts(self) -> None:
        outline = self.service.outline()
        if [c.key for c in outline] == [c.key for c in self.outline]:
            self.outline = outline
            self.comparisons_model.update_counts(outline)
            self._show_status()

    def rows_changed(self, comparison: str | None, position: int = 0) -> None:
        """After rows or comparisons were added, removed or moved: read the
        outline again and show ``comparison`` (the first when None), on ``position``."""
        self.outline = self.service.outline()
        self.accepted = self.service.acceptances()
        self._citations_changed()  # a row gone or added may have cited references
        self._select_comparison_keeping(comparison, max(0, position))
        self.check_all()

    def _acceptances_changed(self) -> None:
        self.accepted = self.service.acceptances()
        self.check_all()

    def _set_findings(self, findings: list[Finding]) -> None:
        self.comparisons_model.set_findings(findings)
        self.rows_model.set_findings(findings)
        self._show_comparison_findings()
        self._refresh_form_findings()
        self.finding_nav.findings_changed(findings)
        self._show_status()

    def _row_selected(self, current: QModelIndex, previous: QModelIndex | None = None) -> None:
        if previous is not None and previous.isValid() and current.isValid() and previous.row() == current.row():
            return
        if not current.isValid():
            self.row_form.show_row(None, -1, None)
            self.papers.show_row(None, -1, None)
            return
        row = self.rows_model.data(current, self.rows_model.RowRole)
        position = self.rows_model.data(current, self.rows_model.PositionRole)
        findings = self.rows_model.data(current, self.rows_model.FindingsRole)
        summary = self.rows_model.summary
        self.row_form.arm_labels = (summary.intervention, summary.comparator) if summary else ("", "")
        self.row_form.show_row(self.rows_model.comparison_key, position, row, findings)
        self.papers.show_row(self.rows_model.comparison_key, position, row)
        self._show_field_states(position)

    def _show_field_states(self, position: int) -> None:
        """Mark the form's fields verified, disputed or changed since verified."""
        key = self.rows_model.comparison_key
        if key is None:
            return
        try:
            about = self.service.row_provenance(key, position)
        except CuratorError:  # the row went away meanwhile
            from curator.services import Provenance

            about = Provenance({}, None, None)
        self.row_form.show_states(about.states)
        self.row_form.show_provenance(self.rows_model.row_at(position), about.entered, about.claim)

    def _refresh_form_findings(self) -> None:
        index = self.rows_view.currentIndex()
        if index.isValid():
            self.row_form.show_findings(self.rows_model.data(index, self.rows_model.FindingsRole))

    def select_row(self, comparison: str, position: int, column: int = 0) -> None:
        keys = [c.key for c in self.outline]
        if comparison not in keys:
            return
        if self.rows_model.comparison_key != comparison:
            self.comparisons_view.selectRow(keys.index(comparison))
        view_row = self.rows_model.view_row(position)
        if view_row is None and self.filter_edit.text():
            self.filter_edit.clear()
            view_row = self.rows_model.view_row(position)
        if view_row is not None:
            index = self.rows_model.index(view_row, column)
            self.rows_view.setCurrentIndex(index)
            self.rows_view.scrollTo(index)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _finding_activated(self, finding: Finding) -> None:
        """Go to the cell a finding is about (or its reference)."""
        self.finding_nav.go_to(finding)

    # -- help --------------------------------------------------------------------------------

    def show_shortcuts(self) -> Any:
        from curator.gui.dialogs import ShortcutsDialog
        from curator.gui.form_keys import KEYS

        dialog = ShortcutsDialog(self, self.actions(), KEYS)
        dialog.open()
        return dialog

    def show_preferences(self) -> Any:
        """Edit > Preferences…: the reviewer's name (kept for next time)."""
        from curator.gui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self, self.who, Settings())
        dialog.reviewer_changed.connect(self.set_reviewer)
        dialog.open()
        return dialog

    def show_about(self) -> Any:
        from curator.gui.dialogs import AboutDialog

        dialog = AboutDialog(self)
        dialog.open()
        return dialog

    # -- status ------------------------------------------------------------------------------

    def _message_changed(self, text: str) -> None:
        if not text:  # the line is gone: so is its tooltip
            self.statusBar().setToolTip("")

    def show_message(self, text: str, timeout: int = 10_000) -> None:
        """A line in the status bar, cut at a word (with …) if it does not fit beside the counts; the whole
        text is its tooltip (a refused value's reason is also in full in the row form)."""
        bar = self.statusBar()
        room = max(self._status_room(), 120)
        bar.showMessage(fit_words(text, lambda line: bar.fontMetrics().horizontalAdvance(line) <= room), timeout)
        bar.setToolTip(text)

    def _status_room(self) -> int:
        """The width left of the status bar's permanent widgets (the reviewer, the file, the counts and the
        findings link), where a message is drawn; the message area's own margins set aside."""
        bar = self.statusBar()
        shown = (self.status_who, self.status_file, self.status_counts, self.finding_nav.count_button)
        if bar.isVisible() and all(w.isVisible() for w in shown):
            return min(w.geometry().left() for w in shown) - 24
        return bar.width() - sum(w.sizeHint().width() + 12 for w in shown) - 24

    def _show_status(self) -> None:
        rows = self.row_total
        verified = sum(c.verified for c in self.outline)
        claimed = sum(c.claimed for c in self.outline)
        more = f", {claimed:,} more claimed by their file" if claimed else ""
        self.status_who.setText(f"Reviewer: {self.who}")
        # On a team review the database user the server authenticated: not a name to change here.
        on_server = self.service.on_server
        self.status_who.setEnabled(not on_server)
        self.status_who.setToolTip(
            "Your name in the audit log: the database user you logged in to the server as"
            if on_server
            else "Your name in the audit log: click to change it (also Edit > Preferences…)"
        )
        self.status_file.setText(self.path.name)
        self.status_file.setToolTip(str(self.path))
        self.status_counts.setText(
            f"{counted(len(self.outline), 'comparison')} · {rows:,} {'row' if rows == 1 else 'rows'} "
            f"({verified:,} verified here{more}) · {counted(len(self.references), 'reference')} ·"
        )
        self.finding_nav.show_count(len(self.findings))  # a link to the list of them all

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.opened:
            self.checks.stop()
            self.tasks.stop_all()
            Settings().save_window(self, self.splitters())
            self.papers.pane.close_paper()
            self.service.close()
        super().closeEvent(event)


def fit_words(text: str, fits: Callable[[str], bool]) -> str:
    """``text``, or as many of its first words as ``fits`` followed by "…": never cut inside a word."""
    if fits(text):
        return text
    words = text.split(" ")
    for end in range(len(words) - 1, 0, -1):
        line = " ".join(words[:end]).rstrip(",;:") + " …"
        if fits(line):
            return line
    return words[0] + " …"


def _reference_line(ref: Reference) -> str:
    """A reference in one short line: [key] first author, year, title."""
    author = ref.authors[0].split(",")[0] if ref.authors else ""
    if len(ref.authors) > 1:
        author += " et al."
    head = ", ".join(part for part in (author, str(ref.year) if ref.year else "") if part)
    what = ref.title or ref.journal or ref.url or ref.doi or ref.note or "(no title)"
    return f"[{ref.key}] " + (f"{head}: " if head else "") + what
