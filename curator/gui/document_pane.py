"""The paper beside the form: the PDF of the row's cited reference, page by page.

The pane shows one page at a time, drawn on demand at the zoom chosen
(fitting the pane's width until the reader zooms, never so small that
text cannot be read: a narrow pane scrolls sideways), and keeps only the last
few pages drawn, so a 500-page paper costs a few pages of memory. Keys, with
the page in focus: Page Down / Page Up turn the page, Home / End go to the
first and last, Ctrl++ / Ctrl+- zoom, Ctrl+0 fits the width. Find
(Ctrl+Shift+F, from anywhere in the window) looks for a text over every page
a few pages at a time, so the window never stops answering; Enter goes to
the next place, Shift+Enter to the one before, Escape closes the find bar;
F3 and Shift+F3 go from place to place on the page too (also Locate's).
The mouse selects text (a double click a whole number); Enter on the page
asks the window to fill the field chosen in the form from the selection
(:mod:`curator.gui.papers`).

The pane knows nothing of the review's store: it is given the row's
documents and a way to read their bytes (the documents service).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from curator.gui.page_view import Marks, PageView, image_of
from curator.pdf import Box, Hit, PageText, Paper, PdfError
from curator.review import Document

__all__ = ["DocumentPane", "Selected"]

#: Pages kept drawn (and their characters), for turning back and forth without drawing again.
_KEPT = 6
#: Pages looked through at a time by find, between which the window answers.
_FIND_STEP = 20
#: Fitting the width never draws smaller than this (pixels a point): below it a paper's 9-point table text
#: is no longer read; a narrower pane scrolls sideways instead.
_READABLE = 0.75
_ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)


@dataclass(frozen=True)
class Selected:
    """Text selected in a paper: the document, the page (from 1), the text and its boxes."""

    document: Document
    page: int
    text: str
    boxes: tuple[Box, ...]


#: The page's frame while the keyboard is on the page.
_FOCUSED_FRAME = "QScrollArea { border: 2px solid palette(highlight); }"


class DocumentPane(QWidget):
    """A paper's pages, with zoom, page keys, find and text selection."""

    #: the reader selected text (or cleared the selection)
    selection_changed = Signal()
    #: Enter on the page with text selected: fill the form's chosen field from it
    capture_requested = Signal()

    def __init__(self, content: Callable[[str], bytes | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content = content
        self.documents: list[Document] = []
        self.document: Document | None = None
        self._paper: Paper | None = None
        #: whether the paper open is a scan (no text layer: viewed, not searched nor captured from)
        self.scanned = False
        self.page = 0
        #: pixels a point; None: fit the pane's width
        self.zoom: float | None = None
        self._pictures: OrderedDict[tuple[str, int, float], QImage] = OrderedDict()
        self._texts: OrderedDict[tuple[str, int], PageText] = OrderedDict()
        #: what the pane marks on its pages: found places (page -> boxes), the current one, the evidence
        self._found: list[Hit] = []
        self._current_found = -1
        self._evidence: tuple[int, tuple[Box, ...]] | None = None
        self._find_next_page = 0
        self._home = 0
        self._find_text = ""
        #: what is looked for: each printed form, and whether it must stand as a whole number
        self._terms: list[tuple[str, bool]] = []
        #: called with the places once every page was looked through (Locate's, not the find bar's)
        self._when_found: Callable[[list[Hit]], None] | None = None
        #: whether going to a place found selects it (the find bar's) or only marks it (Locate's)
        self._selecting = True

        self.choice = QComboBox()
        self.choice.setToolTip("The row's cited references that have a paper attached")
        self.choice.activated.connect(lambda index: self.open_document(self.documents[index]) if index >= 0 else None)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.previous_button = self._tool("◀", "Previous page (Page Up)", lambda: self.go(self.page - 1))
        self.next_button = self._tool("▶", "Next page (Page Down)", lambda: self.go(self.page + 1))
        self.page_label = QLabel()
        self.zoom_out_button = self._tool("−", "Zoom out (Ctrl+-)", lambda: self.zoom_by(-1))
        self.zoom_in_button = self._tool("+", "Zoom in (Ctrl++)", lambda: self.zoom_by(1))
        self.fit_button = self._tool("Fit", "Fit the pane's width (Ctrl+0)", self.fit_width)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.choice, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(6)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)

        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in the paper (Ctrl+Shift+F)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.installEventFilter(self)
        self.find_edit.textEdited.connect(lambda _text: self._find_later())
        self.find_label = QLabel()
        self.find_label.setStyleSheet("color: #404040;")
        self._find_timer: QTimer = QTimer(self, singleShot=True, interval=250)
        self._find_timer.timeout.connect(self._start_find)
        self._find_step = QTimer(self, interval=0)
        self._find_step.timeout.connect(self._find_some)
        find_bar = QHBoxLayout()
        find_bar.setContentsMargins(0, 0, 0, 0)
        find_bar.addWidget(self.find_edit, 1)
        find_bar.addWidget(self.find_label)
        self.find_box = QWidget()
        self.find_box.setLayout(find_bar)
        self.find_box.setVisible(False)

        self.view = PageView()
        self.view.selection_changed.connect(self._selection_changed)
        self.view.installEventFilter(self)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.view)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setBackgroundRole(QPalette.ColorRole.Dark)
        self.scroll_area.installEventFilter(self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        self.selection_label.setStyleSheet("color: #1F4E9A;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.find_box)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.selection_label)
        layout.addStretch(0)  # takes the room only while no page is shown
        for keys, slot in (
            ((QKeySequence.StandardKey.ZoomIn, "Ctrl+="), lambda: self.zoom_by(1)),
            ((QKeySequence.StandardKey.ZoomOut,), lambda: self.zoom_by(-1)),
            (("Ctrl+0",), self.fit_width),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.show_papers([], "")

    def _tool(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # -- what is shown -----------------------------------------------------------------

    def show_papers(self, documents: Sequence[Document], heading: str, empty: str = "") -> None:
        """Show the papers ``documents`` (the row's cited references' PDFs held in the review), keeping
        the one open when it is among them; ``empty`` says why there is none."""
        self.documents = list(documents)
        self.heading.setText(heading)
        self.heading.setVisible(bool(heading))
        self.choice.clear()
        for document in self.documents:
            pages = f", {document.pages} {'page' if document.pages == 1 else 'pages'}" if document.pages else ""
            whose = f"[{document.reference}] " if document.reference else ""  # which cited reference's paper
            self.choice.addItem(f"{whose}{document.file}{pages}", document.sha256)
        self.choice.setVisible(len(self.documents) > 1)
        self._evidence = None
        if self.document is not None and any(d.sha256 == self.document.sha256 for d in self.documents):
            self.choice.setCurrentIndex(self.choice.findData(self.document.sha256))
            self._show()
            return
        if self.documents:
            self.open_document(self.documents[0])
        else:
            self._close()
            self.say(empty or "No paper to show.")

    def _close(self) -> None:  # noqa: D401
        if self._paper is not None:
            self._paper.close()
        self._paper, self.document, self.page = None, None, 0
        self._stop_find()
        self._found, self._current_found = [], -1
        self._pictures.clear()
        self._texts.clear()
        self.view.clear()
        self._controls()

    def open_document(self, document: Document, page: int = 1) -> bool:
        """Open ``document`` at ``page``; False (and a message) when its bytes are not held or unusable."""
        if self.document is not None and self.document.sha256 == document.sha256 and self._paper is not None:
            self.go(page)
            return True
        self._close()
        data = self._content(document.sha256)
        if data is None:
            self.say(f"{document.file}: the review does not hold this paper (attach it again: File > Attach paper…).")
            return False
        try:
            self._paper = Paper(data, document.file)
        except PdfError as exc:
            self.say(str(exc))
            return False
        self.document = document
        self.choice.setCurrentIndex(max(self.choice.findData(document.sha256), 0))
        self.scanned = not self._paper.has_text()
        self.say(
            f"{document.file} is a scan (no text layer): read it here and type the values; "
            "it cannot be searched, nor values taken from it."
            if self.scanned
            else ""
        )
        self.page = 0
        self.go(page)
        if self.find_box.isVisible() and self.find_edit.text().strip():
            self._start_find()
        return True

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _controls(self) -> None:
        pages = self._paper.pages if self._paper is not None else 0
        self.page_label.setText(f"p. {self.page} of {pages}" if pages else "")
        self.previous_button.setEnabled(self.page > 1)
        self.next_button.setEnabled(0 < self.page < pages)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            button.setEnabled(pages > 0)
        self.scroll_area.setVisible(pages > 0)  # no empty grey page under the message that says why

    def page_text(self, page: int | None = None) -> PageText | None:
        """The characters of ``page`` (the page shown by default) of the open paper."""
        if self._paper is None or self.document is None:
            return None
        page = page or self.page
        key = (self.document.sha256, page)
        if key not in self._texts:
            self._texts[key] = self._paper.text(page)
            while len(self._texts) > _KEPT:
                self._texts.popitem(last=False)
        self._texts.move_to_end(key)
        return self._texts[key]

    def scale(self) -> float:
        """Pixels a point: the zoom chosen, or what fits the pane's width."""
        if self.zoom is not None:
            return self.zoom
        if self._paper is None or not self.page:
            return 1.0
        width, _height = self._paper.size(self.page)
        room = self.scroll_area.viewport().width() - 8
        return max(_READABLE, min(4.0, room / width)) if width > 0 else 1.0

    def go(self, page: int) -> None:
        """Show page ``page`` (kept within the paper)."""
        if self._paper is None or self.document is None:
            return
        page = max(1, min(page, self._paper.pages))
        turned = page != self.page
        self.page = page
        self._show()
        if turned:
            self.scroll_area.verticalScrollBar().setValue(0)

    def _show(self) -> None:
        if self._paper is None or self.document is None or not self.page:
            return
        scale = round(self.scale(), 3)
        key = (self.document.sha256, self.page, scale)
        image = self._pictures.get(key)
        if image is None:
            try:
                image = image_of(self._paper.render(self.page, scale))
            except PdfError as exc:
                self.say(str(exc))
                return
            self._pictures[key] = image
            while len(self._pictures) > _KEPT:
                self._pictures.popitem(last=False)
        self._pictures.move_to_end(key)
        self.view.show_page(image, self.page_text(), scale)
        self._mark()
        self._controls()
        self._selection_changed()

    def _mark(self) -> None:
        found = [hit.boxes for hit in self._found if hit.page == self.page]
        current: tuple[Box, ...] = ()
        if 0 <= self._current_found < len(self._found) and self._found[self._current_found].page == self.page:
            current = self._found[self._current_found].boxes
        evidence = self._evidence[1] if self._evidence is not None and self._evidence[0] == self.page else ()
        self.view.set_marks(Marks(found, current, evidence))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.zoom is None and self._paper is not None:
            QTimer.singleShot(0, self._show)

    # -- zoom ------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        """Zoom in (``steps`` > 0) or out by one step of the usual zooms."""
        if self._paper is None:
            return
        now = self.scale()
        if steps > 0:
            self.zoom = next((z for z in _ZOOMS if z > now + 0.01), _ZOOMS[-1])
        else:
            self.zoom = next((z for z in reversed(_ZOOMS) if z < now - 0.01), _ZOOMS[0])
        self._show()
        self._keep_in_view()

    def _keep_in_view(self) -> None:
        """After a zoom: the place a value was read (or the place found) stays in view."""
        if self._evidence is not None and self._evidence[0] == self.page:
            self._scroll_to(self._evidence[1])
        elif self.current_found is not None and self.current_found.page == self.page:
            self._scroll_to(self.current_found.boxes)

    def fit_width(self) -> None:
        self.zoom = None
        self._show()

    # -- places: evidence, found --------------------------------------------------------

    def show_place(self, sha256: str, page: int, boxes: Sequence[Box]) -> bool:
        """Open the paper ``sha256`` at ``page`` with ``boxes`` framed (where a value was read) and in
        view; False when the pane has no such paper."""
        document = next((d for d in self.documents if d.sha256 == sha256), None)
        if document is None or not self.open_document(document, page):
            return False
        self._evidence = (page, tuple(tuple(b) for b in boxes))  # type: ignore[misc]
        self._mark()
        self._scroll_to(boxes)
        return True

    def clear_place(self) -> None:
        self._evidence = None
        self._mark()

    def show_found(self, hits: Sequence[Hit], current: int = 0) -> None:
        """Mark places found elsewhere (Locate's hits for a value) and go to the ``current`` one."""
        self._stop_find()
        self._found, self._current_found = list(hits), -1
        if hits:
            self._go_found(current)
        else:
            self._mark()

    @property
    def found(self) -> list[Hit]:
        return list(self._found)

    @property
    def current_found(self) -> Hit | None:
        return self._found[self._current_found] if 0 <= self._current_found < len(self._found) else None

    def _go_found(self, index: int, *, select: bool | None = None) -> None:
        """Go to place ``index`` found and mark it current; a find selects it (Ctrl+Return takes it),
        Locate only marks it (``select``: the find bar's own places by default)."""
        if not self._found:
            return
        self._current_found = index % len(self._found)
        hit = self._found[self._current_found]
        if hit.page != self.page:
            self.go(hit.page)
        if self._selecting if select is None else select:
            self.view.select_boxes(hit.boxes)
        self._mark()
        self._scroll_to(hit.boxes)
        self._find_status()

    def _scroll_to(self, boxes: Sequence[Box]) -> None:
        if not boxes:
            return
        scale = self.view.scale
        x0, y0, x1, y1 = boxes[0]
        # The whole box in view with room around it (a margin from its middle alone cut a long place, or
        # one at a high zoom, at the pane's edge); a box wider than the pane shows its start.
        viewport = self.scroll_area.viewport()
        half_width, half_height = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
        x_margin = min(int(half_width) + 40, max(viewport.width() // 2 - 1, 0))
        y_margin = min(int(half_height) + 120, max(viewport.height() // 2 - 1, 0))
        if half_width + 40 > viewport.width() / 2:  # wider than the pane: its start at the left
            self.scroll_area.ensureVisible(int(x0 * scale), int((y0 + y1) / 2 * scale), 20, y_margin)
            return
        self.scroll_area.ensureVisible(int((x0 + x1) / 2 * scale), int((y0 + y1) / 2 * scale), x_margin, y_margin)

    # -- find --------------------------------------------------------------------------

    def start_find(self) -> None:
        """Show the find bar, its text selected to type over (Ctrl+Shift+F)."""
        self.find_box.setVisible(True)
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def _find_later(self) -> None:
        self._find_timer.start()

    def _start_find(self) -> None:
        self._find_timer.stop()
        if not self.scanned:  # what Locate said of its places is no longer what F3 goes through
            self.say("")
        self._find_text = self.find_edit.text().strip()
        self.look_for([(self._find_text, False)] if self._find_text else [])

    def look_for(self, terms: Sequence[tuple[str, bool]], done: Callable[[list[Hit]], None] | None = None) -> None:
        """Look through the open paper for each ``(text, whole number)`` of ``terms``, a few pages at a time
        (the window answers meanwhile); the first place found is shown at once, and ``done`` is given every
        place once the last page was looked through. A new search stops the one under way.

        With ``done`` (Locate), the places are marked, not selected; the one shown first is on the page being
        read when the text stands there; and the pane stays where it is while the reader has text selected
        (what they chose is theirs until they choose again)."""
        self._stop_find()
        self._selecting = done is None
        self._terms = [(text, whole) for text, whole in terms if text.strip()]
        self._when_found = done
        self._found, self._current_found = [], -1
        self._home = self.page  # Locate shows a place on the page being read, when the value stands there
        if not self._terms or self._paper is None:
            self._mark()
            self.find_label.setText("" if self._paper is not None else "no paper")
            if done is not None:
                done([])
            return
        self._find_next_page = 1
        self._find_step.start()
        self._find_some()

    def _stop_find(self) -> None:
        self._find_step.stop()
        self._find_next_page = 0

    def _find_some(self) -> None:
        """Look through the next few pages; the first place to show (:meth:`_first_to_show`) is shown at once."""
        if self._paper is None or not self._find_next_page:
            self._stop_find()
            return
        last = min(self._find_next_page + _FIND_STEP - 1, self._paper.pages)
        for page in range(self._find_next_page, last + 1):
            for on_page in self._paper.find_each(self._terms, page):
                self._found.extend(on_page)
        self._find_next_page = last + 1 if last < self._paper.pages else 0
        first = self._first_to_show() if self._current_found < 0 else None
        if first is not None and (self._selecting or self.view.selection() is None):
            self._go_found(first)
        elif first is not None:  # the reader's selection stays in view; F3 goes to the places
            self._current_found = first
            self._mark()
        else:
            self._mark()
            self._find_status()
        if not self._find_next_page:
            self._find_step.stop()
            done, self._when_found = self._when_found, None
            if done is not None:
                done(list(self._found))

    def _first_to_show(self) -> int | None:
        """Which place found to show first: a find's first; Locate's first on the page being read (the
        reader filling fields from a results table stays at the table), else its first once that page was
        looked through; None while it is too early to say."""
        if not self._found:
            return None
        if self._selecting:
            return 0
        home = next((i for i, hit in enumerate(self._found) if hit.page == self._home), None)
        if home is not None:
            return home
        return 0 if not self._find_next_page or self._find_next_page > self._home else None

    def _find_status(self) -> None:
        if not self._find_text and not self._found:
            self.find_label.setText("")
            return
        searching = f" (looking, p. {self._find_next_page}…)" if self._find_next_page else ""
        if not self._found:
            if self._find_next_page:
                self.find_label.setText(f"looking, p. {self._find_next_page}…")
            elif self.page_text() is not None and not self._has_text():
                self.find_label.setText("a scan: no text to find")
            else:
                self.find_label.setText("not found")
            return
        pages = sorted({hit.page for hit in self._found})
        shown = ", ".join(str(p) for p in pages[:8]) + (", …" if len(pages) > 8 else "")
        self.find_label.setText(
            f"{self._current_found + 1} of {len(self._found)} (p. {shown}){searching}"
            if self._current_found >= 0
            else f"{len(self._found)} found (p. {shown}){searching}"
        )

    def _has_text(self) -> bool:
        text = self.page_text()
        return text is not None and bool(text.text.strip())

    def next_place(self, backwards: bool = False) -> None:
        """Go to the next place found (F3; Shift+F3 the one before), by find or by Locate."""
        if self._found:
            self._go_found(self._current_found + (-1 if backwards else 1))

    def find_next(self, backwards: bool = False) -> None:
        if self._find_text != self.find_edit.text().strip() or (not self._found and not self._find_next_page):
            self._start_find()
            return
        if self._found:
            self._go_found(self._current_found + (-1 if backwards else 1))

    # -- selection ----------------------------------------------------------------------

    def selected(self) -> Selected | None:
        """The text selected on the page shown, with its document, page and boxes (None: nothing)."""
        picked = self.view.selection()
        if picked is None or self.document is None:
            return None
        return Selected(self.document, self.page, picked[0], picked[1])

    def _selection_changed(self) -> None:
        picked = self.selected()
        self.selection_label.setText(f"Selected on p. {picked.page}: “{picked.text}”" if picked is not None else "")
        self.selection_label.setVisible(picked is not None)
        self.selection_changed.emit()

    # -- keys ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut) and watched is getattr(self, "view", None):
            # The keyboard on the page (its keys: pages, Enter takes the selection) shows as a frame.
            focused = event.type() == QEvent.Type.FocusIn
            self.scroll_area.setStyleSheet(_FOCUSED_FRAME if focused else "")
            return False
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key, mods = event.key(), event.modifiers()
        if watched is self.find_edit:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.find_next(backwards=bool(mods & Qt.KeyboardModifier.ShiftModifier))
                return True
            if key == Qt.Key.Key_Escape:
                self._stop_find()
                self.find_box.setVisible(False)
                self._found, self._current_found = [], -1
                self._mark()
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False
        plain = not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        moves: dict[Qt.Key, Callable[[], None]] = {
            Qt.Key.Key_PageDown: lambda: self.go(self.page + 1),
            Qt.Key.Key_PageUp: lambda: self.go(self.page - 1),
            Qt.Key.Key_Home: lambda: self.go(1),
            Qt.Key.Key_End: lambda: self.go(self._paper.pages if self._paper else 1),
        }
        if plain and key in moves:
            moves[Qt.Key(key)]()
            return True
        if key == Qt.Key.Key_F3 and not mods & Qt.KeyboardModifier.ControlModifier:
            self.next_place(backwards=bool(mods & Qt.KeyboardModifier.ShiftModifier))
            return True
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.selection() is not None:
            self.capture_requested.emit()
            return True
        if plain and key == Qt.Key.Key_Escape and self.view.selection() is not None:
            self.view.clear_selection()
            return True
        return super().eventFilter(watched, event)

    def close_paper(self) -> None:
        """Close the paper shown (its PDFium document) and show nothing."""
        self._close()
