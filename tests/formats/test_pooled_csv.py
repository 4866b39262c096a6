"""`curator export --format metafor-csv` (issue 17): each analysis's studies, read back with a CSV reader
(pandas), with the columns metafor expects and the numbers Curator pooled (RevMan's: test_revman_web)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from curator.analysis.pooling import pool
from curator.formats.pooled_csv import METAFOR_COLUMNS
from tests.analysis.bcg import BCG
from tests.helpers import run


def test_the_metafor_csv_holds_escalcs_columns_and_pools_as_curator_does(
    bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bcg.csv"
    code, _, said = run(capsys, "export", str(bcg), "-o", str(out), "--format", "metafor-csv")
    assert code == 0 and said == f"Wrote 13 studies of 1 analysis to {out}\n"
    table = pd.read_csv(out)
    assert tuple(table.columns) == METAFOR_COLUMNS
    assert list(table["ai"]) == [a for *_x, a, _n1, _c, _n2 in BCG]
    assert list(table["ai"] + table["bi"]) == [n1 for *_x, n1, _c, _n2 in BCG]
    assert list(table["di"] + table["ci"]) == [n2 for *_x, n2 in BCG]
    assert table["m1i"].isna().all()
    assert round(pool(list(table["yi"]), list(table["vi"]), "reml").estimate, 4) == -0.7145  # rma(yi, vi)


def test_the_demo_review_gives_the_columns_and_no_study_it_cannot_pool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.csv"
    code, _, said = run(capsys, "export", "-o", str(out), "--format", "metafor-csv")  # the embedded default review
    assert code == 0 and said.startswith("Wrote 0 studies of 0 analyses")
    table = pd.read_csv(out)
    assert tuple(table.columns) == METAFOR_COLUMNS and table.empty
