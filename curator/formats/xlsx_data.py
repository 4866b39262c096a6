"""The Data, References and Documents sheets, and the empty extraction template.

The sheets are machine-readable tables that ``curator import`` reads back
(:mod:`curator.formats.xlsx_read`): row 1 holds the dotted field names of
:mod:`curator.formats.flat`, one line below per endpoint row (Data) or per
reference (References); what a header means is said in its cell comment
(and, in the template, in the input message shown when a cell is selected).
A review with source documents (1.1) also has a Documents sheet, one line
per document, and its Data sheet ends with the evidence columns of
:mod:`curator.formats.evidence_cells` (``Intervention value (page)``,
``(document)``, ``(text on the page)``, ``(boxes)``, for each field that
has evidence).

Every value is written as a text cell in a column formatted as Text
(``@``), so that the sheet keeps numbers exactly as printed (``42.60``,
``<0.001``, ``−1.5``, ``.03``) and a reviewer's typing into the template is
kept as typed; ``higher_is_better`` is a TRUE/FALSE cell. Nothing from a
review ever becomes a formula or a link: text goes in with ``write_string``.
The only links are those Curator makes itself, to PubMed and doi.org, and
only for a well-formed PMID (1-8 digits) or DOI (``10.NNNN/...``).

Written with XlsxWriter, which the stakeholder workbook uses (constant-memory
mode keeps memory flat whatever the row count).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from curator.files import atomic_path
from curator.formats.cells import close_workbook, row_height, write_row, write_text
from curator.formats.evidence_cells import (
    DOCUMENT_CITATION,
    DOCUMENT_HEADERS,
    DOCUMENTS_SHEET,
    document_names,
    document_to_cells,
    evidence_cells,
    evidence_columns,
    evidence_hint,
)
from curator.formats.fields import Boolean, Choice, Integer, Number, ReportedNumber, TextList
from curator.formats.flat import DATA_COLUMNS, REFERENCE_COLUMNS, Cell, Column, reference_to_cells, review_rows
from curator.review import Comparison, Review, Row

__all__ = [
    "DATA_SHEET",
    "REFERENCES_SHEET",
    "CITATION_HEADER",
    "SheetFormats",
    "write_data_sheet",
    "write_references_sheet",
    "write_documents_sheet",
    "add_documents_sheet",
    "add_data_sheet",
    "add_references_sheet",
    "write_template",
    "pubmed_url",
    "doi_url",
    "BOOLEAN_NUMBER_FORMAT",
]

DATA_SHEET = "Data"
REFERENCES_SHEET = "References"
#: The References sheet's last column: a read-only formatted citation.
CITATION_HEADER = "citation"
#: Lines of the template ready for data validation and the Text format.
TEMPLATE_ROWS = 2000
#: Excel keeps at most 65,530 links per sheet; beyond that, plain text.
_MAX_LINKS = 65_530

_PMID = re.compile(r"^[0-9]{1,8}$")
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")


class SheetFormats(Protocol):
    """What the sheets need of the caller's formats: its workbook, a header
    format and a link format (``xlsx_export.Formats`` has them)."""

    wb: Workbook
    header: Format
    link: Format


@dataclass
class _Formats:
    wb: Workbook
    header: Format
    link: Format

    @classmethod
    def of(cls, wb: Workbook) -> _Formats:
        header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "bottom_color": "#BFBFBF"})
        link = wb.add_format({"font_color": "#0563C1", "underline": 1, "num_format": "@"})
        return cls(wb, header, link)


_TEXT_FORMATS: weakref.WeakKeyDictionary[Workbook, Format] = weakref.WeakKeyDictionary()
_BOOLEAN_FORMATS: weakref.WeakKeyDictionary[Workbook, Format] = weakref.WeakKeyDictionary()
#: Shows a boolean cell as TRUE or FALSE in LibreOffice too (which otherwise
#: shows 1 or 0), as Excel does and as the import and the template read it.
BOOLEAN_NUMBER_FORMAT = '"TRUE";"TRUE";"FALSE"'


def _text_format(wb: Workbook) -> Format:
    """The workbook's Text (``@``) cell format, top-aligned, made once per workbook."""
    fmt = _TEXT_FORMATS.get(wb)
    if fmt is None:
        fmt = _TEXT_FORMATS[wb] = wb.add_format({"num_format": "@", "valign": "top"})
    return fmt


