"""Verify mode: a second reviewer walks the unverified rows field by field, from the keyboard.

The dialog shows one row at a time: its comparison and endpoint, the source
location and verbatim quote, the row's open findings (from the window's
live checks, :class:`~curator.gui.live_checks.LiveChecks`: nothing is
checked again here), and every field that has a value (or that a finding
points at) with what a verifier said about it (unverified, verified by X,
disputed by X...), named as the form names it ("Pimecrolimus arm: value").
A field a finding points at is marked with the finding's colour and mark,
its message as the tooltip. The current field is highlighted. The three
actions, everywhere the same words (the buttons, ``curator confirm``,
``curator fix``, ``curator dispute``, History):

* **Enter** confirms it: this value is what the source says
  (:meth:`~curator.services.double_checking.DoubleChecking.verify_field`),
  and moves to the next field still to decide; when none is left, to the
  next row;
* **F** fixes it: type the value as the source prints it, validated as
  typed by :func:`~curator.fields.parse` (a value that does not fit is
  kept, marked, with the reason, and not saved); Enter saves it through
  :meth:`~curator.services.double_checking.DoubleChecking.fix_field` (the
  audit log keeps the old and the new value; the field is then confirmed
  by the fixer);
* **D** disputes it with a comment
  (:meth:`~curator.services.double_checking.DoubleChecking.dispute_field`);
* Page Down / Page Up go to the next / previous row; Escape cancels a fix or
  dispute being typed, else closes.

In a review that holds papers, the row's paper stands beside the fields
(:class:`~curator.gui.verify_paper.VerifyPaper`): the current value's page with
the place it was read from (its evidence) framed in green and in view, or, for a
value without evidence, a note that it has no located source and the places its
printed text stands (Locate), marked. A Read from column gives each value's page.
While a fix is typed, text selected in the paper fills it with the field's
number as printed (``68.4%`` gives ``68.4``), and F with text selected starts
the fix from it; Enter, F and D work with the keyboard in the paper too, and
Ctrl+Shift+F finds a text in it.

Each action is one write transaction; a refusal of the core (verifying a row
you extracted, an empty comment) is shown in the dialog and nothing is
written. Each is compare-and-set on the value shown (the one a fix or dispute
was typed over): when someone else changed it meanwhile, the refusal opens
:class:`~curator.gui.stale_dialog.StaleWriteDialog`, theirs beside yours:
**Keep theirs** (T) shows the row as they left it; **Apply mine** (M) fixes
the field to yours (the value confirmed or typed) or disputes theirs with
your comment, compare-and-set against theirs.

The walk starts at the window's current row and follows the rows
the verifier may verify and that are not verified
(:meth:`~curator.services.double_checking.DoubleChecking.rows_to_verify`),
in table order; a row with disputed fields is put at the end of the walk the
first time it comes up, so the plain rows come first. Within a row the walk
visits every field still to decide (:data:`TO_DECIDE`: unverified, changed
since verified, or disputed, and not yet decided in this walk); when the
walk ends it says what is still open, row by row.

Working at once (issue 16): what another reviewer changes shows within a
second, as in the window (:mod:`curator.gui.live` tells
``ReviewState.others_changed``): the row shown is read again, keeping the
current field and a fix or dispute being typed with the value it was typed
over.

The dialog here puts together its parts, shows the walk's row and runs the
actions; the parts stand apart: the fields table
(:mod:`curator.gui.verify_fields`), the walk (:mod:`curator.gui.verify_walk`),
the fix or dispute being typed (:mod:`curator.gui.verify_editor`), the paper
(:mod:`curator.gui.verify_paper`) and the rows it reads as stored
(:mod:`curator.gui.verify_stored`), and what it shares with adjudication while
others work at once: its messages, its compare-and-set writes, the
theirs-and-yours dialog and following others' changes
(:mod:`curator.gui.working_at_once`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from curator.checks import Finding
from curator.errors import CuratorError, StaleWrite
from curator.gui.finding_marks import RANK
from curator.gui.state import ReviewState
from curator.gui.verify_editor import ValueEditor
from curator.gui.verify_fields import PENDING, TO_DECIDE, FieldStatesModel, FieldsView, state_text
from curator.gui.verify_paper import VerifyPaper
from curator.gui.verify_stored import AsStored
from curator.gui.verify_walk import Walk, plural
from curator.gui.working_at_once import WorkingAtOnce, shown_as_left
from curator.naming import from_words, value_words
from curator.review import Evidence
from curator.services import FieldState
from curator.services.story import row_words

if TYPE_CHECKING:
    from curator.gui.live_checks import LiveChecks
    from curator.gui.stale_dialog import StaleWriteDialog
    from curator.review import Reference, Row
    from curator.services.live import Changes

# The fields table's names stay importable from here (verify_fields holds them).
__all__ = ["FieldStatesModel", "FieldsView", "VerifyDialog", "state_text", "TO_DECIDE", "PENDING"]

_SEVERITY_COLOURS = {"error": "#9C0006", "warning": "#7F6000", "info": "#1F4E79"}


class VerifyDialog(QDialog):
    """Verify mode over the window's review, as the window's reviewer."""

    def __init__(
        self,
        parent: QWidget,
        state: ReviewState,
        start: tuple[str, int] | None = None,
        checks: LiveChecks | None = None,
    ) -> None:
        """``checks`` are the window's live checks: the row's open findings are theirs."""
        super().__init__(parent)
        self.state = state
        self.who = state.who
        self.checks = checks
        #: Whether anything was written (the window reloads the review then).
        self.changed = False
        #: The rows walked, the fields decided and what the walk did.
        self.walk = Walk(state.service.checking.rows_to_verify(), start)
        #: The field whose open error a first Enter pointed out: a second Enter confirms it as printed.
        self.warned: tuple[str, int, str] | None = None
        self.setWindowTitle(f"Verify mode — {self.who}")

        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        bigger = self.where.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.15)
        self.where.setFont(bigger)
        self.progress = QLabel()
        self.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        from curator.gui.source_box import SourceBox

        self.source = SourceBox(self, quote_lines=3)
        #: The row's open findings, from the live checks.
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setObjectName("verify_findings")
        self.model = FieldStatesModel(self)
        self.view = FieldsView(self.model)
        self.view.confirm.connect(self.confirm)
        self.view.fix.connect(self.start_fix)
        self.view.dispute.connect(self.start_dispute)
        self.view.next_row.connect(lambda: self.go(self.walk.at + 1))
        self.view.previous_row.connect(lambda: self.go(self.walk.at - 1, forward=False))
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.message = QLabel()
        self.message.setWordWrap(True)
        #: Its writes, messages and following of others' changes, as adjudication's.
        self.at_once = WorkingAtOnce(self, state, self.message, self._others_changed)
        #: The fix or dispute being typed (hidden when none), its title and the line it is typed in.
        self.editor_box = ValueEditor(self.model, self.at_once)
        self.editor_label = self.editor_box.title
        self.editor = self.editor_box.line
        self.editor.returnPressed.connect(self._save_editor)

        self.confirm_button = self._button(
            "&Confirm (Enter)", self.confirm, "The value is what the source says: confirm it and go on"
        )
        self.fix_button = self._button("&Fix… (F)", self.start_fix, "Type the value the source prints instead")
        self.dispute_button = self._button("&Dispute… (D)", self.start_dispute, "Say why the value is wrong")
        self.previous_button = self._button("Previous row (PgUp)", lambda: self.go(self.walk.at - 1, forward=False), "")
        self.next_button = self._button("Next row (PgDown)", lambda: self.go(self.walk.at + 1), "")
        close_button = self._button("Close (Esc)", lambda: QDialog.reject(self), "")  # even while typing
        buttons = QHBoxLayout()
        for button in (self.confirm_button, self.fix_button, self.dispute_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.previous_button, self.next_button, close_button):
            buttons.addWidget(button)

        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.progress)
        fields = QWidget()
        layout = QVBoxLayout(fields)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.findings)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.editor_box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        #: The row's papers, on the current value's page with its place framed (when the review holds papers).
        self.paper = VerifyPaper(lambda: self.state.service.documents, self)
        self.pane = self.paper.pane
        self.pane.selection_changed.connect(self._paper_selected)
        self.pane.view.installEventFilter(self)
        #: The rows shown and the references, as stored (read once, and again when they change).
        self.stored = AsStored(lambda: self.state.service)
        #: The row shown, as stored now (its values and their evidence).
        self.row: Row | None = None
        outer = QHBoxLayout(self)
        #: Whether verify mode shows the paper beside the fields (the review holds papers).
        self.with_paper = self.paper.has_papers()
        if self.with_paper:
            self.splitter = QSplitter(Qt.Orientation.Horizontal)
            self.splitter.setChildrenCollapsible(False)
            self.splitter.addWidget(fields)
            self.splitter.addWidget(self.paper)
            self.splitter.setStretchFactor(0, 5)
            self.splitter.setStretchFactor(1, 6)
            outer.addWidget(self.splitter)
            find = QShortcut(QKeySequence("Ctrl+Shift+F"), self)
            find.activated.connect(self.pane.start_find)
            for key, backwards in (("F3", False), ("Shift+F3", True)):  # Locate's (or a find's) next place
                step = QShortcut(QKeySequence(key), self)
                step.activated.connect(lambda backwards=backwards: self.pane.next_place(backwards=backwards))
            self.resize(1560, 900)
            self.splitter.setSizes([660, 900])  # the page as wide as the fields leave room for
            self.view.beside_paper()
        else:
            self.paper.setVisible(False)  # a review without papers: verify mode as it was
            self.view.setColumnHidden(3, True)
            outer.addWidget(fields)
            self.resize(980, 700)
        if checks is not None:
            checks.findings_changed.connect(self._findings_changed)
        self.go(0)

    def _button(self, text: str, slot: Callable[[], object], tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the fields
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- the walk ----------------------------------------------------------------------

    @property
    def queue(self) -> list[tuple[str, int]]:
        """The rows of the walk, in order (:attr:`Walk.queue`)."""
        return self.walk.queue

    @property
    def counts(self) -> dict[str, int]:
        """The fields confirmed, fixed and disputed in this walk."""
        return self.walk.counts

    @property
    def current_row(self) -> tuple[str, int] | None:
        return self.walk.current

    @property
    def current_field(self) -> FieldState | None:
        return self.model.current_state()

    @property
    def mode(self) -> str | None:
        """``fix`` or ``dispute`` while one is typed (:attr:`ValueEditor.mode`)."""
        return self.editor_box.mode

    def to_decide(self, place: tuple[str, int], state: FieldState) -> bool:
        """Whether the walk stops at this field (:meth:`Walk.to_decide`)."""
        return self.walk.to_decide(place, state)

    def go(self, at: int, *, forward: bool = True) -> None:
        """Show the row at place ``at`` of the walk (a disputed row met the first
        time while walking forward goes to the end of the walk)."""
        self._close_editor()
        if not self.queue:
            self._show_nothing("Nothing to verify: every row you may verify is verified.")
            return
        if at >= len(self.queue):
            self._show_nothing(self.walk.end_text(self.who, self._arms))
            return
        at = max(at, 0)
        states = self._states(self.queue[at])
        if states is None:
            return
        if self.walk.defer(at, states, forward=forward):
            self.go(at)
            return
        self.walk.at = at
        self._show(self.queue[at], states)

    def _states(self, place: tuple[str, int]) -> list[FieldState] | None:
        try:
            return list(self.state.service.field_states(*place).values())
        except CuratorError as exc:
            self.at_once.say(str(exc), error=True)
            return None

    def _arms(self, key: str) -> tuple[str, str]:
        arms = self.state.service.arms(key)  # one small read, not the whole outline counted again
        return (arms.intervention, arms.comparator)

    def row_findings(self, place: tuple[str, int] | None = None) -> list[Finding]:
        """The open findings of a row (the current one by default), most serious first, as the live checks
        last found them."""
        place = place or self.current_row
        if self.checks is None or place is None:
            return []
        key, position = place
        found = [f for f in self.checks.findings if f.comparison == key and f.row == position]
        return sorted(found, key=lambda f: -RANK.get(f.severity, 0))

    def _show(self, place: tuple[str, int], states: list[FieldState], field: str | None = None) -> None:
        comparison, position = place
        by_name = {s.field: s for s in states}
        summary = next((c for c in self.state.service.outline() if c.key == comparison), None)
        arms = (summary.intervention, summary.comparator) if summary is not None else ("", "")
        title = f"{_html(summary.title)} · " if summary is not None and summary.title else ""
        endpoint = by_name["endpoint"].value or "(no endpoint)"
        self.where.setText(f"<b>{_html(endpoint)}</b><br>{title}{_html(row_words(comparison, position))}")
        self.progress.setText(f"row {self.walk.at + 1} of {len(self.queue)} in this walk")
        self.source.set_source(by_name["source.location"].value, by_name["source.quote"].value)
        self.source.setVisible(True)
        for button in (self.confirm_button, self.fix_button, self.dispute_button):
            button.setEnabled(True)
        found = self.row_findings(place)
        pointed = {f.field for f in found if f.field}
        shown = [s for s in states if s.value is not None or s.field in pointed]
        self.model.set_states(shown, arms=arms, findings=_by_field(found))
        self._show_findings(found)
        if self.with_paper:
            self.row = self.stored.row(place)
            self.paper.show_row(place, self.row, self.references())
            evidence = self.row.evidence if self.row is not None else {}
            self.model.set_pages({name: f"p. {e.page}" for name, e in evidence.items()})
        self.walk.still_open[place] = [s for s in shown if s.value is not None and s.state in TO_DECIDE]
        row = self.model.row_of(field) if field is not None else -1
        if row < 0:
            row = next((i for i, s in enumerate(shown) if self.to_decide(place, s)), 0)
        self._set_current(row)
        self.message.clear()
        self.view.setFocus()

    def _show_findings(self, found: Sequence[Finding]) -> None:
        if not found:
            stale = self.checks is not None and self.checks.running is not None
            text = "Checking the review…" if stale else "No open findings on this row."
            self.findings.setText(f"<span style='color:#375623'>{text}</span>")
            return
        lines = []
        for f in found:
            colour = _SEVERITY_COLOURS.get(f.severity, "#000000")
            where = self.model.label(f.field) if f.field else "the row"
            lines.append(
                f"<span style='color:{colour}'><b>{f.severity.upper()}</b></span> {_html(where)}: {_html(f.message)}"
            )
        count = plural(len(found), "open finding")
        self.findings.setText(f"<b>Checks on this row: {count}</b> (the marked fields)<br>" + "<br>".join(lines))

    def _findings_changed(self, _findings: object) -> None:
        """The live checks have new results: show the current row's."""
        place = self.current_row
        if place is None:
            return
        found = self.row_findings(place)
        self.model.set_findings(_by_field(found))
        self._show_findings(found)

    def _show_nothing(self, text: str) -> None:
        self.walk.at = len(self.queue)
        self.model.set_states([])
        self.where.setText("<b>Verify mode</b>")
        self.progress.setText(plural(len(self.queue), "row"))
        self.source.set_source(None, None)
        self.source.setVisible(False)  # no row: no "(the row names no source location)" to read
        for button in (self.confirm_button, self.fix_button, self.dispute_button):
            button.setEnabled(False)  # nothing to confirm, fix or dispute; PgUp and Escape still work
        self.findings.clear()
        self.row = None
        self.paper.clear()
        self.at_once.say(text)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.warned = None  # a warning is about the field it was given on
        self.model.set_current(current.row())
        self._show_source()

    def _set_current(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        self.model.set_current(row)
        self._show_source()

    # -- the paper ---------------------------------------------------------------------

    def references(self) -> list[Reference]:
        """The review's references (:meth:`AsStored.references`)."""
        return self.stored.references()

    def _show_source(self) -> None:
        """The paper beside: the current value's page with its place framed, or that it has none."""
        if not self.with_paper:
            return
        state = self.current_field
        if state is None:
            self.paper.show_field(None, "", None)
            return
        shown = value_words(state.field, state.value) if state.value is not None else None
        self.paper.show_field(state.field, self.model.label(state.field), shown)

    def _paper_selected(self) -> None:
        """Text selected in the paper while a fix is typed: the fix takes its value, as printed."""
        picked = self.pane.selected()
        if self.mode != "fix" or picked is None:
            return
        self.editor_box.take_selection(picked, self.row)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """With the keyboard in the paper, Enter, F and D still confirm, fix and dispute."""
        if watched is self.pane.view and event.type() == QEvent.Type.KeyPress and self.mode is None:
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            actions: dict[int, Callable[[], None]] = {
                Qt.Key.Key_Return: self.confirm,
                Qt.Key.Key_Enter: self.confirm,
                Qt.Key.Key_F: self.start_fix,
                Qt.Key.Key_D: self.start_dispute,
            }
            action = actions.get(event.key()) if plain else None
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    # -- actions ---------------------------------------------------------------------------

    @property
    def stale(self) -> StaleWriteDialog | None:
        """The theirs-and-yours dialog on show after a refusal as stale (None when none)."""
        return self.at_once.stale

    def _run(self, change: Callable[[], object], on_stale: Callable[[StaleWrite], None] | None = None) -> bool:
        """One use case of the service (:meth:`WorkingAtOnce.run`); whether it was written."""
        ok, _done = self.at_once.run(change, on_stale)
        if ok:
            self.changed = True
        return ok

    def _refused(
        self,
        error: StaleWrite,
        place: tuple[str, int],
        state: FieldState,
        *,
        fix: str | None = None,
        evidence: Evidence | None = None,
        comment: str | None = None,
    ) -> None:
        """A confirm, fix or dispute refused because someone changed the value meanwhile: theirs beside yours
        (the value confirmed, the fix typed, or the value disputed with the comment). Apply mine fixes the
        field to yours (a dispute: disputes theirs with the comment), compare-and-set against theirs; Keep
        theirs shows the row as they left it."""
        seen = state.value or ""
        theirs = error.theirs or ""
        if comment is not None:
            yours, note = seen, f"the value you disputed: {comment}. Apply mine disputes theirs with your comment"
        elif fix is not None:
            yours, note = fix, None
        else:
            yours, note = seen, "the value you confirmed as the source prints it. Apply mine fixes the field to it"
        endpoint = next((s.value for s in self.model.states if s.field == "endpoint"), None)
        checking = self.state.service.checking
        name = state.field

        def apply_mine() -> None:
            if comment is not None:
                ok = self._run(
                    lambda: checking.dispute_field(place[0], place[1], name, comment, expected=theirs),
                    lambda again: self._refused(again, place, replace(state, value=theirs), comment=comment),
                )
                counted = "disputed"
            else:
                ok = self._run(
                    lambda: checking.fix_field(place[0], place[1], name, yours, evidence=evidence, expected=theirs),
                    lambda again: self._refused(again, place, replace(state, value=theirs), fix=yours),
                )
                counted = "fixed"
            if ok:
                self.counts[counted] += 1
                self._close_editor()
                if self.checks is not None and counted == "fixed":
                    self.checks.check_all()
                self._after(name)

        def keep_theirs() -> None:
            self._close_editor()
            self._show_again(name)
            self.at_once.say(f"Kept theirs: {self.model.label(name)} is {_shown(theirs)}; yours was not saved.")

        self.at_once.ask(
            error,
            yours=yours,
            over=seen,
            endpoint=endpoint,
            yours_note=note,
            apply_mine=apply_mine,
            keep_theirs=keep_theirs,
        )

    # -- others' changes -------------------------------------------------------------------

    def _others_changed(self, changes: Changes) -> None:
        """Another reviewer changed the review: the row shown is read again if it changed (a fix or dispute
        being typed stays, saved against the value it was typed over)."""
        from curator.services.live import ALL

        place = self.current_row
        self.stored.forget(changes)
        if place is None:
            return
        moved = place[0] in changes.moved or ALL in changes.moved
        if place not in changes.rows and not moved and not changes.review:
            return
        current = self.current_field
        if self._show_again(current.field if current is not None else None):
            self.at_once.say(shown_as_left(changes))

    def _show_again(self, field: str | None) -> bool:
        """Read the row shown again and show it as stored, on ``field``; what is being typed stays."""
        place = self.current_row
        if place is None:
            return False
        states = self._states(place)
        if states is None:
            return False
        self.stored.forget_rows(place[0])
        self._show(place, states, field)
        if self.mode is not None:
            self.editor.setFocus()
        return True

    def _after(self, field: str) -> None:
        """Show the row as stored now; move on to the next field to decide (or to the next row)."""
        place = self.current_row
        assert place is not None
        self.walk.decided.add((place[0], place[1], field))
        states = self._states(place)
        if states is None:
            return
        self._show(place, states, field)
        row = self.model.row_of(field)
        count = self.model.rowCount()
        following = [(row + k) % count for k in range(1, count + 1)]
        pending = [r for r in following if self.to_decide(place, self.model.states[r])]
        if pending:
            self._set_current(pending[0])
        else:
            self.go(self.walk.at + 1)

    def confirm(self) -> None:
        """Enter: confirm the current field (unless verified already) and move on; an empty field has
        nothing to confirm and is passed by."""
        place, state = self.current_row, self.current_field
        if self.mode is not None or place is None or state is None:
            return
        checking = self.state.service.checking
        if state.state != "verified" and state.value is not None:
            errors = [f for f in self.model.findings.get(state.field, []) if f.severity == "error"]
            if errors and self.warned != (place[0], place[1], state.field):
                self.warned = (place[0], place[1], state.field)
                self.at_once.say(
                    f"{self.model.label(state.field)} has an open error: {errors[0].message}. "
                    "Press Enter again to confirm it as the paper prints it, F to fix it, D to dispute it.",
                    error=True,
                )
                return
            self.warned = None
            if not self._run(
                lambda: checking.verify_field(place[0], place[1], state.field, expected=state.value or ""),
                lambda error: self._refused(error, place, state),
            ):
                return
            self.counts["confirmed"] += 1
        self._after(state.field)

    def start_fix(self) -> None:
        """F: type the value the source prints; with text selected in the paper, its number, as printed."""
        state = self.current_field  # a choice as people read it (Kaplan–Meier): typed back either way
        picked = self.pane.selected() if self.with_paper else None
        if picked is not None and state is not None:
            self._open_editor("fix", "Fix to:", "")
            self.editor_box.take_selection(picked, self.row)
            return
        self._open_editor("fix", "Fix to:", (value_words(state.field, state.value) or "") if state else "")

    def start_dispute(self) -> None:
        self._open_editor("dispute", "Why is it wrong?", "")

    def _open_editor(self, mode: str, label: str, text: str) -> None:
        state = self.current_field
        if self.current_row is None or state is None:
            return
        self.editor_box.begin(mode, state, label, text, with_paper=self.with_paper)

    def _close_editor(self) -> None:
        self.editor_box.end()
        self.view.setFocus()

    def _save_editor(self) -> None:
        place, state, text = self.current_row, self.editor_box.typing or self.current_field, self.editor.text()
        if place is None or state is None:
            return
        if self.mode == "fix" and not self.editor_box.validate(text):
            return  # kept as typed, with its reason
        if self.mode == "fix":
            text = from_words(state.field, text)  # yes, Kaplan–Meier: stored as TRUE, kaplan_meier
        checking = self.state.service.checking
        fixing = self.mode == "fix"
        evidence = self.editor_box.evidence(text) if fixing else None
        comment = text
        if fixing:
            ok = self._run(
                lambda: checking.fix_field(
                    place[0], place[1], state.field, text, evidence=evidence, expected=state.value or ""
                ),
                lambda error: self._refused(error, place, state, fix=text, evidence=evidence),
            )
        else:
            ok = self._run(
                lambda: checking.dispute_field(place[0], place[1], state.field, text, expected=state.value or ""),
                lambda error: self._refused(error, place, state, comment=comment),
            )
        if ok:
            self.counts["fixed" if fixing else "disputed"] += 1
            self._close_editor()
            if fixing and self.checks is not None:
                self.checks.check_all()  # the fixed value's findings (on a worker for a big review)
            self._after(state.field)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """The Enter that saved a fix or dispute refused as stale is not the theirs-and-yours dialog's answer
        (QDialog would press its default button, a child of this one)."""
        if self.stale is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Escape cancels a fix or dispute being typed; otherwise it closes verify mode."""
        if self.mode is not None:
            self._close_editor()
            self.message.clear()
            return
        super().reject()

    def done(self, result: int) -> None:
        """Closing (Escape, Close, the window's close box) stops following the live checks."""
        if self.checks is not None:
            self.checks.findings_changed.disconnect(self._findings_changed)
            self.checks = None
        self.at_once.stop()
        self.pane.close_paper()  # its PDFium document, now
        super().done(result)


def _by_field(found: Sequence[Finding]) -> dict[str, list[Finding]]:
    by_field: dict[str, list[Finding]] = {}
    for f in found:
        if f.field:
            by_field.setdefault(f.field, []).append(f)
    return by_field


def _shown(text: str) -> str:
    return repr(text) if text else "empty"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
