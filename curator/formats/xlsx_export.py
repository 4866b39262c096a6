"""The stakeholder workbook: the comparison tables, formatted and traceable.

Sheets, in order:

* one per comparison, laid out like the seed guide's tables (Endpoint, the
  two arms, Effect, Finding, Duration, Population, Citation, Status), with a
  title row, a legend of the colours, a bold frozen header (high enough for
  its wrapped labels) with autofilter, and wrapping. Rows not yet verified
  are shaded; cells with open findings are coloured and carry the findings'
  messages as a comment. When the exporter passes the fields' verification
  states, a value changed after it was verified (lilac) and a disputed one
  (pink) are marked the same way. A value printed alone (``42.6``) is a
  numeric cell whose number format shows the printed decimals and the
  unit, so a stakeholder can compute with it; the arm columns align
  numbers and words alike, right. In a review whose values have evidence
  (format 1.1: the page of a source document each was read from), a value's
  comment starts with its page (``p. 3``; ``p. 3 of Wahn 2002`` when the
  row's evidence names several documents; a cell that shows several
  fields read from several pages says which is where), and a last column,
  Pages, gives the row's pages (``pp. 3, 5``); a review without evidence
  has neither;
* References (key, Vancouver citation, PubMed and doi.org links, then every
  field; the first four print);
* Documents, in a review with source documents: one line per document
  (file, reference, its citation, pages, media type, SHA-256), which ``curator import``
  reads back (:mod:`curator.formats.evidence_cells`);
* Findings: every open finding of the checks, every value disputed or
  changed since verified (what the comments say, on paper too), then the
  accepted findings; rows numbered from 1 as the tables show them, fields
  by their labels;
* Data: the flat table for machines, one row per endpoint row, every field
  its own column (``curator import`` reads it back), then the rows' evidence,
  four columns for each field that has some (``Intervention value (page)``,
  ``(document)``, ``(text on the page)``, ``(boxes)``); hidden, so that it
  is not printed with the workbook;
* About: title, export time, who exported, rows by status (verified,
  disputed, unverified), fields changed since verified, Curator version,
  and the SHA-256 of the exported content.

Every sheet for reading prints on landscape A4 (and Letter), fitted to the
page width at about 80-85%, its header row on every page, with the review's
title (or, for an untitled review, its file's name) and "Page x of y" on
every page.

Written with XlsxWriter in constant-memory mode (each row goes to disk as
soon as it is complete, so memory does not grow with the number of rows;
twice as fast as openpyxl's write-only mode), to a temporary file that
replaces the target only when complete. Every text goes in through
:func:`write_text`, as text: never a formula or a link. The comparison
tables' rows and the Data sheet's lines go in a row at a time
(:func:`curator.formats.cells.write_row`: the cells XlsxWriter's per-cell
calls write, at a fraction of their cost: ``curator export`` of 100,000
rows 45 s -> 27 s, pandas' bare ``to_excel`` of the Data table 79 s).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from curator import __version__
from curator.checks import Finding, run_checks, split_accepted
from curator.fields import ROW_FIELDS
from curator.files import atomic_path
from curator.formats.cells import (
    EXCEL_TEXT_LIMIT,
    Cut,
    close_workbook,
    collecting_cuts,
    cut_mark,
    row_height,
    wrapped_lines,
    write_row,
    write_text,
)
from curator.formats.display import TABLE_COLUMNS, column_of, row_texts
from curator.formats.evidence_cells import DOCUMENT_HEADERS, DOCUMENTS_SHEET, has_evidence, pages_text, short_name
from curator.formats.exchange import emit, to_json
from curator.progress import Progress, report
from curator.review import AcceptedFinding, Arm, Comparison, Review, Row
from curator.words import counted

__all__ = [
    "write_workbook",
    "ExportSummary",
    "content_sha256",
    "write_text",
    "FieldMark",
    "FieldMarks",
    "field_label",
    "printed_title",
    "DATA_NOTE",
    "PAGES_HEADER",
    "EvidencePages",
]

#: Widths of the comparison sheets' columns (display.TABLE_COLUMNS): 175
#: characters, printed at about 80% on A4 landscape (as the Findings sheet);
#: the arms and the Effect wide enough for a continuous reading
#: (``12.1 (SE 0.6; 95% CI 10.9–13.3), n = 50``) in two lines.
_WIDTHS = (22, 24, 24, 28, 28, 10, 16, 9, 14)
#: Each column's one horizontal alignment: the arms' numbers and words all
#: right, the Effect after them indented so that the two never touch. (On a
#: sheet with a continuous arm's reading, ``12.1 (SD 4.0; range 0–72), n =
#: 50``, that arm's column reads from the left, indented: see :func:`_aligns`.)
_ALIGN: tuple[str | None, ...] = (None, "right", "right", "indent", None, None, None, None, None)
_RESERVED_SHEETS = {"references", "documents", "findings", "data", "about"}

_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_UNVERIFIED = "#FFF2CC"  # pale yellow
_FINDING_COLOURS = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
_CHANGED = "#E4D7F5"  # lilac: changed after it was verified
_DISPUTED = "#F4B6D8"  # pink: a second reviewer disputed the value
#: The comparison sheets' second row: each state in its own colour.
LEGEND_SWATCHES: tuple[tuple[str, str], ...] = (
    ("Row not yet verified", _UNVERIFIED),
    ("Finding: error", _FINDING_COLOURS["error"]),
    ("Finding: warning", _FINDING_COLOURS["warning"]),
    ("Finding: info", _FINDING_COLOURS["info"]),
    ("Changed after it was verified", _CHANGED),
    ("Disputed", _DISPUTED),
)
LEGEND = (
    "A coloured cell's comment says what and why (the Findings sheet lists them too). "
    "Numbers as the source printed them."
)
#: Added to the legend of a review whose values have evidence (1.1).
LEGEND_PAGES = " A value's comment gives the page of the paper it was read from (p. 3); Pages, the row's pages."
#: The comparison sheets' last column, in a review with evidence, and its width.
PAGES_HEADER = "Pages"
_PAGES_WIDTH = 11
_PAGES_MAX_WIDTH = 28


class FieldMark(Protocol):
    """What the workbook needs of a field's verification state
    (:class:`curator.store.field_states.FieldState` has it)."""

    @property
    def field(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def checked(self) -> str | None: ...
    @property
    def by(self) -> str | None: ...
    @property
    def comment(self) -> str | None: ...


#: (comparison key, row position) -> field -> its state; unverified fields may be left out.
FieldMarks = Mapping[tuple[str, int], Mapping[str, FieldMark]]


def field_label(field: str | None, comparison: Comparison | None = None) -> str | None:
    """A field as people name it, in the window's words (:func:`curator.naming.field_label`): its label
    (:mod:`curator.fields`), an arm's fields under the arm's label ("Pimecrolimus Group: n",
    "Vehicle arm: value")."""
    from curator.naming import Arms
    from curator.naming import field_label as named

    if field is None:
        return None
    arms = Arms(comparison.intervention or "", comparison.comparator or "") if comparison is not None else None
    return named(field, arms)


def _mark_note(mark: FieldMark, comparison: Comparison | None = None) -> str | None:
    label = field_label(mark.field, comparison)
    if mark.state == "changed":
        return (
            f"CHANGED AFTER VERIFICATION ({label}): {mark.checked!r} was verified by {mark.by}; "
            f"the value is now {mark.value!r} and needs verifying again"
        )
    if mark.state == "disputed":
        return f"DISPUTED ({label}) by {mark.by}: {mark.comment or 'no reason given'}"
    return None


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    comparisons: int
    rows: int
    open_findings: int
    sha256: str
    #: Texts longer than a cell holds, cut to fit (the JSON export keeps them whole).
    cuts: tuple[Cut, ...] = ()


def content_sha256(review: Review) -> str:
    """A digest of the review's content, computed piece by piece.

    SHA-256 over the review's exchange-file JSON (``curator/1`` or 1.1) in compact form (keys in the
    contract's order, no spaces, UTF-8), one line per piece: the review
    without its lists, then each reference, each comparison without its
    rows, each of its rows, each accepted finding. Streaming keeps memory
    flat on big reviews; equal content gives an equal digest.
    """
    digest = hashlib.sha256()

    def piece(kind: str, obj: object) -> None:
        digest.update(kind.encode())
        digest.update(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")

    piece("review", to_json(replace(review, references=[], comparisons=[], accepted_findings=[])))
    for reference in review.references:
        piece("reference", emit(reference, "reference"))
    for comparison in review.comparisons:
        piece("comparison", emit(replace(comparison, rows=[]), "comparison"))
        for row in comparison.rows:
            piece("row", emit(row, "row"))
    for accepted in review.accepted_findings:
        piece("accepted", emit(accepted, "accepted_finding"))
    return digest.hexdigest()


def _only_verified(review: Review, verified: Callable[[Row], bool]) -> Review:
    return replace(
        review,
        comparisons=[replace(c, rows=[r for r in c.rows if verified(r)]) for c in review.comparisons],
    )


class Formats:
    """The workbook's cell formats, each made once (XlsxWriter needs that)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.legend = wb.add_format(
            {"italic": True, "font_size": 9, "font_color": "#555555", "text_wrap": True, "valign": "top"}
        )
        #: The header of the sheets for reading: bold, wrapped in a row made high enough.
        self.wrapped_header = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "bottom": 1,
             "bottom_color": "#BFBFBF"}
        )  # fmt: skip
        #: The header of the machine-readable tables (Data, References): one line, never wrapped.
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "valign": "top", "bottom": 1, "bottom_color": "#BFBFBF"}
        )
        self.label = wb.add_format({"bold": True, "valign": "top"})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top"})
        self._cells: dict[tuple[str | None, str | None, str | None], Format] = {}

    def cell(self, fill: str | None = None, number_format: str | None = None, align: str | None = None) -> Format:
        """Wrapped, top-aligned, with an optional fill colour, number format
        and horizontal alignment (``"indent"``: left, one step in)."""
        key = (fill, number_format, align)
        fmt = self._cells.get(key)
        if fmt is None:
            spec: dict[str, object] = {"text_wrap": True, "valign": "top"}
            if fill:
                spec["bg_color"] = fill
            if number_format:
                spec["num_format"] = number_format
            if align == "indent":
                spec.update(align="left", indent=1)
            elif align:
                spec["align"] = align
            fmt = self._cells[key] = self.wb.add_format(spec)
        return fmt

    def swatch(self, fill: str) -> Format:
        """A legend cell: the state's colour, its name in small wrapped text."""
        key = ("swatch", fill, None)
        fmt = self._cells.get(key)
        if fmt is None:
            fmt = self._cells[key] = self.wb.add_format(
                {"font_size": 9, "bg_color": fill, "text_wrap": True, "valign": "top", "border": 1,
                 "border_color": "#BFBFBF"}
            )  # fmt: skip
        return fmt


