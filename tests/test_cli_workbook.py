"""The workbook, template and CSV through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import DEMO, audit_head, run


def test_workbook_round_trip_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, book = tmp_path / "d.sqlite", tmp_path / "d.xlsx"
    assert run(capsys, "demo", str(db))[0] == 0
    code, _, err = run(capsys, "--reviewer", "Ana", "export", str(db), "-o", str(book))
    assert code == 0 and "8 rows in 2 comparison sheets" in err
    again = tmp_path / "again.sqlite"
    code, out, err = run(capsys, "import", str(again), str(book))
    assert code == 0, err
    assert "2 comparisons, 8 rows, 17 references" in out
    code, out, _ = run(capsys, "compare", str(db), str(again), "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    # Everything but the top-level x- extension (not carried by workbooks) is equal.
    a = json.loads(DEMO.read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "export", str(again), "-o", "-")
    b = json.loads(out)
    a.pop("x-source")
    assert b.pop("x-audit-head") == audit_head(again)  # the review's own, as every export of a database
    assert b == a


def test_verified_only_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "v.xlsx"
    code, _, err = run(capsys, "export", str(DEMO), "-o", str(book), "--verified-only")
    assert code == 0 and "Wrote 0 rows" in err
    code, _, err = run(capsys, "export", str(DEMO), "-o", str(tmp_path / "v.json"), "--verified-only")
    assert code == 2 and "--verified-only applies to the Excel workbook" in err


def test_template_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.xlsx"
    assert run(capsys, "template", "-o", str(template))[0] == 0
    wb = openpyxl.load_workbook(template)
    assert {"Data", "References"} <= set(wb.sheetnames)
    data = wb["Data"]
    header = [c.value for c in data[1]]
    row = {name: None for name in header}
    row.update(
        {
            "comparison.key": "c1",
            "comparison.title": "A vs B",
            "comparison.intervention": "A",
            "comparison.comparator": "B",
            "endpoint": "Flare-free",
            "measure": "percent",
            "intervention.value": "42.60",
            "intervention.n": "forty",
        }
    )
    for col, name in enumerate(header, start=1):
        if row[name] is not None:
            data.cell(row=2, column=col, value=row[name])
    wb.save(template)
    db = tmp_path / "r.sqlite"
    code, _, err = run(capsys, "import", str(db), str(template))
    col = header.index("intervention.n") + 1
    letter = openpyxl.utils.get_column_letter(col)
    assert code == 2 and f'Data!{letter}2 (intervention.n): "forty" is not a whole number' in err
    assert not db.exists() or run(capsys, "info", str(db), "--format", "json")[0] == 0
    data.cell(row=2, column=col, value="474")
    wb.save(template)
    code, out, err = run(capsys, "import", str(db), str(template))
    assert code == 0, err
    code, out, _ = run(capsys, "export", str(db), "-o", "-")
    arm = json.loads(out)["comparisons"][0]["rows"][0]["intervention"]
    assert arm == {"value": "42.60", "n": "474"}


def test_csv_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.csv"
    assert run(capsys, "export", str(DEMO), "-o", str(out))[0] == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcomparison.key,")
    assert raw.decode("utf-8-sig").count("\n") >= 9


def test_non_workbook_zip_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    bogus = tmp_path / "x.xlsx"
    with zipfile.ZipFile(bogus, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    code, _, err = run(capsys, "import", str(tmp_path / "r.sqlite"), str(bogus))
    assert code == 2 and str(bogus) in err and "Traceback" not in err
