"""How the command line names a review, and what it does with a file that is not one.

A reviewer names the review the same way in every command, first after the
command (`curator info REVIEW`); the old `--db REVIEW` still works, with a
note. A file that is not a review (an empty file, notes, another program's
SQLite) is refused by every command, with one message and exit status 2,
and left byte for byte as it was; a new review is made only where nothing
exists.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.cli import build_parser, main
from curator.words import counted
from tests.doublecheck import stored_by
from tests.helpers import DEMO, run

NOT_A_REVIEW = "not a review (neither a Curator database nor a curator/1 file)"


def _other_programs_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('buy milk')")
    conn.commit()
    conn.close()


#: Files that are not reviews: name, how to make it, and the reason the message gives after NOT_A_REVIEW.
NOT_REVIEWS = {
    "empty.json": (lambda p: p.write_bytes(b""), ": the file is empty"),
    "empty.sqlite": (lambda p: p.write_bytes(b""), ": the file is empty"),
    "notes.txt": (lambda p: p.write_text("Call Ana about table 2\n", encoding="utf-8"), ""),
    "picture.sqlite": (lambda p: p.write_bytes(b"GIF89a\x01\x00\x01\x00"), ""),
    "other.sqlite": (_other_programs_sqlite, ": an SQLite database, but not one of Curator's"),
    "broken.sqlite": (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), ": a damaged SQLite file"),
    "list.json": (
        lambda p: p.write_text("[1, 2]", encoding="utf-8"),
        ": the file holds a list, not a curator/1 object",
    ),
    "other.json": (
        lambda p: p.write_text('{"format": "zotero"}', encoding="utf-8"),
        ': format: "zotero" is not supported; this Curator reads curator/1',
    ),
}

#: Every command that takes a review, with the review as REVIEW and what else it needs.
COMMANDS = {
    "gui": ["gui", "REVIEW"],
    "gui --screenshot": ["gui", "REVIEW", "--screenshot", "{tmp}/shot.png"],
    "import": ["import", "REVIEW", str(DEMO)],
    "demo": ["demo", "REVIEW"],
    "export": ["export", "REVIEW", "-o", "{tmp}/out.json"],
    "info": ["info", "REVIEW"],
    "check": ["check", "REVIEW"],
    "check --accept": ["check", "REVIEW", "--accept", "citation-missing:x[0]", "--reason", "why"],
    "log": ["log", "REVIEW"],
    "merge-references": ["merge-references", "REVIEW", "9", "10"],
    "confirm": ["confirm", "REVIEW", "pime-vs-tcs[0]"],
    "dispute": ["dispute", "REVIEW", "pime-vs-tcs[0]", "--field", "unit", "--comment", "why"],
    "fix": ["fix", "REVIEW", "pime-vs-tcs[0]", "--field", "unit", "--value", "%"],
    "double-entry": ["double-entry", "REVIEW", "pime-vs-tcs[0]", "--set", "unit=%"],
    "merge": ["merge", "REVIEW", str(DEMO)],
    "adjudication": ["adjudication", "REVIEW"],
}


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.mark.parametrize("name", NOT_REVIEWS)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_a_review_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / name
    make, reason = NOT_REVIEWS[name]
    make(path)
    before = _folder(folder)
    args = [str(path) if a == "REVIEW" else a.replace("{tmp}", str(folder)) for a in COMMANDS[command]]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"curator: {path}: {NOT_A_REVIEW}{reason}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert _folder(folder) == before  # byte-identical, and nothing beside it (no journal, no picture)


def test_gui_on_an_empty_json_file_does_not_turn_it_into_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the new reviewer did: `curator gui empty.json` on a 0-byte file made it a 110 KB SQLite file."""
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    code, out, err = run(capsys, "gui", str(path))
    assert (code, out) == (2, "")
    assert err == f"curator: {path}: {NOT_A_REVIEW}: the file is empty\n"
    assert path.read_bytes() == b""