#: A4; fitted to the width, the sheets print as well on Letter.
PAPER_A4 = 9
#: What a printed page's header says on the machine-readable Data sheet.
DATA_NOTE = (
    "For machines: the flat table that curator import reads back, one line per endpoint row, every field "
    "its own column. Hidden in the workbook so that it is not printed with it; for reading, see the comparison sheets."
)


def printed_title(title: str | None, source: str | None) -> str:
    """The review's title as every printed page names it: its title, else
    the name of the file it was exported from."""
    if title and title.strip():
        return " ".join(title.split())
    if source:
        return f"{Path(source).name} (untitled review)"
    return "Untitled review"


def _header_footer_text(text: str, limit: int) -> str:
    """Text for a page header or footer (``&`` doubled, so that it prints as
    typed) of at most ``limit`` characters, cut with an ellipsis."""
    text = text.replace("&", "&&")
    if len(text) > limit:
        text = text[: limit - 1]
        if (len(text) - len(text.rstrip("&"))) % 2:  # never half of a doubled &
            text = text[:-1]
        text = text.rstrip() + "…"
    return text


def _print_setup(
    ws: Worksheet, page: PageText, repeat_row: int | None, last_row: int, last_col: int, what: str | None = None
) -> None:
    """Landscape A4 fitted to the page width, the header row on every page,
    the sheet's table as the print area, and on every page the review's
    title and ``what`` the sheet shows (its name by default) above, who
    exported it when, "Page x of y" and the file's name below."""
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    ws.print_area(0, 0, max(last_row, repeat_row or 0), last_col)
    right = "&A" if what is None else _header_footer_text(what, 80)
    ws.set_header(f'&L&"-,Bold"{_header_footer_text(page.title, 120)}&R{right}', {"margin": 0.3})
    ws.set_footer(f"&L{_header_footer_text(page.footer, 100)}&CPage &P of &N&R&F", {"margin": 0.3})


