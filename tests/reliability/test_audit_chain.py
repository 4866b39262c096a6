"""The audit log's chain broken in every way, by someone who dropped the triggers first, and caught by
`curator log --verify`, which names the first entry that does not fit; `--head` proves the history up
to a head an export carried."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import run, stored_demo
from tests.reliability.tampering import (
    WAYS,
    entry,
    forged_insert,
    inserted_after,
    last_entry,
    rewrite_chain,
    swapped,
    tamper,
    try_way,
)


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_demo(tmp_path / "r.sqlite")


def head_of(capsys: pytest.CaptureFixture[str], review: Path) -> str:
    code, out, _ = run(capsys, "log", str(review), "--verify", "--format", "json")
    assert code == 0
    return str(json.loads(out)["head"]["hash"])


def test_an_intact_log_verifies_and_says_its_head(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "log", str(review), "--verify")
    conn = sqlite3.connect(review)
    n, head, at, who = conn.execute(
        "SELECT (SELECT count(*) FROM audit_log), hash, at, who FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (code, err) == (0, "")
    assert (
        out
        == f"The audit log is intact: {n} entries, every one fits its chain; head {head} (entry {n}, {at} UTC, by {who}).\n"
    )


@pytest.mark.parametrize(
    ("attack", "first_bad", "problem"),
    [
        ("UPDATE audit_log SET new = new || ' ' WHERE id = 12", 12, "its content was changed"),
        ("UPDATE audit_log SET who = 'Mallory' WHERE id = 5", 5, "its content was changed"),
        ("UPDATE audit_log SET at = '2026-01-01 00:00:00' WHERE id = 5", 5, "its content was changed"),
        ("DELETE FROM audit_log WHERE id = 7", 8, r"an entry before it is missing \(entry 7 removed\)"),
        (
            "DELETE FROM audit_log WHERE id IN (7, 8, 9)",
            10,
            r"an entry before it is missing \(entries 7 to 9 removed\)",
        ),
        ("DELETE FROM audit_log WHERE id = 1", 2, "an entry before it is missing"),
        (
            "INSERT INTO audit_log (at, who, action, table_name) VALUES ('2099-01-01', 'Mallory', 'update', 'review')",
            29,
            r"it has no hash \(it was inserted without the chain\)",
        ),
    ],
    ids=["edited", "who", "backdated-in-place", "deleted", "three-deleted", "first-deleted", "appended-unchained"],
)
def test_a_rewritten_log_names_the_first_entry_that_does_not_fit(
    review: Path, capsys: pytest.CaptureFixture[str], attack: str, first_bad: int, problem: str
) -> None:
    assert run(capsys, "log", str(review), "--verify")[0] == 0
    tamper(review, attack)
    code, out, err = run(capsys, "log", str(review), "--verify")
    at, who = entry(review, first_bad)
    assert (code, err) == (1, "")
    assert out.startswith(f"The audit log has been tampered with: entry {first_bad} ({at}")
    assert f"by {who}) does not fit: " in out

    assert re.search(problem, out), out


def test_an_entry_inserted_in_the_middle_with_a_forged_hash_is_named(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The forger computes a fitting hash for their entry and moves the later entries up one place: the
    entries after it still say they follow the one before it."""
    at, _ = entry(review, 5)
    tamper(review, *inserted_after(review, 5))
    code, out, _ = run(capsys, "log", str(review), "--verify")
    assert code == 1
    assert out.startswith(f"The audit log has been tampered with: entry 6 ({at} UTC, by Mallory) does not fit: ")
    assert "it was inserted: in the chain entry 7 follows entry 5. The 5 entries before it fit." in out


