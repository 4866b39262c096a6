"""`curator export --format revman-csv` (issue 17): RevMan Web's study-centric import files in one ZIP,
with the columns of Cochrane's data extraction templates (their header lines in revman_templates.csv),
read back with a CSV reader (pandas) and Curator's own RIS reader: one line per study, per arm, and per
arm of each result, numbers as printed, and every row left out named with why."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given

from curator.analysis.effects import Binary, binary_effect
from curator.analysis.pooling import pool
from curator.formats.references import read_reference_file
from curator.formats.revman_web import (
    ARMS_COLUMNS,
    EFFECT_MEASURES,
    FILES,
    INFORMATION_COLUMNS,
    RESULTS_COLUMNS,
    revman_export,
    study_ids,
)
from curator.numbers import parse_reported as r
from curator.review import Arm, Comparison, Effect, Reference, Review, Row
from tests.analysis.bcg import BCG
from tests.helpers import run
from tests.strategies import reviews

TEMPLATES = {
    line[0]: tuple(line[1:])
    for line in csv.reader((Path(__file__).parent / "revman_templates.csv").read_text(encoding="utf-8").splitlines())
}


def members(path: Path) -> dict[str, pd.DataFrame]:
    """The archive's CSV files as data frames, every cell as text (as RevMan reads them)."""
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == list(FILES)
        return {
            name: pd.read_csv(io.BytesIO(archive.read(name)), dtype=str, keep_default_na=False)
            for name in FILES
            if name.endswith(".csv")
        }


def shown(lines: list[dict[str, str]], *columns: str) -> list[tuple[str, ...]]:
    return [tuple(line[c] for c in columns) for line in lines]


def test_the_files_have_the_templates_columns() -> None:
    assert RESULTS_COLUMNS == TEMPLATES["Study results"]
    assert ARMS_COLUMNS == TEMPLATES["Study arms"]
    # Less the template's examples of a review's own covariates ("Cov: Disease severity").
    assert INFORMATION_COLUMNS == tuple(c for c in TEMPLATES["Study information"] if not c.startswith("Cov: "))


def test_the_bcg_trials_give_a_study_two_arms_and_two_arm_level_lines_each(
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
    assert list(info["Study"]) == [f"{author} {year}" for author, year, *_n in BCG]
    assert list(info["Year"]) == [str(year) for _a, year, *_n in BCG]
    assert set(info["Char: Interventions"]) == {"Vaccinated; Not vaccinated"}
    assert list(arms["Arm"]) == list(arms["Intervention"]) == ["Vaccinated", "Not vaccinated"] * 13
    assert list(results["Study"]) == [s for s in info["Study"] for _arm in (1, 2)]
    assert set(results["Data type"]) == {"Arm level"} and set(results["Outcome"]) == {"Tuberculosis"}
    events, totals = [int(e) for e in results["Cases"]], [int(n) for n in results["Sample size"]]
    tables = list(zip(events[::2], totals[::2], events[1::2], totals[1::2], strict=True))
    assert tables == [t[2:] for t in BCG]
    assert (results["Effect measure"] == "").all()  # arm-level data only: RevMan makes the contrast
    # What RevMan reads back pools as metafor does (rma(ai=, n1i=, ci=, n2i=, measure="RR"): REML -0.7145).
    effects = [binary_effect(Binary(*t), "RR") for t in tables]
    assert round(pool([y for y, _v in effects], [v for _y, v in effects], "reml").estimate, 4) == -0.7145
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "refs.ris").write_bytes(archive.read("References.ris"))
    read = read_reference_file(tmp_path / "refs.ris")
    assert [(ref.authors, ref.year) for ref in read.references] == [([a], y) for a, y, *_n in BCG]


def test_the_demo_review_gives_its_studies_and_says_why_no_row_gives_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.zip"
    code, _, said = run(capsys, "export", "-o", str(out))  # the embedded default review; .zip picks the format
    assert code == 0
    files = members(out)
    assert tuple(files["Study results.csv"].columns) == RESULTS_COLUMNS and files["Study results.csv"].empty
    info = files["Study information.csv"]
    assert len(info) == 6 and info["Study"].is_unique
    assert "Children (2-17 years)" in set(info["Char: Participants"])
    assert "Left out of the results (8):" in said
    assert "row 1 (Efficacy and safety of pimecrolimus): the intervention arm has no number of patients (n)" in said
    assert "row 2 (Safety and efficacy of pimecrolimus): its arm values are median values" in said


