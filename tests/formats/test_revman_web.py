"""`curator export --format revman-csv` (issue 17): RevMan Web's study-centric import files in one ZIP,
read back with a CSV reader (pandas) and Curator's own RIS reader: one line per study, per arm, and per
arm of each outcome, numbers as printed, and every row left out named with why."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from curator.analysis.effects import binary_effect
from curator.analysis.pooling import pool
from curator.formats.exchange import write_exchange
from curator.formats.references import read_reference_file
from curator.formats.revman_web import (
    ARMS_COLUMNS,
    FILES,
    INFORMATION_COLUMNS,
    RESULTS_COLUMNS,
    revman_export,
    study_ids,
)
from curator.numbers import parse_reported as r
from curator.review import Arm, Comparison, Effect, Reference, Review, Row
from tests.analysis.bcg import BCG, bcg_review
from tests.helpers import run


def members(path: Path) -> dict[str, pd.DataFrame]:
    """The archive's CSV files as data frames, every cell as text (as RevMan reads them)."""
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == list(FILES)
        return {
            name: pd.read_csv(io.BytesIO(archive.read(name)), dtype=str, keep_default_na=False)
            for name in FILES
            if name.endswith(".csv")
        }


@pytest.fixture
def bcg(tmp_path: Path) -> Path:
    path = tmp_path / "bcg.json"
    write_exchange(bcg_review(), path)
    return path


def test_the_bcg_trials_give_a_study_two_arms_and_two_result_lines_each(
    bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bcg.zip"
    code, printed, said = run(capsys, "export", str(bcg), "-o", str(out), "--format", "revman-csv")
    assert (code, printed) == (0, "")
    assert said == (
        f"Wrote RevMan Web's study data for 13 studies (26 arms, 26 result lines) to {out}: "
        "References.ris, Study information.csv, Study arms.csv, Study results.csv\n"
    )
    files = members(out)
    info, arms, results = files["Study information.csv"], files["Study arms.csv"], files["Study results.csv"]
    assert (tuple(info.columns), tuple(arms.columns), tuple(results.columns)) == (
        INFORMATION_COLUMNS, ARMS_COLUMNS, RESULTS_COLUMNS,
    )  # fmt: skip
    assert list(info["Study ID"]) == [f"{author} {year}" for author, year, *_n in BCG]
    assert list(info["Year"]) == [str(year) for _a, year, *_n in BCG]
    assert set(info["Char: Interventions"]) == {"Vaccinated; Not vaccinated"}
    assert list(arms["Arm"]) == ["Vaccinated", "Not vaccinated"] * 13
    assert list(results["Study ID"]) == [s for s in info["Study ID"] for _arm in (1, 2)]
    assert set(results["Data type"]) == {"Dichotomous"} and set(results["Outcome"]) == {"Tuberculosis"}
    events, totals = [int(e) for e in results["Events"]], [int(n) for n in results["Total"]]
    assert list(zip(events[::2], totals[::2], events[1::2], totals[1::2], strict=True)) == [t[2:] for t in BCG]
    assert (results["Effect estimate"] == "").all()  # arm-level data only: RevMan makes the contrast
    # What RevMan reads back pools as metafor does (rma(ai=, n1i=, ci=, n2i=, measure="RR"): REML -0.7145).
    effects = [
        binary_effect(_table(*t), "RR") for t in zip(events[::2], totals[::2], events[1::2], totals[1::2], strict=True)
    ]
    assert round(pool([y for y, _v in effects], [v for _y, v in effects], "reml").estimate, 4) == -0.7145
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "refs.ris").write_bytes(archive.read("References.ris"))
    read = read_reference_file(tmp_path / "refs.ris")
    assert [(ref.authors, ref.year) for ref in read.references] == [([a], y) for a, y, *_n in BCG]


def _table(e1: int, n1: int, e2: int, n2: int):  # noqa: ANN202 - the effects' own type
    from curator.analysis.effects import Binary

    return Binary(e1, n1, e2, n2)


def test_the_demo_review_gives_its_studies_and_says_why_no_row_gives_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.zip"
    code, _, said = run(capsys, "export", "-o", str(out))  # the embedded default review; .zip picks the format
    assert code == 0
    files = members(out)
    assert tuple(files["Study results.csv"].columns) == RESULTS_COLUMNS and files["Study results.csv"].empty
    info = files["Study information.csv"]
    assert len(info) == 6 and info["Study ID"].is_unique
    assert "Children (2-17 years)" in set(info["Char: Participants"])
    assert "Left out of the results (8):" in said
    assert "row 1 (Efficacy and safety of pimecrolimus): the intervention arm has no number of patients (n)" in said
    assert "row 2 (Safety and efficacy of pimecrolimus): its arm values are median values" in said


def _review(*rows: Row, refs: list[Reference] | None = None) -> Review:
    comparison = Comparison(
        key="c", title="Drug versus placebo", intervention="Drug", comparator="Placebo", rows=list(rows)
    )
    return Review(references=refs or [Reference(key="w", authors=["Wahn U"], year=2002)], comparisons=[comparison])


