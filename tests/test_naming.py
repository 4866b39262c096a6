"""Rows and fields named for people: labels, not dotted paths; rows from 1."""

from __future__ import annotations

import pytest

from curator.naming import Arms, comparison_label, field_label, field_place, row_place

PIME = Arms("Pimecrolimus", "Vehicle")


@pytest.mark.parametrize(
    ("path", "arms", "label"),
    [
        ("intervention.n", PIME, "Pimecrolimus arm: n"),
        ("comparator.value", PIME, "Vehicle arm: value"),
        ("comparator.sd", PIME, "Vehicle arm: SD"),
        ("intervention.events", Arms("Pimecrolimus Group", "Control"), "Pimecrolimus Group: events"),
        ("comparator.n", Arms("A", "Placebo arm"), "Placebo arm: n"),
        ("intervention.n", None, "Intervention n"),
        ("intervention.n", Arms(), "Intervention n"),
        ("effect.ci_low", PIME, "Effect: CI low"),
        ("effect.value", PIME, "Effect: value"),
        ("effect.p", None, "Effect: p"),
        ("endpoint", PIME, "Endpoint"),
        ("higher_is_better", PIME, "Higher is better"),
        ("source.quote", PIME, "Source quote"),
        ("colour", PIME, "colour"),  # not a field: as given
    ],
)
def test_a_field_is_named_by_its_label_and_the_arm_label(path: str, arms: Arms | None, label: str) -> None:
    assert field_label(path, arms) == label


def test_a_long_arm_label_is_shortened_only_where_asked() -> None:
    arms = Arms("Control (Conventional Treatment/Vehicle + TCS for flares)", "")
    assert field_label("intervention.n", arms) == "Control (Conventional Treatment/Vehicle + TCS for flares) arm: n"
    short = field_label("intervention.n", arms, short=True)
    assert short.endswith("… arm: n") and len(short) <= 48


def test_rows_are_counted_from_one() -> None:
    assert row_place("pime-vs-tcs", 0) == "row 1 of pime-vs-tcs"
    assert row_place("pime-vs-tcs", 2, "Itch") == "row 3 (Itch) of pime-vs-tcs"
    assert field_place("pime-vs-tcs", 2, "intervention.n", "Itch", PIME) == (
        "Pimecrolimus arm: n in row 3 (Itch) of pime-vs-tcs"
    )


def test_comparison_fields_have_labels() -> None:
    assert comparison_label("intervention") == "Intervention arm label"
    assert comparison_label("key") == "Key"