def _review(*rows: Row, refs: list[Reference] | None = None) -> Review:
    comparison = Comparison(
        key="c", title="Drug versus placebo", intervention="Drug", comparator="Placebo", rows=list(rows)
    )
    return Review(references=refs or [Reference(key="w", authors=["Wahn U"], year=2002)], comparisons=[comparison])


def test_a_mean_difference_is_two_results_as_the_template_shows_them() -> None:
    """The template's own example (Author 2022a, Peak flow): each arm's mean, SD and sample size; then the
    MD on the experimental arm's line, the control marked as the reference arm."""
    row = Row(
        endpoint="Peak  flow",
        measure="mean",
        duration="24 weeks",
        intervention=Arm(value=r("14.1"), sd=r("2.2"), n=r("106")),
        comparator=Arm(value=r("12.70"), sd=r("1.9"), n=r("105")),
        effect=Effect(measure="MD", value=r("-3.2"), ci_low=r("-4.9"), ci_high=r("-1.7"), p=r("<0.001")),
        citations=["w"],
    )
    lines = revman_export(_review(row)).results
    assert shown(lines, "Outcome", "Data type", "Effect measure", "Arm", "Reference arm") == [
        ("Peak flow", "Arm level", "", "Drug", ""),
        ("Peak flow", "Arm level", "", "Placebo", ""),
        ("Peak flow", "Contrast level", "MD", "Placebo", "true"),
        ("Peak flow", "Contrast level", "MD", "Drug", "false"),
    ]
    assert shown(lines, "Sample size", "Mean", "SD", "SE") == [
        ("106", "14.1", "2.2", ""),
        ("105", "12.70", "1.9", ""),  # as printed
        ("", "", "", ""),
        ("", "-3.2", "", ""),
    ]
    assert shown(lines[3:], "CI level", "CI start", "CI end", "P value") == [("0.95", "-4.9", "-1.7", "")]
    # Footnotes are per result: the follow-up, and a P value printed as a bound (never written as 0.001).
    assert [line["Footnotes"] for line in lines] == ["24 weeks", "", "24 weeks; P <0.001 as printed", ""]


def test_a_ratio_is_written_anti_logged_with_its_se_of_the_log_and_a_reversed_estimate_on_the_other_arm() -> None:
    row = Row(
        endpoint="Flare",
        measure="percent",
        intervention=Arm(value=r("40")),
        comparator=Arm(value=r("50")),
        effect=Effect(
            measure="OR",
            value=r("1.30"),
            ci_low=r("1.1"),
            ci_high=r("1.5"),
            ci_level=90,
            p=r("0.002"),
            direction="comparator_vs_intervention",
        ),  # fmt: skip
        citations=["w"],
    )
    lines = revman_export(_review(row)).results
    assert shown(lines, "Data type", "Effect measure", "Arm", "Reference arm") == [
        ("Contrast level", "LOG_OR", "Drug", "true"),
        ("Contrast level", "LOG_OR", "Placebo", "false"),  # the estimate is placebo's against the drug
    ]
    assert shown(lines[1:], "Exp mean", "Exp CI start", "Exp CI end", "CI level", "Mean", "P value") == [
        ("1.30", "1.1", "1.5", "0.9", "", "0.002")
    ]


