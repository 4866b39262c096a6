"""Export followed by import gives back the same content, field for field."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

from curator.formats.exchange import dumps_exchange, loads_exchange, read_exchange, write_exchange
from curator.review import Review
from curator.store.database import open_database
from curator.store.repository import add_content, load_review
from tests.strategies import reviews


@given(reviews(format_1_1=True))
def test_file_to_file_is_exact(review: Review) -> None:
    text = dumps_exchange(review)
    again = loads_exchange(text)
    assert again == review
    assert dumps_exchange(again) == text


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
