"""Everything off-contract is refused with one exact message, and nothing is returned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from curator.errors import InputError
from curator.formats.flat import DATA_HEADER
from curator.formats.xlsx_read import read_workbook
from tests.xlsx.helpers import raw_workbook

BASE = {"comparison.key": "a-vs-b", "comparison.title": "A vs B", "comparison.intervention": "A",
        "comparison.comparator": "B", "endpoint": "Responders", "intervention.value": "42.6"}  # fmt: skip


def _line(**values: Any) -> list[Any]:
    merged = {**BASE, **{k.replace("__", "."): v for k, v in values.items()}}
    return [merged.get(name) for name in DATA_HEADER]


def _refused(path: Path) -> str:
    result = None
    with pytest.raises(InputError) as err:
        result = read_workbook(path)
    assert result is None  # nothing imported
    text = str(err.value)
    assert text.startswith(f"{path}: ")
    return text[len(f"{path}: ") :]


def _data(tmp_path: Path, *lines: list[Any], header: list[Any] | None = None, **extra: Any) -> Path:
    return raw_workbook(tmp_path / "w.xlsx", {"Data": [header or list(DATA_HEADER), *lines], **extra})


def test_a_good_line_reads(tmp_path: Path) -> None:
    review = read_workbook(_data(tmp_path, _line()))
    assert review.comparisons[0].rows[0].intervention.value.text == "42.6"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"intervention__n": "forty"}, 'Data!N4 (intervention.n): "forty" is not a whole number'),
        ({"effect__value": "1,5"}, 'Data!AK4 (effect.value): "1,5" is not a number (write it without a thousands '
                                   "separator or decimal comma)"),
        ({"comparator__sd": True}, 'Data!AB4 (comparator.sd): "TRUE" is not a number'),
        ({"measure": "percentage"}, 'Data!G4 (measure): "percentage" is not one of percent, mean, median, count, text'),
        ({"status": "done"}, 'Data!BC4 (status): "done" is not one of draft, extracted, verified, disputed'),
        ({"effect__direction": "forward"}, 'Data!AP4 (effect.direction): "forward" is not one of '
                                           "intervention_vs_comparator, comparator_vs_intervention"),
        ({"higher_is_better": "yes"}, 'Data!K4 (higher_is_better): "yes" is not TRUE or FALSE'),
        ({"effect__ci_level": "95%"}, 'Data!AN4 (effect.ci_level): "95%" is not a number'),
        ({"citations": "[7, 8]"}, 'Data!AZ4 (citations): "[7, 8]" starts with [ but is not a JSON list of strings'),
        # 1.1 fields
        ({"analysis": "model"}, 'Data!H4 (analysis): "model" is not one of crude, adjusted, kaplan_meier'),
        ({"intervention__se": "1,5"}, 'Data!Q4 (intervention.se): "1,5" is not a number (write it without a '
                                      "thousands separator or decimal comma)"),
        ({"intervention__q1": "N/R"}, 'Data!T4 (intervention.q1): "N/R" is not a number'),
        ({"comparator__n": "3,14"}, 'Data!Z4 (comparator.n): "3,14" is not a whole number (digits may be grouped '
                                    'in threes, as in 3,145; a decimal comma is not read)'),
        ({"effect__adjusted": "yes"}, 'Data!AS4 (effect.adjusted): "yes" is not TRUE or FALSE'),
        ({"effect__contrast": "baseline"}, 'Data!AT4 (effect.contrast): "baseline" is not one of arms, change, other'),
        ({"endpoint": " "}, "Data!F4 (endpoint): missing; a row needs its endpoint"),
        ({"intervention__value": None}, 'Data!F4 (endpoint): a row needs at least one of "intervention", '
                                        '"comparator" and "effect"'),
        ({"comparison__key": None}, "Data!A4 (comparison.key): missing; every row needs its comparison's key"),
    ],
)  # fmt: skip
def test_bad_cells(tmp_path: Path, values: dict[str, Any], message: str) -> None:
    assert _refused(_data(tmp_path, _line(), _line(endpoint="Second"), _line(**values))) == message


def test_labels_are_needed_on_a_comparisons_first_line(tmp_path: Path) -> None:
    path = _data(tmp_path, _line(comparison__comparator=None))
    assert _refused(path) == 'Data!D2 (comparison.comparator): missing; needed on the first row of comparison "a-vs-b"'


def test_a_second_title_for_one_comparison(tmp_path: Path) -> None:
    path = _data(tmp_path, _line(), [], _line(comparison__title="A versus B"))
    assert (
        _refused(path)
        == 'Data!B4 (comparison.title): "A versus B" differs from "A vs B", given for comparison "a-vs-b" on row 2'
    )


def test_later_lines_may_leave_the_labels_out(tmp_path: Path) -> None:
    path = _data(tmp_path, _line(), _line(comparison__title=None, comparison__intervention=" ", endpoint="Two",
                                          comparison__note="late note"))  # fmt: skip
    [comparison] = read_workbook(path).comparisons
    assert [r.endpoint for r in comparison.rows] == ["Responders", "Two"]
    assert (comparison.title, comparison.intervention, comparison.note) == ("A vs B", "A", "late note")


def test_unknown_duplicate_and_missing_columns(tmp_path: Path) -> None:
    header = list(DATA_HEADER)
    header[13] = "intervention.N"
    assert (
        _refused(_data(tmp_path, header=header))
        == 'Data!N1: unknown column "intervention.N" (did you mean "intervention.n"?)'
    )
    header[13] = "endpoint"
    assert _refused(_data(tmp_path, header=header)) == 'Data!N1: the column "endpoint" appears twice (also in F1)'
    header = [h for h in DATA_HEADER if h != "endpoint"]
    assert _refused(_data(tmp_path, header=header)) == 'Data!1:1: missing required column "endpoint"'
    line = _line() + ["stray"]
    assert _refused(_data(tmp_path, line)) == 'Data!BG2: "stray" is in a column without a header'


def test_optional_columns_may_be_left_out_and_reordered(tmp_path: Path) -> None:
    header = ["endpoint", "intervention.value", "comparison.comparator", "comparison.intervention",
              "comparison.title", "comparison.key"]  # fmt: skip
    path = _data(tmp_path, ["E", "1.50", "B", "A", "T", "k"], header=header)
    [comparison] = read_workbook(path).comparisons
    assert comparison.key == "k" and comparison.rows[0].intervention.value.text == "1.50"  # type: ignore[union-attr]


def test_references_refusals(tmp_path: Path) -> None:
    header = ["key", "title", "year", "citation"]
    refs = [header, ["7", "One", 2004.0, "ignored"], ["8", "Two", "twenty"]]
    path = _data(tmp_path, _line(), References=refs)
    assert _refused(path) == 'References!C3 (year): "twenty" is not a whole number'
    refs[2] = ["7", "Again"]
    assert (
        _refused(_data(tmp_path, _line(), References=refs))
        == 'References!A3 (key): "7" is already the key of the reference on row 2'
    )
    refs[2] = [None, "No key"]
    assert (
        _refused(_data(tmp_path, _line(), References=refs)) == "References!A3 (key): missing; a reference needs its key"
    )
    refs[2] = ["8", None, None, None, "x"]
    assert _refused(_data(tmp_path, _line(), References=refs)) == 'References!E3: "x" is in a column without a header'


def test_no_data_sheet(tmp_path: Path) -> None:
    path = raw_workbook(tmp_path / "w.xlsx", {"Sheet1": [["a"]], "References": [["key"]]})
    assert _refused(path) == 'the workbook has no sheet "Data" (it has "Sheet1", "References")'


def test_empty_lines_and_white_space_are_skipped(tmp_path: Path) -> None:
    blank = [" ", None, "\t"] + [None] * (len(DATA_HEADER) - 3)
    path = _data(tmp_path, [], blank, _line(unit="  ", intervention__n=(474.0, "General")), [])
    [comparison] = read_workbook(path).comparisons
    [row] = comparison.rows
    assert row.unit is None and row.intervention is not None and row.intervention.n is not None
    assert row.intervention.n.text == "474"


def test_about_sheet_gives_the_title(tmp_path: Path) -> None:
    about = [["Exported by", "x"], ["Review title", "My review"]]
    assert read_workbook(_data(tmp_path, _line(), About=about)).title == "My review"
