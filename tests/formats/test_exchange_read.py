"""The reader refuses what is off contract, precisely, and loads the rest."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from curator.errors import InputError
from curator.formats.exchange import loads_exchange, read_exchange


def doc(**top: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"format": "curator/1", "title": "T", "references": [{"key": "7"}]}
    base["comparisons"] = [
        {
            "key": "c",
            "title": "C",
            "intervention": "Pimecrolimus",
            "comparator": "Vehicle",
            "rows": [
                {"endpoint": "E0", "intervention": {"value": "1"}},
                {"endpoint": "E1", "intervention": {"value": "1"}},
                {"endpoint": "E2", "intervention": {"value": "42.6", "n": "474"}, "citations": ["7"]},
            ],
        }
    ]
    base.update(top)
    return base


def with_row(**fields: Any) -> str:
    d = doc()
    d["comparisons"][0]["rows"][2].update(fields)
    return json.dumps(d)


def refused(text: str) -> str:
    with pytest.raises(InputError) as info:
        loads_exchange(text, file="r.json")
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            with_row(intervention={"n": "forty"}),
            'r.json: comparisons[0].rows[2].intervention.n: "forty" is not a whole number',
        ),
        (
            with_row(intervention={"value": "42.6%"}),
            'comparisons[0].rows[2].intervention.value: "42.6%" is not a number',
        ),
        (with_row(intervention={"value": True}), "comparisons[0].rows[2].intervention.value: true is not a number"),
        (with_row(intervention={"sd": [1]}), "comparisons[0].rows[2].intervention.sd: [1] is not a number"),
        (with_row(effect={"p": "NS"}), 'comparisons[0].rows[2].effect.p: "NS" is not a number'),
        (with_row(effect={"ci_level": "95"}), 'comparisons[0].rows[2].effect.ci_level: "95" is not a number'),
        (
            with_row(measure="percentage"),
            'comparisons[0].rows[2].measure: "percentage" is not one of percent, mean, median, count, text',
        ),
        (
            with_row(status="done"),
            'comparisons[0].rows[2].status: "done" is not one of draft, extracted, verified, disputed',
        ),
        (
            with_row(effect={"measure": "rr"}),
            'comparisons[0].rows[2].effect.measure: "rr" is not one of RR, OR, HR, RD, MD, SMD',
        ),
        (with_row(higher_is_better="yes"), 'comparisons[0].rows[2].higher_is_better: "yes" is not true, false or null'),
        (with_row(citations="7"), 'comparisons[0].rows[2].citations: "7" is not a list of strings'),
        (with_row(citations=["7", 8]), "comparisons[0].rows[2].citations: item 1, 8, is not a string"),
        (with_row(endpont="x"), 'comparisons[0].rows[2]: unknown field "endpont" (did you mean "endpoint"?)'),
        (
            with_row(intervention={"valeu": "1"}),
            'comparisons[0].rows[2].intervention: unknown field "valeu" (did you mean "value"?)',
        ),
        (with_row(endpoint=None), "comparisons[0].rows[2].endpoint: null is not allowed; endpoint is required"),
        (with_row(endpoint="  "), 'comparisons[0].rows[2].endpoint: "  " is empty; endpoint is required'),
        (with_row(source="p. 3"), 'comparisons[0].rows[2].source: "p. 3" is not an object'),
        (
            json.dumps(doc(references=[{"key": "7", "year": "2004"}])),
            'references[0].year: "2004" is not a whole number',
        ),
        (json.dumps(doc(references=[{"title": "x"}])), 'references[0]: missing required field "key"'),
        (
            json.dumps(doc(references=[{"key": "1"}, {"key": "1"}])),
            'references[1].key: "1" is already the key of references[0]',
        ),
        (json.dumps(doc(references={"key": "1"})), 'references: {"key": "1"} is not a list'),
        (json.dumps(doc(title=5)), "r.json: title: 5 is not a string"),
        (json.dumps(doc(format="curator/2")), 'format: "curator/2" is not supported; this Curator reads curator/1'),
        (json.dumps({"title": "x"}), 'r.json: (top level): missing required field "format"'),
        ("[1, 2]", "r.json: (top level): the file holds a list, not a curator/1 object"),
        ('"curator/1"', "the file holds a string, not a curator/1 object"),
        ("", "r.json: the file is empty; a curator/1 file is a JSON object"),
        ("  \n", "r.json: the file is empty"),
        (
            '{"format": "curator/1", "title": "a",',
            "r.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 38",
        ),
        ('{"format": "curator/1"} trailing', "r.json: not valid JSON: Extra data at line 1, column 25"),
        ('{"format": "curator/1", "title": NaN}', "r.json: not valid JSON: NaN is not valid JSON"),
        (
            '{"format": "curator/1", "title": "a", "title": "b"}',
            'r.json: (top level): the key "title" appears more than once',
        ),
        (
            with_row().replace('"n": "474"', '"n": "474", "n": "475"'),
            'comparisons[0].rows[2].intervention: the key "n" appears more than once',
        ),
    ],
)
def test_refused_with_path_field_and_value(text: str, message: str) -> None:
    assert message in refused(text)


def test_row_needs_an_arm_or_an_effect() -> None:
    d = doc()
    d["comparisons"][0]["rows"][1] = {"endpoint": "E1", "effect": None, "finding": "x"}
    assert "comparisons[0].rows[1]: a row needs at least one of" in refused(json.dumps(d))


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        (
            {"rule": "r", "reason": "ok", "comparison": "nope"},
            'accepted_findings[0].comparison: "nope" is not the key of a comparison',
        ),
        (
            {"rule": "r", "reason": "ok", "comparison": "c", "row": 3},
            "accepted_findings[0].row: 3 is not a row of comparison",
        ),
        (
            {"rule": "r", "reason": "ok", "comparison": "c", "row": 0, "endpoint": "E2"},
            'accepted_findings[0].endpoint: "E2" does not match row 0',
        ),
        ({"rule": "r", "reason": "ok", "row": 0}, "accepted_findings[0].row: a row needs its comparison"),
        (
            {"rule": "r", "reason": "ok", "reference": "8"},
            'accepted_findings[0].reference: "8" is not the key of a reference',
        ),
        (
            {"rule": "r", "reason": "ok", "at": "yesterday"},
            'accepted_findings[0].at: "yesterday" is not an ISO 8601 date and time',
        ),
        ({"rule": "r"}, 'accepted_findings[0]: missing required field "reason"'),
    ],
)
def test_dangling_or_malformed_acceptance_is_refused(finding: dict[str, Any], message: str) -> None:
    assert message in refused(json.dumps(doc(accepted_findings=[finding])))


def test_acceptance_matching_its_row_loads() -> None:
    review = loads_exchange(
        json.dumps(
            doc(
                accepted_findings=[
                    {
                        "rule": "r",
                        "reason": "ok",
                        "comparison": "c",
                        "row": 2,
                        "endpoint": " e2 ",
                        "at": "2026-01-02T03:04:05Z",
                    }
                ]
            )
        )
    )
    assert review.accepted_findings[0].row == 2


def test_wrong_but_well_formed_numbers_load() -> None:
    """Finding these is the job of the checks, so they must be storable."""
    review = loads_exchange(
        with_row(
            intervention={"value": "104.5", "n": "12.5", "events": "<50"},
            comparator={"value": "−1.5", "n": "0", "events": "9"},
            effect={"measure": "RR", "value": "0.00", "p": "1.7", "ci_low": ".03"},
            citations=["no-such-reference"],
        ).replace('"references": [{"key": "7"}]', '"references": [{"key": "7", "pmid": "123456789"}]')
    )
    row = review.comparisons[0].rows[2]
    assert row.intervention is not None and row.comparator is not None and row.effect is not None
    assert row.intervention.value is not None and row.intervention.value.text == "104.5"
    assert row.intervention.n is not None and row.intervention.n.value == Decimal("12.5")
    assert row.intervention.events is not None and row.intervention.events.relation == "<"
    assert row.comparator.value is not None and row.comparator.value.value == Decimal("-1.5")
    assert row.comparator.value.text == "−1.5"
    assert row.effect.ci_low is not None and row.effect.ci_low.exponent == -2
    assert row.citations == ["no-such-reference"]
    assert review.references[0].pmid == "123456789"


def test_json_numbers_take_their_shortest_written_form() -> None:
    text = with_row(intervention={"value": 42.60, "n": 474, "sd": 1e-05}, effect={"ci_level": 90})
    row = loads_exchange(text).comparisons[0].rows[2]
    assert row.intervention is not None and row.effect is not None
    assert row.intervention.value is not None and row.intervention.value.text == "42.6"
    assert row.intervention.n is not None and row.intervention.n.text == "474"
    assert row.intervention.sd is not None and row.intervention.sd.text == "1e-05"
    assert row.effect.ci_level == 90


def test_extension_keys_are_kept_and_unknown_keys_everywhere_else_refused() -> None:
    d = doc(**{"x-tool": {"name": "script", "v": [1, 2]}})
    d["comparisons"][0]["rows"][2]["intervention"]["x-page"] = 3
    review = loads_exchange(json.dumps(d))
    assert review.extensions == {"x-tool": {"name": "script", "v": [1, 2]}}
    arm = review.comparisons[0].rows[2].intervention
    assert arm is not None and arm.extensions == {"x-page": 3}


def test_doi_prefix_is_removed_and_pmid_number_accepted() -> None:
    d = doc(references=[{"key": "7", "doi": "https://doi.org/10.1016/J.X.2004.01", "pmid": 15231234}])
    ref = loads_exchange(json.dumps(d)).references[0]
    assert ref.doi == "10.1016/J.X.2004.01"
    assert ref.pmid == "15231234"


def test_nulls_mean_absent() -> None:
    row = loads_exchange(with_row(effect=None, favours=None, higher_is_better=None, unit=None)).comparisons[0].rows[2]
    assert row.effect is None and row.favours is None and row.higher_is_better is None and row.unit is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{\x00", "not a UTF-8 text file"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "not valid JSON"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_exchange(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.json: no such file"):
        read_exchange(tmp_path / "nope.json")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc()).encode())
    assert read_exchange(path).title == "T"
