"""Which fields a row's measure needs (curator.measure_fields), held to the field table."""

from __future__ import annotations

from curator.fields import ROW_FIELDS
from curator.measure_fields import ARM_FIELDS, measure_words, needed, unused_by, value_label
from curator.review import MEASURES


def arm(measure: str | None) -> list[str]:
    return [f.name for f in ROW_FIELDS if f.part == "intervention" and f.path in needed(measure)]


def test_each_measure_needs_what_a_paper_prints_for_it() -> None:
    assert arm("mean") == ["value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"]
    assert arm("median") == ["value", "n", "q1", "q3", "min", "max"]
    assert arm("percent") == ["value", "text", "n", "events", "ci_low", "ci_high"]
    assert arm("count") == arm("text") == arm(None) == ["value", "text", "n", "events", "sd"]  # as in 1.0
    assert arm("no such measure") == arm(None)


def test_the_row_and_effect_fields_are_always_needed_but_integer_items_only_on_a_mean_row() -> None:
    for measure in (*MEASURES, None):
        wanted = needed(measure)
        assert {"analysis", "effect.se", "effect.adjusted", "effect.contrast", "effect.method"} <= wanted
        assert ("integer_items" in wanted) == (measure == "mean")
        assert {f"comparator.{name}" for name in ARM_FIELDS[measure]} <= wanted


def test_every_arm_field_is_needed_by_some_measure_and_every_listed_name_is_a_field() -> None:
    names = {f.name for f in ROW_FIELDS if f.part == "intervention"}
    listed = {name for fields in ARM_FIELDS.values() for name in fields}
    assert listed == names


def test_a_field_holding_a_value_the_measure_does_not_use_is_named_never_an_empty_one() -> None:
    texts = {"intervention.sd": "4.8", "intervention.events": " ", "comparator.q1": "15", "effect.value": "2"}
    assert unused_by("percent", texts) == ["intervention.sd", "comparator.q1"]
    assert unused_by("median", texts) == ["intervention.sd"]
    assert unused_by("mean", {"integer_items": "1"}) == []
    assert unused_by("median", {"integer_items": "1"}) == ["integer_items"]


def test_words() -> None:
    assert [value_label(m) for m in ("mean", "median", "percent", None)] == ["Mean", "Median", "Value", "Value"]
    assert [measure_words(m) for m in ("mean", "median", None)] == [
        "a mean row",
        "a median row",
        "a row with no measure",
    ]