def test_what_an_estimate_or_arm_values_are_goes_to_the_footnotes_and_another_contrast_is_left_out() -> None:
    def row(contrast: str | None, analysis: str | None = None) -> Row:
        effect = Effect(measure="MD", value=r("-3.2"), se=r("0.8"), adjusted=True, method="ANCOVA", contrast=contrast)
        arm = Arm(value=r("14.1"), se=r("0.6"), n=r("106"))
        return Row(endpoint="Peak flow", measure="mean", analysis=analysis, intervention=arm, comparator=arm,
                   effect=effect, citations=["w"])  # fmt: skip

    lines = revman_export(_review(row("change", "adjusted"))).results
    assert [line["Footnotes"] for line in lines if line["Footnotes"]] == [
        "arm values adjusted (from a model)",
        "the estimate contrasts changes from baseline; adjusted estimate (ANCOVA)",
    ]
    other = revman_export(_review(row("other")))
    assert [line["Data type"] for line in other.results] == ["Arm level", "Arm level"]  # the arms still go
    no_arms = row("other")
    no_arms.intervention = no_arms.comparator = None
    assert revman_export(_review(no_arms)).left_out == [
        "Drug versus placebo, row 1 (Wahn 2002): it has no intervention arm, and its estimate contrasts something "
        "its arms do not show (another time point or subgroup)"
    ]


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
    assert shown(lines[:2], "Arm", "Cases", "Sample size") == [("Drug", "26", "61"), ("Placebo", "39", "57")]
    assert export.from_percent == 1
    assert lines[0]["Footnotes"] == "intervention arm's events worked out from its printed 42.6% of 61"
    assert shown(lines[3:], "Effect measure", "Mean", "CI start", "CI end") == [("RD", "-0.258", "-0.431", "-0.085")]


def test_a_three_arm_trial_in_two_comparisons_gives_each_arm_once_and_one_reference() -> None:
    def row(comparator: str, events: str) -> tuple[Comparison, Row]:
        r_ = Row(endpoint="Flare", measure="percent", intervention=Arm(value=r("40"), n=r("10"), events=r("4")),
                 comparator=Arm(value=r("50"), n=r("10"), events=r(events)),
                 effect=Effect(measure="RR", value=r("0.8"), ci_low=r("0.3"), ci_high=r("2.1"),
                               direction="comparator_vs_intervention"), citations=["w"])  # fmt: skip
        return Comparison(key=comparator, title=f"Drug versus {comparator}", intervention="Drug",
                          comparator=comparator, rows=[r_]), r_  # fmt: skip

    (a, _), (b, _) = row("Placebo", "5"), row("Vehicle", "5")
    export = revman_export(Review(references=[Reference(key="w", authors=["Wahn U"], year=2002)], comparisons=[a, b]))
    assert shown(export.results, "Data type", "Arm", "Reference arm", "Covariance method") == [
        ("Arm level", "Drug", "", ""),
        ("Arm level", "Placebo", "", ""),
        ("Arm level", "Vehicle", "", ""),
        ("Contrast level", "Drug", "true", "Approximation"),  # 3+ arms: the template asks how
        ("Contrast level", "Placebo", "false", ""),
        ("Contrast level", "Vehicle", "false", ""),
    ]
    assert [line["Arm"] for line in export.arms] == ["Drug", "Placebo", "Vehicle"]
    (c, _) = row("Placebo", "6")  # the same arm with other numbers: a clash, left out and said
    clash = revman_export(Review(references=[Reference(key="w", authors=["Wahn U"])], comparisons=[a, c]))
    assert clash.left_out == [
        "Drug versus Placebo, row 1 (Wahn): its Placebo arm's numbers differ from another row's for the same "
        "study and outcome"
    ]


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
    # One arm's data is study data (RevMan's calculator may complete the other): kept alone.
    assert shown(export.results, "Outcome", "Arm", "Mean", "SD", "Sample size") == [
        ("Sleep", "Placebo", "4", "1.0", "10")
    ]
    assert export.left_out == [
        "Drug versus placebo, row 1 (Wahn 2002): a finding of severity error: Drug: Events: 4 is not 40% of 10",
        "Drug versus placebo, row 2: it cites no study (RevMan keeps results by study)",
        "Drug versus placebo, row 3 (Wahn 2002): the intervention arm has no SD (nor an SE or CI), and its HR has "
        "neither a CI nor an SE",
    ]
    assert [x["Study"] for x in export.information] == ["Wahn 2002"]  # its characteristics still go


