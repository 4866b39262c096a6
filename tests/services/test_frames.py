"""`curator.frame` and `curator.analyses` (issue 17): the review as pandas DataFrames for scripts."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import curator
from curator.formats.exchange import write_exchange
from curator.formats.flat import DATA_COLUMNS
from curator.numbers import parse_reported
from tests.analysis.bcg import bcg_review


def test_one_column_per_field_each_number_printed_beside_its_value(tmp_path: Path) -> None:
    review = bcg_review()
    first = review.comparisons[0].rows[0]
    first.intervention.value = parse_reported("3.30")  # type: ignore[union-attr]
    first.comparator.value = parse_reported("<8")  # type: ignore[union-attr]
    first.comparator.sd = parse_reported("NR")  # type: ignore[union-attr]
    write_exchange(review, tmp_path / "r.json")
    frame = curator.frame(tmp_path / "r.json")
    expected = ["comparison.key", "row"]
    for column in DATA_COLUMNS[1:]:
        expected += [column.name, f"{column.name}_num"] if column.reported else [column.name]
    assert list(frame.columns) == expected
    assert len(frame) == 13 and list(frame["row"]) == list(range(1, 14))
    top = frame.iloc[0]
    assert (top["intervention.value"], top["intervention.value_num"]) == ("3.30", 3.3)  # as printed, and parsed
    assert top["comparator.value"] == "<8" and math.isnan(top["comparator.value_num"])  # a bound is not a value
    assert top["comparator.sd"] == "NR" and math.isnan(top["comparator.sd_num"])
    assert frame["intervention.n_num"].dtype == "float64" and frame["intervention.n_num"].iloc[1] == 306.0
    assert frame["intervention.events"].iloc[1] == "6"


def test_the_pooled_results_one_line_per_analysis(tmp_path: Path) -> None:
    write_exchange(bcg_review(), tmp_path / "r.json")
    pooled = curator.analyses(tmp_path / "r.json", method="dl")
    assert isinstance(pooled, pd.DataFrame) and len(pooled) == 1
    line = pooled.iloc[0]
    assert (line["endpoint"], line["measure"], line["method"], line["k"]) == ("Tuberculosis", "RR", "dl", 13)
    assert round(math.log(line["estimate"]), 4) == -0.7141 and round(line["tau2"], 4) == 0.3088
    assert len(line["studies"]) == 13 and line["left_out"] == []


def test_without_a_path_the_embedded_default_review() -> None:
    frame = curator.frame()
    assert set(frame["comparison.key"]) == {"pime-vs-tcs", "pime-vs-tac"}
    assert frame.loc[0, "intervention.value"] == "42.6"
