"""The command line, as a reviewer and a script use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curator.cli import build_parser, main
from curator.formats.exchange import read_exchange
from tests.helpers import DEMO, run, without_audit_head


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "curator", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_demo_export_info_reproduce_the_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, out = tmp_path / "d.sqlite", tmp_path / "d.json"
    code, stdout, _ = run(capsys, "demo", str(db))
    assert code == 0 and "2 comparisons, 8 rows, 17 references" in stdout
    code, _, _ = run(capsys, "export", str(db), "-o", str(out))
    assert code == 0
    assert without_audit_head(out.read_text(encoding="utf-8"), db) == DEMO.read_text(encoding="utf-8")
    code, stdout, _ = run(capsys, "info", str(db))
    assert code == 0
    assert "References:   17" in stdout
    assert "Comparisons:  2" in stdout
    assert "Rows:         8 (draft 0, extracted 8, verified 0, disputed 0)" in stdout


def test_demo_holds_the_seed_tables() -> None:
    """What the guide prints, and nothing invented (no n, no identifiers)."""
    review = read_exchange(DEMO)
    tcs, tac = review.comparisons
    assert [r.endpoint for r in tcs.rows] == [
        "Patients Requiring TCS", "Days on TCS (Median)", "Flare-Free Patients", "Days on TCS (Severe AD)",
    ]  # fmt: skip
    values = [(r.intervention.value.text, r.comparator.value.text) for r in tcs.rows]  # type: ignore[union-attr]
    assert values == [("42.6", "68.4"), ("7", "178"), ("50.8", "28.3"), ("28", "45")]
    assert [r.duration for r in tcs.rows] == ["12 months", "5 years", "12 months", "24 weeks"]
    assert [r.citations for r in tcs.rows] == [["7"], ["9", "10"], ["7"], ["8"]]
    assert [r.citations for r in tac.rows] == [["15"], ["14"], ["14"], ["16"]]
    assert tac.rows[0].effect is not None and tac.rows[0].effect.p is not None
    assert tac.rows[0].effect.p.text == "< .001" and tac.rows[0].effect.versus == "vehicle"
    assert [r.effect.value.text for r in tac.rows[1:3]] == ["0.65", "0.32"]  # type: ignore[union-attr]
    assert [r.key for r in review.references] == [str(i) for i in range(1, 18)]
    for row in tcs.rows + tac.rows:
        for arm in (row.intervention, row.comparator):
            assert arm is not None and arm.n is None and arm.events is None
    for ref in review.references:
        assert ref.doi is None and ref.pmid is None and ref.pmcid is None and ref.url is None


def test_default_review_is_created_with_the_demo(capsys: pytest.CaptureFixture[str], _isolated_data: Path) -> None:
    code, stdout, _ = run(capsys, "info", "--format", "json")
    assert code == 0
    info = json.loads(stdout)
    assert info["references"] == 17 and info["rows"] == 8
    assert [c["rows"] for c in info["comparisons"]] == [4, 4]
    assert (_isolated_data / "review.sqlite").is_file()


def test_import_into_new_database_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.sqlite"
    code, stdout, _ = run(capsys, "import", str(db), str(DEMO))
    assert code == 0 and "Imported 2 comparisons, 8 rows, 17 references" in stdout
    code, stdout, _ = run(capsys, "export", str(db), "-o", "-")
    assert code == 0 and without_audit_head(stdout, db) == DEMO.read_text(encoding="utf-8")


def _file_1_1(tmp_path: Path) -> Path:
    """A curator/1.1 file with every new field (NR, 0·55, 3,145, "− 4.6", a string CI level,
    documents and evidence), written as Curator writes it."""
    from curator.formats.exchange import dumps_exchange, loads_exchange
    from tests.formats.test_exchange_read import doc_1_1

    path = tmp_path / "continuous.json"
    path.write_text(dumps_exchange(loads_exchange(json.dumps(doc_1_1()))), encoding="utf-8")
    return path


def test_import_of_a_1_1_file_and_export_give_it_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, source = tmp_path / "new.sqlite", _file_1_1(tmp_path)
    code, stdout, _ = run(capsys, "import", str(db), str(source))
    assert code == 0 and "Imported 1 comparison, 3 rows, 1 reference, 1 document" in stdout
    code, stdout, _ = run(capsys, "export", str(db), "--format", "json", "-o", "-")
    assert code == 0 and without_audit_head(stdout, db) == source.read_text(encoding="utf-8")
    assert json.loads(stdout)["format"] == "curator/1.1"
    code, _, err = run(capsys, "check", str(source))
    assert code in (0, 1) and "Traceback" not in err
    code, stdout, _ = run(capsys, "compare", str(db), str(source))
    assert code == 0 and "agree" in stdout


def test_a_1_1_field_in_a_curator_1_file_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, source = tmp_path / "r.sqlite", _file_1_1(tmp_path)
    source.write_text(source.read_text(encoding="utf-8").replace('"curator/1.1"', '"curator/1"'), encoding="utf-8")
    code, stdout, err = run(capsys, "import", str(db), str(source))
    assert code == 2 and stdout == ""
    assert err == (
        f'curator: {source}: (top level): unknown field "documents" '
        '(a field of curator/1.1: give "format": "curator/1.1" to use it)\n'
    )


def test_import_twice_is_refused_and_replace_replaces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "import", str(db), str(DEMO))[0] == 0
    code, _, err = run(capsys, "import", str(db), str(DEMO))
    assert code == 2 and "comparison 'pime-vs-tcs' is already in the review" in err
    code, _, _ = run(capsys, "import", str(db), str(DEMO), "--replace")
    assert code == 0
    code, stdout, _ = run(capsys, "info", str(db), "--format", "json")
    assert json.loads(stdout)["rows"] == 8


def _bad_file(tmp_path: Path) -> Path:
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["comparisons"][1]["key"] = "other"
    doc["comparisons"][0]["key"] = "another"
    doc["comparisons"][1]["rows"][2]["intervention"]["n"] = "forty"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_refused_import_leaves_database_byte_for_byte_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "demo", str(db))[0] == 0
    before = db.read_bytes()
    bad = _bad_file(tmp_path)
    good = tmp_path / "good.json"
    good.write_text(
        DEMO.read_text(encoding="utf-8").replace('"pime-vs-tcs"', '"x1"').replace('"pime-vs-tac"', '"x2"'),
        encoding="utf-8",
    )
    # A good file before the bad one: still all or nothing.
    code, stdout, err = run(capsys, "import", str(db), str(good), str(bad))
    assert code == 2 and stdout == ""
    assert err == f'curator: {bad}: comparisons[1].rows[2].intervention.n: "forty" is not a whole number\n'
    assert db.read_bytes() == before
    # A conflict found only once the database is read: rolled back too.
    code, _, err = run(capsys, "import", str(db), str(good), str(DEMO))
    assert code == 2 and "already in the review" in err
    assert db.read_bytes() == before
    code, stdout, _ = run(capsys, "info", str(db), "--format", "json")
    assert json.loads(stdout)["rows"] == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a review (neither a Curator database nor a curator/1 file): the file is empty"),
        (
            b"not json at all",
            "not a review (neither a Curator database nor a curator/1 file): not valid JSON: Expecting",
        ),
        (b'{"format": "curator/1", "extra": 1}', 'unknown field "extra"'),
        (
            b'{"format": "curator/1", "comparisons": [{"key": "k", "title": "t", "intervention": "i"}]}',
            'comparisons[0]: missing required field "comparator"',
        ),
        (b'{"format": "curator/1", "references": [{"key": 7}]}', "references[0].key: 7 is not a string"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    db = tmp_path / "r.sqlite"
    code, stdout, err = run(capsys, "import", str(db), str(path))
    assert code == 2 and message in err and err.startswith(f"curator: {path}")
    assert "Traceback" not in err and stdout == ""
    assert err.count("\n") == 1


def test_database_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "r.sqlite"
    bogus.write_bytes(b"GIF89a this is a picture")
    code, _, err = run(capsys, "import", str(bogus), str(DEMO))
    assert code == 2 and f"{bogus}: not a review (neither a Curator database nor a curator/1 file)" in err
    assert bogus.read_bytes() == b"GIF89a this is a picture"
    code, _, err = run(capsys, "info", str(bogus))
    assert code == 2 and err == (
        f"curator: {bogus}: not a review (neither a Curator database nor a curator/1 file): "
        "it seems to be an image (GIF)\n"
    )


def test_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "info", str(tmp_path / "nope.sqlite"))
    assert code == 2 and "nope.sqlite: no such file" in err


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs Linux /sys as a read-only location")
def test_read_only_locations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", str(DEMO), "-o", "/sys/curator-out.json")
    assert code == 2 and "/sys/curator-out.json: cannot write" in err
    code, _, err = run(capsys, "demo", "/sys/curator.sqlite")
    assert code == 2 and "/sys/curator.sqlite" in err
    code, _, err = run(capsys, "export", str(DEMO), "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert code == 2 and "does not exist" in err


def test_export_needs_a_known_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", str(DEMO), "-o", str(tmp_path / "out.docx"))
    assert code == 2 and "cannot tell the format from '.docx'; supported: .json, .xlsx, .csv" in err
    assert not (tmp_path / "out.docx").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export"])
    assert info.value.code == 2
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_every_command_has_help_a_reviewer_can_read(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    commands = actions[0].choices  # type: ignore[attr-defined]
    assert set(commands) == {
        "gui",
        "import",
        "export",
        "template",
        "demo",
        "info",
        "check",
        "compare",
        "log",
        "merge-references",
        "confirm",
        "verify",  # the old name of confirm
        "dispute",
        "fix",
        "correct",  # the old name of fix
        "double-entry",
        "merge",
        "adjudication",
        "attach",
        "detach",
        "locate",
        "pull",
        "push",
        "analyse",
        "forest",
        "team",  # init, add-reviewer, reviewers: a team review on a PostgreSQL server
    }
    for name, sub in commands.items():
        assert sub.description and len(sub.description) > 40, name
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help"
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "A REVIEW is a review database" in capsys.readouterr().out


def test_internal_error_is_an_apology_and_a_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], _isolated_data: Path
) -> None:
    import curator.services.sources

    def boom(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(curator.services.sources, "read_source", boom)
    code, _, err = run(capsys, "info")
    assert code == 3 and "internal error, sorry" in err and "Traceback" not in err
    assert "ZeroDivisionError: bug" in (_isolated_data / "curator.log").read_text()


def test_audit_records_who_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    db = tmp_path / "r.sqlite"
    assert run(capsys, "--reviewer", "Ana", "demo", str(db))[0] == 0
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT who, action, table_name, COUNT(*) FROM audit_log GROUP BY 1, 2, 3 ORDER BY 3"
    ).fetchall()
    conn.close()
    assert rows == [
        ("Ana", "insert", "comparison", 2),
        ("Ana", "insert", "endpoint_row", 8),
        ("Ana", "insert", "reference", 17),
        ("Ana", "insert", "review", 1),
    ]


# -- in a fresh process ----------------------------------------------------------


def test_gui_without_a_screen_exits_2_with_a_hint(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for args in ([], ["gui", str(tmp_path / "r.sqlite")]):
        proc = subprocess.run(
            [sys.executable, "-m", "curator", *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith("curator: no screen to show the window on")
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_gui_screenshot_without_a_screen(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    proc = cli("gui", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_entry_point_runs(tmp_path: Path) -> None:
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("curator ")


def test_log_tells_who_did_what(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "r.sqlite"
    assert run(capsys, "--reviewer", "Ana", "demo", str(db))[0] == 0
    code, out, _ = run(capsys, "log", str(db), "--row", "pime-vs-tcs[2]")
    assert code == 0 and len(out.splitlines()) == 1
    assert out.endswith("  row 3 of pime-vs-tcs: Ana entered the row 'Flare-Free Patients' (11 values)\n")
    code, out, _ = run(capsys, "log", str(db), "--format", "json")
    entries = json.loads(out)
    assert len(entries) == 28 and {e["who"] for e in entries} == {"Ana"}
    assert run(capsys, "log", str(db), "--since", "2999-01-01")[1] == "No changes recorded.\n"
    code, _, err = run(capsys, "log", str(db), "--row", "pime-vs-tcs[9]")
    assert code == 2 and "no such row" in err
    code, _, err = run(capsys, "log", str(db), "--since", "yesterday")
    assert code == 2 and "not a date or time" in err
    code, _, err = run(capsys, "log", str(DEMO))
    assert code == 2 and "is a curator/1 file, not a review database; the audit log is kept in review databases" in err