@dataclass(frozen=True)
class PageText:
    """What every printed page says besides the sheet: the review's title, and who exported it when."""

    title: str
    footer: str


def _header_height(headers: list[str], widths: list[int]) -> float | None:
    """A header row high enough for its bold, wrapped labels."""
    return row_height(headers, widths, chars_per_width=0.95)


def _sheet_names(comparisons: list[Comparison]) -> list[str]:
    """Excel sheet names (31 characters, no []:*?/\\), unique, from the titles."""
    used: set[str] = set(_RESERVED_SHEETS)
    names = []
    for comparison in comparisons:
        base = re.sub(r"[\[\]:*?/\\]", " ", comparison.title).strip().strip("'") or comparison.key
        base = " ".join(base.split())
        if len(base) > 31:  # cut at a word where one is near
            cut = base[:31].rsplit(" ", 1)[0]
            base = cut if len(cut) >= 20 else base[:31]
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.casefold())
        names.append(name)
    return names


#: An arm's fields besides its value: any of them makes its cell a text.
_ARM_DETAILS = tuple(f.name for f in fields(Arm) if f.name not in ("value", "extensions"))


def _number_format(arm: Arm | None, unit: str | None) -> str | None:
    """The number format that shows a lone printed value as printed, or None
    when the value must stay text (a relation, a Unicode minus, ``NR``, counts,
    a spread...)."""
    if arm is None or arm.value is None:
        return None
    if any(getattr(arm, name) is not None for name in _ARM_DETAILS):
        return None
    if not _PLAIN_DECIMAL.match(arm.value.text):
        return None
    decimals = max(0, arm.value.decimals)
    fmt = "0" + ("." + "0" * decimals if decimals else "")
    if unit:
        if '"' in unit or "\\" in unit:
            return None
        fmt += f'"{unit}"' if unit.startswith("%") else f'" {unit}"'
    return fmt


