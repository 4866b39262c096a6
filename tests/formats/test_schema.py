"""The shipped JSON Schema says what the reader accepts."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.formats.exchange import to_json
from curator.formats.fields import NUMBER_PATTERN, json_schema
from curator.numbers import NotANumber, parse_reported
from curator.review import Review
from tests.formats.test_exchange_read import doc, with_row
from tests.strategies import printed_number, reviews

SCHEMA = json.loads(resources.files("curator.formats").joinpath("curator-1.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_shipped_schema_is_generated_from_the_reader_tables() -> None:
    """Regenerate with: python -c 'from curator.formats.fields import ...' (see fields.json_schema)."""
    assert SCHEMA == json_schema()
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_demo_is_valid() -> None:
    demo = Path(__file__).parents[2] / "resources" / "demo-review.json"
    VALIDATOR.validate(json.loads(demo.read_text("utf-8")))


@given(reviews())
def test_everything_the_writer_writes_is_valid(review: Review) -> None:
    VALIDATOR.validate(to_json(review))


@pytest.mark.parametrize(
    "text",
    [
        with_row(intervention={"n": "forty"}),
        with_row(measure="percentage"),
        with_row(endpont="x"),
        with_row(endpoint=None),
        with_row(citations=["7", 8]),
        json.dumps(doc(references=[{"title": "x"}])),
        json.dumps(doc(format="curator/2")),
        json.dumps(doc(title=5)),
        json.dumps({"title": "x"}),
    ],
)
def test_schema_refuses_what_the_reader_refuses(text: str) -> None:
    assert not VALIDATOR.is_valid(json.loads(text))


def test_row_without_arm_or_effect_is_invalid() -> None:
    d: dict[str, Any] = doc()
    d["comparisons"][0]["rows"][0] = {"endpoint": "E"}
    assert not VALIDATOR.is_valid(d)


@given(st.one_of(printed_number(), st.text(max_size=8)))
def test_number_pattern_agrees_with_the_parser(text: str) -> None:
    import re

    try:
        parse_reported(text)
        parsed = True
    except NotANumber:
        parsed = False
    if parsed:
        assert re.search(NUMBER_PATTERN, text)
    elif re.search(NUMBER_PATTERN, text):
        # Only numbers too large for the store are refused beyond the syntax.
        assert "e" in text.lower() or len(text) > 300
