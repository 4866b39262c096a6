"""PDFs with known numbers at known places, written by fpdf2 for the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from fpdf import FPDF

#: A4 in points, as fpdf2 makes it.
PAGE_HEIGHT = 841.89
#: Every PDF written here says it was made then: the same call gives the same bytes (and SHA-256), whatever
#: the second it runs in (fpdf2 writes the time it runs otherwise).
MADE = datetime(2002, 7, 1, tzinfo=UTC)


def _pdf() -> FPDF:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(MADE)
    return pdf


def paper(pages: list[list[tuple[float, float, str]]], *, font_size: int = 12) -> bytes:
    """A PDF whose page i holds each ``(x, y, text)`` of ``pages[i]``, x and y in
    points from the top-left corner (y at the text's baseline)."""
    pdf = _pdf()
    pdf.set_font("helvetica", size=font_size)
    for texts in pages:
        pdf.add_page()
        for x, y, text in texts:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def scan() -> bytes:
    """A PDF of one page with a drawing and no text layer, as a scanned paper is."""
    pdf = _pdf()
    pdf.add_page()
    pdf.rect(50, 50, 200, 100, style="F")
    return bytes(pdf.output())


def trial_paper() -> bytes:
    """A three-page trial report like the pimecrolimus guide's reference [7] (Wahn 2002): a title and
    abstract, then a results table on page 2 with the demo review's first row (``42.6%`` and ``68.4%``
    of patients requiring TCS) and an arm's ``95/267 (35.6%)``, and one more ``42.6%`` on page 3."""
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    pdf.text(60, 80, "Efficacy and safety of pimecrolimus cream 1% in the long-term")
    pdf.text(60, 98, "management of atopic dermatitis in children")
    pdf.set_font("helvetica", size=10)
    pdf.text(60, 120, "Wahn U, Bos JD, Goodfield M, et al. Pediatrics 2002;110:e2.")
    pdf.set_font("helvetica", "B", 11)
    pdf.text(60, 150, "Abstract")
    pdf.set_font("helvetica", size=10)
    abstract = [
        "Objective. To compare the long-term efficacy of pimecrolimus cream 1% with conventional",
        "treatment in children aged 2 to 17 years with atopic dermatitis, over 12 months.",
        "Methods. 713 patients were randomised 2:1 to pimecrolimus (n = 474) or to conventional",
        "treatment (n = 237); topical corticosteroids (TCS) were allowed for flares in both groups.",
        "Results. Fewer patients on pimecrolimus required TCS (42.6% vs 68.4%) and more were free",
        "of flares at 12 months (50.8% vs 28.3%).",
    ]
    for i, line in enumerate(abstract):
        pdf.text(60, 168 + 14 * i, line)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 11)
    pdf.text(60, 80, "Table 2. Outcomes at 12 months")
    pdf.set_font("helvetica", size=10)
    columns = (60, 260, 380, 500)
    rows = [
        ("Outcome", "Pimecrolimus", "Conventional", "p"),
        ("Patients requiring TCS", "42.6%", "68.4%", "<0.001"),
        ("Flare-free patients", "50.8%", "28.3%", "<0.001"),
        ("Patients with a flare", "95/267 (35.6%)", "84/131 (64.1%)", "0.002"),
    ]
    for r, cells in enumerate(rows):
        y = 104 + 20 * r
        for x, cell in zip(columns, cells, strict=True):
            pdf.text(x, y, cell)
        pdf.line(55, y + 6, 540, y + 6)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.text(60, 80, "Discussion. The 42.6% of patients who needed TCS on pimecrolimus compares with")
    pdf.text(60, 94, "68.4% on conventional treatment, a relative reduction of 38%.")
    return bytes(pdf.output())


def encrypted() -> bytes:
    """A PDF that opens only with a password."""
    pdf = _pdf()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.text(72, 100, "42.6%")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@cache
def long_paper(pages: int = 500) -> bytes:
    """A PDF of ``pages`` pages, each with a few lines of text (uncompressed, about 7 kB a page) and the
    number ``42.6`` on the last page only; made once per test session (it takes a tenth of a second)."""
    pdf = _pdf()
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
