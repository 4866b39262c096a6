"""Read a workbook's Data and References sheets back into a review.

The sheets are those of :mod:`curator.formats.xlsx_data` (an exported
workbook, or the extraction template filled in by a reviewer). The reader is
as strict as the exchange-file reader: anything off-contract is refused with
a message naming the file, sheet, cell, column and value, e.g.
``t.xlsx: Data!L7 (intervention.n): "forty" is not a whole number``, and
nothing is returned.

Numbers are kept as reported. A text cell holds the printed text
(``42.60`` stays ``42.60``). A numeric cell in a reported-number column (a
reviewer typed into a General cell) takes the decimals of its number
format (``0.00`` gives ``42.60``, General the shortest form, ``0.0%`` the
percent: 0.426 gives ``42.6``).

Cells are read with python-calamine (fast); only when a reported-number
column holds a numeric cell does openpyxl (read-only, with defusedxml) look
up those cells' number formats. Before either parser sees the file, the
container is checked: a zip with an ``xl/workbook.xml``, members of sane
size and compression ratio, and no DTD in any XML part (no XML bombs).

Empty lines are skipped; a cell of only white space is empty. Rows with the
same ``comparison.key`` form one comparison, in order of first appearance;
its title and arm labels are needed on its first line, and a later line
that gives a different one is refused. The review title comes from the
"About" sheet's "Review title" line, when there is one.
"""

from __future__ import annotations

import difflib
import re
import zipfile
import zlib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from curator.errors import InputError
from curator.fields import Text
from curator.formats.cells import EXCEL_TEXT_LIMIT, is_cut
from curator.formats.evidence_cells import (
    DOCUMENT_CITATION,
    DOCUMENT_HEADERS,
    DOCUMENTS_SHEET,
    EVIDENCE_HEADERS,
    DocumentError,
    Documents,
    EvidenceColumn,
    EvidenceError,
    cells_to_document,
    decode_evidence,
    parse_evidence_header,
)
from curator.formats.fields import show
from curator.formats.flat import (
    DATA_COLUMNS,
    REFERENCE_COLUMNS,
    REQUIRED_DATA_COLUMNS,
    Cell,
    CellError,
    Column,
    cells_to_reference,
    decode_table,
)
from curator.memory import gc_paused
from curator.review import Comparison, Document, Evidence, Reference, Review

__all__ = ["read_workbook", "number_text", "MAX_MEMBER_BYTES", "MAX_RATIO"]

DATA_SHEET = "Data"
REFERENCES_SHEET = "References"
ABOUT_SHEET = "About"
TITLE_LABEL = "Review title"
CITATION_HEADER = "citation"

#: The largest uncompressed part of a workbook read (a 100,000-row Data
#: sheet is well under 200 MB).
MAX_MEMBER_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
#: Spreadsheet XML compresses 10-100 times; a zip bomb, thousands of times.
MAX_RATIO = 1000
_RATIO_FLOOR = 10 << 20  # small parts may compress as they like

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PLAIN_TYPES = {str, bool}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


# -- the container ------------------------------------------------------------


def _not_xlsx(head: bytes) -> str:
    """Why a file that is not a zip is not a workbook, in the user's terms."""
    if not head:
        return "the file is empty, not an xlsx workbook"
    if head.startswith(_OLE2):
        return (
            "this is an old-style Excel file (.xls) or a password-protected workbook, not an xlsx "
            "workbook; open it in Excel and save it as an Excel Workbook (.xlsx) without a password"
        )
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith(("{", "[")):
        return "this is a JSON file, not an xlsx workbook (a curator/1 file is imported as such when named .json)"
    if text.startswith("<"):
        return "this is an XML or HTML file, not an xlsx workbook"
    first = text.splitlines()[0] if text else ""
    if "\ufffd" not in text and any(sep in first for sep in (",", ";", "\t")):
        return "this looks like a CSV or text file, not an xlsx workbook; open it in Excel and save it as .xlsx"
    return "not an xlsx workbook (an xlsx file is a zip archive, and this is not one)"