def test_two_entries_swapped_are_said_to_be_reordered(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(review, *swapped(5))
    code, out, _ = run(capsys, "log", str(review), "--verify")
    assert code == 1
    assert "entry 5 (" in out and "the entries were reordered: in the chain it comes after entry 6" in out


def test_an_entry_backdated_with_a_fitting_hash_is_caught(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Appended at the end, chained properly, but earlier than the entry before it."""
    n, prev = last_entry(review)
    tamper(review, forged_insert(n + 1, "2020-01-01 00:00:00", prev))
    code, out, _ = run(capsys, "log", str(review), "--verify")
    assert code == 1
    assert f"entry {n + 1} (2020-01-01 00:00:00.000000 UTC, by Mallory) does not fit: it is backdated" in out


def test_the_head_of_an_earlier_export_verifies_after_more_work(
    review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stakeholder got a workbook and an exchange file; the reviewers worked on; the head they got is
    still in the chain, and everything up to it fits."""
    book, exchange = tmp_path / "r.xlsx", tmp_path / "r.json"
    assert run(capsys, "export", str(review), "-o", str(book))[0] == 0
    assert run(capsys, "export", str(review), "-o", str(exchange))[0] == 0
    about = {row[0]: row[1] for row in openpyxl.load_workbook(book)["About"].iter_rows(values_only=True)}
    head = json.loads(exchange.read_text(encoding="utf-8"))["x-audit-head"]
    assert about["Audit log head"] == head == head_of(capsys, review)
    n = int(sqlite3.connect(review).execute("SELECT max(id) FROM audit_log").fetchone()[0])

    assert run(capsys, "fix", str(review), "pime-vs-tcs[1]", "--field", "intervention.value", "--value", "43.0")[0] == 0
    code, out, _ = run(capsys, "log", str(review), "--verify", "--head", head)
    at, who = entry(review, n)
    assert code == 0
    assert (
        out.splitlines()[0] == f"The head {head} is entry {n} ({at} UTC, by {who}): the history up to it is unchanged."
    )
    assert head_of(capsys, review) != head
    # Its first 12 characters are enough.
    assert run(capsys, "log", str(review), "--verify", "--head", head[:12].upper())[0] == 0


def test_a_head_not_in_the_chain_is_refused(review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "log", str(review), "--verify", "--head", "ab" * 32)
    assert code == 1
    assert out.splitlines()[0] == (
        f"The head {'ab' * 32} is not in this review's audit log: the history it ended has been changed "
        "(or it is another review's head)."
    )
    code, _, err = run(capsys, "log", str(review), "--verify", "--head", "not-a-head")
    assert code == 2 and "--head 'not-a-head': not an audit head" in err


def test_a_chain_rewritten_from_an_entry_on_verifies_but_not_with_the_head_that_went_out(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forger who recomputes every hash after their edit makes a chain that fits, but the head a
    stakeholder received is no longer in it."""
    head = head_of(capsys, review)
    rewrite_chain(review, 10)
    assert run(capsys, "log", str(review), "--verify")[0] == 0
    code, out, _ = run(capsys, "log", str(review), "--verify", "--head", head)
    assert code == 1 and f"The head {head} is not in this review's audit log" in out


def test_a_break_before_the_head_fails_it(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = head_of(capsys, review)
    tamper(review, "UPDATE audit_log SET who = 'Mallory' WHERE id = 3")
    code, out, _ = run(capsys, "log", str(review), "--verify", "--head", head)
    assert code == 1
    assert "entry 3 (" in out and "by Mallory) does not fit: its content was changed" in out
    assert "at or after the first entry that does not fit" in out


def test_verify_in_json_and_what_it_refuses(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(review, "UPDATE audit_log SET who = 'Mallory' WHERE id = 4")
    code, out, _ = run(capsys, "log", str(review), "--verify", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found["intact"] is False and found["entries"] == 28
    assert found["first_bad"]["id"] == 4 and found["first_bad"]["who"] == "Mallory"
    assert found["first_bad"]["problem"].startswith("its content was changed")
    code, _, err = run(capsys, "log", str(review), "--verify", "--row", "pime-vs-tcs[1]")
    assert code == 2 and "--verify checks the whole audit log" in err


def test_an_imported_files_head_is_kept_as_information_and_the_export_carries_its_own(
    review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange, again = tmp_path / "r.json", tmp_path / "again.json"
    assert run(capsys, "export", str(review), "-o", str(exchange))[0] == 0
    theirs = json.loads(exchange.read_text(encoding="utf-8"))["x-audit-head"]
    other = tmp_path / "other.sqlite"
    assert run(capsys, "import", str(other), str(exchange))[0] == 0
    assert run(capsys, "export", str(other), "-o", str(again))[0] == 0
    ours = json.loads(again.read_text(encoding="utf-8"))["x-audit-head"]
    assert ours == head_of(capsys, other) != theirs
    conn = sqlite3.connect(other)
    (created,) = conn.execute("SELECT new FROM audit_log WHERE table_name = 'review' AND action = 'insert'").fetchone()
    conn.close()
    assert json.loads(created)["extensions"]["x-audit-head"] == theirs  # in the history, as information
    assert run(capsys, "export", str(other), "-o", "-")[1].rstrip().endswith(f'"x-audit-head": "{ours}"\n}}')


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("at", [1, 6, 28])
def test_every_way_of_tampering_is_refused_by_the_database_then_caught(
    review: Path, tmp_path: Path, way: str, at: int
) -> None:
    """Each attack of :data:`~tests.reliability.tampering.WAYS`: refused while the triggers stand, and once
    made with them dropped, named by --verify (or, for a chain rewritten to fit, by --verify --head)."""
    tampering = try_way(review, tmp_path / "copy.sqlite", way, at)
    assert tampering.problems == (), tampering
