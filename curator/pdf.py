"""A paper's PDF: is it one, how many pages, has it text, and where a printed text stands.

Built on pypdfium2 (PDFium: characters with their boxes). Boxes are given
as the exchange format's evidence wants them (``curator/1.1``, "Source
documents and evidence"): ``[x0, y0, x1, y1]`` in PDF points from the
page's **top-left** corner (PDFium counts from the bottom-left; this module
turns them over).

This module is core: it imports neither Qt nor the store. Everything opens
the document from bytes and closes it before returning, so no file handle or
PDFium object outlives a call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PdfError",
    "PdfInfo",
    "Hit",
    "Picture",
    "PageText",
    "Paper",
    "inspect_pdf",
    "find_text",
    "render_page",
    "sha256_of",
]

#: Pages looked at for a text layer before a document is called a scan.
_TEXT_PROBE_PAGES = 20


class PdfError(ValueError):
    """A file that cannot be used as a paper's PDF; the message names the file and says why."""


@dataclass(frozen=True)
class PdfInfo:
    """What Curator needs to know of a PDF before keeping it."""

    sha256: str
    pages: int
    #: False for a scan (no text layer on the pages looked at): it can be viewed, not searched.
    has_text: bool


@dataclass(frozen=True)
class Hit:
    """One place a text stands: its page (from 1), the characters found there, and their boxes
    (one a line), in points from the page's top-left corner."""

    page: int
    text: str
    boxes: tuple[tuple[float, float, float, float], ...]


def sha256_of(data: bytes) -> str:
    """The document's identity: the hex SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _opened(data: bytes, name: str) -> Iterator[Any]:
    import pypdfium2 as pdfium

    if not data.lstrip()[:5].startswith(b"%PDF"):
        kind = "the file is empty" if not data else "it does not start as a PDF does (%PDF)"
        raise PdfError(f"{name}: not a PDF ({kind})")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.casefold():
            raise PdfError(f"{name}: the PDF is encrypted (it needs a password); save an unprotected copy") from None
        raise PdfError(f"{name}: the PDF is damaged and cannot be read ({text})") from None
    try:
        yield doc
    finally:
        doc.close()


def inspect_pdf(data: bytes, name: str = "the file") -> PdfInfo:
    """Check that ``data`` is a readable PDF and say what it holds; :class:`PdfError` otherwise.

    ``name`` is how messages name the file. Only the first pages are read for
    a text layer, so a 500-page PDF costs no more than a short one."""
    with _opened(data, name) as doc:
        pages = len(doc)
        if pages == 0:
            raise PdfError(f"{name}: the PDF has no pages")
        has_text = False
        for index in range(min(pages, _TEXT_PROBE_PAGES)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                has_text = textpage.count_chars() > 0
            finally:
                textpage.close()
                page.close()
            if has_text:
                break
    return PdfInfo(sha256_of(data), pages, has_text)


def _lines(boxes: list[tuple[float, float, float, float]]) -> tuple[tuple[float, float, float, float], ...]:
    """Character boxes joined into one box a line (a box whose vertical middle is in the line's span)."""
    lines: list[list[float]] = []
    for x0, y0, x1, y1 in boxes:
        middle = (y0 + y1) / 2
        for line in lines:
            if line[1] <= middle <= line[3]:
                line[:] = [min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1)]
                break
        else:
            lines.append([x0, y0, x1, y1])
    return tuple((round(a, 2), round(b, 2), round(c, 2), round(d, 2)) for a, b, c, d in lines)


def _inside_a_number(textpage: Any, start: int, count: int) -> bool:
    """Whether the characters found continue a longer number on either side."""
    before = textpage.get_text_range(start - 1, 1) if start > 0 else ""
    after = textpage.get_text_range(start + count, 2) if start + count < textpage.count_chars() else ""
    if before[-1:].isdigit() or (before[-1:] in ".·" and start > 1 and textpage.get_text_range(start - 2, 1).isdigit()):
        return True
    return after[:1].isdigit() or (after[:1] in ".·" and after[1:2].isdigit())


def find_text(
    data: bytes, text: str, name: str = "the file", *, pages: range | None = None, whole_number: bool = False
) -> list[Hit]:
    """Every place ``text`` stands in the PDF (exactly as given, any case), page by page.

    ``whole_number``: only where the text is a whole printed number, not
    part of a longer one (``42.6`` not in ``142.6`` or ``42.65``). ``pages``
    (0-based) restricts the search. A scan (no text layer) gives no hit.
    :class:`PdfError` when the data are not a readable PDF."""
    with Paper(data, name) as paper:
        hits: list[Hit] = []
        for index in pages if pages is not None else range(paper.pages):
            hits.extend(paper.find(text, index + 1, whole_number=whole_number))
        return hits


@dataclass(frozen=True)
class Picture:
    """A rendered page: ``width`` × ``height`` pixels of RGB, ``stride`` bytes a row (for a QImage),
    at ``scale`` pixels a point."""

    width: int
    height: int
    stride: int
    pixels: bytes
    scale: float


