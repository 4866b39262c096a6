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

from curator.formats.exchange import loads_exchange, to_json
from curator.formats.fields import FORMATS, NUMBER_PATTERN, json_schema, schema_file
from curator.numbers import NotANumber, parse_reported
from curator.review import Review
from tests.formats.test_exchange_read import doc, with_row
from tests.strategies import paper_number, printed_number, reviews

#: One shipped schema per format: curator-1.schema.json and curator-1.1.schema.json.
SCHEMAS = {
    f: json.loads(resources.files("curator.formats").joinpath(schema_file(f)).read_text("utf-8")) for f in FORMATS
}
VALIDATORS = {f: jsonschema.Draft202012Validator(s) for f, s in SCHEMAS.items()}
SCHEMA = SCHEMAS["curator/1"]
VALIDATOR = VALIDATORS["curator/1"]


def _valid(document: dict[str, Any]) -> bool:
    """Valid against the schema of the format it names (a file of no known format is not)."""
    validator = VALIDATORS.get(document.get("format"))  # type: ignore[arg-type]
    return validator is not None and validator.is_valid(document)


@pytest.mark.parametrize("format", FORMATS)
def test_shipped_schema_is_generated_from_the_reader_tables(format: str) -> None:
    """Regenerate with: python -c 'import json; from curator.formats.fields import json_schema, schema_file, FORMATS;
    [open("curator/formats/" + schema_file(f), "w").write(json.dumps(json_schema(f), ensure_ascii=False, indent=2)
    + "\\n") for f in FORMATS]'."""
    assert SCHEMAS[format] == json_schema(format)
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[format])


def test_demo_is_valid() -> None:
    demo = Path(__file__).parents[2] / "resources" / "demo-review.json"
    VALIDATOR.validate(json.loads(demo.read_text("utf-8")))


@given(reviews(format_1_1=True))
def test_everything_the_writer_writes_is_valid(review: Review) -> None:
    """Against the schema of the format it says: 1.0 content as curator/1, the rest as curator/1.1."""
    document = to_json(review)
    VALIDATORS[document["format"]].validate(document)


@given(reviews())
def test_what_the_writer_writes_as_curator_1_is_valid_curator_1(review: Review) -> None:
    document = to_json(review)
    VALIDATORS[document["format"]].validate(document)


def _a_1_1_document() -> dict[str, Any]:
    d = doc(format="curator/1.1", documents=[{"sha256": "ab" * 32, "file": "wahn-2002.pdf"}])
    d["comparisons"][0]["rows"][2].update(
        analysis="adjusted",
        intervention={"value": "12·1", "se": "0.55", "n": "3,145"},
        effect={"measure": "IRR", "ci_level": "95.02", "adjusted": True},
        evidence={"intervention.value": {"document": "ab" * 32, "page": 3, "boxes": [[1, 2, 3, 4.5]]}},
    )
    return d


def test_a_1_1_document_is_valid_only_as_curator_1_1() -> None:
    d = _a_1_1_document()
    assert VALIDATORS["curator/1.1"].is_valid(d)
    loads_exchange(json.dumps(d))  # and the reader agrees
    d["format"] = "curator/1"
    assert not VALIDATORS["curator/1"].is_valid(d)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["documents"][0].update(sha256="not a hash"),
        lambda d: d["comparisons"][0]["rows"][2]["evidence"].update(
            {"intervention.valu": {"document": "ab" * 32, "page": 1}}
        ),
        lambda d: d["comparisons"][0]["rows"][2]["evidence"]["intervention.value"].update(page=0),
        lambda d: d["comparisons"][0]["rows"][2]["evidence"]["intervention.value"].update(boxes=[[1, 2, 3]]),
        lambda d: d["comparisons"][0]["rows"][2].update(analysis="cox"),
        lambda d: d["comparisons"][0]["rows"][2]["effect"].update(contrast="baseline"),
    ],
)
def test_schema_1_1_refuses_what_the_reader_refuses(change: Any) -> None:
    d = _a_1_1_document()
    change(d)
    assert not VALIDATORS["curator/1.1"].is_valid(d)


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
        with_row(intervention={"se": "1.2"}),
        with_row(effect={"measure": "IRR"}),
        with_row(effect={"ci_level": "95"}),
    ],
)
def test_schema_refuses_what_the_reader_refuses(text: str) -> None:
    assert not _valid(json.loads(text))


def test_row_without_arm_or_effect_is_invalid() -> None:
    d: dict[str, Any] = doc()
    d["comparisons"][0]["rows"][0] = {"endpoint": "E"}
    assert not VALIDATOR.is_valid(d)


@given(st.one_of(printed_number(), paper_number(), st.text(max_size=8)))
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
