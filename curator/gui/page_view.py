"""One page of a paper, drawn at a zoom, with marked places and a text selection.

The page comes drawn (:class:`curator.pdf.Picture`) with its characters and
their boxes (:class:`curator.pdf.PageText`), both in the PDF's points from the
page's top-left corner, as evidence keeps them. The view paints the picture,
then the marks over it: the places a find or Locate found (yellow, the
current one orange), the place a value was read from (a green frame), and the
reader's selection (blue). Dragging the mouse selects characters in reading
order, as a PDF viewer does; Shift+click extends the selection; dragging the
selection itself carries it out (onto a field of the form, which captures it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from curator.pdf import Box, PageText, Picture

__all__ = ["PageView", "Marks", "image_of", "SELECTION_MIME"]

#: What a selection dragged from the page carries besides its text: a drop on a form field captures it.
SELECTION_MIME = "application/x-curator-paper-selection"

_FOUND = QColor(255, 214, 0, 90)
_CURRENT = QColor(255, 140, 0, 120)
_SELECTED = QColor(40, 110, 230, 80)
_EVIDENCE = QColor(0, 140, 60)
_EVIDENCE_FILL = QColor(0, 170, 70, 45)


@dataclass
class Marks:
    """What a page shows over its text: places found, the current one, the place a value was read."""

    found: Sequence[Sequence[Box]] = ()
    current: Sequence[Box] = ()
    evidence: Sequence[Box] = ()


def image_of(picture: Picture) -> QImage:
    """A QImage of a drawn page (a copy: it owns its pixels)."""
    image = QImage(picture.pixels, picture.width, picture.height, picture.stride, QImage.Format.Format_RGB888)
    return image.copy()


def _holds(box: Box, x: float, y: float) -> bool:
    """Whether point (``x``, ``y``) stands in ``box`` (half a point to spare)."""
    return box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5


class PageView(QWidget):
    """A page at a zoom; emits ``selection_changed`` when the reader selects text with the mouse."""

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image: QImage | None = None
        self.text: PageText | None = None
        #: pixels a point, as the picture was drawn
        self.scale = 1.0
        self.marks = Marks()
        #: the selected characters' first and last index in ``text`` (None: nothing selected)
        self._anchor: int | None = None
        self._end: int | None = None
        #: where a press inside the selection was: moving from there drags the selection out
        self._drag_from: QPoint | None = None

    def show_page(self, image: QImage, text: PageText | None, scale: float) -> None:
        """Show a drawn page (``scale`` pixels a point) and its characters; the selection is cleared."""
        self.image, self.text, self.scale = image, text, scale
        self._anchor = self._end = None
        self.setFixedSize(image.size())
        self.update()

    def clear(self) -> None:
        self.image, self.text = None, None
        self._anchor = self._end = None
        self.marks = Marks()
        self.setFixedSize(QSize(0, 0))
        self.update()

    def set_marks(self, marks: Marks) -> None:
        self.marks = marks
        self.update()

    # -- selection -------------------------------------------------------------------

    def selection(self) -> tuple[str, tuple[Box, ...]] | None:
        """The selected text (spaces made single) and its boxes, one a line; None when nothing is selected."""
        if self.text is None or self._anchor is None or self._end is None:
            return None
        text, boxes = self.text.span(self._anchor, self._end)
        return (text, boxes) if text else None

    def select(self, start: int, end: int) -> None:
        """Select characters ``start`` to ``end`` (inclusive) of the page."""
        self._anchor, self._end = start, end
        self.update()
        self.selection_changed.emit()

    def select_boxes(self, boxes: Sequence[Box]) -> None:
        """Select the characters whose middles stand in ``boxes`` (a place found, or a value's evidence)."""
        if self.text is None:
            return
        inside = [
            i
            for i, (x0, y0, x1, y1) in enumerate(self.text.boxes)
            if (x1 > x0 or y1 > y0)
            and any(
                b[0] - 0.5 <= (x0 + x1) / 2 <= b[2] + 0.5 and b[1] - 0.5 <= (y0 + y1) / 2 <= b[3] + 0.5 for b in boxes
            )
        ]
        if inside:
            self.select(inside[0], inside[-1])

    def clear_selection(self) -> None:
        if self._anchor is not None:
            self._anchor = self._end = None
            self.update()
            self.selection_changed.emit()

    def _index_at(self, point: QPoint) -> int | None:
        if self.text is None or self.scale <= 0:
            return None
        return self.text.index_at(point.x() / self.scale, point.y() / self.scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        index = self._index_at(event.position().toPoint())
        if self._inside_selection(index) and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._drag_from = event.position().toPoint()  # a drag onto a form field, or a click
            return
        self._drag_from = None
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None and index is not None:
            self._end = index
        else:
            self._anchor = self._end = index
        self.update()
        self.selection_changed.emit()

    def _inside_selection(self, index: int | None) -> bool:
        if index is None or self._anchor is None or self._end is None:
            return False
        lo, hi = sorted((self._anchor, self._end))
        return lo <= index <= hi and lo != hi

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:  # a click inside the selection, not dragged: a new start there
            self._drag_from = None
            index = self._index_at(event.position().toPoint())
            self._anchor = self._end = index
            self.update()
            self.selection_changed.emit()
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:
            if (event.position().toPoint() - self._drag_from).manhattanLength() >= QApplication.startDragDistance():
                self._drag_from = None
                self._drag()
            return
        if not event.buttons() & Qt.MouseButton.LeftButton or self._anchor is None:
            return
        index = self._index_at(event.position().toPoint())
        if index is not None and index != self._end:
            self._end = index
            self.update()
            self.selection_changed.emit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """A double click selects the word (a number with its signs and decimals) under the pointer."""
        index = self._index_at(event.position().toPoint())
        if self.text is None or index is None:
            return
        chars = self.text.text
        start = end = index
        while start > 0 and not chars[start - 1].isspace():
            start -= 1
        while end + 1 < len(chars) and not chars[end + 1].isspace():
            end += 1
        self.select(start, end)

    def _drag(self) -> None:
        """Drag the selection out (onto a field of the form, which captures it)."""
        picked = self.selection()
        if picked is None:
            return
        data = QMimeData()
        data.setText(picked[0])
        data.setData(SELECTION_MIME, QByteArray(picked[0].encode()))
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.exec(Qt.DropAction.CopyAction)

    # -- painting --------------------------------------------------------------------

    def _rect(self, box: Box) -> QRectF:
        x0, y0, x1, y1 = box
        s = self.scale
        return QRectF(x0 * s - 1, y0 * s - 1, (x1 - x0) * s + 2, (y1 - y0) * s + 2)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.image is None:
            return
        painter = QPainter(self)
        painter.drawImage(0, 0, self.image)
        painter.setPen(Qt.PenStyle.NoPen)
        for boxes in self.marks.found:
            for box in boxes:
                painter.fillRect(self._rect(box), _FOUND)
        for box in self.marks.current:
            painter.fillRect(self._rect(box), _CURRENT)
        selected = self.selection()
        if selected is not None:
            for box in selected[1]:
                painter.fillRect(self._rect(box), _SELECTED)
        if self.marks.evidence:
            painter.setPen(QPen(_EVIDENCE, 2.5))
            painter.setBrush(_EVIDENCE_FILL)  # a light green under the text too: seen at a glance
            for box in self.marks.evidence:
                painter.drawRect(self._rect(box).adjusted(-2, -2, 2, 2))
        painter.end()
