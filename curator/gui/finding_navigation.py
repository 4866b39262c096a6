"""Every open finding one step from the count that includes it (a controller of the main window).

:class:`FindingNavigation` owns what makes findings reachable beyond the
comparison table's own marks:

- the status bar's count of open findings, a link that opens the list of
  them all (and F8, Review > All open findings…);
- that list (:class:`~curator.gui.findings_list.FindingsList`) in a dock,
  filled from the live checks' findings (never checked again here) while it
  is shown;
- the marks of reference findings: the dot and tooltip in the left
  reference list, the References tab's Findings column and the box under the
  reference form (:meth:`~curator.gui.references_view.ReferencesView.set_findings`);
- going to a finding: its cell (comparison, row, column; the form scrolled
  to its field, the finding selected under it) or its reference on the
  References tab; accepting one with a reason goes through the Edit menu's
  use case (:meth:`~curator.gui.edit_actions.EditActions.accept_finding`);
  a finding's one-step fix (Move SDs to SE), from the list or under the
  row form, goes through :meth:`~curator.gui.edit_actions.EditActions.apply_remedy`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDockWidget, QScrollArea, QToolButton

from curator.checks import Finding
from curator.gui.finding_marks import icon, tooltip, worst
from curator.gui.findings_list import FindingsList, Places
from curator.review import Reference

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = ["FindingNavigation", "reference_head"]

#: The References tab's index in the window's tabs.
REFERENCES_TAB = 1


def reference_head(ref: Reference) -> str:
    """First author and year: "Kapp et al., 2002" ("" when neither is known)."""
    author = ref.authors[0].split(",")[0] if ref.authors else ""
    if len(ref.authors) > 1:
        author += " et al."
    return ", ".join(part for part in (author, str(ref.year) if ref.year else "") if part)


class FindingNavigation(QObject):
    """The status bar's count of open findings, the list of them all, the reference marks, and going to one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = w = window
        self.count_button = QToolButton()
        self.count_button.setAutoRaise(True)
        self.count_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.count_button.setStyleSheet("QToolButton { color: palette(link); text-decoration: underline; }")
        self.count_button.setToolTip("List every open finding of the review (F8)")
        self.count_button.clicked.connect(self.show_list)
        w.statusBar().addPermanentWidget(self.count_button)
        self.view = FindingsList()
        self.view.activated.connect(self.go_to)
        self.view.accept_requested.connect(lambda finding: w.edits.accept_finding(finding))
        self.view.remedy_requested.connect(lambda finding: w.edits.apply_remedy(finding))
        w.row_form.remedy_requested.connect(lambda finding: w.edits.apply_remedy(finding))
        self.view.dismissed.connect(self._dismiss)
        self._stale = True
        #: the references the list names, and their short lines (worded once per reading of them)
        self._heads: tuple[list[Reference] | None, dict[str, str]] = (None, {})
        #: the marks shown in the left reference list: line -> (worst severity, tooltip)
        self._marks: dict[int, tuple[str | None, str]] = {}
        self.dock = QDockWidget("All open findings", w)
        self.dock.setObjectName("findings_dock")  # its place is kept between sessions
        self.dock.setWidget(self.view)
        self.dock.visibilityChanged.connect(self._dock_shown)
        w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        w.references_view.accept_requested.connect(lambda finding: w.edits.accept_finding(finding))

    # -- the live checks' findings -----------------------------------------------------------

    def findings_changed(self, findings: list[Finding]) -> None:
        """Show the review's new open findings: reference marks, the list (when shown), the count."""
        if self.window.references_view.set_findings(findings):
            self.mark_reference_list()
        self._stale = True
        if self.dock.isVisible():
            self._fill()
        self.show_count(len(findings))

    def show_count(self, count: int) -> None:
        self.count_button.setText(f"{count:,} open finding" + ("" if count == 1 else "s"))

    def mark_reference_list(self, fresh: bool = False) -> None:
        """Mark the references in the left list with their open findings (a dot of the worst, the messages).

        Only the lines whose marks change are touched (``fresh``: the list was just filled, unmarked);
        a clean line has no icon, the list's delegate keeps the dot's space (so the lines stay aligned)."""
        w = self.window
        model = w.references_view.model  # the findings about each reference, kept there
        lines = w.references_list
        if fresh:
            self._marks = {}
        rows = {ref.key: i for i, ref in enumerate(w.references[: lines.count()])}
        marks: dict[int, tuple[str | None, str]] = {}
        for key in model.keys_with_findings():
            row = rows.get(key)
            if row is not None:
                mine = model.findings_of(key)
                noun = "open finding" if len(mine) == 1 else "open findings"
                marks[row] = (worst(mine), f"{len(mine)} {noun}:\n{tooltip(mine)}")
        for row in self._marks.keys() - marks.keys():
            item = lines.item(row)
            item.setIcon(QIcon())
            item.setToolTip("")
        for row, (severity, tip) in marks.items():
            if self._marks.get(row) != (severity, tip):
                item = lines.item(row)
                item.setIcon(icon(severity))
                item.setToolTip(tip)
        self._marks = marks

    # -- the list ------------------------------------------------------------------------------

    def show_list(self) -> None:
        """Show the list of every open finding (the status bar's count, F8), the cursor in it."""
        self.dock.show()
        self.dock.raise_()
        self._fill()
        self.view.focus()

    def _dismiss(self) -> None:
        """Escape in the list: close it, the cursor back in the table of the tab shown."""
        w = self.window
        self.dock.hide()
        (w.references_view.table if w.tabs.currentIndex() == REFERENCES_TAB else w.rows_view).setFocus()

    def _dock_shown(self, visible: bool) -> None:
        if visible:
            self._fill()

    def _fill(self) -> None:
        """The list shows the live checks' findings (filled only while it is shown: a big review has many)."""
        if not self._stale:
            return
        self._stale = False
        w = self.window
        if self._heads[0] is not w.references:  # read again (the window replaces the list, never changes it)
            self._heads = (w.references, {r.key: reference_head(r) for r in w.references})
        places = Places({c.key: (c.title, c.intervention, c.comparator) for c in w.outline}, self._heads[1])
        self.view.set_findings(w.findings, places)

    # -- where the reviewer is -------------------------------------------------------------

    def in_charge(self) -> bool:
        """Whether the selected finding is this controller's: the cursor in the list, or the References tab shown."""
        focus = self.window.focusWidget()  # the window's, also while a closed dialog has not given it back
        in_list = self.dock.isVisible() and focus is not None and self.view.isAncestorOf(focus)
        return in_list or self.window.tabs.currentIndex() == REFERENCES_TAB

    def current(self) -> Finding | None:
        """The selected finding in the list (when the cursor is there), else the selected reference's."""
        focus = self.window.focusWidget()
        if self.dock.isVisible() and focus is not None and self.view.isAncestorOf(focus):
            return self.view.current()
        return self.window.references_view.findings_box.current()

    # -- going to a finding ----------------------------------------------------------------

    def go_to(self, finding: Finding) -> None:
        """Go to what a finding is about: its cell (the finding selected under the form), or its reference."""
        from curator.formats.display import column_of

        w = self.window
        if finding.comparison is None:
            if finding.reference is not None:
                self.show_reference(finding.reference, finding)
            else:
                w.statusBar().showMessage(f"About the whole review: {finding.message}", 10_000)
            return
        if finding.row is None:
            return
        w.tabs.setCurrentIndex(0)
        w.select_row(finding.comparison, finding.row, column_of(finding.field))
        listed = w.row_form.findings
        for i in range(listed.count()):
            if listed.item(i).data(Qt.ItemDataRole.UserRole) == finding:
                listed.setCurrentRow(i)
        self._show_form_field(finding.field)
        w.rows_view.setFocus()

    def _show_form_field(self, name: str | None) -> None:
        """Scroll the row form to field ``name`` (the cursor stays in the table)."""
        form = self.window.row_form
        field = form.edits.get(name or "") or form.choices.get(name or "")
        scroll = form.findChild(QScrollArea)
        if field is not None and scroll is not None:
            scroll.ensureWidgetVisible(field)

    def show_reference(self, key: str, finding: Finding | None = None) -> None:
        """Show reference ``key`` on the References tab, with ``finding`` selected under its form."""
        w = self.window
        w.tabs.setCurrentIndex(REFERENCES_TAB)
        w.references_view.select_key(key)
        if finding is not None:
            w.references_view.findings_box.select(finding)
        w.references_view.table.setFocus()
