"""The window's paper beside the form: which paper the pane shows, and where the chosen value stands.

For the row shown in the form, the pane (:class:`~curator.gui.document_pane.DocumentPane`)
shows the PDFs attached to the references the row cites. When the keyboard goes into a
field, the pane goes to where that value was read (its evidence: the page, the place
framed in green), or, for a value entered without evidence (typed, imported, from a
workbook), to the places its printed text stands in the paper (Locate), marked for
the reviewer to take one as the evidence. A review that holds no paper shows no pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from curator.errors import CuratorError
from curator.gui.document_pane import DocumentPane
from curator.locate import Located
from curator.naming import Arms, field_label, short_citation
from curator.review import Document, Row

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = ["Papers"]


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
        #: Locate's places for the row in the form, per field (computed when first asked for)
        self._located: dict[str, list[tuple[Document, Located]]] | None = None
        window.row_form.field_chosen.connect(self.field_chosen)

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
        self._located = None
        if self.place is not None and self.row is not None:
            self.show_row(*self.place, self.row)

    def show_row(self, comparison: str | None, position: int, row: Row | None) -> None:
        """Show the papers of ``row`` (the form's), and the chosen field's place in them."""
        same = self.place == (comparison, position) and row is not None
        self.row = row
        self.place = (comparison, position) if comparison is not None and row is not None else None
        if not same:
            self._located = None
        # A review without papers keeps the table and the form as they were; with papers, the pane shows.
        self.pane.setVisible(any(d.stored for d in self.documents()))
        if row is None:
            self.pane.show_papers([], "", "No row chosen.")
            return
        references = {r.key: r for r in self.window.row_form.references}
        held = [d for d in self.documents() if d.reference in row.citations]
        papers = [d for d in held if d.stored]
        cited = ", ".join(
            f"[{key}] {short_citation(references[key])}" if key in references else f"[{key}]" for key in row.citations
        )
        if not row.citations:
            empty = "This row cites no reference: its paper is shown once the row cites one (Citations)."
        elif held and not papers:
            empty = f"The paper of {cited} is named ({held[0].file}) but not held in the review: attach it again."
        else:
            empty = f"No paper attached to {cited}: File > Attach paper… (or drop the PDF on the reference)."
        heading = f"<b>{cited}</b>" if papers else ""
        self.pane.show_papers(papers, heading, empty)
        if self.window.row_form.chosen:
            self.field_chosen(self.window.row_form.chosen)

    def _label(self, name: str) -> str:
        summary = self.window.rows_model.summary
        arms = Arms(summary.intervention, summary.comparator) if summary else Arms()
        return field_label(name, arms)

    def located(self, name: str) -> list[tuple[Document, Located]]:
        """Where the chosen row's value ``name`` stands in its papers (Locate), per paper."""
        if self._located is None:
            self._located = {}
            if self.place is not None and self.place[0] is not None:
                try:
                    placed = self.window.service.documents.locate(*self.place)
                except CuratorError:
                    placed = []
                for paper in placed:
                    for found in paper.fields:
                        self._located.setdefault(found.field, []).append((paper.document, found))
        return self._located.get(name, [])

    def field_chosen(self, name: str) -> None:
        """Go to where field ``name``'s value was read, or mark where it stands (Locate)."""
        row = self.row
        if row is None or not self.pane.documents:
            return
        evidence = row.evidence.get(name)
        label = self._label(name)
        if evidence is not None:
            self.pane.show_found([])
            boxes = [(b[0], b[1], b[2], b[3]) for b in evidence.boxes]
            if self.pane.show_place(evidence.document, evidence.page, boxes):
                quoted = f" “{evidence.text}”" if evidence.text else ""
                self.pane.say(f"{label}{quoted}: read from p. {evidence.page} (framed in green).")
            return
        self.pane.clear_place()
        for document, found in self.located(name):
            if found.hits:
                self.pane.open_document(document, found.hits[0].page)
                self.pane.show_found(found.hits)
                pages = ", ".join(str(p) for p in sorted({h.page for h in found.hits}))
                self.pane.say(
                    f"{label} “{found.text}” has no evidence yet; it stands on p. {pages} "
                    f"({len(found.hits)} {'place' if len(found.hits) == 1 else 'places'}, marked)."
                )
                return
        self.pane.show_found([])
        self.pane.say("")
