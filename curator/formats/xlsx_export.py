"""The stakeholder workbook: the comparison tables, formatted and traceable.

Sheets, in order:

* one per comparison, laid out like the seed guide's tables (Endpoint, the
  two arms, Effect, Finding, Duration, Population, Citation, Status), with a
  title row, a legend, a bold frozen header with autofilter, wrapping,
  landscape print fitted to the width with the header on every page. Rows
  not yet verified are shaded; cells with open findings are coloured and
  carry the findings' messages as a comment. A value printed alone (``42.6``)
  is a numeric cell whose number format shows the printed decimals and the
  unit, so a stakeholder can compute with it;
* References (key, fields, Vancouver citation, PubMed and doi.org links);
* Findings: every open and accepted finding of the checks;
* Data: the flat table, one row per endpoint row, every field its own column
  (``curator import`` reads it back);
* About: title, export time, who exported, rows by status, Curator version,
  and the SHA-256 of the exported content.

Written with openpyxl's write-only mode, so memory does not grow with the
number of rows, to a temporary file that replaces the target only when
complete.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from curator import __version__
from curator.checks import Finding, run_checks, split_accepted
from curator.files import atomic_open
from curator.formats.cells import number_cell, text_cell
from curator.formats.display import arm_text, citations_text, effect_text
from curator.formats.exchange import dumps_exchange
from curator.progress import Progress, report
from curator.review import Arm, Comparison, Review, Row

__all__ = ["write_workbook", "ExportSummary", "content_sha256", "COMPARISON_COLUMNS"]

#: The comparison sheets' columns: (header, width, fields that map to it).
COMPARISON_COLUMNS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("Endpoint", 32, ("endpoint", "measure", "unit", "higher_is_better")),
    ("{intervention}", 26, ("intervention",)),
    ("{comparator}", 26, ("comparator",)),
    ("Effect", 30, ("effect",)),
    ("Finding", 40, ("finding", "favours")),
    ("Duration", 12, ("duration",)),
    ("Population", 24, ("population",)),
    ("Citation", 12, ("citations",)),
    ("Status", 12, ("status", "extracted_by", "verified_by", "source", "note")),
)
_FIELD_COLUMN = {prefix: i for i, (_h, _w, prefixes) in enumerate(COMPARISON_COLUMNS) for prefix in prefixes}
_RESERVED_SHEETS = {"references", "findings", "data", "about"}

# Styles, made once and shared by every cell.
_WRAP = Alignment(wrap_text=True, vertical="top")
_TITLE_FONT = Font(bold=True, size=14)
_LEGEND_FONT = Font(italic=True, size=9, color="555555")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_UNVERIFIED_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow
_FINDING_FILL = {
    "error": PatternFill("solid", fgColor="F8CBAD"),  # orange-red
    "warning": PatternFill("solid", fgColor="FFE699"),  # amber
    "info": PatternFill("solid", fgColor="DDEBF7"),  # pale blue
}
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(bottom=_THIN)
_LINK_FONT = Font(color="0563C1", underline="single")
_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
LEGEND = (
    "Shaded yellow: row not yet verified.  Coloured cell: open finding of the checks "
    "(red error, amber warning, blue info); its comment says what and why.  "
    "Numbers are shown as the source printed them."
)


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    comparisons: int
    rows: int
    open_findings: int
    sha256: str


def content_sha256(review: Review) -> str:
    """A digest of the review's content (its canonical exchange file)."""
    return hashlib.sha256(dumps_exchange(review).encode("utf-8")).hexdigest()


def _only_verified(review: Review) -> Review:
    return replace(
        review,
        comparisons=[replace(c, rows=[r for r in c.rows if r.status == "verified"]) for c in review.comparisons],
    )


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


def _number_format(arm: Arm, unit: str | None) -> str | None:
    """The number format that shows a lone printed value as printed, or None
    when the value must stay text (a relation, a Unicode minus, counts...)."""
    value = arm.value
    if value is None or any(x is not None for x in (arm.n, arm.events, arm.sd, arm.text)):
        return None
    if not _PLAIN_DECIMAL.match(value.text):
        return None
    decimals = max(0, value.decimals)
    fmt = "0" + ("." + "0" * decimals if decimals else "")
    if unit:
        if '"' in unit or "\\" in unit:
            return None
        fmt += f'"{unit}"' if unit.startswith("%") else f'" {unit}"'
    return fmt