class EvidencePages:
    """Where a review's values were read, as its comparison sheets say it: each value's page in its
    cell's comment (``p. 3``; with the document's short name, ``p. 3 of Wahn 2002``, when the row's
    evidence names several documents), and the row's pages (``pp. 3, 5``) in the Pages column."""

    def __init__(self, review: Review) -> None:
        references = {r.key: r for r in review.references}
        self.names = {d.sha256: short_name(d, references) for d in review.documents}
        self.order = {f.path: i for i, f in enumerate(ROW_FIELDS)}

    def _name(self, sha256: str) -> str:
        return self.names.get(sha256, sha256[:12])

    def notes(self, row: Row, comparison: Comparison | None) -> dict[int, str]:
        """Each table column's page note (column -> text)."""
        several = len({e.document for e in row.evidence.values()}) > 1
        by_column: dict[int, dict[tuple[str, int], list[str]]] = defaultdict(dict)
        for path in sorted(row.evidence, key=lambda p: self.order.get(p, -1)):
            e = row.evidence[path]
            by_column[column_of(path)].setdefault((e.document, e.page), []).append(path)
        notes: dict[int, str] = {}
        for column, groups in by_column.items():
            lines = []
            for (document, page), paths in groups.items():
                where = f"p. {page}" + (f" of {self._name(document)}" if several else "")
                if len(groups) == 1:
                    lines.append(where)
                else:
                    lines.append(f"{where}: " + ", ".join(field_label(p, comparison) or p for p in paths))
            notes[column] = "\n".join(lines)
        return notes

    def pages(self, row: Row) -> str | None:
        """The row's pages: ``pp. 3, 5``; when its evidence names several documents, a line for each
        (``Wahn 2002: p. 3``, ``Eichenfield 2002: p. 5``)."""
        by_document: dict[str, list[int]] = {}
        for path in sorted(row.evidence, key=lambda p: self.order.get(p, -1)):
            e = row.evidence[path]
            by_document.setdefault(e.document, []).append(e.page)
        if not by_document:
            return None
        if len(by_document) == 1:
            return pages_text(next(iter(by_document.values())))
        return "\n".join(f"{self._name(d)}: {pages_text(p)}" for d, p in by_document.items())


def _write_comparison(
    ws: Worksheet,
    formats: Formats,
    comparison: Comparison,
    findings: dict[int, list[Finding]],
    marks: Mapping[int, Mapping[str, FieldMark]] | None = None,
    verified: Callable[[Row], bool] | None = None,
    page: PageText | None = None,
    evidence: EvidencePages | None = None,
) -> None:
    """One comparison table, laid out like the seed guide's: its title, a
    legend of the colours, the header, then one line per row; with
    ``evidence``, each value's page in its comment and a Pages column."""
    headers = [
        h.format(intervention=comparison.intervention, comparator=comparison.comparator) for h, _f in TABLE_COLUMNS
    ]
    widths = list(_WIDTHS)
    if evidence is not None:  # wide enough for its longest line (a document's name), within reason
        longest = max((len(line) for row in comparison.rows for line in (evidence.pages(row) or "").split("\n")),
                      default=0)  # fmt: skip
        headers.append(PAGES_HEADER)
        widths.append(min(_PAGES_MAX_WIDTH, max(_PAGES_WIDTH, longest + 2)))
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    last = len(headers) - 1
    _print_setup(ws, page or PageText(comparison.title, ""), 2, 2 + len(comparison.rows), last, comparison.title)
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, 2 + len(comparison.rows), last)
    write_text(ws, 0, 0, comparison.title, formats.title)
    _write_legend(ws, formats, widths, LEGEND + (LEGEND_PAGES if evidence is not None else ""))
    height = _header_height(headers, widths)
    if height:
        ws.set_row(2, height)
    for col, header in enumerate(headers):
        write_text(ws, 2, col, header, formats.wrapped_header)
    aligns = _aligns(comparison) + ((None,) if evidence is not None else ())
    for position, row in enumerate(comparison.rows):
        row_marks = (marks or {}).get(id(row), {})
        done = verified(row) if verified is not None else row.status == "verified"
        _write_row(
            ws,
            formats,
            3 + position,
            row,
            findings.get(position, []),
            widths,
            row_marks,
            done,
            comparison,
            aligns,
            evidence,
        )