def render_page(data: bytes, page: int, scale: float = 1.5, name: str = "the file") -> Picture:
    """Page ``page`` (from 1) drawn at ``scale`` pixels a point, white behind, as RGB bytes.

    :class:`PdfError` when the data are not a readable PDF or the page does not exist."""
    with Paper(data, name) as paper:
        return paper.render(page, scale)


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageText:
    """The characters of one page in reading order, each with its box (points from the top-left; an
    empty box for a character the PDF does not draw, such as a line break PDFium adds)."""

    page: int
    width: float
    height: float
    text: str
    boxes: tuple[Box, ...]

    def index_at(self, x: float, y: float) -> int | None:
        """The character at point (``x``, ``y``), else the nearest one on the line there (None when the
        point is on no line: between lines, in a margin, or the page has no text)."""
        best: tuple[float, int] | None = None
        for i, (x0, y0, x1, y1) in enumerate(self.boxes):
            if x1 <= x0 and y1 <= y0:
                continue
            if x0 <= x <= x1 and y0 <= y <= y1:
                return i
            if y0 - 2 <= y <= y1 + 2:  # on this character's line: the nearest by distance across
                distance = min(abs(x - x0), abs(x - x1))
                if best is None or distance < best[0]:
                    best = (distance, i)
        return best[1] if best is not None else None

    def span(self, start: int, end: int) -> tuple[str, tuple[Box, ...]]:
        """Characters ``start`` to ``end`` (inclusive, either order): their text (line breaks as spaces,
        runs of spaces as one) and their boxes, one a line."""
        lo, hi = sorted((start, end))
        hi = min(hi, len(self.text) - 1)
        text = " ".join(self.text[lo : hi + 1].split())
        return text, _lines([b for b in self.boxes[lo : hi + 1] if b[2] > b[0] or b[3] > b[1]])


class Paper:
    """An open PDF, for a viewer that turns its pages: opened once from bytes (:class:`PdfError`
    when they are not a usable PDF), closed by :meth:`close` or leaving a ``with`` block. Not to be
    shared between threads (PDFium is not thread-safe)."""

    def __init__(self, data: bytes, name: str = "the file") -> None:
        self.name = name
        self._context = _opened(data, name)
        self._doc: Any = self._context.__enter__()
        self.pages: int = len(self._doc)

    def __enter__(self) -> Paper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc = None
            self._context.__exit__(None, None, None)

    def _page(self, page: int) -> Any:
        if self._doc is None:
            raise PdfError(f"{self.name}: the PDF is closed")
        if not 1 <= page <= self.pages:
            raise PdfError(f"{self.name}: there is no page {page} (the PDF has {self.pages})")
        return self._doc[page - 1]

    def has_text(self, probe: int = _TEXT_PROBE_PAGES) -> bool:
        """Whether the first ``probe`` pages hold any text (False: a scan, to be read, not searched)."""
        for page in range(1, min(self.pages, probe) + 1):
            pdf_page = self._page(page)
            textpage = pdf_page.get_textpage()
            try:
                if textpage.count_chars() > 0:
                    return True
            finally:
                textpage.close()
                pdf_page.close()
        return False

    def size(self, page: int) -> tuple[float, float]:
        """Page ``page``'s width and height in points."""
        pdf_page = self._page(page)
        try:
            return pdf_page.get_width(), pdf_page.get_height()
        finally:
            pdf_page.close()

    def render(self, page: int, scale: float = 1.5) -> Picture:
        """Page ``page`` (from 1) drawn at ``scale`` pixels a point, white behind, as RGB bytes."""
        pdf_page = self._page(page)
        try:
            bitmap = pdf_page.render(scale=scale, rev_byteorder=True)
            try:
                return Picture(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), scale)
            finally:
                bitmap.close()
        finally:
            pdf_page.close()

    def text(self, page: int) -> PageText:
        """Page ``page``'s characters with their boxes (none for a scan)."""
        import pypdfium2.raw as raw

        pdf_page = self._page(page)
        height = pdf_page.get_height()
        textpage = pdf_page.get_textpage()
        try:
            count = textpage.count_chars()
            chars: list[str] = []
            boxes: list[Box] = []
            for i in range(count):
                code = raw.FPDFText_GetUnicode(textpage.raw, i)
                chars.append(chr(code) if 0 < code < 0x110000 else " ")
                left, bottom, right, top = textpage.get_charbox(i)
                boxes.append((left, height - top, right, height - bottom) if right > left or top > bottom else _EMPTY)
            return PageText(page, pdf_page.get_width(), height, "".join(chars), tuple(boxes))
        finally:
            textpage.close()
            pdf_page.close()

    def find(self, text: str, page: int, *, whole_number: bool = False) -> list[Hit]:
        """Every place ``text`` stands on page ``page`` (any case); ``whole_number`` as :func:`find_text`."""
        return self.find_each([(text, whole_number)], page)[0]

    def find_each(self, terms: Sequence[tuple[str, bool]], page: int) -> list[list[Hit]]:
        """For each ``(text, whole number)`` of ``terms``, every place it stands on page ``page``: the
        page's text read once for all of them (Locate looks for every value of a row in one pass)."""
        out: list[list[Hit]] = [[] for _ in terms]
        if not any(text.strip() for text, _whole in terms):
            return out
        pdf_page = self._page(page)
        height = pdf_page.get_height()
        textpage = pdf_page.get_textpage()
        try:
            if textpage.count_chars() == 0:  # a scan's page: nothing to look through
                return out
            for hits, (text, whole_number) in zip(out, terms, strict=True):
                needle = text.strip()
                if not needle:
                    continue
                searcher = textpage.search(needle, match_case=False)
                while (found := searcher.get_next()) is not None:
                    start, count = found
                    if whole_number and _inside_a_number(textpage, start, count):
                        continue
                    boxes = []
                    for i in range(start, start + count):
                        left, bottom, right, top = textpage.get_charbox(i)
                        if right > left or top > bottom:
                            boxes.append((left, height - top, right, height - bottom))
                    hits.append(Hit(page, textpage.get_text_range(start, count), _lines(boxes)))
                searcher.close()
        finally:
            textpage.close()
            pdf_page.close()
        return out


_EMPTY: Box = (0.0, 0.0, 0.0, 0.0)
