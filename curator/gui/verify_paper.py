"""Verify mode's paper: beside the fields, the page each value was read from, its place framed.

Verify mode (:class:`~curator.gui.verify_view.VerifyDialog`) checks each value
against the paper itself, not against the extractor's quote. For the row being
verified, :class:`VerifyPaper` shows the PDFs attached to the references the row
cites (a :class:`~curator.gui.document_pane.DocumentPane`); for the field chosen
in the list it opens the page the value was read from with the value's boxes
framed in green and in view (its evidence). A value with no evidence says so,
and shows the places its printed text stands in the paper (Locate), marked, so
the verifier can still look. The verifier may fix a value by selecting the
right text in the paper: :func:`number_as_printed` takes the number the field
wants from the selection, as printed (``68.4%`` gives ``68.4``).

Documents and their bytes come through the review's services (the documents
service), never from the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from curator.capture import captured_fields
from curator.errors import CuratorError
from curator.gui.document_pane import DocumentPane
from curator.gui.papers import row_papers
from curator.locate import Located
from curator.review import Document, Reference, Row

if TYPE_CHECKING:
    from curator.services.documents import Documents

__all__ = ["VerifyPaper", "number_as_printed", "NO_SOURCE"]

#: What a value without evidence says (the verifier reads it in the paper).
NO_SOURCE = "No located source: read it in the paper; verifying records that it was verified without a located source."


def number_as_printed(field: str, text: str, *, measure: str | None = None, unit: str | None = None) -> str:
    """The value of ``field`` in ``text`` selected in a paper, as printed, read as capture reads it
    (:func:`curator.capture.captured_fields`): a number field takes the one number in the selection
    (``68.4%`` gives ``68.4``; ``0·55`` and ``− 4.6`` stay as printed); an arm's value, events or n
    given an arm's result takes its part of it (``95/267 (35.6%)`` gives events ``95``, n ``267``,
    value ``35.6``); a text field the selection, its spaces made single.

    ``ValueError`` saying why, naming the selection, when it gives no value for this field (no number,
    several, a field chosen from a list, or an arm's result without it)."""
    found = captured_fields(field, text, measure=measure, unit=unit)
    if field not in found:
        gives = ", ".join(f"{name.partition('.')[2] or name} {value}" for name, value in found.items())
        raise ValueError(f"the selection {' '.join(text.split())!r} gives {gives}, not this value; select the value")
    return found[field]


class VerifyPaper(QWidget):
    """The row's papers beside verify mode's fields, on the chosen value's place."""

    def __init__(self, service_documents: Callable[[], Documents], parent: QWidget | None = None) -> None:
        """``service_documents`` gives the review's documents service (``all``, ``content``, ``locate``)."""
        super().__init__(parent)
        self._documents_service = service_documents
        self.pane = DocumentPane(self._content)
        #: What the chosen value's source is: its page, or that it has none (and where it stands).
        self.note = QLabel()
        self.note.setObjectName("verify_source_note")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)  # wraps to the width
        self.note.setMargin(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.pane, 1)
        self._documents: list[Document] | None = None
        self.place: tuple[str, int] | None = None
        self.row: Row | None = None
        #: Locate's places for the row shown, per field (computed when first asked for)
        self._located: dict[str, list[tuple[Document, Located]]] | None = None
        #: (place, field, evidence) last shown, not to show it again on every key
        self._shown: object = None

    # -- the service -------------------------------------------------------------------

    def _service(self) -> Documents:
        return self._documents_service()

    def _content(self, sha256: str) -> bytes | None:
        try:
            return self._service().content(sha256)
        except CuratorError:
            return None

    def documents(self) -> list[Document]:
        """The review's documents (read once)."""
        if self._documents is None:
            try:
                self._documents = list(self._service().all())
            except CuratorError:
                self._documents = []
        return self._documents

    def has_papers(self) -> bool:
        """Whether the review holds any paper (else verify mode shows no paper)."""
        return any(d.stored for d in self.documents())

    # -- what is shown -----------------------------------------------------------------

    def show_row(self, place: tuple[str, int], row: Row | None, references: Sequence[Reference]) -> None:
        """Show the papers the row at ``place`` cites (``row`` as stored now: its values may have changed)."""
        self.place, self.row = place, row
        self._located = None
        self._shown = None
        if row is None:
            self.pane.show_papers([], "", "")
            return
        uncited = "This row cites no reference, so verify mode has no paper to show."
        self.pane.show_papers(*row_papers(row, self.documents(), references, uncited))

    def clear(self) -> None:
        """No row: no paper, nothing to say."""
        self.place, self.row, self._located, self._shown = None, None, None, None
        self.pane.show_papers([], "", "")
        self._tell("")

    def located(self, name: str) -> list[tuple[Document, Located]]:
        """Where the row's value ``name`` stands in its papers (Locate), per paper."""
        if self._located is None:
            self._located = {}
            if self.place is not None:
                try:
                    placed = self._service().locate(*self.place)
                except CuratorError:
                    placed = []
                for paper in placed:
                    for found in paper.fields:
                        self._located.setdefault(found.field, []).append((paper.document, found))
        return self._located.get(name, [])

    def show_field(self, name: str | None, label: str, value: str | None) -> None:
        """Go to where field ``name`` (named ``label``, its value as shown ``value``) was read, framed;
        or say it has no located source and mark where its printed text stands."""
        row = self.row
        evidence = row.evidence.get(name) if row is not None and name is not None else None
        key = (self.place, name, evidence)
        if key == self._shown:
            return
        self._shown = key
        if row is None or name is None:
            self._tell("")
            return
        if value is None:
            self.pane.clear_place()
            self.pane.show_found([])
            self._tell(f"<b>{_html(label)}</b> is empty: nothing to read in the paper.")
            return
        if evidence is not None:
            self.pane.show_found([])
            boxes = [(b[0], b[1], b[2], b[3]) for b in evidence.boxes if len(b) >= 4]
            document = next((d for d in self.documents() if d.sha256 == evidence.document), None)
            called = document.file if document is not None else f"a document ({evidence.document[:12]}…)"
            quoted = f" “{_html(evidence.text)}”" if evidence.text else ""
            if self.pane.show_place(evidence.document, evidence.page, boxes):
                self._tell(
                    f"<b>{_html(label)}</b>{quoted}: read from p. {evidence.page} of {_html(called)}, framed in green.",
                    "read",
                )
            else:
                self.pane.clear_place()
                self._tell(
                    f"<b>{_html(label)}</b>{quoted}: read from p. {evidence.page} of {_html(called)}, "
                    "which is not among this row's papers held in the review.",
                    "none",
                )
            return
        self.pane.clear_place()
        said = f"<b>{_html(label)}</b>: {_html(NO_SOURCE)}"
        located = self.located(name)
        for document, found in located:
            if found.hits:
                self.pane.open_document(document, found.hits[0].page)
                self.pane.show_found(found.hits)
                pages = ", ".join(str(p) for p in sorted({h.page for h in found.hits}))
                places = "place" if len(found.hits) == 1 else "places"
                self._tell(
                    f"{said}<br>“{_html(found.text)}” stands on p. {pages} of {_html(document.file)} "
                    f"({len(found.hits)} {places}, marked in yellow).",
                    "none",
                )
                return
        self.pane.show_found([])
        if located:  # looked for (numbers and words; not a choice such as the measure)
            said += f"<br>“{_html(located[0][1].text)}” was not found in the paper as printed."
        self._tell(said, "none")

    def _tell(self, html: str, kind: str = "") -> None:
        """Say what the chosen value's source is: read from a page (green), none located (amber), or else."""
        colours = {"read": ("#E2F0D9", "#375623"), "none": ("#FFF2CC", "#7F4F00")}
        background, text = colours.get(kind, ("transparent", "palette(text)"))
        self.note.setStyleSheet(f"background: {background}; color: {text}; border-radius: 3px;")
        self.note.setText(html)
        self._fit_note()

    def _fit_note(self) -> None:
        """Give the note the lines its text takes at its width (a splitter does not ask a label that)."""
        width = max(self.contentsRect().width(), 300)  # the note spans the paper's width
        self.note.setMinimumHeight(0)  # else the label counts its minimum in its height for a width
        if self.note.text():
            self.note.setMinimumHeight(max(self.note.heightForWidth(width), 0))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_note()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
