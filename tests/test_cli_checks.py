"""`curator check` and `curator compare` as a reviewer uses them."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from curator.checks import RULES
from tests.helpers import DEMO, run


def demo_doc() -> dict[str, Any]:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_demo_findings_are_what_a_careful_reviewer_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(DEMO), "--format", "json")
    assert code == 0  # no errors: only warnings and info
    findings = json.loads(out)
    assert all(
        list(f) == ["rule", "severity", "comparison", "endpoint", "row", "reference", "field", "message"]
        for f in findings
    )
    assert Counter(f["rule"] for f in findings) == {
        "versus-mismatch": 1,  # "p < .001 vs. vehicle" in the pimecrolimus-vs-tacrolimus table
        "missing-denominator": 6,  # six percentages without n
        "reference-identifier": 17,  # no reference has a DOI, PMID, PMCID or URL
        "reference-unused": 10,  # cited only in the guide's prose
    }
    versus = next(f for f in findings if f["rule"] == "versus-mismatch")
    assert (versus["comparison"], versus["row"], versus["field"]) == ("pime-vs-tac", 0, "effect.versus")
    # Row findings first, in table order, then references.
    kinds = ["row" if f["comparison"] else "ref" for f in findings]
    assert kinds == sorted(kinds, key=lambda k: k == "ref")


def test_error_finding_sets_exit_1_and_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = demo_doc()
    arm = doc["comparisons"][0]["rows"][2]["intervention"]
    arm["value"], arm["n"] = "50.9", "474"
    path = write(tmp_path, "grim.json", doc)
    code, out, _ = run(capsys, "check", str(path), "--rule", "grim-percent")
    assert code == 1
    assert "50.9% is not possible with n = 474: the nearest are 50.8% (241/474) and 51.1% (242/474)" in out
    assert "[grim-percent:pime-vs-tcs[2].intervention.value]" in out
    assert out.rstrip().endswith("1 error, 0 warnings, 0 info")


def test_rule_and_severity_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(DEMO), "--format", "json", "--severity", "warning")
    assert {f["severity"] for f in json.loads(out)} == {"warning"}
    code, out, _ = run(capsys, "check", str(DEMO), "--format", "json", "--rule", "versus-mismatch")
    assert [f["rule"] for f in json.loads(out)] == ["versus-mismatch"]
    code, _, err = run(capsys, "check", str(DEMO), "--rule", "grim")
    assert code == 2 and "--rule 'grim': no such rule" in err
    code, out, _ = run(capsys, "check", "--list-rules")
    assert code == 0 and len(out.splitlines()) == len(RULES) and out.startswith("range-percent")
    assert out.splitlines()[-1].startswith(RULES[-1].id)


def test_accepting_a_finding_and_its_lapse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    locator = "versus-mismatch:pime-vs-tac[0].effect.versus"
    code, out, _ = run(
        capsys,
        "--reviewer",
        "Ana",
        "check",
        str(db),
        "--accept",
        locator,
        "--reason",
        "The guide gives only the p against vehicle",
    )
    assert code == 0 and out.startswith(f"Accepted {locator}: p < .001 is versus 'vehicle'")

    code, out, _ = run(capsys, "check", str(db), "--format", "json")
    assert "versus-mismatch" not in {f["rule"] for f in json.loads(out)}
    code, out, _ = run(capsys, "check", str(db), "--format", "json", "--with-accepted")
    accepted = [f for f in json.loads(out) if "accepted" in f]
    assert [(f["rule"], f["accepted"]["by"], f["accepted"]["reason"]) for f in accepted] == [
        ("versus-mismatch", "Ana", "The guide gives only the p against vehicle")
    ]
    code, out, _ = run(capsys, "check", str(db))
    assert "Accepted (not counted):" in out and "accepted by Ana" in out and "info; 1 accepted\n" in out

    # The acceptance travels in the exchange file.
    assert run(capsys, "export", str(db), "-o", str(tmp_path / "out.json"))[0] == 0
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["accepted_findings"]
    assert exported[0]["rule"] == "versus-mismatch" and exported[0]["by"] == "Ana" and exported[0]["fingerprint"]

    # Changing the value it is about opens the finding again.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE endpoint_row SET effect_versus = 'placebo' WHERE endpoint = 'Treatment Success (IGA 0/1)'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "check", str(db), "--format", "json", "--rule", "versus-mismatch")
    assert [f["message"] for f in json.loads(out)][0].startswith("p < .001 is versus 'placebo'")


def test_accepting_an_error_clears_the_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = demo_doc()
    doc["comparisons"][0]["rows"][0]["intervention"].update({"value": "104.5"})
    db = tmp_path / "r.sqlite"
    assert run(capsys, "import", str(db), str(write(tmp_path, "bad.json", doc)))[0] == 0
    assert run(capsys, "check", str(db), "--rule", "range-percent")[0] == 1
    code, _, _ = run(
        capsys, "check", str(db), "--accept", "range-percent:pime-vs-tcs[0]", "--reason", "typo in the paper"
    )
    assert code == 0
    assert run(capsys, "check", str(db), "--rule", "range-percent")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accept", "versus-mismatch:pime-vs-tac[0]"], "--accept needs --reason"),
        (["--reason", "x"], "--reason goes with --accept"),
        (["--accept", "nonsense", "--reason", "x"], "--accept 'nonsense': name a finding as RULE:COMPARISON[ROW]"),
        (["--accept", "grim-percent:pime-vs-tcs[0]", "--reason", "x"], "no open finding there"),
    ],
)
def test_accept_mistakes_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, _, err = run(capsys, "check", str(db), *args)
    assert code == 2 and message in err
    assert db.read_bytes() == before


def test_accept_needs_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(DEMO), "--accept", "versus-mismatch:pime-vs-tac[0]", "--reason", "x")
    assert code == 2 and err == (
        f"curator: {DEMO}: is a curator/1 file, not a review database; an accepted finding is kept in review "
        f"databases: bring it into one with `curator import REVIEW {DEMO}`\n"
    )


def test_check_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert err == (
        f"curator: {path}: not a review (neither a Curator database nor a curator/1 file): "
        "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2\n"
    )


# -- compare ---------------------------------------------------------------------


def test_compare_agrees_on_printing_differences_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = demo_doc()
    rows = doc["comparisons"][0]["rows"]
    rows[0]["intervention"]["value"] = "42.60"
    rows[1]["citations"] = ["10", "9"]
    rows[1]["population"] = "  Infants   (3-18 months) "
    b = write(tmp_path, "b.json", doc)
    code, out, _ = run(capsys, "compare", str(DEMO), str(b), "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_compare_lists_every_difference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = demo_doc()
    rows = doc["comparisons"][0]["rows"]
    rows[2]["intervention"]["value"] = "58.0"
    del rows[1]
    doc["comparisons"][1]["rows"][0]["effect"]["p"] = "0.001"
    b = write(tmp_path, "b.json", doc)
    db_a = tmp_path / "a.sqlite"
    assert run(capsys, "demo", str(db_a))[0] == 0
    code, out, _ = run(capsys, "compare", str(db_a), str(b), "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {"comparison": "pime-vs-tcs", "endpoint": "Days on TCS (Median)", "only_in": "a"},
        {
            "comparison": "pime-vs-tcs",
            "endpoint": "Flare-Free Patients",
            "field": "intervention.value",
            "a": "50.8",
            "b": "58.0",
        },
        {
            "comparison": "pime-vs-tac",
            "endpoint": "Treatment Success (IGA 0/1)",
            "field": "effect.p",
            "a": "< .001",
            "b": "0.001",
        },
    ]
    code, out, _ = run(capsys, "compare", str(db_a), str(b))
    assert code == 1 and "50.8" in out and "58.0" in out