def _boolean_format(wb: Workbook) -> Format:
    """The workbook's format of TRUE/FALSE cells, made once per workbook."""
    fmt = _BOOLEAN_FORMATS.get(wb)
    if fmt is None:
        fmt = _BOOLEAN_FORMATS[wb] = wb.add_format({"num_format": BOOLEAN_NUMBER_FORMAT, "valign": "top"})
    return fmt


# -- identifiers and citations ----------------------------------------------


def pubmed_url(pmid: str | None) -> str | None:
    """The PubMed address of a well-formed PMID (1-8 digits), else None."""
    if pmid is None or not _PMID.match(pmid):
        return None
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def doi_url(doi: str | None) -> str | None:
    """The doi.org address of a well-formed DOI (``10.NNNN/...``), URL-encoded, else None."""
    if doi is None or not _DOI.match(doi) or len(doi) > 300:
        return None
    return "https://doi.org/" + quote(doi, safe="/")


# -- column looks -------------------------------------------------------------

_WIDE = {"comparison.title": 34, "endpoint": 30, "finding": 36, "source.quote": 44, "source.location": 24,
         "note": 24, "comparison.note": 24, "population": 22, "comparison.intervention": 24,
         "comparison.comparator": 24, "title": 44, "authors": 30, "journal": 22, "url": 28, "doi": 22,
         CITATION_HEADER: 60}  # fmt: skip

_MEANINGS = {
    "comparison.key": "The comparison's short key, e.g. pime-vs-tcs. Rows with the same key form one table.",
    "comparison.title": "The comparison's title. Needed on its first row; later rows may leave it empty.",
    "comparison.intervention": "Label of the first arm. Needed on the comparison's first row.",
    "comparison.comparator": "Label of the second arm. Needed on the comparison's first row.",
    "endpoint": "The endpoint, e.g. Patients requiring TCS. Required.",
    "measure": "What the arm values are: percent (share of patients, 0-100), mean, median, count or text.",
    "analysis": "How the arm values were obtained: crude (empty: straight from the patients counted), adjusted "
    "(from a model: adjusted percentages, least-squares means) or kaplan_meier (cumulative incidence).",
    "unit": "e.g. %, days, points.",
    "integer_items": "When the arm means are means of whole-number data (a score or a count): the items per "
    "patient, e.g. 1.",
    "se": "Standard error of the arm's mean.",
    "ci_low": "Low end of the confidence interval.",
    "ci_high": "High end of the confidence interval.",
    "q1": "First quartile (IQR low end), on a median row.",
    "q3": "Third quartile (IQR high end), on a median row.",
    "min": "Lowest value (range), on a median or mean row.",
    "max": "Highest value (range), on a median or mean row.",
    "effect.measure": "The between-arm estimate: RR, OR, HR, IRR (ratios) or RD, MD, SMD (differences).",
    "effect.se": "Standard error of the estimate as printed: of its log for RR, OR, HR, IRR; in the row's unit "
    "for a difference.",
    "effect.adjusted": "TRUE when the estimate comes from a model or a time-to-event method (not the plain "
    "difference or ratio of the arm values shown); empty means FALSE.",
    "effect.contrast": "What the estimate contrasts: arms (empty: the arm values shown), change (changes from "
    "baseline the arms do not show) or other.",
    "effect.method": "The test or model as printed, e.g. Cox model, ANCOVA, Mantel-Haenszel.",
    "higher_is_better": "TRUE, FALSE or empty: the direction of benefit.",
    "effect.direction": "Which arm is the numerator or minuend. Empty means intervention_vs_comparator.",
    "effect.ci_level": "The CI level in percent, as printed (95, 90, 95.02); empty means 95.",
    "effect.p": "The p-value as printed, with its relation: 0.0002, <0.001, = 0.03.",
    "effect.versus": "What the source says the estimate compares against, when it says so.",
    "finding": "The source's own verdict, as printed.",
    "favours": "What the finding says, in one word.",
    "citations": "Reference keys separated by ; (e.g. 9; 10). A key with a ; goes in a JSON list.",
    "source.location": "Where in the paper, e.g. Table 2.",
    "source.quote": "The words the values were read from.",
    "status": "draft (default), extracted, verified or disputed.",
    "key": "The label the source document uses, e.g. 7. Required, unique.",
    "authors": 'Names separated by ; ("Doe, John; Roe, R"). A name with a ; goes in a JSON list.',
    "year": "A whole number, e.g. 2004.",
    "pmid": "PubMed id, digits only.",
    "doi": "Bare, e.g. 10.1000/xyz.",
    CITATION_HEADER: "Vancouver citation made by Curator; ignored on import.",
}


