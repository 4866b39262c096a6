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


def test_a_changed_record_with_the_same_doi_is_merged_unasked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A re-imported library whose record changed its title but kept its DOI: merged, its title kept."""
    db = tmp_path / "r.sqlite"
    changed = tmp_path / "changed.ris"
    text = (FIXTURES / "zotero.ris").read_text(encoding="utf-8")
    changed.write_text(text.replace("TI  - ", "TI  - Revised: ", 1), encoding="utf-8")
    assert run(capsys, "import", str(db), str(FIXTURES / "zotero.ris"), "--duplicates", "merge")[0] == 0
    first = references(capsys, db)
    code, out, err = run(capsys, "import", str(db), str(changed))
    assert (code, err) == (0, "")
    assert "nothing new" in out and "(same DOI" in out and "kept its Title" in out
    assert references(capsys, db) == first  # nothing overwritten


# -- re-importing a library (issue #12, item 11) ---------------------------------

T7 = "Efficacy and safety of pimecrolimus cream in the long-term management of atopic dermatitis in children"
T9 = "Safety and efficacy of pimecrolimus in atopic dermatitis: a 5-year randomized trial"
DOI7 = "10.1542/peds.110.1.e2"

#: The demo's reference 7 again (same DOI and title, with authors, journal and year), and a new work.
CERTAIN = f"""@article{{wahn2002,
  title = {{{T7}}},
  author = {{Wahn, Ulrich and Bos, Jan D}},
  journal = {{Pediatrics}},
  year = {{2002}},
  doi = {{https://doi.org/{DOI7}}},
}}

@article{{doe2005,
  title = {{A wholly new trial of a cream in children}},
  author = {{Doe, Jane}},
  year = {{2005}},
}}
"""
#: The demo's reference 9 by its title alone (nothing but a title says it is the same work).
UNCERTAIN = f"""
@article{{kapp2002,
  title = {{{T9}.}},
  author = {{Kapp, A}},
  year = {{2002}},
}}
"""


def demo_with_a_doi(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo review whose reference 7 has its DOI (as a reviewer typed it); the folder it is in is the
    current one."""
    from curator.services import ReviewService

    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    monkeypatch.chdir(tmp_path)
    with ReviewService.open(db, "Ana") as review:
        review.references.set_field("7", "doi", DOI7)
    return db


def bib(tmp_path: Path, text: str) -> str:
    """``library.bib`` holding ``text``, named as a reviewer in its folder types it."""
    (tmp_path / "library.bib").write_text(text, encoding="utf-8")
    return "library.bib"


def at_a_terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """stdin and stdout are a terminal; ``input`` answers in turn; the prompts asked."""
    import sys

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    asked: list[str] = []
    given = iter(answers)

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(given)

    monkeypatch.setattr("builtins.input", answer)
    return asked


def audit_by(db: Path, who: str) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT action, table_name, field FROM audit_log WHERE who = ? ORDER BY id", (who,)).fetchall()
    conn.close()
    return rows


def test_a_record_with_the_same_doi_is_merged_without_a_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_with_a_doi(tmp_path, capsys, monkeypatch)
    asked = at_a_terminal(monkeypatch, [])  # a terminal, but nothing to ask
    code, out, err = run(capsys, "--reviewer", "Ben", "import", str(db), bib(tmp_path, CERTAIN))
    assert (code, err, asked) == (0, "", [])
    assert out.splitlines()[1:] == [
        "  reference 7: merged library.bib: line 1 (same DOI, same title); filled Authors, Journal, Year"
    ]
    assert "1 reference; 1 reference merged" in out.splitlines()[0]
    refs = references(capsys, db)
    assert len(refs) == 18 and refs[17]["title"] == "A wholly new trial of a cream in children"
    seven = refs[6]
    assert (seven["key"], seven["title"], seven["doi"], seven["year"]) == ("7", T7, DOI7, 2002)
    assert seven["authors"] == ["Wahn, Ulrich", "Bos, Jan D"] and seven["journal"] == "Pediatrics"
    assert seven["note"] and seven["note"].startswith("As listed in the guide")  # a filled field stays
    assert audit_by(db, "Ben") == [
        ("update", "reference", "authors"),
        ("update", "reference", "journal"),
        ("update", "reference", "year"),
        ("insert", "reference", None),
    ]
    # The same library again: nothing new, nothing asked, nothing written.
    before = db.read_bytes()
    code, out, err = run(capsys, "import", str(db), bib(tmp_path, CERTAIN))
    assert (code, err) == (
        0,
        "",
    ) and "reference 7: merged library.bib: line 1 (same DOI, same title); nothing new" in out
    assert len(references(capsys, db)) == 18
    assert db.read_bytes() == before


def test_without_a_terminal_the_uncertain_ones_are_listed_exit_1_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_with_a_doi(tmp_path, capsys, monkeypatch)
    code, out, err = run(capsys, "import", str(db), bib(tmp_path, CERTAIN + UNCERTAIN))
    assert code == 1
    assert out.splitlines()[0].endswith("1 reference merged with one already there into " + str(db))
    assert "reference 7: merged library.bib: line 1 (same DOI, same title)" in out
    assert err == (
        "curator: 1 record left out: it looks like a reference already there, but no DOI or PMID says so "
        "for certain:\n"
        "  library.bib: line 15: same title as reference 9\n"
        f"      in the file: {T9 + '.'!r}\n"
        f"      reference 9: {T9!r}\n"
        "Import the file again at a terminal to decide each, or choose for all: --duplicates merge (fill their "
        "empty fields) or --duplicates keep (add them as new references).\n"
    )
    refs = references(capsys, db)
    assert len(refs) == 18 and refs[6]["journal"] == "Pediatrics"  # the certain one merged, the new one added
    assert not refs[8].get("authors") and refs[8].get("year") is None  # the uncertain one left out
    # Decided by a script's explicit policy: merged now, exit 0.
    code, out, err = run(capsys, "import", str(db), bib(tmp_path, CERTAIN + UNCERTAIN), "--duplicates", "merge")
    assert (code, err) == (0, "")
    refs = references(capsys, db)
    assert len(refs) == 18 and refs[8]["authors"] == ["Kapp, A"] and refs[8]["year"] == 2002


def test_at_a_terminal_only_the_uncertain_one_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_with_a_doi(tmp_path, capsys, monkeypatch)
    asked = at_a_terminal(monkeypatch, ["?", "k"])
    code, out, err = run(capsys, "import", str(db), bib(tmp_path, CERTAIN + UNCERTAIN))
    assert (code, err) == (0, "")
    assert asked == ["[m]erge (fill empty fields), [k]eep both, [s]kip it, or [a]bort? "] * 2
    assert "1 record looks like a reference already there, but no DOI or PMID says so for certain:" in out
    assert "library.bib: line 15 matches reference '9' (same title):" in out
    assert "library.bib: line 1 matches" not in out  # the same DOI is not asked about
    refs = references(capsys, db)
    assert [r["key"] for r in refs][17:] == ["18", "19"]  # the new one, and the one kept beside 9
    assert refs[18]["title"] == T9 + "." and refs[6]["journal"] == "Pediatrics"


def test_duplicates_keep_is_still_a_policy_for_every_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_with_a_doi(tmp_path, capsys, monkeypatch)
    code, out, err = run(capsys, "import", str(db), bib(tmp_path, CERTAIN + UNCERTAIN), "--duplicates", "keep")
    assert (code, err) == (0, "")
    refs = references(capsys, db)
    assert len(refs) == 20 and refs[6].get("journal") is None  # all three added, 7 untouched
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "import", str(db), bib(tmp_path, CERTAIN), "--duplicates", "sometimes")
    assert exit_.value.code == 2
    assert "invalid choice: 'sometimes'" in capsys.readouterr().err


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