def _write_legend(ws: Worksheet, formats: Formats, widths: list[int], legend: str = LEGEND) -> None:
    """The second row: each state's colour with its name, then what the comments say."""
    for col, (name, fill) in enumerate(LEGEND_SWATCHES):
        write_text(ws, 1, col, name, formats.swatch(fill))
    first = len(LEGEND_SWATCHES)
    ws.merge_range(1, first, 1, len(widths) - 1, legend, formats.legend)
    # Small (9-point) text: about 1.2 characters per unit of width.
    lines = max(
        [wrapped_lines(name, int(width * 1.2)) for (name, _f), width in zip(LEGEND_SWATCHES, widths, strict=False)]
        + [wrapped_lines(legend, int(sum(widths[first:]) * 1.2))]
    )
    ws.set_row(1, max(15.0, lines * 12.5))


#: The arm fields a continuous reading shows in parentheses (a spread, a CI).
_SPREAD = ("sd", "se", "ci_low", "ci_high", "q1", "q3", "min", "max")


def _aligns(comparison: Comparison) -> tuple[str | None, ...]:
    """Each column's one alignment on a comparison's sheet: an arm column that
    shows a continuous reading anywhere (lines of words and numbers, not a
    number) reads from the left, one step in, so that its lines never run
    into the arm beside it; otherwise as :data:`_ALIGN`."""
    aligns = list(_ALIGN)
    for col, part in ((1, "intervention"), (2, "comparator")):
        if any(
            (arm := getattr(row, part)) is not None and any(getattr(arm, name) is not None for name in _SPREAD)
            for row in comparison.rows
        ):
            aligns[col] = "indent"
    return tuple(aligns)


def _write_row(
    ws: Worksheet,
    formats: Formats,
    r: int,
    row: Row,
    findings: list[Finding],
    widths: list[int],
    marks: Mapping[str, FieldMark] | None = None,
    verified: bool | None = None,
    comparison: Comparison | None = None,
    aligns: tuple[str | None, ...] | None = None,
    evidence: EvidencePages | None = None,
) -> None:
    texts: list[str | None] = list(row_texts(row))
    if evidence is not None:
        texts.append(evidence.pages(row))
    done = row.status == "verified" if verified is None else verified
    fills: list[str | None] = [None if done else _UNVERIFIED] * len(texts)
    notes: dict[int, list[str]] = defaultdict(list)
    for mark in (marks or {}).values():
        note = _mark_note(mark, comparison)
        if note is not None:
            notes[column_of(mark.field)].append(note)
    by_column: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_column[column_of(finding.field)].append(finding)
    for column, found in by_column.items():
        fills[column] = _FINDING_COLOURS[max(found, key=lambda f: _SEVERITY_RANK[f.severity]).severity]
        notes[column] += [f"{f.severity.upper()} ({f.rule}): {f.message}" for f in found]
    # A reviewer's word is stronger than a warning or an info, not than an error;
    # a dispute is stronger than a change.
    for state, fill in (("changed", _CHANGED), ("disputed", _DISPUTED)):
        for mark in (marks or {}).values():
            column = column_of(mark.field)
            if mark.state == state and fills[column] != _FINDING_COLOURS["error"]:
                fills[column] = fill
    values: list[str | float | None] = list(texts)
    cell_formats = []
    for col in range(len(texts)):
        arm = row.intervention if col == 1 else row.comparator if col == 2 else None
        align = (aligns or _ALIGN)[col]
        number_format = _number_format(arm, row.unit)
        number = (
            float(arm.value.value) if number_format is not None and arm is not None and arm.value is not None else None
        )
        if number is not None and math.isfinite(number):  # (400 digits are no float: they stay text)
            values[col] = number
            cell_formats.append(formats.cell(fills[col], number_format, align))
        else:
            cell_formats.append(formats.cell(fills[col], None, align))
    if evidence is not None:  # the page first: it is about the value; what the colour says follows
        for column, note in evidence.notes(row, comparison).items():
            notes[column].insert(0, note)
    for column, lines in notes.items():  # before the row's cells: see write_row
        message = "\n\n".join(lines)
        ws.write_comment(r, column, message, {"author": "Curator", "x_scale": 2.2, "y_scale": 1 + len(lines)})
    write_row(ws, r, values, cell_formats, row_height(texts, widths))


