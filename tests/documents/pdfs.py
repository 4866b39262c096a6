"""PDFs with known numbers at known places, written by fpdf2 for the tests."""

from __future__ import annotations

from functools import cache

from fpdf import FPDF

#: A4 in points, as fpdf2 makes it.
PAGE_HEIGHT = 841.89


def paper(pages: list[list[tuple[float, float, str]]], *, font_size: int = 12) -> bytes:
    """A PDF whose page i holds each ``(x, y, text)`` of ``pages[i]``, x and y in
    points from the top-left corner (y at the text's baseline)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=font_size)
    for texts in pages:
        pdf.add_page()
        for x, y, text in texts:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def scan() -> bytes:
    """A PDF of one page with a drawing and no text layer, as a scanned paper is."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.rect(50, 50, 200, 100, style="F")
    return bytes(pdf.output())


def encrypted() -> bytes:
    """A PDF that opens only with a password."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.text(72, 100, "42.6%")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@cache
def long_paper(pages: int = 500) -> bytes:
    """A PDF of ``pages`` pages, each with a few lines of text (uncompressed, about 7 kB a page) and the
    number ``42.6`` on the last page only; made once per test session (it takes a tenth of a second)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_compression(False)
    pdf.set_font("helvetica", size=10)
    line = "The patients were followed for twelve weeks and every visit was recorded in the case report form."
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.text(72, 60, f"Page {number}")
        for i in range(60):
            pdf.text(72, 80 + 12 * i, line)
        if number == pages:
            pdf.text(72, 820, "42.6")
    return bytes(pdf.output())