#: The Data sheet's evidence columns' widths, by what they hold.
_EVIDENCE_WIDTHS = {"page": 8, "document": 20, "text": 14, "boxes": 30}
#: The Documents sheet's columns' widths (:data:`DOCUMENT_HEADERS` order).
#: The Documents sheet's columns' widths: :data:`DOCUMENT_HEADERS` with the citation after Reference.
_DOCUMENT_WIDTHS = (28, 10, 50, 7, 16, 68)
_CITATION_AT = 2
_DOCUMENT_MEANINGS = {
    "file": "The document's file name; curator import looks for it beside the workbook (by name, else by SHA-256).",
    "reference": "The key of the reference it is the full text of.",
    "pages": "Its number of pages.",
    "media_type": "Its media type; empty means application/pdf.",
    "sha256": "The SHA-256 of the file's bytes: the document's identity. Required, unique.",
}


def _width(column: Column) -> int:
    if column.name in _WIDE:
        return _WIDE[column.name]
    if isinstance(column.kind, (ReportedNumber, Boolean, Integer, Number)):
        return 11
    if isinstance(column.kind, Choice):
        return max(12, min(28, max(len(v) for v in column.kind.values) + 2))
    return 16


def hint(column: Column) -> str:
    """What to type in a column, for its header's comment or input message."""
    kind = column.kind
    meaning = _MEANINGS.get(column.name) or _MEANINGS.get(column.path[-1], "")
    if isinstance(kind, ReportedNumber):
        what = "a whole number" if kind.whole else "a number"
        meaning = meaning or f"{what.capitalize()} as printed, e.g. " + (
            "474, 3,145." if kind.whole else "42.60, 0·55, <0.001, −1.5."
        )
        meaning += " Kept exactly as typed; NR: the source does not report it."
    elif isinstance(kind, Choice) and column.name not in _MEANINGS:
        meaning = (meaning + " " if meaning else "") + "One of: " + ", ".join(kind.values) + "."
    elif isinstance(kind, TextList) and not meaning:
        meaning = "Items separated by ;"
    return meaning or "Text."


def _header(ws: Worksheet, formats: SheetFormats, headers: list[Column | str], comments: bool) -> None:
    """The header row: one line of dotted names, each column wide enough for its bold name."""
    text = _text_format(formats.wb)
    for col, column in enumerate(headers):
        name = column if isinstance(column, str) else column.name
        width = _WIDE.get(name, 16) if isinstance(column, str) else _width(column)
        width = max(width, len(name) + 3)
        boolean = not isinstance(column, str) and isinstance(column.kind, Boolean)
        ws.set_column(col, col, width, _boolean_format(formats.wb) if boolean else text)
    ws.freeze_panes(1, 0)
    for col, column in enumerate(headers):
        name = column if isinstance(column, str) else column.name
        ws.write_string(0, col, name, formats.header)
        if comments:
            note = _MEANINGS[name] if isinstance(column, str) else hint(column)
            ws.write_comment(0, col, note, {"author": "Curator", "x_scale": 1.6, "y_scale": 0.8})


def _write_cells(ws: Worksheet, r: int, cells: list[Cell], fmt: Format, boolean: Format | None = None) -> None:
    for col, cell in enumerate(cells):
        if cell is None:
            continue
        if isinstance(cell, bool):
            ws.write_boolean(r, col, cell, boolean)
            continue
        write_text(ws, r, col, cell, fmt)


# -- the sheets ----------------------------------------------------------------


