"""A paper's PDF: checked before it is kept, and searched for printed numbers with their boxes."""

from __future__ import annotations

import pytest

from curator.pdf import PdfError, find_text, inspect_pdf, render_page, sha256_of
from tests.documents.pdfs import paper, scan

WAHN = paper(
    [
        [(72, 100, "Patients requiring TCS: 42.6% vs 68.4%"), (72, 300, "Flare-free: 42.6% at 12 months")],
        [(72, 200, "RR 0.62 (0.54-0.71), p < 0.001")],
    ]
)


def test_a_pdf_is_described_by_its_hash_pages_and_text_layer() -> None:
    info = inspect_pdf(WAHN, "wahn-2002.pdf")
    assert (info.sha256, info.pages, info.has_text) == (sha256_of(WAHN), 2, True)
    assert inspect_pdf(scan(), "scan.pdf").has_text is False  # a scan: viewed, not searched


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.pdf: not a PDF (the file is empty)"),
        (b"PK\x03\x04 a workbook", "x.pdf: not a PDF (it does not start as a PDF does (%PDF)"),
        (WAHN[: len(WAHN) // 3], "x.pdf: the PDF is damaged and cannot be read"),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused_with_the_file_and_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(PdfError) as caught:
        inspect_pdf(data, "x.pdf")
    assert str(caught.value).startswith(message)


def test_every_place_a_number_stands_is_found_with_a_box_around_it() -> None:
    hits = find_text(WAHN, "42.6%")
    assert [(h.page, h.text) for h in hits] == [(1, "42.6%"), (1, "42.6%")]
    for hit, baseline in zip(hits, (100, 300), strict=True):
        ((x0, y0, x1, y1),) = hit.boxes  # one line, one box
        # From the top-left corner: the box sits on the line's baseline, right of the words before it.
        assert y0 < baseline <= y1 + 1 and y1 - y0 < 14
        assert 72 < x0 < x1
    first, second = hits
    assert first.boxes[0][0] > second.boxes[0][0]  # "...TCS: 42.6%" stands further right than "Flare-free: 42.6%"
    assert [(h.page, h.text) for h in find_text(WAHN, "0.54")] == [(2, "0.54")]
    assert find_text(WAHN, "99.9") == [] and find_text(scan(), "42.6") == []


def test_a_search_can_be_kept_to_some_pages() -> None:
    assert find_text(WAHN, "42.6", pages=range(1, 2)) == []


def test_a_page_is_drawn_at_its_scale_with_its_text_dark_on_white() -> None:
    picture = render_page(WAHN, 1, scale=1.0)
    assert picture.width in (595, 596) and picture.height in (841, 842)  # A4 is 595.28 × 841.89 points
    assert picture.stride >= 3 * picture.width
    assert len(picture.pixels) == picture.stride * picture.height

    def pixel(x: int, y: int) -> bytes:
        return picture.pixels[y * picture.stride + 3 * x : y * picture.stride + 3 * x + 3]

    assert pixel(10, 10) == b"\xff\xff\xff"  # the margin is white
    ((x0, y0, x1, y1),) = find_text(WAHN, "42.6%")[0].boxes
    inside = [pixel(x, y) for x in range(int(x0), int(x1)) for y in range(int(y0), int(y1))]
    assert any(max(p) < 128 for p in inside)  # the found box holds dark (printed) pixels
    assert render_page(WAHN, 2, scale=2.0).width in (1190, 1191, 1192)


def test_a_page_that_does_not_exist_is_named() -> None:
    with pytest.raises(PdfError, match="wahn.pdf: there is no page 3 \\(the PDF has 2\\)"):
        render_page(WAHN, 3, name="wahn.pdf")
