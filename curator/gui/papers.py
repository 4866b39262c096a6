"""The window's paper beside the form: which paper the pane shows, and where the chosen value stands.

For the row shown in the form, the pane (:class:`~curator.gui.document_pane.DocumentPane`)
shows the PDFs attached to the references the row cites. When the keyboard goes into a
field, the pane goes to where that value was read (its evidence: the page, the place
framed in green), or, for a value entered without evidence (typed, imported, from a
workbook), to the places its printed text stands in the paper (Locate), marked for
the reviewer to take one as the evidence. A review that holds no paper shows no pane.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from curator.errors import CuratorError
from curator.fields import texts as field_texts
from curator.gui.document_pane import DocumentPane
from curator.locate import search_terms
from curator.naming import Arms, field_label, short_citation
from curator.pdf import Hit
from curator.review import Document, Evidence, Reference, Row

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = ["Papers", "CAPTURE_KEY", "ACCEPT_KEY", "PAPER_KEY", "NEXT_PLACE_KEY"]

#: Fill the form's chosen field from the text selected in the paper (Enter on the page does too).
CAPTURE_KEY = "Ctrl+Return"
#: Take the place marked in the paper as where the chosen value was read.
ACCEPT_KEY = "Ctrl+Shift+L"
#: Put the keyboard on the paper's page, and from the paper back to the form's chosen field.
PAPER_KEY = "F7"
#: The next place marked in the paper (found, or Locate's); with Shift, the one before.
NEXT_PLACE_KEY = "F3"

#: The pages Locate's message names at most (a number on every page of a long paper would push the page away).
_PAGES_NAMED = 8


class Papers(QObject):
    """Keeps the pane on the paper of the row in the form, and on the value chosen in it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pane = DocumentPane(self._content)
        self.pane.setVisible(False)  # until a review with papers is shown
        self._documents: list[Document] | None = None
        self.row: Row | None = None
        self.place: tuple[str, int] | None = None
        window.row_form.field_chosen.connect(self.field_chosen)
        self.pane.capture_requested.connect(self.capture)
        window.row_form.capture_dropped.connect(lambda _name: self.capture())
        self.pane.selection_changed.connect(self._say_selected)

    def _content(self, sha256: str) -> bytes | None:
        try:
            return self.window.service.documents.content(sha256)
        except CuratorError:
            return None

    def documents(self) -> list[Document]:
        """The review's documents (read once until the review changes)."""
        if self._documents is None:
            try:
                self._documents = self.window.service.documents.all()
            except CuratorError:
                self._documents = []
        return self._documents

    def review_changed(self) -> None:
        """The review's documents may have changed: read them again, and show the row again."""
        self._documents = None
        if self.place is not None and self.row is not None:
            self.show_row(*self.place, self.row)

    def show_row(self, comparison: str | None, position: int, row: Row | None) -> None:
        """Show the papers of ``row`` (the form's), and the chosen field's place in them."""
        self.row = row
        self.place = (comparison, position) if comparison is not None and row is not None else None
        # A review without papers keeps the table and the form as they were; with papers, the pane shows.
        self.pane.setVisible(any(d.stored for d in self.documents()))
        if row is None:
            self.pane.show_papers([], "", "No row chosen.")
            return
        uncited = "This row cites no reference: its paper is shown once the row cites one (Citations)."
        self.pane.show_papers(*row_papers(row, self.documents(), self.window.row_form.references, uncited))
        if self.window.row_form.chosen:
            self.field_chosen(self.window.row_form.chosen)

    def _label(self, name: str) -> str:
        summary = self.window.rows_model.summary
        arms = Arms(summary.intervention, summary.comparator) if summary else Arms()
        return field_label(name, arms)

    def _say_selected(self) -> None:
        """Under the page: what is selected, and which field of the form it would fill (the keyboard may be
        on the page, where the form no longer shows which field is chosen)."""
        picked = self.pane.selected()
        if picked is None:
            return
        chosen = self.window.row_form.chosen
        into = f"{CAPTURE_KEY} fills {self._label(chosen)}" if chosen else "choose the field to fill in the form"
        self.pane.selection_label.setText(f"Selected on p. {picked.page}: “{picked.text}” — {into}")

    def field_chosen(self, name: str) -> None:
        """Go to where field ``name``'s value was read, or look for where it stands (Locate)."""
        self._say_selected()
        row = self.row
        if row is None or not self.pane.documents:
            return
        evidence = row.evidence.get(name)
        label = self._label(name)
        if evidence is not None:
            self.pane.look_for([])
            boxes = [(b[0], b[1], b[2], b[3]) for b in evidence.boxes]
            if self.pane.show_place(evidence.document, evidence.page, boxes):
                quoted = f" “{evidence.text}”" if evidence.text else ""
                self.pane.say(f"{label}{quoted}: read from p. {evidence.page} (framed in green).")
            return
        self.pane.clear_place()
        terms = search_terms(row, name)
        if self.pane.scanned:  # nothing to look for in a scan; what the pane says of it stays
            return
        if terms is None:
            self.pane.look_for([])
            self.pane.say("")
            return
        shown, forms = terms
        self.pane.say(f"{label} “{shown}” has no evidence yet: looking for it in the paper…")
        self.pane.look_for(forms, lambda hits: self._located(label, shown, hits))

    def _located(self, label: str, shown: str, hits: list[Hit]) -> None:
        if not hits:
            self.pane.say(
                f"{label} “{shown}” has no evidence yet, and this paper does not print it as it is: "
                "find it (Ctrl+Shift+F) or select where it was read, then Ctrl+Return."
            )
            return
        on = sorted({h.page for h in hits})
        more = len(on) - _PAGES_NAMED
        pages = ", ".join(str(p) for p in on[:_PAGES_NAMED]) + (
            f" and {more} more {'page' if more == 1 else 'pages'}" if more > 0 else ""
        )
        places = f"{len(hits)} {'place' if len(hits) == 1 else 'places'}"
        self.pane.say(
            f"{label} “{shown}” has no evidence yet; it stands on p. {pages} ({places}, marked; F3 for the next). "
            f"{ACCEPT_KEY} takes the marked one as where it was read."
        )

    # -- the keyboard ---------------------------------------------------------------------------

    def toggle_keyboard(self) -> None:
        """F7: put the keyboard on the paper's page; from the paper, back to the form's chosen field."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.pane or self.pane.isAncestorOf(focus)):
            form = self.window.row_form
            if not (form.chosen and form.focus_field(form.chosen)):
                self.window.form_keys.to_form()
            if self.window.statusBar().currentMessage().startswith("Paper:"):  # no longer true
                self.window.statusBar().clearMessage()
            return
        if not self.pane.isVisible():
            self.window.show_message("The review holds no paper yet: File > Attach paper… adds a reference's PDF.")
            return
        if self.pane.document is None:
            self.window.show_message(
                "No paper beside the form: choose a row whose cited reference has a paper (File > Attach paper…)."
            )
            return
        self.pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        chosen = self.window.row_form.chosen
        into = f" into {self._label(chosen)}" if chosen else ""
        self.window.show_message(f"Paper: Enter takes the selection{into}; Ctrl+Shift+F finds; {PAPER_KEY} back")

    def next_place(self, backwards: bool = False) -> None:
        """F3 (Shift+F3): the next (previous) place marked in the paper, wherever the keyboard is."""
        if self.pane.find_edit.hasFocus():
            self.pane.find_next(backwards=backwards)
            return
        if not self.pane.found:
            self.window.show_message(
                "No places are marked in the paper: find a text (Ctrl+Shift+F), or choose a field with a value."
            )
            return
        self.pane.next_place(backwards=backwards)

    # -- capture and accept -------------------------------------------------------------------

    def _target(self) -> tuple[str, int, str] | None:
        """The form's row and chosen field, or None (with a message) when there is none."""
        form = self.window.row_form
        if self.place is None or self.place[0] is None or self.row is None:
            self.window.show_message("Choose a row first: its paper shows beside the form.")
            return None
        if form.chosen is None:
            self.window.show_message("Choose the field to fill first: click it in the form (or F6, then Tab).")
            return None
        return self.place[0], self.place[1], form.chosen

    def capture(self) -> None:
        """Fill the form's chosen field from the text selected in the paper, with its evidence: one undoable
        step (an arm's ``95/267 (35.6%)`` fills events, n and value; an empty source takes the page)."""
        from curator.gui.commands import CaptureCommand

        target = self._target()
        if target is None:
            return
        picked = self.pane.selected()
        if picked is None and self.pane.scanned:
            self.window.show_message("The paper is a scan (no text layer): type the value into the field.")
            return
        if picked is None:
            marked = f"; or {ACCEPT_KEY} takes the marked place" if self.pane.current_found is not None else ""
            self.window.show_message(
                "Select the value in the paper first (drag over it, double-click a number, or find it: "
                f"Ctrl+Shift+F){marked}."
            )
            return
        comparison, position, name = target
        evidence = Evidence(picked.document.sha256, picked.page, picked.text, [list(b) for b in picked.boxes])
        assert self.row is not None
        command = CaptureCommand(
            self.window.state, comparison, position, name, picked.text, evidence, expected=field_texts(self.row)
        )
        self.window.undo_stack.push(command)

    def accept_place(self) -> None:
        """Take the place marked in the paper (Locate's, or a find's) as where the chosen value was read."""
        from curator.gui.commands import EvidenceCommand

        target = self._target()
        if target is None:
            return
        comparison, position, name = target
        assert self.row is not None
        text = field_texts(self.row).get(name, "")
        hit = self.pane.current_found
        document = self.pane.document
        if not text:
            self.window.show_message(f"{self._label(name)} is empty: select its value in the paper and Ctrl+Return.")
            return
        if hit is None or document is None:
            self.window.show_message(
                f"No place is marked for {self._label(name)}: find it (Ctrl+Shift+F) or select it and Ctrl+Return."
            )
            return
        evidence = Evidence(document.sha256, hit.page, hit.text, [list(b) for b in hit.boxes])
        self.window.undo_stack.push(EvidenceCommand(self.window.state, comparison, position, name, evidence, text))


def _cited(key: str, reference: object | None) -> str:
    """A cited reference as the pane names it: ``[7] Wahn 2002``, or ``[15]`` for one with no authors or
    title (not ``[15] [15]``)."""
    named = short_citation(reference) if reference is not None else ""
    return f"[{key}] {named}" if named and named != f"[{key}]" else f"[{key}]"


def row_papers(
    row: Row, documents: Sequence[Document], references: Sequence[Reference], uncited: str
) -> tuple[list[Document], str, str]:
    """What a pane shows for ``row``: the papers of its cited references held in the review, the heading
    naming those references, and what to say when there is no paper (``uncited`` for a row citing none)."""
    by_key = {r.key: r for r in references}
    held = [d for d in documents if d.reference in row.citations]
    papers = [d for d in held if d.stored]
    cited = ", ".join(_cited(key, by_key.get(key)) for key in row.citations)
    if not row.citations:
        empty = uncited
    elif held and not papers:
        empty = f"The paper of {cited} is named ({held[0].file}) but not held in the review: attach it again."
    else:
        empty = f"No paper attached to {cited}: File > Attach paper… (or drop the PDF on the reference)."
    return papers, f"<b>{cited}</b>" if papers else "", empty
