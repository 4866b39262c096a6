"""Export followed by import gives back the same content, field for field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from curator.errors import InputError
from curator.formats.exchange import dumps_exchange, loads_exchange, read_exchange, to_json, uses_1_1, write_exchange
from curator.numbers import parse_reported
from curator.review import Document, Effect, Evidence, Review
from curator.store.database import open_database
from curator.store.repository import add_content, load_review
from tests.strategies import reviews


@given(reviews(format_1_1=True))
def test_file_to_file_is_exact(review: Review) -> None:
    text = dumps_exchange(review)
    again = loads_exchange(text)
    assert again == review
    assert dumps_exchange(again) == text
    # The writer says curator/1 exactly when a curator/1 reader reads it (uses_1_1 and
    # the reader's curator/1 shape agree).
    document = to_json(review)
    written = document["format"]
    document["format"] = "curator/1"
    try:
        loads_exchange(json.dumps(document))
        reads_as_1 = True
    except InputError:
        reads_as_1 = False
    assert reads_as_1 == (not uses_1_1(review)) == (written == "curator/1")


@settings(max_examples=60)
@given(review=reviews(format_1_1=True))
def test_file_to_database_to_file_is_exact(tmp_path_factory, review: Review) -> None:
    folder = tmp_path_factory.mktemp("rt")
    first = folder / "a.json"
    write_exchange(review, first)
    with open_database(folder / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, read_exchange(first), "tester")
        with db.session() as session:
            loaded = load_review(session)
    assert loaded == review
    second = folder / "b.json"
    write_exchange(loaded, second)
    assert second.read_bytes() == first.read_bytes()


def test_demo_round_trips_through_a_database(tmp_path: Path) -> None:
    demo = Path(__file__).parents[2] / "resources" / "demo-review.json"
    review = read_exchange(demo)
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, review, "tester")
        with db.session() as session:
            loaded = load_review(session)
    assert dumps_exchange(loaded) == demo.read_text(encoding="utf-8")


# -- format 1.1 ----------------------------------------------------------------


def _through_a_database(folder: Path, text: str) -> str:
    path = folder / "in.json"
    path.write_text(text, encoding="utf-8")
    with open_database(folder / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, read_exchange(path), "tester")
        with db.session() as session:
            return dumps_exchange(load_review(session))


def test_a_1_1_file_with_every_new_field_comes_back_from_a_database_exactly(tmp_path: Path) -> None:
    """NR, 0·55, 3,145, "− 4.6", a string ci_level, documents and evidence, written as read."""
    from tests.formats.test_exchange_read import doc_1_1

    text = dumps_exchange(loads_exchange(json.dumps(doc_1_1(), ensure_ascii=False)))
    written = doc_1_1()
    for row in written["comparisons"][0]["rows"]:
        row.setdefault("status", "draft")  # a row's status is always written
    assert json.loads(text) == written  # the writer writes what was read
    assert text.startswith('{\n  "format": "curator/1.1",')
    assert _through_a_database(tmp_path, text) == text


def test_a_1_0_file_is_still_written_as_curator_1(tmp_path: Path) -> None:
    from tests.formats.test_exchange_read import doc

    text = dumps_exchange(loads_exchange(json.dumps(doc())))
    assert json.loads(text)["format"] == "curator/1"
    assert json.loads(_through_a_database(tmp_path, text))["format"] == "curator/1"
    demo = Path(__file__).parents[2] / "resources" / "demo-review.json"
    assert json.loads(demo.read_text("utf-8"))["format"] == "curator/1"


def _one_row(**fields: object) -> Review:
    from curator.review import Arm, Comparison, Row

    row = Row(endpoint="E", intervention=Arm(value=parse_reported("1")))
    for path, value in fields.items():
        part, _, name = path.rpartition("__")
        setattr(getattr(row, part) if part else row, name, value)
    return Review(comparisons=[Comparison("c", "C", "A", "B", rows=[row])])


@pytest.mark.parametrize(
    ("make", "format"),
    [
        (lambda: _one_row(), "curator/1"),
        # Printed-number forms of every version: still curator/1.
        (lambda: _one_row(intervention__sd=parse_reported("NR")), "curator/1"),
        (lambda: _one_row(intervention__value=parse_reported("0·55")), "curator/1"),
        (lambda: _one_row(intervention__n=parse_reported("3,145", whole=True)), "curator/1"),
        (lambda: _one_row(intervention__value=parse_reported("− 4.6")), "curator/1"),
        (lambda: _one_row(effect=Effect(measure="RR", ci_level=90)), "curator/1"),
        # What 1.1 added, each alone.
        (lambda: _one_row(intervention__se=parse_reported("0.5")), "curator/1.1"),
        (lambda: _one_row(analysis="crude"), "curator/1.1"),
        (lambda: _one_row(integer_items=parse_reported("1", whole=True)), "curator/1.1"),
        (lambda: _one_row(effect=Effect(adjusted=False)), "curator/1.1"),
        (lambda: _one_row(effect=Effect(measure="IRR")), "curator/1.1"),
        (lambda: _one_row(effect=Effect(ci_level=parse_reported("95"))), "curator/1.1"),
        (lambda: _one_row(evidence={"endpoint": Evidence(document="ab" * 32, page=1)}), "curator/1.1"),
        (lambda: Review(documents=[Document(sha256="ab" * 32, file="a.pdf")]), "curator/1.1"),
    ],
)
def test_the_writer_says_curator_1_1_only_for_what_1_1_added(make: Any, format: str) -> None:
    assert to_json(make())["format"] == format