def _check_container(path: Path, file: str) -> None:
    """Refuse anything but a sane xlsx zip before a parser reads it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InputError("no such file", file=file) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=file) from None
    if not head.startswith(_ZIP):
        raise InputError(_not_xlsx(head), file=file)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                if "xl/workbook.bin" in names:
                    raise InputError("this is a binary workbook (.xlsb); save it as .xlsx", file=file)
                if "mimetype" in names and b"opendocument" in z.read("mimetype"):
                    raise InputError("this is an OpenDocument spreadsheet (.ods); save it as .xlsx", file=file)
                raise InputError("a zip file, but not an xlsx workbook (it has no xl/workbook.xml)", file=file)
            total = 0
            for info in z.infolist():
                total += info.file_size
                if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                    raise InputError(f"refused: the part {info.filename} is too big to be a workbook", file=file)
                ratio = info.file_size // max(1, info.compress_size)
                if info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
                    raise InputError(
                        f"refused: the part {info.filename} is compressed {ratio:,} times (a zip bomb?)",
                        file=file,
                    )
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    try:
                        with z.open(info) as part:
                            start = part.read(4096)
                    except zlib.error as exc:
                        raise InputError(
                            f"a damaged zip file: the part {info.filename} cannot be decompressed ({exc})", file=file
                        ) from None
                    if _DTD.search(start):
                        raise InputError(
                            f"refused: the part {info.filename} declares a DTD, which workbooks do not use "
                            "(a possible XML bomb)",
                            file=file,
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        # zlib.error: a part whose compressed bytes are damaged (Python names it "Error -3 while
        # decompressing data: invalid ...").
        raise InputError(f"a damaged zip file, not a readable xlsx workbook ({exc})", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=file) from None


# -- cells ----------------------------------------------------------------------


def number_text(value: float, number_format: str | None) -> str:
    """The text a numeric cell shows: its number format's decimals.

    ``42.6`` with ``0.00`` is ``42.60``; with General (or none, or Text) the
    shortest form (``42.6``; ``474.0`` is ``474``); with a percent format
    the percent (0.426 with ``0.0%`` is ``42.6``); with a scientific format
    the mantissa's decimals (``1.20E-05``).
    """
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if section.strip().casefold() in ("general", "@", "") or not re.search(r"[0#?]", section):
        if float(value).is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(float(value))
    if "%" in section:
        value = value * 100
    point = section.find(".")
    decimals = len(re.match(r"[0#?]*", section[point + 1 :]).group()) if point >= 0 else 0  # type: ignore[union-attr]
    if "E" in section.upper():
        return f"{value:.{decimals}E}"
    return f"{value:.{decimals}f}"


def _plain(value: Any) -> Cell:
    """A calamine cell value as flat-table text (numbers as General)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return number_text(value, None)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return None if value is None else str(value)


def _where(sheet: str, row: int, col: int, column: Column | None = None) -> str:
    cell = f"{sheet}!{get_column_letter(col + 1)}{row + 1}"
    return f"{cell} ({column.name})" if column is not None else cell


