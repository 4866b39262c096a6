"""A reported integer as printed (``3,145``) and the row's own ``integer_items`` survive the database.

Found while typing ``3,145`` into an arm's n in the row form: it was saved, then the row could not be
read back ("3,145" is not a number), and a row with ``integer_items`` could not be stored at all (the
column was handed the Reported object) nor read as one (it came back as a plain string).
"""

from __future__ import annotations

from pathlib import Path

from curator.numbers import parse_reported
from curator.review import Arm, Row
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.doublecheck import table
from tests.helpers import stored, stored_demo


def test_grouped_counts_and_integer_items_are_stored_and_read_back_as_printed(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    row = Row(
        endpoint="Itch (0-4 scale)",
        measure="mean",
        integer_items=parse_reported("2", whole=True),
        intervention=Arm(value=parse_reported("1.5"), n=parse_reported("10 096", whole=True)),
    )
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as ben:
        ben.rows.insert_row("pime-vs-tcs", 0, row)
        edited = ben.rows.edit_field("pime-vs-tcs", 0, "intervention.events", "3,145")
    assert edited.intervention is not None and edited.intervention.events == parse_reported("3,145", whole=True)
    back = stored(path).comparisons[0].rows[0]
    assert back.integer_items == parse_reported("2", whole=True)
    assert back.intervention is not None and back.intervention.n == parse_reported("10 096", whole=True)
    assert back.intervention.events is not None and back.intervention.events.text == "3,145"
    assert table(
        path,
        "SELECT integer_items, integer_items_num, intervention_n_num FROM endpoint_row WHERE position = 0"
        " AND endpoint = 'Itch (0-4 scale)'",
    ) == [("2", 2.0, 10096.0)]