def test_gui_on_an_empty_json_file_in_a_fresh_process_with_a_screen(tmp_path: Path) -> None:
    """The same, as the installed command with a (virtual) screen: refused before any window opens."""
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "curator", "gui", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"curator: {path}: {NOT_A_REVIEW}: the file is empty\n"
    assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["empty.json"]


def test_info_on_an_empty_file_and_on_notes_says_not_a_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty, notes = tmp_path / "empty.sqlite", tmp_path / "notes.txt"
    empty.write_bytes(b"")
    notes.write_text("not a review at all\n", encoding="utf-8")
    assert run(capsys, "info", str(empty)) == (2, "", f"curator: {empty}: {NOT_A_REVIEW}: the file is empty\n")
    assert run(capsys, "info", str(notes)) == (2, "", f"curator: {notes}: {NOT_A_REVIEW}\n")


def test_a_json_file_with_a_syntax_error_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "review.json"
    path.write_text('{"format": "curator/1",\n "title": }', encoding="utf-8")
    code, _, err = run(capsys, "info", str(path))
    assert code == 2
    assert err == f"curator: {path}: {NOT_A_REVIEW}: not valid JSON: Expecting value at line 2, column 11\n"


@pytest.mark.parametrize(
    ("command", "needs"),
    [
        ("gui", ""),
        ("demo", ""),
        ("log", "; the audit log is kept in review databases"),
        ("confirm", "; verification is kept in review databases"),
    ],
)
def test_a_curator_1_file_where_a_database_is_needed_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, needs: str
) -> None:
    path = tmp_path / "review.json"
    shutil.copy(DEMO, path)
    args = [command, str(path)] + (["pime-vs-tcs[0]"] if command == "confirm" else [])
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err == (
        f"curator: {path}: is a curator/1 file, not a review database{needs}: "
        f"bring it into one with `curator import REVIEW {path}`\n"
    )
    assert path.read_bytes() == DEMO.read_bytes()