class _Sheet:
    """One sheet's values (calamine), and the number formats when needed."""

    def __init__(self, path: Path, file: str, name: str, rows: list[list[Any]]) -> None:
        self.path, self.file, self.name, self.rows = path, file, name, rows

    def fail(self, where: str, message: str) -> InputError:
        return InputError(message, file=self.file, where=where)

    def columns(self, known: Sequence[Column], ignored: tuple[str, ...] = ()) -> list[tuple[int, Column]]:
        """The known columns the header row names, by position; refuses others."""
        header = self.rows[0] if self.rows else []
        by_name = {c.name: c for c in known}
        found: list[tuple[int, Column]] = []
        seen: dict[str, int] = {}
        for col, raw in enumerate(header):
            name = _plain(raw)
            if name is None:
                for r, row in enumerate(self.rows[1:], start=1):
                    if col < len(row) and _plain(row[col]) is not None:
                        raise self.fail(
                            _where(self.name, r, col), f"{show(str(row[col]))} is in a column without a header"
                        )
                continue
            name = str(name).strip()
            if name in seen:
                raise self.fail(
                    _where(self.name, 0, col),
                    f"the column {show(name)} appears twice (also in {get_column_letter(seen[name] + 1)}1)",
                )
            seen[name] = col
            if name in ignored:
                continue
            column = by_name.get(name)
            if column is None:
                guess = difflib.get_close_matches(name, list(by_name), n=1)
                hint = f' (did you mean "{guess[0]}"?)' if guess else ""
                raise self.fail(_where(self.name, 0, col), f"unknown column {show(name)}{hint}")
            found.append((col, column))
        return found

    def formats(self, cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """The number formats of some cells (0-based row, col), via openpyxl."""
        import openpyxl

        last = max(r for r, _c in cells)
        out: dict[tuple[int, int], str] = {}
        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                for r, row in enumerate(wb[self.name].iter_rows(min_row=1, max_row=last + 1)):
                    for c, cell in enumerate(row):
                        if (r, c) in cells:
                            out[(r, c)] = getattr(cell, "number_format", None) or "General"
            finally:
                wb.close()
        except Exception as exc:  # a damaged part (zlib.error, bad XML, a bad CRC): openpyxl has no common base
            raise InputError(
                f"cannot be read as an xlsx workbook ({type(exc).__name__}: {exc})", file=self.file
            ) from None
        return out

    def table(self, columns: list[tuple[int, Column]]) -> list[list[Cell]]:
        """The cells below the header, column by column, in the order of ``columns``.

        Cells are text, booleans or None; a numeric cell of a reported-number
        column becomes the text its number format shows, other values their
        plain text.
        """
        rows = self.rows[1:]
        width = len(self.rows[0]) if self.rows else 0
        if any(len(row) != width for row in rows):
            rows = [(row + [""] * width)[:width] for row in rows]
        reported = [c for c, column in columns if column.reported]
        # Exported sheets hold only text and booleans: check that in C, row by row.
        odd = [r for r, row in enumerate(rows) if not set(map(type, row)) <= _PLAIN_TYPES]
        numeric = {(r, c) for r in odd for c in reported if type(rows[r][c]) in (int, float)}
        formats = self.formats({(r + 1, c) for r, c in numeric}) if numeric else {}
        for r in odd:
            rows[r] = [
                number_text(v, formats[(r + 1, c)]) if (r + 1, c) in formats else _plain(v)
                for c, v in enumerate(rows[r])
            ]
        by_column = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
        return [list(by_column[c]) for c, _column in columns]


# -- the sheets -----------------------------------------------------------------


def _evidence_columns(sheet: _Sheet) -> list[tuple[int, EvidenceColumn]]:
    """The Data sheet's evidence columns (see :mod:`curator.formats.evidence_cells`), by position."""
    header = sheet.rows[0] if sheet.rows else []
    found = []
    for col, raw in enumerate(header):
        name = _plain(raw)
        if not isinstance(name, str):
            continue
        column = parse_evidence_header(name)
        if column is not None:
            found.append((col, column))
        elif name.strip().endswith(")"):  # meant as one? say which
            guess = difflib.get_close_matches(name.strip(), EVIDENCE_HEADERS, n=1)
            if guess:
                raise sheet.fail(
                    _where(sheet.name, 0, col), f'unknown column {show(name.strip())} (did you mean "{guess[0]}"?)'
                )
    return found


def _comparisons(sheet: _Sheet, documents: list[Document] | None = None) -> list[Comparison]:
    evidence = _evidence_columns(sheet)
    ignored = tuple(str(_plain(sheet.rows[0][c])).strip() for c, _e in evidence)
    columns = sheet.columns(DATA_COLUMNS, ignored=ignored)
    names = {column.name for _c, column in columns}
    for required in REQUIRED_DATA_COLUMNS:
        if required not in names:
            raise sheet.fail(f"{sheet.name}!1:1", f"missing required column {show(required)}")
    cols = [column for _c, column in columns]
    position = {column.name: c for c, column in columns}
    try:
        table = decode_table(cols, sheet.table(columns))
    except CellError as exc:
        c, column = columns[exc.index]
        raise sheet.fail(_where(sheet.name, exc.line + 1, c, column), exc.message) from None
    by_line = _evidence(sheet, evidence, table.rows, Documents(documents or []))
    by_key: dict[str, tuple[Comparison, int]] = {}
    keys = table.comparison["key"]
    labels = [(name, table.comparison[name]) for name in ("title", "intervention", "comparator", "note")]
    for line, row in enumerate(table.rows):
        if row is None:
            continue  # an empty line
        r, key = line + 1, keys[line]
        if not key:
            raise sheet.fail(
                _where(sheet.name, r, position["comparison.key"], _col("comparison.key")),
                "missing; every row needs its comparison's key",
            )
        known = by_key.get(key)
        if known is None:
            head = table.head(line)
            for name in ("title", "intervention", "comparator"):
                if not getattr(head, name):
                    raise sheet.fail(
                        _where(sheet.name, r, position[f"comparison.{name}"], _col(f"comparison.{name}")),
                        f"missing; needed on the first row of comparison {show(key)}",
                    )
            known = by_key[key] = (head, r)
        else:
            comparison, first = known
            for name, values in labels:
                value = values[line]
                if value is None:
                    continue  # not restated on this line
                before = getattr(comparison, name)
                if before is None:
                    comparison.note = value  # a note given on a later row
                elif value != before:
                    raise sheet.fail(
                        _where(sheet.name, r, position[f"comparison.{name}"], _col(f"comparison.{name}")),
                        f"{show(value)} differs from {show(before)}, "
                        f"given for comparison {show(key)} on row {first + 1}",
                    )
        if line in by_line:
            row.evidence = by_line[line]
        known[0].rows.append(row)
    return [comparison for comparison, _r in by_key.values()]


def _evidence(
    sheet: _Sheet, columns: list[tuple[int, EvidenceColumn]], rows: Sequence[object], documents: Documents
) -> dict[int, dict[str, Evidence]]:
    """Each line's evidence (0-based line -> field path -> evidence), from the evidence columns."""
    if not columns:
        return {}
    text_columns = [(c, Column(e.header, ("evidence", e.path, e.part), Text(e.part))) for c, e in columns]
    cells = sheet.table(text_columns)
    out: dict[int, dict[str, Evidence]] = {}
    for line in range(len(rows)):
        given = {e: _text(cells[i][line]) for i, (_c, e) in enumerate(columns)}
        if all(v is None for v in given.values()):
            continue
        if rows[line] is None:
            c, e = next((c, e) for c, e in columns if given[e] is not None)
            raise sheet.fail(
                _evidence_where(sheet.name, line + 1, c, e), "evidence on a line without a row (it has no endpoint)"
            )
        try:
            out[line] = decode_evidence(given, documents)
        except EvidenceError as exc:
            at = next((c for c, e in columns if e == exc.column), None)
            if at is None:  # a column the sheet lacks (a page or document the evidence needs)
                where = f"{sheet.name}!{line + 2}:{line + 2} ({exc.column.header})"
            else:
                where = _evidence_where(sheet.name, line + 1, at, exc.column)
            raise sheet.fail(where, exc.message) from None
    return out


def _text(cell: Cell) -> str | None:
    """A cell as text, None when empty (a TRUE/FALSE cell as its word)."""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    return cell if isinstance(cell, str) and cell.strip() else None


def _evidence_where(sheet: str, row: int, col: int, column: EvidenceColumn) -> str:
    return f"{sheet}!{get_column_letter(col + 1)}{row + 1} ({column.header})"


def _documents(sheet: _Sheet) -> list[Document]:
    """The Documents sheet's documents (an empty list when there is none)."""
    if not sheet.rows:
        return []
    header = sheet.rows[0]
    keys = dict(DOCUMENT_HEADERS)
    found: list[tuple[int, str]] = []
    for col, raw in enumerate(header):
        name = _plain(raw)
        if name is None:
            continue
        name = str(name).strip()
        if name == DOCUMENT_CITATION:
            continue
        if name not in keys:
            guess = difflib.get_close_matches(name, list(keys), n=1)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            raise sheet.fail(_where(sheet.name, 0, col), f"unknown column {show(name)}{hint}")
        found.append((col, keys[name]))
    for needed in ("SHA-256", "File"):
        if keys[needed] not in {key for _c, key in found}:
            raise sheet.fail(f"{sheet.name}!1:1", f"missing required column {show(needed)}")
    headers = {key: header for header, key in DOCUMENT_HEADERS}
    columns = [(c, Column(headers[key], ("document", key), Text(key))) for c, key in found]
    by_column = sheet.table(columns)
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for r, cells in enumerate(zip(*by_column, strict=True), start=1):
        if _blank(list(cells)):
            continue
        values = {key: _text(cell) for (_c, key), cell in zip(found, cells, strict=True)}
        try:
            document = cells_to_document(values)
        except DocumentError as exc:
            c = next(c for c, key in found if key == exc.key)
            raise sheet.fail(f"{_where(sheet.name, r, c)} ({headers[exc.key]})", exc.message) from None
        if document.sha256 in seen:
            c = next(c for c, key in found if key == "sha256")
            raise sheet.fail(
                f"{_where(sheet.name, r, c)} (SHA-256)",
                f"{show(document.sha256)} is already the SHA-256 of the document on row {seen[document.sha256] + 1}",
            )
        seen[document.sha256] = r
        documents.append(document)
    return documents


def _col(name: str) -> Column:
    return next(c for c in DATA_COLUMNS if c.name == name)


def _references(sheet: _Sheet) -> list[Reference]:
    if not sheet.rows:
        return []
    columns = sheet.columns(REFERENCE_COLUMNS, ignored=(CITATION_HEADER,))
    by_column = sheet.table(columns)
    lines = [(r + 1, list(cells)) for r, cells in enumerate(zip(*by_column, strict=True)) if not _blank(list(cells))]
    if lines and not any(column.name == "key" for _c, column in columns):
        raise sheet.fail(f"{sheet.name}!1:1", 'missing required column "key"')
    cols = [column for _c, column in columns]
    refs: list[Reference] = []
    seen: dict[str, int] = {}
    for r, cells in lines:
        try:
            ref = cells_to_reference(cells, cols)
        except CellError as exc:
            c, column = columns[exc.index]
            raise sheet.fail(_where(sheet.name, r, c, column), exc.message) from None
        if ref.key in seen:
            c = next(c for c, column in columns if column.name == "key")
            raise sheet.fail(
                _where(sheet.name, r, c, REFERENCE_COLUMNS[0]),
                f"{show(ref.key)} is already the key of the reference on row {seen[ref.key] + 1}",
            )
        seen[ref.key] = r
        refs.append(ref)
    return refs


def _blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _title(rows: list[list[Any]]) -> str | None:
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() == TITLE_LABEL:
            value = _plain(row[1])
            return value if isinstance(value, str) else None
    return None


def _refuse_cut(file: str, name: str, rows: list[list[Any]]) -> None:
    """Refuse a text the export cut to fit its cell: the review would keep it cut, as if whole."""
    limit = EXCEL_TEXT_LIMIT
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, str) and len(value) == limit and (length := is_cut(value)) is not None:
                raise InputError(
                    f"a text of {length:,} characters, cut to fit an Excel cell when the workbook was written: "
                    "the workbook cannot bring it back whole; import the review's JSON export instead",
                    file=file,
                    where=_where(name, r, c),
                )