_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_HEIGHT = 409.0  # Excel's limit


def _row_height(texts: list[str | None], widths: list[int]) -> float | None:
    """The height that shows every wrapped line, or None for a single line.

    Neither Excel nor LibreOffice grows a row for wrapped text on opening a
    file, so the height is estimated from the text length and column width.
    """
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        if not text:
            continue
        per_line = max(1, int(width * 1.15))
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return None if lines == 1 else min(_MAX_HEIGHT, lines * _LINE_HEIGHT)


class _Rows:
    """Appends rows to a write-only sheet, each as high as its wrapped text.

    The height is set just before the row is written and forgotten just
    after, so memory stays flat however many rows there are.
    """

    def __init__(self, ws: WriteOnlyWorksheet, widths: list[int]) -> None:
        self.ws = ws
        self.widths = widths
        self.count = 0

    def append(self, cells: list[WriteOnlyCell], texts: list[str | None] | None = None) -> None:
        self.count += 1
        height = _row_height(texts, self.widths) if texts else None
        if height is not None:
            self.ws.row_dimensions[self.count].height = height
        self.ws.append(cells)
        if height is not None:
            del self.ws.row_dimensions[self.count]


class _ComparisonSheet:
    """Writes one comparison table."""

    def __init__(self, ws: WriteOnlyWorksheet, comparison: Comparison, findings: dict[int, list[Finding]]) -> None:
        self.ws = ws
        self.comparison = comparison
        self.findings = findings

    def write(self) -> None:
        ws, comparison = self.ws, self.comparison
        headers = [
            h.format(intervention=comparison.intervention, comparator=comparison.comparator)
            for h, _w, _f in COMPARISON_COLUMNS
        ]
        for i, (_h, width, _f) in enumerate(COMPARISON_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        last = get_column_letter(len(headers))
        ws.freeze_panes = "B4"
        ws.print_title_rows = "3:3"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.auto_filter.ref = f"A3:{last}{3 + len(comparison.rows)}"
        rows = _Rows(ws, [w for _h, w, _f in COMPARISON_COLUMNS])
        rows.append([text_cell(ws, comparison.title, font=_TITLE_FONT)])
        rows.append([text_cell(ws, LEGEND, font=_LEGEND_FONT)])
        rows.append(
            [text_cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_WRAP, border=_BORDER) for h in headers],
            list(headers),
        )
        for position, row in enumerate(comparison.rows):
            cells, texts = self._cells(row, self.findings.get(position, []))
            rows.append(cells, texts)

    def _cells(self, row: Row, findings: list[Finding]) -> tuple[list[WriteOnlyCell], list[str | None]]:
        ws = self.ws
        status = row.status + (f" ({row.verified_by})" if row.status == "verified" and row.verified_by else "")
        texts: list[str | None] = [
            row.endpoint,
            None,
            None,
            effect_text(row.effect),
            row.finding,
            row.duration,
            row.population,
            citations_text(row.citations),
            status,
        ]
        cells: list[WriteOnlyCell] = []
        for i, text in enumerate(texts):
            if i in (1, 2):
                arm = row.intervention if i == 1 else row.comparator
                fmt = _number_format(arm, row.unit) if arm is not None else None
                text = arm_text(arm, row)
                texts[i] = text
                if fmt is not None and arm is not None and arm.value is not None:
                    cells.append(number_cell(ws, float(arm.value.value), fmt, alignment=_WRAP))
                    continue
            cells.append(text_cell(ws, text or None, alignment=_WRAP))
        if row.status != "verified":
            for cell in cells:
                cell.fill = _UNVERIFIED_FILL
        by_column: dict[int, list[Finding]] = defaultdict(list)
        for finding in findings:
            prefix = (finding.field or "endpoint").split(".")[0]
            by_column[_FIELD_COLUMN.get(prefix, 0)].append(finding)
        for column, found in by_column.items():
            worst = max(found, key=lambda f: ("info", "warning", "error").index(f.severity))
            cells[column].fill = _FINDING_FILL[worst.severity]
            message = "\n\n".join(f"{f.severity.upper()} ({f.rule}): {f.message}" for f in found)
            comment = Comment(message, "Curator checks")
            comment.width, comment.height = 320, min(60 + 40 * len(found), 400)
            cells[column].comment = comment
        return cells, texts


