"""CSV: the flat Data table, UTF-8 with BOM, no formula gets through."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from curator.demo import demo_review
from curator.errors import CuratorError
from curator.formats.csv_flat import write_csv
from curator.formats.flat import DATA_HEADER
from curator.numbers import parse_reported as P


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_flat_table_with_numbers_as_printed(tmp_path: Path) -> None:
    review = demo_review()
    path = tmp_path / "d.csv"
    assert write_csv(review, path) == review.row_count
    assert path.read_bytes().decode("utf-8-sig").splitlines()[0] == ",".join(DATA_HEADER)
    lines = _read(path)
    assert len(lines) == review.row_count
    first = lines[0]
    assert first["comparison.key"] == review.comparisons[0].key
    assert first["intervention.value"] == "42.6" and first["higher_is_better"] == "FALSE"
    assert first["citations"] == "7"
    assert lines[1]["citations"] == "9; 10"
    assert b"\r\n" in path.read_bytes()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
    ],
)
def test_formula_like_text_is_neutralised(tmp_path: Path, text: str, written: str) -> None:
    review = demo_review()
    row = review.comparisons[0].rows[0]
    row.finding, row.endpoint = text, text
    review.comparisons[0].title = text
    path = tmp_path / "f.csv"
    write_csv(review, path)
    first = _read(path)[0]
    assert first["finding"] == first["endpoint"] == first["comparison.title"] == written


def test_genuine_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    review = demo_review()
    row = review.comparisons[0].rows[0]
    assert row.intervention is not None
    row.intervention.value = P("-1.5")
    row.intervention.sd = P("−1.5")
    path = tmp_path / "n.csv"
    write_csv(review, path)
    first = _read(path)[0]
    assert first["intervention.value"] == "-1.5" and first["intervention.sd"] == "−1.5"


def test_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("old")
    with pytest.raises(CuratorError, match="missing"):
        write_csv(demo_review(), tmp_path / "missing" / "a.csv")
    assert path.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
