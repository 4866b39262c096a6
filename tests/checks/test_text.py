"""significance-claim and versus-mismatch."""

from __future__ import annotations

import pytest

from curator.checks.rules.text import significance_claims
from tests.checks.builders import arm, effect, fires, row


def claim_row(finding: str, p: str) -> object:
    return row(intervention=arm("40"), comparator=arm("30"), effect=effect(p=p), finding=finding)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Significantly more effective", (True, False)),
        ("a statistically significant reduction", (True, False)),
        ("not statistically significant", (False, True)),
        ("did not differ significantly", (False, True)),
        ("didn't differ significantly", (False, True)),
        ("didn’t reach significant levels", (False, True)),
        ("non-significant trend", (False, True)),
        ("nonsignificant", (False, True)),
        ("an insignificant difference", (False, True)),
        ("no significant difference", (False, True)),
        ("without a significant change", (False, True)),
        ("not different; the effect was significant", (True, False)),  # "not" four words before
        ("significant for A but not significant for B", (True, True)),
        ("Tacrolimus was more effective.", (False, False)),
        ("significance was not tested", (False, False)),
    ],
)
def test_significance_words(text: str, expected: tuple[bool, bool]) -> None:
    assert significance_claims(text) == expected


@pytest.mark.parametrize(
    ("text", "p"),
    [
        ("Significantly more effective", "0.20"),
        ("significantly lower", "0.06"),  # [0.055, 0.065]
        ("significantly lower", "0.051"),  # [0.0505, 0.0515]: just past
        ("significantly lower", ">0.05"),
        ("significantly lower", "≥0.05"),
        ("not statistically significant", "0.01"),
        ("did not differ significantly", "<0.05"),
        ("non-significant", "0.049"),
        ("insignificant", "<0.001"),
        ("no significant difference", ".03"),
    ],
)
def test_significance_claim_fires(text: str, p: str) -> None:
    (f,) = fires("significance-claim", claim_row(text, p))
    assert (f.severity, f.field) == ("warning", "finding")
    assert p in f.message


@pytest.mark.parametrize(
    ("text", "p"),
    [
        ("Significantly more effective", "0.0002"),
        ("Significantly more effective", "<0.001"),
        ("significantly lower", "0.05"),  # [0.045, 0.055]: may be below 0.05
        ("significantly lower", "0.050"),
        ("not significantly different", "0.05"),
        ("not significantly different", "≤0.05"),
        ("not significantly different", "0.30"),
        ("did not differ significantly", "0.12"),
        ("non-significant", ".5"),
        ("insignificant", "1.00"),
        ("significant for A but not significant for B", "0.20"),
        ("Tacrolimus was more effective.", "0.80"),
    ],
)
def test_significance_claim_clean(text: str, p: str) -> None:
    assert fires("significance-claim", claim_row(text, p)) == []


def test_significance_claim_needs_p() -> None:
    r = row(intervention=arm("40"), comparator=arm("30"), finding="significantly better")
    assert fires("significance-claim", r) == []


# -- versus-mismatch --------------------------------------------------------------------


def versus_row(versus: str) -> object:
    return row(intervention=arm("18.4"), comparator=arm("34.8"), effect=effect(p="< .001", versus=versus))


def test_versus_mismatch_fires_on_the_demo_case() -> None:
    found = fires(
        "versus-mismatch",
        versus_row("vehicle"),
        intervention="Pimecrolimus 1% Cream",
        comparator="Tacrolimus Ointment (0.03% or 0.1%)",
    )
    (f,) = found
    assert (f.severity, f.field) == ("warning", "effect.versus")
    assert "vehicle" in f.message and "< .001" in f.message


@pytest.mark.parametrize(
    "versus",
    ["Pimecrolimus", "pimecrolimus cream", "vs. Tacrolimus", "TACROLIMUS", "the ointment", "vs", "A", "1%", "steroids"],
)
def test_versus_mismatch_clean(versus: str) -> None:
    comp = "Tacrolimus Ointment (0.03% or 0.1%)"
    if versus == "steroids":
        comp = "Corticosteroids"
    assert fires("versus-mismatch", versus_row(versus), intervention="Pimecrolimus 1% Cream", comparator=comp) == []


@pytest.mark.parametrize("versus", ["vehicle", "placebo cream", "baseline"])
def test_versus_mismatch_other_labels(versus: str) -> None:
    assert len(fires("versus-mismatch", versus_row(versus), intervention="Drug A", comparator="Drug B")) == 1


@pytest.mark.parametrize(
    ("p", "fired"),
    [
        ("0.0", True),  # a zero p is below half a unit: < 0.05, significant
        ("=0.0", True),
        ("0.00", True),
        ("0", False),  # < 0.5: may be 0.05 or more
        (".1", False),
    ],
)
def test_significance_claim_reads_a_zero_p_as_below_half_a_unit(p: str, fired: bool) -> None:
    # checks.md (rules added with 1.1): every rule but range-p reads a zero p so; read as the
    # closed interval [−0.05, 0.05] "0.0" could be 0.05 and "not significant" would pass.
    assert len(fires("significance-claim", claim_row("not statistically significant", p))) == fired