def test_means_keep_their_printed_digits_and_an_estimate_sits_on_the_line_of_the_arm_it_is_for() -> None:
    row = Row(
        endpoint="EASI  change",
        measure="mean",
        duration="6 weeks",
        intervention=Arm(value=r("-4.20"), sd=r("3.1"), n=r("61")),
        comparator=Arm(value=r("-1.5"), se=r("0.40"), n=r("1.2e3")),  # an SE: RevMan's calculator input
        effect=Effect(
            measure="MD",
            value=r("2.70"),
            ci_low=r("1.9"),
            ci_high=r("3.5"),
            p=r("<0.001"),
            direction="comparator_vs_intervention",
        ),  # fmt: skip
        citations=["w"],
    )
    lines = revman_export(_review(row)).results
    assert [(x["Arm"], x["Mean"], x["SD"], x["SE"], x["Total"]) for x in lines] == [
        ("Drug", "-4.20", "3.1", "", "61"),
        ("Placebo", "-1.5", "", "0.40", "1200"),  # 1.2e3 in plain digits
    ]
    assert {(x["Outcome"], x["Time point"], x["Data type"]) for x in lines} == {
        ("EASI change", "6 weeks", "Continuous")
    }
    assert lines[0]["Effect estimate"] == "" and lines[1]["Comparator arm"] == "Drug"
    assert (lines[1]["Effect measure"], lines[1]["Effect estimate"], lines[1]["Effect CI start"]) == (
        "Mean Difference", "2.70", "1.9",
    )  # fmt: skip
    assert lines[1]["P value"] == "<0.001"  # a bound is written as printed, never as 0.001


def test_events_from_a_printed_percent_are_the_one_count_that_fits_and_a_percent_rd_becomes_a_fraction() -> None:
    row = Row(
        endpoint="Flare",
        measure="percent",
        intervention=Arm(value=r("42.6"), n=r("61")),  # 26/61 = 42.62%: no other count prints 42.6
        comparator=Arm(value=r("68.4"), n=r("57"), events=r("39")),
        effect=Effect(measure="RD", value=r("-25.8"), ci_low=r("-43.1"), ci_high=r("-8.5")),
        citations=["w"],
    )
    export = revman_export(_review(row))
    lines = export.results
    assert [(x["Events"], x["Total"]) for x in lines] == [("26", "61"), ("39", "57")]
    assert export.from_percent == 1
    assert (lines[0]["Effect estimate"], lines[0]["Effect CI start"], lines[0]["Effect CI end"]) == (
        "-0.258", "-0.431", "-0.085",
    )  # fmt: skip
    assert lines[0]["Comparator arm"] == "Placebo" and lines[1]["Effect estimate"] == ""


def test_a_row_with_an_error_finding_or_no_study_or_no_usable_data_is_left_out_saying_why() -> None:
    rows = (
        Row(
            endpoint="Flare",
            measure="percent",
            intervention=Arm(value=r("40"), n=r("10"), events=r("4")),
            comparator=Arm(value=r("50"), n=r("10"), events=r("5")),
            citations=["w"],
        ),  # fmt: skip
        Row(
            endpoint="Itch",
            measure="percent",
            intervention=Arm(value=r("40"), n=r("10"), events=r("4")),
            comparator=Arm(value=r("50"), n=r("10"), events=r("5")),
        ),  # fmt: skip
        Row(
            endpoint="Pain",
            measure="mean",
            intervention=Arm(value=r("3"), n=r("10")),
            comparator=Arm(value=r("4"), sd=r("1")),
            effect=Effect(measure="HR", value=r("0.8")),
            citations=["w"],
        ),  # fmt: skip
        Row(
            endpoint="Sleep",
            measure="mean",
            intervention=Arm(value=r("3"), n=r("10")),
            comparator=Arm(value=r("4"), n=r("10"), sd=r("1.0")),
            citations=["w"],
        ),  # fmt: skip
    )
    export = revman_export(_review(*rows), errors={("c", 0): ["Drug: Events: 4 is not 40% of 10"]})
    # One arm's data is study data (RevMan's calculator may complete the other): kept, the other blank.
    assert [(x["Outcome"], x["Arm"], x["Mean"], x["SD"], x["Total"]) for x in export.results] == [
        ("Sleep", "Drug", "", "", ""),
        ("Sleep", "Placebo", "4", "1.0", "10"),
    ]
    assert export.left_out == [
        "Drug versus placebo, row 1 (Wahn 2002): a finding of severity error: Drug: Events: 4 is not 40% of 10",
        "Drug versus placebo, row 2: it cites no study (RevMan keeps results by study)",
        "Drug versus placebo, row 3 (Wahn 2002): the intervention arm has no SD (nor an SE or CI), and its HR has "
        "neither a CI nor an SE",
    ]
    assert [x["Study ID"] for x in export.information] == ["Wahn 2002"]  # its characteristics still go


def test_study_ids_are_family_name_and_year_with_a_letter_where_two_would_be_one() -> None:
    refs = [
        Reference(key="a", authors=["Smith, John", "Doe, J"], year=2002),
        Reference(key="b", authors=["Smith J"], year=2002),
        Reference(key="c", title="A trial of pimecrolimus cream in infants with eczema", year=2005),
        Reference(key="d"),
    ]
    rows = [Row(endpoint="E", citations=[key]) for key in ("a", "b", "c", "d", "a")]
    assert study_ids(_review(*rows, refs=refs)) == {
        "a": "Smith 2002a",
        "b": "Smith 2002b",
        "c": "A trial of pimecrolimus cream 2005",
        "d": "Ref d",
    }


def test_a_csv_name_is_refused_and_the_file_there_is_kept(
    bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "studies.csv"
    out.write_text("mine\n")
    code, printed, err = run(capsys, "export", str(bcg), "-o", str(out), "--format", "revman-csv")
    assert (code, printed) == (2, "")
    assert err == (
        f"curator: {out}: RevMan Web's study data is several files (study information, arms, results and the "
        "references), written in one ZIP archive: name the output .zip\n"
    )
    assert out.read_text() == "mine\n" and sorted(p.name for p in tmp_path.iterdir()) == ["bcg.json", "studies.csv"]
