"""A continuous outcome as a trial prints it, for the tests of the window and of the SD-to-SE fix.

The numbers are the Cochrane Handbook's worked example (section 6.5.2.3): a
mean difference of 3.8 with its 95% CI 1.11 to 6.49 (P = 0.008), 25 and 22
patients, SDs 4.8 and 4.6 (the SE the CI implies, 1.37, is what those SDs
give). Typed with the SEs 0.96 and 0.98 in the SD fields (4.8/√25,
4.6/√22 rounded), the arms would allow an SE of about 0.28, five times too
small, and 0.96·√25 = 4.8 fits: ``md-precision`` says the SDs look like
standard errors and offers to move them (``remedy == "sd-as-se"``).

The tests run the real rule (``curator.checks.rules.continuous``).
"""

from __future__ import annotations

from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row, Source

COMPARISON = "pime-vs-tcs"
#: Where :func:`add_row` puts the row: after the demo comparison's four rows.
POSITION = 4


def _r(text: str, whole: bool = False):  # type: ignore[no-untyped-def]
    return parse_reported(text, whole=whole)


def easi_row(sds: tuple[str, str] = ("4.8", "4.6"), *, p: str | None = "0.008") -> Row:
    """A mean row: EASI at week 6, 8.3 (SD 4.8, n = 25) against 12.1 (SD 4.6, n = 22),
    MD −3.8 (95% CI −6.49 to −1.11). ``sds``: what was typed in the SD fields."""
    return Row(
        endpoint="EASI at week 6",
        measure="mean",
        unit="points",
        higher_is_better=False,
        intervention=Arm(value=_r("8.3"), n=_r("25", True), sd=_r(sds[0]), min=_r("0.4"), max=_r("19.2")),
        comparator=Arm(value=_r("12.1"), n=_r("22", True), sd=_r(sds[1]), min=_r("2.6"), max=_r("21.9")),
        effect=Effect(
            measure="MD",
            value=_r("-3.8"),
            ci_low=_r("-6.49"),
            ci_high=_r("-1.11"),
            p=_r(p) if p else None,
            method="t test",
        ),
        duration="6 weeks",
        population="Adults",
        citations=["9"],
        source=Source(location="Table 2", quote="EASI, week 6: 8.3 (4.8) vs 12.1 (4.6); MD −3.8 (−6.49 to −1.11)"),
        status="extracted",
        extracted_by="Ana",
    )


#: The row typed with the arms' SEs in the SD fields (and no p: the CI's path alone makes the rule fire).
SES_AS_SDS = ("0.96", "0.98")


def ses_typed_as_sds() -> Row:
    return easi_row(SES_AS_SDS, p=None)
