"""Rows and fields named for people: labels, not dotted paths; rows from 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.naming import Arms, comparison_label, field_label, field_place, fresh_name, new_key, row_place

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


@pytest.mark.parametrize(
    ("title", "taken", "key"),
    [
        ("Pimecrolimus vs Topical Corticosteroids (TCS)", (), "pimecrolimus-vs-topical-corticosteroids"),
        ("Pimecrolimus vs TCS", ("pimecrolimus-vs-tcs",), "pimecrolimus-vs-tcs-2"),
        ("Pimecrolimus vs TCS", ("pimecrolimus-vs-tcs", "pimecrolimus-vs-tcs-2"), "pimecrolimus-vs-tcs-3"),
        ("Crème à 1 % vs véhicule", (), "creme-a-1-vs-vehicule"),
        ("  ", (), ""),
        ("—", (), ""),
    ],
)
def test_a_key_is_derived_from_the_title_and_unique(title: str, taken: tuple[str, ...], key: str) -> None:
    assert new_key(title, taken) == key
    assert len(key) <= 40


def test_a_fresh_name_never_names_an_existing_file(tmp_path: Path) -> None:
    assert fresh_name(tmp_path) == tmp_path / "review.sqlite"
    (tmp_path / "review.sqlite").write_bytes(b"")
    (tmp_path / "review-2.sqlite").write_bytes(b"")
    assert fresh_name(tmp_path) == tmp_path / "review-3.sqlite"


def test_a_stored_value_reads_in_the_words_its_field_shows() -> None:
    from curator.naming import value_words

    assert value_words("analysis", "kaplan_meier") == "Kaplan–Meier"
    assert value_words("effect.contrast", "change") == "change from baseline"
    assert value_words("effect.direction", "comparator_vs_intervention") == "comparator vs intervention"
    assert value_words("effect.adjusted", "TRUE") == "yes"
    assert value_words("measure", "mean") == "mean"  # a choice without words of its own
    assert value_words("analysis", "pooled") == "pooled"  # a value the list does not have: as stored
    assert value_words("endpoint", "kaplan_meier") == "kaplan_meier"  # not a choice


def test_the_effects_fields_read_alike_words_lower_case_abbreviations_as_printed() -> None:
    assert [
        field_label(f"effect.{name}")
        for name in (
            "measure",
            "value",
            "ci_low",
            "ci_level",
            "p",
            "se",
            "adjusted",
            "contrast",
            "method",
            "versus",
            "direction",
        )
    ] == [
        "Effect: measure",
        "Effect: value",
        "Effect: CI low",
        "Effect: CI level",
        "Effect: p",
        "Effect: SE",
        "Effect: adjusted",  # not 'Effect: Adjusted' beside 'Effect: value'
        "Effect: contrast",
        "Effect: method",
        "Effect: versus",
        "Effect: direction",
    ]


def test_words_typed_back_are_the_stored_text_and_the_kinds_stay_strict() -> None:
    from curator import fields
    from curator.naming import from_words

    assert from_words("analysis", "kaplan–MEIER") == "kaplan_meier"
    assert from_words("effect.contrast", "Change from baseline") == "change"
    assert from_words("effect.adjusted", "Yes") == "TRUE"
    assert from_words("effect.adjusted", "FALSE") == "FALSE"  # the stored text itself passes through
    assert from_words("endpoint", "yes") == "yes"  # not a choice: as typed
    with pytest.raises(ValueError, match="is not TRUE or FALSE"):  # a file's cell still takes TRUE/FALSE only
        fields.parse("effect.adjusted", "yes")