def test_a_comparison_whose_arms_have_one_label_gives_no_results() -> None:
    row = Row(endpoint="Flare", measure="percent", intervention=Arm(value=r("40"), n=r("10"), events=r("4")),
              comparator=Arm(value=r("50"), n=r("10"), events=r("5")), citations=["w"])  # fmt: skip
    review = Review(
        references=[Reference(key="w", authors=["Wahn U"], year=2002)],
        comparisons=[Comparison(key="c", title="C", intervention="Cream", comparator="cream ", rows=[row])],
    )
    export = revman_export(review)
    assert export.results == []
    assert export.left_out == [
        "C, row 1 (Wahn 2002): its two arms have the same label ('Cream'), and RevMan tells arms apart by their names"
    ]


def test_study_ids_are_family_name_and_year_with_a_letter_where_two_would_be_one() -> None:
    refs = [
        Reference(key="a", authors=["Smith, John", "Doe, J"], year=2002, doi="10.1/x"),
        Reference(key="b", authors=["Smith J"], year=2002),
        Reference(key="c", title="A trial of pimecrolimus cream in infants with eczema", year=2005),
        Reference(key="d"),
        Reference(key="e", authors=[" "], title="Untitled author", year=1999),  # no family name to take
    ]
    rows = [Row(endpoint="E", citations=[key]) for key in ("a", "b", "c", "d", "a", "e")]
    review = _review(*rows, refs=refs)
    assert study_ids(review) == {"a": "Smith 2002a", "b": "Smith 2002b", "c": "A trial of pimecrolimus cream 2005",
                                 "d": "Ref d", "e": "Untitled author 1999"}  # fmt: skip
    info = revman_export(review).information
    assert shown(info, "Study", "Year", "ID: DOI") == [
        ("Smith 2002a", "2002a", "10.1/x"),  # the year with the ID's letter, as the template's "2022a"
        ("Smith 2002b", "2002b", ""),
        ("A trial of pimecrolimus cream 2005", "2005", ""),
        ("Ref d", "", ""),
        ("Untitled author 1999", "1999", ""),
    ]


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


NUMBERS = ("Sample size", "Cases", "Mean", "SD", "SE", "CI level", "CI start", "CI end", "Exp mean", "Exp CI start",
           "Exp CI end", "P value")  # fmt: skip


@given(reviews(max_rows=4, format_1_1=True))
def test_any_review_gives_lines_as_the_templates_describe_them(review: Review) -> None:
    """Whatever a review holds, each line says only what its kind of result takes (the templates' second
    lines), every number is a number, and every study, arm and result is named once."""
    export = revman_export(review)
    ids = [line["Study"] for line in export.information]
    assert len(set(ids)) == len(ids) and all(i.strip() for i in ids)
    assert len({(a["Study"], a["Arm"]) for a in export.arms}) == len(export.arms)
    assert all(a["Arm"].strip() and a["Study"] in ids for a in export.arms)
    seen = set()
    for line in export.results:
        assert tuple(line) == RESULTS_COLUMNS and line["Study"] in ids and line["Outcome"].strip()
        key = (line["Study"], line["Outcome"], line["Data type"], line["Arm"])
        assert key not in seen
        seen.add(key)
        assert (line["Study"], line["Arm"]) in {(a["Study"], a["Arm"]) for a in export.arms}
        for column in NUMBERS:
            if line[column]:
                float(line[column])  # a number RevMan reads, never "<0.001" or "NR"
        if line["Data type"] == "Arm level":
            assert line["Effect measure"] == line["Reference arm"] == "" and not (line["Cases"] and line["Mean"])
        else:
            assert line["Data type"] == "Contrast level" and line["Effect measure"] in EFFECT_MEASURES.values()
            assert line["Reference arm"] in ("true", "false") and not (line["Sample size"] or line["Cases"])
    for study, outcome in {(x["Study"], x["Outcome"]) for x in export.results if x["Data type"] == "Contrast level"}:
        marks = [x["Reference arm"] for x in export.results if (x["Study"], x["Outcome"]) == (study, outcome)
                 and x["Data type"] == "Contrast level"]  # fmt: skip
        assert marks.count("true") == 1 and len(marks) >= 2