def write_data_sheet(
    ws: Worksheet,
    formats: SheetFormats,
    review: Review,
    *,
    include: Callable[[Comparison, Row], bool] | None = None,
) -> int:
    """Fill ``ws`` with the flat Data table; returns the number of lines.

    ``include`` keeps only the rows for which it returns True. Comparisons
    without rows have no line (a one-row-per-endpoint table cannot show
    them).
    """
    included = [r for c in review.comparisons for r in c.rows if include is None or include(c, r)]
    total = len(included)
    evidence = evidence_columns(included)
    _header(ws, formats, list(DATA_COLUMNS), comments=True)
    text = _text_format(formats.wb)
    first = len(DATA_COLUMNS)
    for col, column in enumerate(evidence, start=first):
        header = column.header
        ws.set_column(col, col, max(_EVIDENCE_WIDTHS[column.part], len(header) + 3), text)
        ws.write_string(0, col, header, formats.header)
        ws.write_comment(0, col, evidence_hint(column), {"author": "Curator", "x_scale": 1.6, "y_scale": 0.8})
    ws.autofilter(0, 0, total, first + len(evidence) - 1)
    ws.set_landscape()
    ws.repeat_rows(0)
    boolean = _boolean_format(formats.wb)
    names = document_names(review.documents)
    lines = 0
    for lines, (cells, row) in enumerate(
        zip(review_rows(review, include, labels_once=True), included, strict=True), start=1
    ):
        if evidence:
            cells.extend(evidence_cells(row, evidence, names))
        # A row at once (as _write_cells would write it, several times faster): a text in the
        # Text format, TRUE/FALSE in the boolean one, nothing for an empty cell.
        write_row(ws, lines, cells, [text if c.__class__ is str else None if c is None else boolean for c in cells])
    return lines


