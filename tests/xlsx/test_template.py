"""The extraction template: what a reviewer types is what Curator reads."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from curator.errors import CuratorError
from curator.formats.flat import DATA_HEADER, REFERENCE_COLUMNS
from curator.formats.xlsx_data import BOOLEAN_NUMBER_FORMAT, TEMPLATE_ROWS, write_template
from curator.formats.xlsx_read import read_workbook
from curator.numbers import parse_reported as P


def _col(name: str) -> str:
    return openpyxl.utils.get_column_letter(DATA_HEADER.index(name) + 1)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "t.xlsx"
    write_template(path)
    return path


def test_sheets_headers_and_hints(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Data", "References"]
    data, refs = wb["Data"], wb["References"]
    assert [c.value for c in data[1]] == list(DATA_HEADER)
    assert [c.value for c in refs[1]] == [c.name for c in REFERENCE_COLUMNS]
    assert data.max_row == 1 and refs.max_row == 1
    assert all(c.font.b for c in data[1])
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:{_col('note')}{TEMPLATE_ROWS + 1}"
    assert "Kept exactly as typed" in data[f"{_col('intervention.value')}1"].comment.text
    assert "separated by ;" in data[f"{_col('citations')}1"].comment.text


def test_drop_down_lists_and_input_hints(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["Data"]
    lists = {}
    prompts = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        name = DATA_HEADER[openpyxl.utils.column_index_from_string(first.rstrip("0123456789")) - 1]
        prompts[name] = dv.prompt
        assert str(dv.sqref).endswith(str(TEMPLATE_ROWS + 1))  # ready for many rows
        if dv.type == "list":
            lists[name] = dv.formula1
    assert lists == {
        "measure": '"percent,mean,median,count,text"',
        "analysis": '"crude,adjusted,kaplan_meier"',
        "higher_is_better": '"TRUE,FALSE"',
        "effect.measure": '"RR,OR,HR,IRR,RD,MD,SMD"',
        "effect.direction": '"intervention_vs_comparator,comparator_vs_intervention"',
        "effect.adjusted": '"TRUE,FALSE"',
        "effect.contrast": '"arms,change,other"',
        "favours": '"intervention,comparator,neither"',
        "status": '"draft,extracted,verified,disputed"',
    }
    assert set(prompts) == set(DATA_HEADER) and all(prompts.values())


def test_value_columns_are_formatted_as_text(template: Path) -> None:
    with zipfile.ZipFile(template) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="@"' in styles
    wb = openpyxl.load_workbook(template)
    ws = wb["Data"]
    for name in ("intervention.value", "intervention.n", "effect.p", "endpoint", "citations"):
        index = DATA_HEADER.index(name) + 1
        [dim] = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
        assert dim.number_format == "@", name
    index = DATA_HEADER.index("higher_is_better") + 1
    # Not Text: TRUE typed there is a boolean, shown TRUE/FALSE (LibreOffice too, not 1/0).
    assert all(
        d.number_format == BOOLEAN_NUMBER_FORMAT for d in ws.column_dimensions.values() if d.min <= index <= d.max
    )
    assert "<col " in sheet


def test_what_a_reviewer_types_is_read_as_typed(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["Data"]

    def put(row: int, name: str, value: object, number_format: str | None = None) -> None:
        cell = ws[f"{_col(name)}{row}"]
        cell.value = value
        if number_format:
            cell.number_format = number_format

    for name, value in (("comparison.key", "a-vs-b"), ("comparison.title", "A vs B"),
                        ("comparison.intervention", "A"), ("comparison.comparator", "B")):  # fmt: skip
        put(2, name, value)
    put(2, "endpoint", "Responders")
    put(2, "measure", "percent")
    put(2, "higher_is_better", "TRUE")
    put(2, "intervention.value", "42.60")  # typed into the Text column
    put(2, "comparator.value", 42.6, "0.00")  # a number in a General cell, shown 42.60
    put(2, "intervention.n", 474)  # a number, General
    put(2, "comparator.n", 480.0, "0")
    put(2, "effect.value", "−1.5")
    put(2, "effect.p", "<0.001")
    put(2, "effect.ci_low", ".03")
    put(2, "citations", "7; 8")
    put(3, "comparison.key", "a-vs-b")  # the labels are not repeated
    put(3, "endpoint", "Relapse")
    put(3, "comparator.value", 0.126, "0.0%")
    put(3, "higher_is_better", False)
    put(5, "comparison.key", "   ")  # white space only: an empty line
    refs = wb["References"]
    refs["A2"], refs["B2"], refs["H2"], refs["I2"] = "7", "A trial", 2004, 12345678
    refs["C2"] = "Doe, John; Roe, R"
    refs["A3"] = "8"
    wb.save(template)

    review = read_workbook(template)
    assert review.title is None
    [comparison] = review.comparisons
    assert (comparison.key, comparison.title, comparison.intervention, comparison.comparator) == ("a-vs-b", "A vs B",
                                                                                                  "A", "B")  # fmt: skip
    first, second = comparison.rows
    assert first.intervention is not None and first.comparator is not None and first.effect is not None
    assert first.intervention.value == P("42.60")
    assert first.comparator.value == P("42.60")
    assert (first.intervention.n, first.comparator.n) == (P("474"), P("480"))
    assert first.effect.value == P("−1.5") and first.effect.value.text == "−1.5"
    assert first.effect.p == P("<0.001") and first.effect.ci_low == P(".03")
    assert first.citations == ["7", "8"] and first.higher_is_better is True and first.measure == "percent"
    assert second.comparator is not None and second.comparator.value == P("12.6")
    assert second.higher_is_better is False and second.status == "draft"
    [ref7, ref8] = review.references
    assert (ref7.key, ref7.title, ref7.year, ref7.pmid, ref7.authors) == ("7", "A trial", 2004, "12345678",
                                                                          ["Doe, John", "Roe, R"])  # fmt: skip
    assert ref8.key == "8" and ref8.title is None


def test_the_printed_forms_of_format_1_1_are_read_as_typed(template: Path) -> None:
    """0·55, 3,145, 10 096, − 4.6 and NR typed into the template's cells are kept
    as printed; every 1.1 field is read from its column."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Data"]
    typed = {
        "comparison.key": "a-vs-b", "comparison.title": "A vs B", "comparison.intervention": "A",
        "comparison.comparator": "B", "endpoint": "Pain score", "measure": "mean", "analysis": "adjusted",
        "integer_items": "1", "intervention.value": "0·55", "intervention.n": "3,145", "intervention.sd": "NR",
        "intervention.se": "0·02", "intervention.ci_low": "0·51", "intervention.ci_high": "0·59",
        "intervention.min": "0", "intervention.max": "10", "comparator.value": "− 4.6", "comparator.n": "10 096",
        "comparator.q1": "nr", "comparator.q3": "−2", "effect.measure": "MD", "effect.value": "−0.4",
        "effect.ci_level": "95.02", "effect.se": "0.1", "effect.adjusted": "TRUE", "effect.contrast": "change",
        "effect.method": "ANCOVA",
    }  # fmt: skip
    for name, value in typed.items():
        ws[f"{_col(name)}2"] = value
    ws[f"{_col('comparison.key')}3"] = "a-vs-b"
    ws[f"{_col('endpoint')}3"] = "Events"
    ws[f"{_col('intervention.events')}3"] = 3145  # a number typed into a General cell
    ws[f"{_col('effect.ci_level')}3"] = 90
    ws[f"{_col('effect.adjusted')}3"] = False
    wb.save(template)

    [comparison] = read_workbook(template).comparisons
    first, second = comparison.rows
    assert first.intervention is not None and first.comparator is not None and first.effect is not None
    assert (first.measure, first.analysis, first.integer_items) == ("mean", "adjusted", P("1", whole=True))
    i, c, e = first.intervention, first.comparator, first.effect
    assert i.value is not None and (i.value.text, float(i.value.value)) == ("0·55", 0.55)
    assert i.n is not None and (i.n.text, int(i.n.value)) == ("3,145", 3145)
    assert i.sd is not None and i.sd.not_reported and i.sd.text == "NR"
    assert [x.text if x else None for x in (i.se, i.ci_low, i.ci_high, i.q1, i.min, i.max)] == [
        "0·02", "0·51", "0·59", None, "0", "10"]  # fmt: skip
    assert c.value is not None and (c.value.text, float(c.value.value)) == ("− 4.6", -4.6)
    assert c.n is not None and int(c.n.value) == 10096 and c.q1 is not None and c.q1.not_reported
    assert e.ci_level == P("95.02") and e.level_exact == Decimal("95.02")
    assert (e.se, e.adjusted, e.contrast, e.method) == (P("0.1"), True, "change", "ANCOVA")
    assert second.intervention is not None and second.intervention.events == P("3145", whole=True)
    assert second.effect is not None and second.effect.ci_level == 90 and second.effect.adjusted is False


def test_an_empty_template_is_an_empty_review(template: Path) -> None:
    review = read_workbook(template)
    assert review.comparisons == [] and review.references == [] and review.title is None


def test_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CuratorError, match="no-such-folder"):
        write_template(tmp_path / "no-such-folder" / "t.xlsx")
