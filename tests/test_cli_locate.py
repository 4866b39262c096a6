"""`curator locate`: where each value of a row stands in the papers of its references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.pdf import sha256_of
from tests.documents.pdfs import paper
from tests.helpers import run, stored_demo

#: Reference 7 of the demo, with the first row's numbers on its second page.
WAHN = paper(
    [
        [(72, 100, "Methods: 474 children were randomised")],
        [(72, 200, "Patients requiring TCS: 42.6% vs 68.4% at 12 months"), (72, 240, "Dose 142.6 mg")],
    ]
)


@pytest.fixture
def review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = stored_demo(tmp_path / "r.sqlite")
    pdf = tmp_path / "wahn-2002.pdf"
    pdf.write_bytes(WAHN)
    assert run(capsys, "attach", str(path), "--reference", "7", str(pdf))[0] == 0
    return path


def test_each_value_is_placed_on_its_page_with_its_box(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "locate", str(review), "pime-vs-tcs[0]", "--format", "json")
    assert (code, err) == (0, "")
    fields = {entry["field"]: entry for entry in json.loads(out)}
    assert set(fields) >= {"endpoint", "intervention.value", "comparator.value"}
    (hit,) = fields["intervention.value"]["hits"]  # 42.6 once: not inside 142.6
    assert (fields["intervention.value"]["text"], hit["page"], hit["text"]) == ("42.6", 2, "42.6")
    assert hit["document"] == sha256_of(WAHN) and hit["file"] == "wahn-2002.pdf"
    ((x0, y0, x1, y1),) = hit["boxes"]
    assert 72 < x0 < x1 and y0 < 200 <= y1 + 1  # on the line printed 200 points from the top
    assert [h["page"] for h in fields["endpoint"]["hits"]] == [2]  # any case: "Patients requiring TCS"
    assert [h["page"] for h in fields["comparator.value"]["hits"]] == [2]


def test_the_text_report_names_fields_in_peoples_words(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "locate", str(review), "pime-vs-tcs[0]")
    assert code == 0
    assert out.splitlines()[0] == "row 1 of pime-vs-tcs, in wahn-2002.pdf:"
    assert "  Pimecrolimus Group: value 42.6: p. 2" in out.splitlines()


def test_a_row_whose_references_have_no_paper_says_so(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "locate", str(review), "pime-vs-tcs[1]")
    assert code == 0 and "no paper of its references is held in the review (curator attach)" in out
    code, out, _ = run(capsys, "locate", str(review), "pime-vs-tcs[1]", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_a_row_that_does_not_exist_is_refused(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "locate", str(review), "pime-vs-tcs[9]")
    assert code == 2 and "pime-vs-tcs[9]" in err and "Traceback" not in err


# -- --accept: a place found becomes the value's evidence ---------------------------------------------


def test_accept_records_the_nth_place_as_the_values_evidence(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import stored

    code, out, err = run(capsys, "locate", str(review), "pime-vs-tcs[0]", "--accept", "comparator.value#1")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "Control (Conventional Treatment/Vehicle + TCS for flares) arm: value in row 1 of pime-vs-tcs: "
        "read from p. 2 of wahn-2002.pdf ('68.4'), recorded as its evidence"
    )
    evidence = stored(review).comparisons[0].rows[0].evidence
    assert set(evidence) == {"comparator.value"}
    assert (evidence["comparator.value"].page, evidence["comparator.value"].document) == (2, sha256_of(WAHN))
    code, out, _ = run(capsys, "log", str(review), "--row", "pime-vs-tcs[0]")
    assert out.rstrip().endswith(
        "Control (Conventional Treatment/Vehicle + TCS for flares) arm: value as read from p. 2 of wahn-2002.pdf: '68.4'"
    )


@pytest.mark.parametrize(
    ("choice", "says"),
    [
        (
            "intervention.value#2",
            "curator: --accept intervention.value#2: Pimecrolimus Group: value in row 1 of pime-vs-tcs has no "
            "place #2 in the papers of its references (only 1; curator locate lists them, counted from 1); "
            "nothing was written",
        ),
        (
            "intervention.n",
            "curator: --accept intervention.n: Pimecrolimus Group: n in row 1 of pime-vs-tcs has no place #1 in "
            "the papers of its references (none; curator locate lists them, counted from 1); nothing was written",
        ),
        ("nonsense", "curator: --accept 'nonsense': 'nonsense' is not a field of a row (e.g. intervention.value)"),
    ],
)
def test_accepting_a_place_that_is_not_there_exits_2_and_writes_nothing(
    review: Path, capsys: pytest.CaptureFixture[str], choice: str, says: str
) -> None:
    from tests.doublecheck import audit_count

    count = audit_count(review)
    code, out, err = run(capsys, "locate", str(review), "pime-vs-tcs[0]", "--accept", choice)
    assert (code, out, err.strip()) == (2, "", says)
    assert audit_count(review) == count


def test_a_value_on_every_page_of_a_long_paper_lists_twelve_places_and_how_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A number printed on each of 40 pages made one line of 40 "p. N"; the text lists twelve, and json all."""
    path = stored_demo(tmp_path / "r.sqlite")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(paper([[(72, 100, f"Page {p}: 42.6% of patients")] for p in range(1, 41)]))
    assert run(capsys, "attach", str(path), "--reference", "7", str(pdf))[0] == 0
    code, out, _ = run(capsys, "locate", str(path), "pime-vs-tcs[0]")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("  Pimecrolimus Group: value 42.6:"))
    assert line == (
        "  Pimecrolimus Group: value 42.6: "
        + "; ".join(f"p. {p}" for p in range(1, 13))
        + "; … (40 places in all; --format json lists each)"
    )
    code, out, _ = run(capsys, "locate", str(path), "pime-vs-tcs[0]", "--format", "json")
    fields = {entry["field"]: entry for entry in json.loads(out)}
    assert len(fields["intervention.value"]["hits"]) == 40