#: The Findings sheet's columns and widths (175 characters: about 80% on A4 landscape).
FINDINGS_COLUMNS: tuple[tuple[str, int], ...] = (
    ("State", 9), ("Severity", 9), ("Rule", 17), ("Comparison", 13), ("Row", 5), ("Endpoint", 19),
    ("Reference", 10), ("Field", 20), ("Message", 38), ("Accepted by", 10), ("Accepted at", 11), ("Reason", 14),
)  # fmt: skip
_ROW_COLUMN = 4


def _finding_line(
    state: str, f: Finding, a: AcceptedFinding | None, comparison: Comparison | None
) -> tuple[list[str | None], int | None]:
    """A finding's cells on the Findings sheet, and its row position."""
    at = a.at.replace("T", " ") if a and a.at else None  # wraps between the date and the time
    values = [state, f.severity, f.rule, f.comparison, None, f.endpoint, f.reference,
              field_label(f.field, comparison), f.message, a.by if a else None, at,
              a.reason if a else None]  # fmt: skip
    return values, f.row


def _mark_line(comparison: Comparison, position: int, mark: FieldMark) -> tuple[list[str | None], int | None]:
    """A value disputed or changed since verified, as a line of the Findings sheet."""
    if mark.state == "disputed":
        state, message = "disputed", f"{mark.by} disputed {mark.value!r}: {mark.comment or 'no reason given'}"
    else:
        state = "changed since verified"
        message = (
            f"{mark.checked!r} was verified by {mark.by}; the value is now {mark.value!r} and needs verifying again"
        )
    values = [state, None, None, comparison.key, None, comparison.rows[position].endpoint, None,
              field_label(mark.field, comparison), message, None, None, None]  # fmt: skip
    return values, position


def _write_findings(
    ws: Worksheet,
    formats: Formats,
    open_findings: list[Finding],
    accepted: list[tuple[Finding, AcceptedFinding]],
    page: PageText | None = None,
    comparisons: Mapping[str, Comparison] | None = None,
    marked: list[tuple[Comparison, int, FieldMark]] | None = None,
) -> None:
    """Every open finding, every value ``marked`` disputed or changed since
    verified (comparison, row position, mark: what the comparison sheets'
    comments say, which do not print), then every accepted finding; rows
    numbered from 1 as the comparison sheets show them (the JSON's ``row``
    counts from 0), fields by their labels."""
    headers = [h for h, _w in FINDINGS_COLUMNS]
    widths = [w for _h, w in FINDINGS_COLUMNS]
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    by_key = comparisons or {}
    lines = [_finding_line("open", f, None, by_key.get(f.comparison or "")) for f in open_findings]
    lines += [_mark_line(comparison, position, mark) for comparison, position, mark in marked or []]
    lines += [_finding_line("accepted", f, a, by_key.get(f.comparison or "")) for f, a in accepted]
    total = len(lines)
    _print_setup(ws, page or PageText("Findings", ""), 0, total, len(headers) - 1)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, total, len(headers) - 1)
    height = _header_height(headers, widths)
    if height:
        ws.set_row(0, height)
    for col, header in enumerate(headers):
        write_text(ws, 0, col, header, formats.wrapped_header)
    wrap = formats.cell()
    number = formats.cell(align="center")
    for r, (values, position) in enumerate(lines, start=1):
        height = row_height(values, widths)
        if height:
            ws.set_row(r, height)
        for col, value in enumerate(values):
            if col == _ROW_COLUMN:
                if position is None:
                    ws.write_blank(r, col, None, number)
                else:
                    ws.write_number(r, col, position + 1, number)
            else:
                write_text(ws, r, col, value, wrap)


def _write_about(ws: Worksheet, formats: Formats, items: list[tuple[str, str | int]], page: PageText) -> None:
    label_width = max(22, *(len(label) + 4 for label, _value in items))  # no bold label cut off in print
    ws.set_column(0, 0, label_width)
    ws.set_column(1, 1, 90)
    _print_setup(ws, page, None, len(items) - 1, 1)
    wrap = formats.cell()
    number = formats.wb.add_format({"align": "left", "valign": "top"})
    for r, (label, value) in enumerate(items):
        write_text(ws, r, 0, label, formats.label)
        if isinstance(value, int):
            ws.write_number(r, 1, value, number)
        else:
            height = row_height([None, value], [label_width, 90])
            if height:
                ws.set_row(r, height)
            write_text(ws, r, 1, value, wrap)


