"""A numeric cell shows the decimals of its number format."""

from __future__ import annotations

import pytest

from curator.formats.flat import decode_list, encode_list
from curator.formats.xlsx_read import number_text


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (42.6, "0.00", "42.60"),
        (42.6, "General", "42.6"),
        (42.6, None, "42.6"),
        (474.0, "General", "474"),
        (474.0, "0", "474"),
        (474.0, "0.0", "474.0"),
        (1234.5, "#,##0.000", "1234.500"),
        (0.426, "0.0%", "42.6"),
        (0.00012, "0.00E+00", "1.20E-04"),
        (-1.5, "0.00;[Red]-0.00", "-1.50"),
        (7.0, '0" days"', "7"),
        (3.25, "@", "3.25"),
    ],
)
def test_number_text(value: float, fmt: str | None, text: str) -> None:
    assert number_text(value, fmt) == text


@pytest.mark.parametrize(
    ("items", "cell"),
    [
        ([], None),
        (["7"], "7"),
        (["9", "10"], "9; 10"),
        (["a;b", "c"], '["a;b", "c"]'),
        (["", "x"], '["", "x"]'),
        ([" padded"], '[" padded"]'),
        (["[1]"], '["[1]"]'),
        (["Doe, John", "Roe, R"], "Doe, John; Roe, R"),
    ],
)
def test_list_encoding_round_trips(items: list[str], cell: str | None) -> None:
    assert encode_list(items) == cell
    if cell is not None:
        assert decode_list(cell) == items