def write_references_sheet(ws: Worksheet, formats: SheetFormats, review: Review) -> None:
    """Fill ``ws`` with one line per reference, then its Vancouver citation.

    A well-formed PMID or DOI links to PubMed or doi.org; anything else is
    plain text.
    """
    from curator.formats.references import format_vancouver

    # For a stakeholder: key, the citation, its links, then every field
    # (the reader goes by the headers, so the order is free).
    names = ["key", CITATION_HEADER, "pmid", "doi"]
    names += [c.name for c in REFERENCE_COLUMNS if c.name not in names]
    by_name: dict[str, Column | str] = {c.name: c for c in REFERENCE_COLUMNS}
    by_name[CITATION_HEADER] = CITATION_HEADER
    columns = [by_name[name] for name in names]
    positions = [names.index(c.name) for c in REFERENCE_COLUMNS] + [names.index(CITATION_HEADER)]
    _header(ws, formats, columns, comments=True)
    ws.autofilter(0, 0, len(review.references), len(columns) - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.print_area(0, 0, max(1, len(review.references)), 3)  # key, citation, PMID, DOI
    text = _text_format(formats.wb)
    wrapped = formats.wb.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
    pmid_col = names.index("pmid")
    doi_col = names.index("doi")
    citation_col = names.index(CITATION_HEADER)
    citation_width = _WIDE[CITATION_HEADER]
    links = 0
    for r, ref in enumerate(review.references, start=1):
        # A reference with nothing to cite (no title, no authors) is still named on paper: by its note or link.
        made = [*reference_to_cells(ref), format_vancouver(ref) or ref.note or ref.url or None]
        cells: list[Cell] = [None] * len(columns)
        for value, position in zip(made, positions, strict=True):
            cells[position] = value
        citation = cells[citation_col]
        if isinstance(citation, str):  # wrapped, in a row high enough for it
            height = row_height([citation], [citation_width], chars_per_width=1.1)
            if height:
                ws.set_row(r, height)
            ws.write_string(r, citation_col, citation, wrapped)
            cells[citation_col] = None
        for col, url in ((pmid_col, pubmed_url(ref.pmid)), (doi_col, doi_url(ref.doi))):
            if url is not None and links < _MAX_LINKS:
                ws.write_url(r, col, url, formats.link, string=cells[col])
                cells[col] = None
                links += 1
        _write_cells(ws, r, cells, text)


def write_documents_sheet(ws: Worksheet, formats: SheetFormats, review: Review) -> None:
    """Fill ``ws`` with one line per source document (1.1): its file, reference, the reference's
    Vancouver citation (for reading; ignored on import), pages, media type and SHA-256
    (:data:`DOCUMENT_HEADERS`), which ``curator import`` reads back."""
    from curator.formats.references import format_vancouver

    text = _text_format(formats.wb)
    pages = formats.wb.add_format({"valign": "top", "align": "left"})
    wrapped = formats.wb.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
    names = [header for header, _key in DOCUMENT_HEADERS]
    names.insert(_CITATION_AT, DOCUMENT_CITATION)
    meanings = {header: _DOCUMENT_MEANINGS[key] for header, key in DOCUMENT_HEADERS}
    meanings[DOCUMENT_CITATION] = "The reference's citation, made by Curator; ignored on import."
    for col, (header, width) in enumerate(zip(names, _DOCUMENT_WIDTHS, strict=True)):
        ws.set_column(col, col, width, text)
        ws.write_string(0, col, header, formats.header)
        ws.write_comment(0, col, meanings[header], {"author": "Curator", "x_scale": 1.6, "y_scale": 0.8})
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    ws.autofilter(0, 0, len(review.documents), len(names) - 1)
    references = {r.key: r for r in review.references}
    page_col = names.index("Pages")
    for r, document in enumerate(review.documents, start=1):
        cells: list[Cell] = list(document_to_cells(document))
        cells.insert(_CITATION_AT, None)
        reference = references.get(document.reference or "")
        citation = (format_vancouver(reference) or reference.note or reference.url) if reference else None
        if citation:
            height = row_height([citation], [_DOCUMENT_WIDTHS[_CITATION_AT]], chars_per_width=1.1)
            if height:
                ws.set_row(r, height)
            ws.write_string(r, _CITATION_AT, citation, wrapped)
        if document.pages is not None:
            ws.write_number(r, page_col, document.pages, pages)
            cells[page_col] = None
        _write_cells(ws, r, cells, text)


def add_documents_sheet(wb: Workbook, review: Review) -> Worksheet:
    """Add the sheet "Documents" to an XlsxWriter workbook, with its own formats."""
    ws = wb.add_worksheet(DOCUMENTS_SHEET)
    write_documents_sheet(ws, _Formats.of(wb), review)
    return ws


def add_data_sheet(
    wb: Workbook, review: Review, *, include: Callable[[Comparison, Row], bool] | None = None
) -> Worksheet:
    """Add the sheet "Data" to an XlsxWriter workbook, with its own formats."""
    ws = wb.add_worksheet(DATA_SHEET)
    write_data_sheet(ws, _Formats.of(wb), review, include=include)
    return ws


def add_references_sheet(wb: Workbook, review: Review) -> Worksheet:
    """Add the sheet "References" to an XlsxWriter workbook, with its own formats."""
    ws = wb.add_worksheet(REFERENCES_SHEET)
    write_references_sheet(ws, _Formats.of(wb), review)
    return ws


# -- the template --------------------------------------------------------------


def _validate(ws: Worksheet, col: int, column: Column) -> None:
    """A drop-down list for a choice, an input hint for every column."""
    message = hint(column)[:255]
    title = column.name[:32]
    options: dict[str, object] = {"input_title": title, "input_message": message, "ignore_blank": True}
    if isinstance(column.kind, Choice):
        options.update(validate="list", source=list(column.kind.values), error_title=title,
                       error_message="Pick one of the list: " + ", ".join(column.kind.values))  # fmt: skip
    elif isinstance(column.kind, Boolean):
        options.update(validate="list", source=["TRUE", "FALSE"], error_message="TRUE, FALSE or empty")
    else:
        options["validate"] = "any"
    ws.data_validation(0, col, TEMPLATE_ROWS, col, options)


def write_template(path: str | Path) -> None:
    """Write an empty extraction workbook: the Data and References sheets.

    Headers are the dotted field names, each with a comment and an input
    message saying what goes in; a drop-down list for every field of a few
    values (measure, analysis, higher_is_better, effect.measure,
    effect.direction, effect.adjusted, effect.contrast, favours, status); value
    columns formatted as Text so that what a reviewer types (``42.60``,
    ``<0.001``) is kept as typed. Written atomically.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
        try:
            wb.set_properties({"title": "Curator extraction template", "comments": "curator import reads it back"})
            formats = _Formats.of(wb)
            for name, columns in ((DATA_SHEET, DATA_COLUMNS), (REFERENCES_SHEET, REFERENCE_COLUMNS)):
                ws = wb.add_worksheet(name)
                _header(ws, formats, list(columns), comments=True)
                ws.autofilter(0, 0, TEMPLATE_ROWS, len(columns) - 1)
                for col, column in enumerate(columns):
                    _validate(ws, col, column)
        finally:
            close_workbook(wb, path, "the template")
