"""The audit log told in the words of the form: who did what to which field, rows from 1, local time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from curator.services import ReviewService
from curator.services.story import Names, field_words, tell, when
from tests.backends import as_reviewer
from tests.helpers import Where


def _review(path: Where) -> Where:
    """A druga-vs-vehicle comparison with one row Ana typed field by field, Ben confirmed, Ana changed,
    Ben disputed and Cleo adjudicated."""
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana", create=True) as ana:
        ana.rows.new_comparison("druga-vs-vehicle", "Druga vs vehicle", "Pimecrolimus", "Vehicle")
        ana.rows.insert_row("druga-vs-vehicle", 0, ana.rows.blank_row())
        ana.rows.edit_field("druga-vs-vehicle", 0, "endpoint", "Itch")
        ana.rows.edit_field("druga-vs-vehicle", 0, "intervention.n", "267")
        ana.rows.edit_field("druga-vs-vehicle", 0, "intervention.value", "35.6")
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as ben:
        ben.checking.verify_fields("druga-vs-vehicle", 0, ["endpoint", "intervention.n"])
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        ana.rows.edit_field("druga-vs-vehicle", 0, "endpoint", "Pruritus")
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as ben:
        ben.checking.dispute_field("druga-vs-vehicle", 0, "intervention.value", "Table 2 prints 35.9")
        ben.checking.double_entry("druga-vs-vehicle", 0, {"intervention.value": "35.9"})
    with ReviewService.open(as_reviewer(path, "Cleo"), "Cleo") as cleo:
        item = cleo.checking.adjudication_items()[0]
        cleo.checking.decide(item.id, "b", reason="Table 2 prints 35.9")
    return path


def test_a_rows_story_in_the_words_of_the_form(review_target: Path | str) -> None:
    path = _review(review_target)
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as review:
        story = [entry.what for entry in reversed(review.row_history("druga-vs-vehicle", 0))]
    assert story == [
        "Ana entered the row 'New endpoint' (1 value)",
        "Ana changed Endpoint from 'New endpoint' to 'Itch'",
        "Ana entered Pimecrolimus arm: n: 267",
        "Ana entered Pimecrolimus arm: value: 35.6",
        "Ben confirmed Endpoint: Itch, without a located source",
        "Ben confirmed Pimecrolimus arm: n: 267, without a located source",
        "Ana changed Endpoint from 'Itch' to 'Pruritus'",
        "Endpoint needs confirming again: the confirmed value 'Itch' became 'Pruritus'",
        "Ben disputed Pimecrolimus arm: value: 35.6, saying: Table 2 prints 35.9",
        "The row is now disputed (was draft)",
        "Ben entered the row again, blind: Pimecrolimus arm: value: 35.9",
        "Ben sent Pimecrolimus arm: value to adjudication (item 1): A '35.6' (Ana) or B '35.9' (Ben), "
        "from double-entry",
        "Ben disputed Pimecrolimus arm: value: 35.6, saying: Ben entered '35.9' (double-entry)",
        "Cleo decided Pimecrolimus arm: value (item 1): chose B, 35.9: Table 2 prints 35.9",
        "Cleo changed Pimecrolimus arm: value from '35.6' to '35.9'",
        "Pimecrolimus arm: value needs confirming again: the confirmed value '35.6' became '35.9'",
        "The row is now extracted (was disputed)",
        "Cleo confirmed Pimecrolimus arm: value: 35.9, without a located source",
    ]


def test_the_whole_log_names_each_row_from_1(review_target: Path | str) -> None:
    path = _review(review_target)
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as review:
        review.rows.insert_row("druga-vs-vehicle", 0, review.rows.blank_row())  # ours is now the second row
        sentences = [what for _entry, what in review.log()]
    assert sentences[0] == "Ana added comparison druga-vs-vehicle: 'Druga vs vehicle'"
    assert "row 2 of druga-vs-vehicle: Ana entered Pimecrolimus arm: n: 267" in sentences
    assert "row 2 of druga-vs-vehicle: Ben confirmed Endpoint: Itch, without a located source" in sentences
    assert sentences[-2:] == [
        "Ben moved row 1 of druga-vs-vehicle to row 2 of druga-vs-vehicle",
        "row 1 of druga-vs-vehicle: Ben entered the row 'New endpoint' (1 value)",
    ]
    assert not any("endpoint_row" in s or "intervention." in s or "[0]" in s for s in sentences)


def test_field_words_use_the_arm_labels_and_fields_labels() -> None:
    assert field_words("intervention.n", ("Pimecrolimus", "Vehicle")) == "Pimecrolimus arm: n"
    assert field_words("comparator.sd", ("Pimecrolimus", "Vehicle")) == "Vehicle arm: SD"
    assert field_words("comparator.sd") == "Comparator SD"
    assert field_words("effect.ci_low") == "Effect: CI low"
    assert field_words("higher_is_better") == "Higher is better"


def test_entries_of_other_tables_and_old_logs_are_told_too() -> None:
    at = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

    def entry(action: str, table: str, row_id: int | None, field: str | None, old: str | None, new: str | None):  # type: ignore[no-untyped-def]
        return {"at": at, "who": "Ana", "action": action, "table_name": table, "row_id": row_id, "field": field,
                "old": old, "new": new}  # fmt: skip

    names = Names(rows={3: ("pime-vs-tcs", 2)}, comparisons={1: ("pime-vs-tcs", "P vs T", "Pime", "TCS")})
    assert tell(entry("update", "endpoint_row", 3, "higher_is_better", "1", "0"), names) == (
        "row 3 of pime-vs-tcs: Ana changed Higher is better from 'yes' to 'no'"
    )
    assert tell(entry("update", "endpoint_row", 3, "comparator.value", None, "68.4"), names, row=False) == (
        "Ana entered TCS arm: value: 68.4"
    )
    assert tell(entry("update", "endpoint_row", 3, "unit", "%", None), names) == (
        "row 3 of pime-vs-tcs: Ana cleared Unit (it was '%')"
    )
    assert tell(entry("verify", "endpoint_row", 3, "unit", "Ben", "%"), names) == (
        "row 3 of pime-vs-tcs: Ana recorded Ben's confirmation of Unit: % (from a merge)"
    )
    assert tell(entry("verify", "endpoint_row", 9, "unit", None, "%"), names) == (
        "a row deleted since: Ana confirmed Unit: %"
    )
    assert tell(entry("update", "comparison", 1, "title", "P vs T", "Pime vs TCS"), names) == (
        "Ana changed comparison pime-vs-tcs's Title from 'P vs T' to 'Pime vs TCS'"
    )
    assert tell(
        entry("merge", "review", None, None, None, '{"theirs": "b.sqlite", "rows": 1, "comparisons": 1}'), names
    ) == ("Ana merged b.sqlite (1 row in 1 comparison)")
    quote = "Itch\t35.9%\t" + "x" * 100
    told = tell(entry("update", "endpoint_row", 3, "source.quote", None, quote), names, row=False)
    assert told.startswith("Ana entered Source quote: Itch │ 35.9% │ xxx") and told.endswith("…")


def test_times_are_local_and_to_the_second() -> None:
    at = datetime(2026, 11, 24, 9, 30, 15, 123456)  # as stored: UTC, without a zone
    assert when(at) == at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert when(at.isoformat()) == when(at)