def write_workbook(
    review: Review,
    path: str | Path,
    *,
    exported_by: str,
    source: str | None = None,
    verified_only: bool = False,
    progress: Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    field_states: FieldMarks | None = None,
    verified_here: Collection[tuple[str, int]] | None = None,
    audit_head: str | None = None,
) -> ExportSummary:
    """Write the stakeholder workbook of ``review`` to ``path`` (atomically).

    ``field_states`` (from a review database) marks values changed after
    they were verified, and disputed ones, on the comparison sheets.

    ``verified_here`` are the rows (comparison key, position) verified in
    the review's database by a reviewer other than the extractor (see
    :mod:`curator.store.verified_here`); the CLI and the app always give it
    (empty for a file, which holds no verifications), and then only those
    rows count as verified (``verified_only``, the shading, the About
    counts): a status a file claims does not. Without it, the rows' status
    is taken as given.

    ``audit_head`` (from a review database) is the head of its audit log's
    hash chain, said on the About sheet: ``curator log --verify --head``
    proves later that the history up to it is unchanged.
    """
    from curator.analysis import analyse
    from curator.checks.accept import errors_by_row
    from curator.formats.xlsx_analyses import MAX_PLOTS, write_analyses_sheet
    from curator.formats.xlsx_analyses import SHEET as ANALYSES_SHEET
    from curator.formats.xlsx_data import write_data_sheet, write_documents_sheet, write_references_sheet

    path = Path(path)
    # Marks by row object: positions change when only verified rows are exported.
    marks: dict[int, Mapping[str, FieldMark]] = {}
    for comparison in review.comparisons:
        for position, row in enumerate(comparison.rows):
            found = (field_states or {}).get((comparison.key, position))
            if found:
                marks[id(row)] = found
    here_ids: set[int] | None = None
    if verified_here is not None:
        here = set(verified_here)
        here_ids = {
            id(row)
            for comparison in review.comparisons
            for position, row in enumerate(comparison.rows)
            if (comparison.key, position) in here
        }

    def verified(row: Row) -> bool:
        return row.status == "verified" if here_ids is None else id(row) in here_ids

    exported = _only_verified(review, verified) if verified_only else review
    changed = sum(
        1
        for comparison in exported.comparisons
        for row in comparison.rows
        for mark in marks.get(id(row), {}).values()
        if mark.state == "changed"
    )
    # Positions change when rows are left out: check what is exported.
    open_findings, accepted = split_accepted(run_checks(exported), review.accepted_findings)
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in open_findings:
        if finding.comparison is not None and finding.row is not None:
            by_row[(finding.comparison, finding.row)].append(finding)
    counts = exported.counts()
    n_verified = sum(1 for c in exported.comparisons for r in c.rows if verified(r))
    digest = content_sha256(exported)
    total = exported.row_count
    exported_at = now()
    title = printed_title(exported.title, source)
    utc = exported_at.astimezone(UTC) if exported_at.tzinfo is not None else exported_at
    page = PageText(title, f"Exported {utc:%Y-%m-%d %H:%M} UTC by {exported_by}")
    evidence = EvidencePages(exported) if has_evidence(exported) else None
    report(progress, 0, total, "comparison tables")
    with atomic_path(path) as tmp, collecting_cuts() as cuts:
        wb = Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                 "strings_to_urls": False, "strings_to_numbers": False})  # fmt: skip
        try:
            wb.set_properties(
                {
                    "title": title,
                    "author": exported_by,
                    "comments": f"Exported by Curator {__version__}; content SHA-256 {digest}",
                }
            )
            formats = Formats(wb)
            done = 0
            for comparison, name in zip(exported.comparisons, _sheet_names(exported.comparisons), strict=True):
                findings = {pos: by_row.get((comparison.key, pos), []) for pos in range(len(comparison.rows))}
                _write_comparison(
                    wb.add_worksheet(name), formats, comparison, findings, marks, verified, page, evidence
                )
                done += len(comparison.rows)
                report(progress, done, total, "comparison tables")
            references = wb.add_worksheet("References")
            write_references_sheet(references, formats, exported)
            _print_setup(references, page, 0, len(exported.references), 3)  # key, citation, PMID, DOI
            if exported.documents:
                documents = wb.add_worksheet(DOCUMENTS_SHEET)
                write_documents_sheet(documents, formats, exported)
                _print_setup(documents, page, 0, len(exported.documents), len(DOCUMENT_HEADERS))  # and Citation
            by_key = {c.key: c for c in exported.comparisons}
            marked = [
                (comparison, position, mark)
                for comparison in exported.comparisons
                for position, row in enumerate(comparison.rows)
                for mark in marks.get(id(row), {}).values()
                if mark.state in ("disputed", "changed")
            ]
            _write_findings(wb.add_worksheet("Findings"), formats, open_findings, accepted, page, by_key, marked)
            report(progress, done, total, "analyses")
            pooled = analyse(exported, errors=errors_by_row(exported, open_findings), min_studies=2)
            plots = 0
            if pooled:  # a sheet only for what pools (no empty page in every print)
                sheet = wb.add_worksheet(ANALYSES_SHEET)
                plots = write_analyses_sheet(
                    sheet, formats, pooled, lambda last, columns: _print_setup(sheet, page, None, last, columns)
                )
            report(progress, done, total, "data table")
            data = wb.add_worksheet("Data")
            write_data_sheet(data, formats, exported)
            # For machines: hidden, so that printing the workbook leaves it out
            # (Excel and LibreOffice print no hidden sheet); its page header says so if it is shown and printed.
            data.hide()
            data.set_header(f"&L{_header_footer_text(DATA_NOTE, 250)}", {"margin": 0.3})
            untitled = not (exported.title and exported.title.strip())
            items: list[tuple[str, str | int]] = [
                # Read back by curator import as the review's title: only the review's own.
                ("Review title", exported.title or ""),
                *([("Title on the printed pages", f"{title}: the review has no title")] if untitled else []),
                ("Exported at", exported_at.isoformat(timespec="seconds")),
                ("Exported by", exported_by),
                ("Source", source or ""),
                ("Rows exported", exported.row_count),
                *[(f"Rows {status}", n) for status, n in counts.items()],
                ("Rows unverified", exported.row_count - n_verified),
                *([("Rows verified here (by a second reviewer)", n_verified)] if here_ids is not None else []),
                *([("Values changed since verified", changed)] if field_states is not None else []),
                ("Verified rows only", "yes" if verified_only else "no"),
                *([("Source documents", len(exported.documents))] if exported.documents else []),
                ("Analyses", (f"{counted(len(pooled), 'endpoint')} pooling two studies or more (random effects, "
                 f"REML), on the Analyses sheet, {counted(plots, 'forest plot')} drawn"
                 + (f" (the first {MAX_PLOTS})" if len(pooled) > MAX_PLOTS else "")) if pooled
                 else "none: no endpoint of a comparison has two rows or more"),
                ("Open findings", len(open_findings)),
                ("Accepted findings", len(accepted)),
                ("Curator version", __version__),
                ("Content SHA-256", digest),
                ("About the digest", "SHA-256 of the exported content (its exchange-file JSON, piece by piece): "
                 "equal digests, equal content"),
                *([("Audit log head", audit_head),
                   ("About the audit head", "The hash that ends the review's audit log (who changed what, when) "
                    "as exported: `curator log REVIEW --verify --head` with it proves that the history up to "
                    "this export has not been changed since")] if audit_head else []),
                ("Data sheet", "Hidden, and so never printed: the flat table for machines, one line per endpoint "
                 "row, every field its own column" + (", then where each value was read (page, document, text "
                 "on the page, boxes)" if evidence is not None else "") + ", that curator import reads back. "
                 "To see it, show the hidden sheet (right-click a sheet tab: Unhide / Show Sheet)."),
            ]  # fmt: skip
            if cuts:
                items.append(("Texts cut", cuts_note(cuts)))
            _write_about(wb.add_worksheet("About"), formats, items, page)
            report(progress, total, total, "saving")
        finally:
            close_workbook(wb, path)
    return ExportSummary(path, len(exported.comparisons), exported.row_count, len(open_findings), digest, tuple(cuts))


#: How many cut cells :func:`cuts_note` names before "and N more".
_CUTS_NAMED = 10


def cuts_note(cuts: Collection[Cut]) -> str:
    """What the About sheet and the export's message say of the texts cut to fit a cell."""
    named = list(cuts)[:_CUTS_NAMED]
    where = ", ".join(f"{cut.cell} ({cut.length:,} characters)" for cut in named)
    if len(cuts) > len(named):
        where += f" and {len(cuts) - len(named):,} more"
    return (
        f"{counted(len(cuts), 'text')} longer than an Excel cell holds ({EXCEL_TEXT_LIMIT:,} characters) "
        f"cut to fit, each ending with “{cut_mark(0).replace(' 0 ', ' N ')}”: {where}. "
        "The review and its JSON export keep them whole; curator import refuses a workbook with a cut text"
    )