def test_import_with_two_files_takes_the_first_as_the_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`curator import a.json b.json` does not write into a.json: the first path names the review."""
    first = tmp_path / "a.json"
    shutil.copy(DEMO, first)
    code, out, err = run(capsys, "import", str(first), str(DEMO))
    assert (code, out) == (2, "")
    assert err == (
        f"curator: {first}: is a curator/1 file, not a review database: bring it into one with "
        f"`curator import REVIEW {first}`; with two or more paths the first names the review to import into: "
        "curator import REVIEW FILE...\n"
    )
    assert first.read_bytes() == DEMO.read_bytes()


def test_an_emptied_default_review_is_not_written_over(
    capsys: pytest.CaptureFixture[str], _isolated_data: Path
) -> None:
    default = _isolated_data / "review.sqlite"
    default.write_bytes(b"")
    assert run(capsys, "info") == (2, "", f"curator: {default}: {NOT_A_REVIEW}: the file is empty\n")
    assert run(capsys, "demo")[0] == 2
    assert default.read_bytes() == b""


def test_a_new_review_is_made_only_where_nothing_exists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite"
    code, out, _ = run(capsys, "import", str(path), str(DEMO))
    assert code == 0 and out == f"Imported 2 comparisons, 8 rows, 17 references into {path}\n"
    code, out, _ = run(capsys, "info", str(path), "--format", "json")
    assert json.loads(out)["rows"] == 8


# -- one way to name the review -------------------------------------------------------------------------

#: Every command that names a review, once with the review first and once the old way (--db), with the
#: note the old way prints.
NAMINGS = {
    "gui": (["gui", "R"], ["gui", "--db", "R"], "curator gui REVIEW"),
    "import": (["import", "R", "F"], ["import", "F", "--db", "R"], "curator import REVIEW FILE..."),
    "import two": (["import", "R", "F", "G"], ["import", "F", "G", "--db", "R"], "curator import REVIEW FILE..."),
    "export": (["export", "R", "-o", "O"], ["export", "--db", "R", "-o", "O"], "curator export REVIEW"),
    "demo": (["demo", "R"], ["demo", "--db", "R"], "curator demo REVIEW"),
    "info": (["info", "R"], ["info", "--db", "R"], "curator info REVIEW"),
    "check": (["check", "R"], ["check", "--db", "R"], "curator check REVIEW"),
    "log": (["log", "R"], ["log", "--db", "R"], "curator log REVIEW"),
    "merge-references": (
        ["merge-references", "R", "9", "10"],
        ["merge-references", "9", "10", "--db", "R"],
        "curator merge-references REVIEW KEEP DROP",
    ),
    "confirm": (["confirm", "R", "c[0]"], ["confirm", "--db", "R", "c[0]"], "curator confirm REVIEW COMPARISON[ROW]"),
    "dispute": (
        ["dispute", "R", "c[0]", "--field", "unit", "--comment", "x"],
        ["dispute", "c[0]", "--db", "R", "--field", "unit", "--comment", "x"],
        "curator dispute REVIEW COMPARISON[ROW]",
    ),
    "fix": (
        ["fix", "R", "c[0]", "--field", "unit", "--value", "%"],
        ["fix", "--db", "R", "c[0]", "--field", "unit", "--value", "%"],
        "curator fix REVIEW COMPARISON[ROW]",
    ),
    "double-entry": (
        ["double-entry", "R", "c[0]"],
        ["double-entry", "--db", "R", "c[0]"],
        "curator double-entry REVIEW COMPARISON[ROW]",
    ),
    "merge": (["merge", "R", "T"], ["merge", "T", "--db", "R"], "curator merge REVIEW THEIRS"),
    "adjudication": (["adjudication", "R"], ["adjudication", "--db", "R"], "curator adjudication REVIEW"),
    "attach": (
        ["attach", "R", "--reference", "7", "F.pdf"],
        ["attach", "--reference", "7", "F.pdf", "--db", "R"],
        "curator attach REVIEW FILE.pdf",
    ),
    "detach": (
        ["detach", "R", "--reference", "7", "F.pdf"],
        ["detach", "--reference", "7", "F.pdf", "--db", "R"],
        "curator detach REVIEW FILE.pdf",
    ),
    "locate": (["locate", "R", "c[0]"], ["locate", "--db", "R", "c[0]"], "curator locate REVIEW COMPARISON[ROW]"),
    "pull": (["pull", "R", "-o", "O"], ["pull", "--db", "R", "-o", "O"], "curator pull REVIEW"),
    "analyse": (["analyse", "R"], ["analyse", "--db", "R"], "curator analyse REVIEW"),
    "forest": (
        ["forest", "R", "--endpoint", "E", "-o", "O"],
        ["forest", "--db", "R", "--endpoint", "E", "-o", "O"],
        "curator forest REVIEW",
    ),
}


def test_every_command_that_takes_a_review_is_in_the_table() -> None:
    parser = build_parser()
    (commands,) = [a.choices for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]  # type: ignore[attr-defined]
    taking = {name for name, sub in commands.items() if any(a.dest == "review" for a in sub._actions)}
    assert taking == {name.split()[0] for name in NAMINGS} | {"verify", "correct"}  # old names of confirm, fix
    # no review, two named ones (compare; push: a file and where to), or (team) a server URL in each step
    assert set(commands) - taking == {"template", "compare", "push", "team"}


@pytest.mark.parametrize("command", NAMINGS)
def test_the_review_named_first_or_with_the_deprecated_db_is_the_same(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    first, old, usage = NAMINGS[command]
    parser = build_parser()
    new_way = vars(parser.parse_args(first))
    assert new_way["review"] == "R" and capsys.readouterr().err == ""
    assert vars(parser.parse_args(old)) == new_way
    assert capsys.readouterr().err == f"curator: --db is deprecated; name the review first: {usage}\n"


def test_without_a_review_the_default_review_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    for args in (["info"], ["confirm", "c[0]"], ["merge", "T"], ["merge-references", "9", "10"], ["import", "F"]):
        assert parser.parse_args(args).review is None, args
    assert parser.parse_args(["import", "F"]).files == ["F"]
    assert parser.parse_args(["merge", "T"]).theirs == "T"


def test_a_review_named_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["info", "a.sqlite", "--db", "b.sqlite"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        "curator: --db is deprecated; name the review first: curator info REVIEW\n"
        "curator info: the review is named twice (a.sqlite and --db b.sqlite); name it once: curator info REVIEW "
        "(see `curator info --help`)\n"
    )


#: Real runs, each on its own copy of one review: the review first, and the old way.
RUNS = [
    ["info", "R"],
    ["check", "R", "--format", "json"],
    ["export", "R", "-o", "-"],
    ["log", "R", "--row", "pime-vs-tcs[0]", "--format", "json"],
    ["import", "R", "{refs}", "--duplicates", "keep"],
    ["demo", "R", "--replace"],
    ["merge-references", "R", "1", "2"],
    ["confirm", "R", "pime-vs-tcs[0]", "--field", "unit"],
    ["dispute", "R", "pime-vs-tcs[0]", "--field", "unit", "--comment", "the table says %"],
    ["fix", "R", "pime-vs-tcs[0]", "--field", "unit", "--value", "%"],
    ["double-entry", "R", "pime-vs-tcs[0]", "--set", "intervention.value=42.6"],
    ["merge", "R", "{theirs}"],
    ["adjudication", "R"],
]


@pytest.mark.parametrize("args", RUNS, ids=lambda a: a[0])
def test_every_command_runs_the_same_with_the_review_first_or_with_db(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    from tests.helpers import REFERENCE_FIXTURES

    theirs = stored_by(tmp_path / "theirs.sqlite", "Cleo", differ=True)
    results = []
    for way in ("first", "db"):
        review = stored_by(tmp_path / f"{way}.sqlite", "Ana")
        filled = [
            a.replace("{refs}", str(REFERENCE_FIXTURES / "zotero.ris")).replace("{theirs}", str(theirs)) for a in args
        ]
        command, rest = filled[0], filled[2:]
        if way == "first":
            argv = [command, str(review), *rest]
        else:
            argv = [command, *rest, "--db", str(review)]
        code, out, err = run(capsys, "--reviewer", "Ben", *argv)
        assert code in (0, 1), err
        assert run(capsys, "log", str(review), "--verify")[0] == 0  # what it wrote is chained on
        out = re.sub(r"\d{4}-\d\d-\d\d[T ][\d:.]+", "TIME", out)  # the log's times
        out = re.sub(r"[0-9a-f]{64}", "HASH", out)  # and so the audit chain's hashes, and head
        results.append((code, out.replace(str(review), "REVIEW").replace(review.name, "REVIEW"), err))
    (code_a, out_a, err_a), (code_b, out_b, err_b) = results
    assert (code_a, out_a) == (code_b, out_b) and out_a
    assert err_a == ""
    assert err_b.startswith(f"curator: --db is deprecated; name the review first: curator {args[0]} REVIEW")


def test_help_names_the_review_first(capsys: pytest.CaptureFixture[str]) -> None:
    for command, shown in (
        ("info", "[REVIEW]"),
        ("confirm", "[REVIEW] COMPARISON[ROW]"),
        ("import", "[REVIEW] FILE [FILE ...]"),
        ("merge", "[REVIEW] THEIRS"),
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert shown in " ".join(out.split()), command
        assert "--db" not in out  # deprecated, so no longer offered


def test_the_readme_examples_run_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    lines = [line.split("#", 1)[0].split() for line in block.splitlines() if line.strip()]
    assert [words[:2] for words in lines] == [["curator", c] for c in ("demo", "info", "export", "import", "check")]
    for words in lines:
        code, _, err = run(capsys, *words[1:])
        assert code in (0, 1) and "deprecated" not in err and "Traceback" not in err, (words, err)
    assert json.loads(run(capsys, "info", "copy.sqlite", "--format", "json")[1])["rows"] == 8


# -- counts in words -------------------------------------------------------------------------------------


def test_counted_says_one_row_and_two_rows() -> None:
    assert counted(1, "row") == "1 row" and counted(2, "row") == "2 rows" and counted(0, "row") == "0 rows"
    assert counted(1, "accepted finding") == "1 accepted finding"
    assert counted(2, "accepted finding") == "2 accepted findings"
    assert counted(2, "entry") == "2 entries" and counted(3, "info") == "3 info"
    assert counted(2, "repeated one", "repeated ones") == "2 repeated ones"


def _one_of_each(tmp_path: Path) -> Path:
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["comparisons"] = doc["comparisons"][:1]
    doc["comparisons"][0]["rows"] = doc["comparisons"][0]["rows"][:1]
    cited = set(doc["comparisons"][0]["rows"][0]["citations"])
    doc["references"] = [r for r in doc["references"] if r["key"] in cited]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_one_is_singular_and_two_plural_in_what_the_commands_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, db = _one_of_each(tmp_path), tmp_path / "r.sqlite"
    code, out, _ = run(capsys, "import", str(db), str(one))
    assert out == f"Imported 1 comparison, 1 row, 1 reference into {db}\n"
    out = run(capsys, "info", str(db))[1]
    assert "  pime-vs-tcs: Pimecrolimus vs Topical Corticosteroids (TCS) (1 row)\n" in out
    for suffix, said in (
        ("json", "Wrote 1 row in 1 comparison to"),
        ("csv", "Wrote 1 row to"),
        ("ris", "Wrote 1 reference to"),
        ("xlsx", "Wrote 1 row in 1 comparison sheet to"),
    ):
        err = run(capsys, "export", str(db), "-o", str(tmp_path / f"out.{suffix}"))[2]
        assert err.startswith(said), err
    err = run(capsys, "export", str(DEMO), "-o", str(tmp_path / "demo.json"))[2]
    assert err.startswith("Wrote 8 rows in 2 comparisons to")

    # A verifier: one field, then two.
    ours = stored_by(tmp_path / "ours.sqlite", "Ana")
    out = run(capsys, "--reviewer", "Ben", "double-entry", str(ours), "pime-vs-tcs[1]", "--set", "unit=days")[1]
    assert out.startswith("pime-vs-tcs[1]: 1 field agrees (verified by Ben)\n"), out
    sets = ["--set", "endpoint=Days on TCS (Median)", "--set", "duration=5 years"]
    out = run(capsys, "--reviewer", "Ben", "double-entry", str(ours), "pime-vs-tcs[1]", *sets)[1]
    assert out.startswith("pime-vs-tcs[1]: 2 fields agree (verified by Ben)\n"), out


def test_merge_summary_says_one_row_and_two_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = stored_by(tmp_path / "ours.sqlite", "Ana")
    theirs = _one_of_each(tmp_path)
    doc = json.loads(theirs.read_text(encoding="utf-8"))
    row = doc["comparisons"][0]["rows"][0]
    row["intervention"]["value"], row["extracted_by"] = "42.7", "Ben"
    doc["comparisons"].append(dict(doc["comparisons"][0], key="another"))
    doc["references"].append({"key": "99", "title": "A reference only Ben has"})
    theirs.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "--reviewer", "Ana", "merge", str(ours), str(theirs))
    assert code == 0
    assert out.splitlines()[1:] == [
        "  1 row in both files: 0 verified by the pair, 10 fields verified",
        "  1 differing field sent to adjudication (curator adjudication)",
        "  1 row and 1 comparison only in theirs, added as extracted",
        "  1 reference added",
        "  3 rows only in this review, left as they are",
    ]
