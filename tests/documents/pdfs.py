"""PDFs with known numbers at known places, written by fpdf2 for the tests."""

from __future__ import annotations

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