def read_workbook(path: str | Path) -> Review:
    """Read a workbook's Data, References and About sheets into a review.

    Raises :class:`InputError` naming the file, sheet, cell, column and
    value; on error nothing is returned.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    file = str(path)
    _check_container(path, file)
    try:
        wb = CalamineWorkbook.from_path(file)
        names = list(wb.sheet_names)
        if DATA_SHEET not in names:
            shown = ", ".join(show(n) for n in names)
            raise InputError(f'the workbook has no sheet "{DATA_SHEET}" (it has {shown})', file=file)

        def rows(name: str) -> list[list[Any]]:
            return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

        data = rows(DATA_SHEET)
        refs = rows(REFERENCES_SHEET) if REFERENCES_SHEET in names else []
        docs = rows(DOCUMENTS_SHEET) if DOCUMENTS_SHEET in names else []
        about = rows(ABOUT_SHEET) if ABOUT_SHEET in names else []
    except InputError:
        raise
    except Exception as exc:  # calamine's errors have no common base worth naming
        raise InputError(f"cannot be read as an xlsx workbook ({exc})", file=file) from None
    for name, sheet in ((DATA_SHEET, data), (REFERENCES_SHEET, refs), (DOCUMENTS_SHEET, docs)):
        _refuse_cut(file, name, sheet)
    with gc_paused():
        documents = _documents(_Sheet(path, file, DOCUMENTS_SHEET, docs))
        comparisons = _comparisons(_Sheet(path, file, DATA_SHEET, data), documents)
        references = _references(_Sheet(path, file, REFERENCES_SHEET, refs))
    return Review(title=_title(about), references=references, documents=documents, comparisons=comparisons)