def _findings_sheet(ws: WriteOnlyWorksheet, open_findings: list[Finding], accepted: list) -> None:  # type: ignore[type-arg]
    headers = ["State", "Severity", "Rule", "Comparison", "Row", "Endpoint", "Reference", "Field", "Message",
               "Accepted by", "Accepted at", "Reason"]  # fmt: skip
    widths = [10, 10, 20, 16, 6, 28, 10, 22, 70, 14, 20, 40]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{1 + len(open_findings) + len(accepted)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.append([text_cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL) for h in headers])

    def line(state: str, f: Finding, by: str | None, at: str | None, reason: str | None) -> list[WriteOnlyCell]:
        row_cell = WriteOnlyCell(ws, value=f.row) if f.row is not None else text_cell(ws, None)
        values = [state, f.severity, f.rule, f.comparison]
        cells = [text_cell(ws, v, alignment=_WRAP) for v in values] + [row_cell]
        cells += [
            text_cell(ws, v, alignment=_WRAP) for v in (f.endpoint, f.reference, f.field, f.message, by, at, reason)
        ]
        return cells

    for f in open_findings:
        ws.append(line("open", f, None, None, None))
    for f, acceptance in accepted:
        ws.append(line("accepted", f, acceptance.by, acceptance.at, acceptance.reason))


def _about_sheet(ws: WriteOnlyWorksheet, items: list[tuple[str, str | int]]) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    for label, value in items:
        value_cell = WriteOnlyCell(ws, value=value) if isinstance(value, int) else text_cell(ws, value, alignment=_WRAP)
        ws.append([text_cell(ws, label, font=_HEADER_FONT), value_cell])


def write_workbook(
    review: Review,
    path: str | Path,
    *,
    exported_by: str,
    source: str | None = None,
    verified_only: bool = False,
    progress: Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportSummary:
    """Write the stakeholder workbook of ``review`` to ``path`` (atomically)."""
    from curator.formats.xlsx_data import add_data_sheet, add_references_sheet

    path = Path(path)
    exported = _only_verified(review) if verified_only else review
    all_findings = run_checks(review)
    open_findings, accepted = split_accepted(all_findings, review.accepted_findings)
    if verified_only:
        # Positions change when rows are left out: re-check what is exported.
        open_findings, accepted = split_accepted(run_checks(exported), review.accepted_findings)
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in open_findings:
        if finding.comparison is not None and finding.row is not None:
            by_row[(finding.comparison, finding.row)].append(finding)

    total = exported.row_count
    wb = Workbook(write_only=True)
    wb.properties.title = exported.title or "Curator review"
    wb.properties.creator = exported_by
    wb.properties.lastModifiedBy = exported_by
    wb.properties.description = f"Exported by Curator {__version__}"
    done = 0
    report(progress, 0, total, "comparison tables")
    for comparison, name in zip(exported.comparisons, _sheet_names(exported.comparisons), strict=True):
        ws = wb.create_sheet(name)
        findings = {pos: by_row.get((comparison.key, pos), []) for pos in range(len(comparison.rows))}
        _ComparisonSheet(ws, comparison, findings).write()
        done += len(comparison.rows)
        report(progress, done, total, "comparison tables")
    add_references_sheet(wb, exported)
    _findings_sheet(wb.create_sheet("Findings"), open_findings, accepted)
    report(progress, done, total, "data table")
    add_data_sheet(wb, exported)
    counts = exported.counts()
    digest = content_sha256(exported)
    items: list[tuple[str, str | int]] = [
        ("Review title", exported.title or ""),
        ("Exported at", now().isoformat(timespec="seconds")),
        ("Exported by", exported_by),
        ("Source", source or ""),
        ("Rows exported", exported.row_count),
        *[(f"Rows {status}", n) for status, n in counts.items()],
        ("Rows unverified", exported.row_count - counts.get("verified", 0)),
        ("Verified rows only", "yes" if verified_only else "no"),
        ("Open findings", len(open_findings)),
        ("Accepted findings", len(accepted)),
        ("Curator version", __version__),
        ("Content SHA-256", digest),
        ("About the digest", "SHA-256 of the exported content as a curator/1 file; equal digests, equal content."),
    ]
    _about_sheet(wb.create_sheet("About"), items)
    report(progress, total, total, "saving")
    with atomic_open(path, "wb", encoding=None) as handle:
        wb.save(handle)
    return ExportSummary(path, len(exported.comparisons), exported.row_count, len(open_findings), digest)
