"""Forest plots in RevMan's layout (issue 17): `curator forest` writes SVG, PNG and PDF; what a plot
must show is in its SVG's texts; bad requests are refused with nothing written.

``CURATOR_SCREENSHOTS=1`` keeps the BCG plot in docs/ (forest-bcg.png and .svg)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from curator.formats.exchange import write_exchange
from tests.analysis.bcg import BCG, bcg_review
from tests.helpers import run

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _texts(svg: Path) -> list[str]:
    root = ET.parse(svg).getroot()
    return [" ".join("".join(t.itertext()).split()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_bcg_plot_shows_revmans_columns_rows_and_lines(
    bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = DOCS if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path
    svg = target / "forest-bcg.svg"
    code, out, err = run(capsys, "forest", str(bcg), "--endpoint", "tuberculosis", "-o", str(svg))
    assert (code, err) == (0, "")
    assert out == f"wrote the forest plot of Tuberculosis (bcg, 13 studies) to {svg}\n"
    texts = _texts(svg)
    for header in (
        "Study",
        "Events",
        "Total",
        "Weight",
        "Risk Ratio",
        "IV, Random (REML), 95% CI",
        "Vaccinated",
        "Not vaccinated",
    ):
        assert header in texts, header
    for author, year, a, n1, c, n2 in BCG:
        assert {f"{author} {year}", str(a), str(n1), str(c), str(n2)} <= set(texts)
    assert "Aronson 1948" in texts and "0.41 [0.13, 1.26]" in texts and "5.1%" in texts
    assert {"Total (95% CI)", "100.0%", "0.49 [0.34, 0.70]", "Total events"} <= set(texts)
    assert "Heterogeneity: Tau² = 0.31; Chi² = 152.23, df = 12 (P < 0.00001); I² = 92%" in texts
    assert "Test for overall effect: Z = 3.97 (P = 0.0001)" in texts
    assert {"Favours Vaccinated", "Favours Not vaccinated"} <= set(texts)
    assert {"0.01", "0.1", "1", "10", "100"} <= set(texts)  # the log axis
    png = target / "forest-bcg.png"
    assert run(capsys, "forest", str(bcg), "--endpoint", "Tuberculosis", "-o", str(png))[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_pdf_too(bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "forest", str(bcg), "--endpoint", "Tuberculosis", "-o", str(tmp_path / "p.pdf"))[0] == 0
    assert (tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"


def test_favours_change_sides_when_higher_is_better(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = bcg_review()
    for row in review.comparisons[0].rows:
        row.higher_is_better = True
    write_exchange(review, tmp_path / "b.json")
    run(capsys, "forest", str(tmp_path / "b.json"), "--endpoint", "Tuberculosis", "-o", str(tmp_path / "p.svg"))
    texts = _texts(tmp_path / "p.svg")
    assert texts.index("Favours Not vaccinated") < texts.index("Favours Vaccinated")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--endpoint", "Tuberculosis", "-o", "{tmp}/p.docx"],
            "{tmp}/p.docx: a forest plot is written as .svg, .png, .pdf; give one of those",
        ),
        (["--endpoint", "Death", "-o", "{tmp}/p.svg"], "the review has no rows of endpoint 'Death'"),
        (["--endpoint", "Tuberculosis", "-o", "{tmp}/no/p.svg"], "{tmp}/no/p.svg: its folder does not exist"),
        (
            ["--endpoint", "Tuberculosis", "--measure", "MD", "-o", "{tmp}/p.svg"],
            "endpoint 'Tuberculosis' of bcg cannot be pooled: no study can be pooled",
        ),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(
    bcg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = sorted(tmp_path.iterdir())
    code, out, err = run(capsys, "forest", str(bcg), *[a.format(tmp=tmp_path) for a in args])
    assert (code, out) == (2, "")
    assert err == f"curator: {message.format(tmp=tmp_path)}\n"
    assert sorted(tmp_path.iterdir()) == before


def test_an_endpoint_in_several_comparisons_needs_one_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = bcg_review()
    twin = review.comparisons[0]
    review.comparisons.append(
        type(twin)(key="bcg2", title="Again", intervention="V", comparator="N", rows=list(twin.rows))
    )
    write_exchange(review, tmp_path / "two.json")
    code, _out, err = run(
        capsys, "forest", str(tmp_path / "two.json"), "--endpoint", "Tuberculosis", "-o", str(tmp_path / "p.svg")
    )
    assert (
        code == 2
        and err
        == "curator: endpoint 'Tuberculosis' is in several comparisons (bcg, bcg2); name one with --comparison\n"
    )
    code, out, _ = run(
        capsys,
        "forest",
        str(tmp_path / "two.json"),
        "--endpoint",
        "Tuberculosis",
        "--comparison",
        "bcg2",
        "-o",
        str(tmp_path / "p.svg"),
    )
    assert code == 0 and "(bcg2, 13 studies)" in out
