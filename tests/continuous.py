"""A continuous outcome as a trial prints it, for the tests of the window and of the SD-to-SE fix.

The numbers are the Cochrane Handbook's worked example (section 6.5.2.3): a
mean difference of 3.8 with its 95% CI 1.11 to 6.49 (P = 0.008), 25 and 22
patients, SDs 4.8 and 4.6 (the SE the CI implies, 1.37, is what those SDs
give). Typed with the SEs 0.96 and 0.98 in the SD fields (4.8/√25,
4.6/√22 rounded), the arms would allow an SE of about 0.28, five times too
small, and 0.96·√25 = 4.8 fits: ``md-precision`` says the SDs look like
standard errors and offers to move them (``remedy == "sd-as-se"``).

Until the real ``md-precision`` rule is registered (it is written in
parallel, by helper h-contin), :func:`md_precision_rule` registers a STUB
for the test's duration: a float approximation of the rule, enough to fire
on this row and to stay quiet once its SDs are moved to the SE fields.
When the real rule is registered the stub is not used, and the tests run
against the real rule.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator

import pytest

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
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


def _stub_md_precision(ctx: ReviewContext) -> Iterator[Finding]:
    """STUB of ``md-precision`` (float approximation, CI path only) for the tests of the window."""
    for where in ctx.rows:
        row, effect = where.row, where.row.effect
        if row.measure != "mean" or row.analysis not in (None, "crude") or effect is None:
            continue
        if effect.measure != "MD" or effect.is_adjusted or not effect.contrasts_arms:
            continue
        if effect.ci_low is None or effect.ci_high is None or effect.value is None:
            continue
        arms = [row.intervention, row.comparator]
        sds: list[float] = []
        typed_sd = True
        for arm in arms:
            if arm is None or arm.n is None:
                break
            n = float(arm.n.value)
            if arm.sd is not None:
                sds.append(float(arm.sd.value))
            elif arm.se is not None:
                sds.append(float(arm.se.value) * math.sqrt(n))
                typed_sd = False
        if len(sds) != 2:
            continue
        n1, n2 = (float(a.n.value) for a in arms)  # type: ignore[union-attr]
        allowed = math.sqrt(sds[0] ** 2 / n1 + sds[1] ** 2 / n2)
        implied = float(effect.ci_high.value - effect.ci_low.value) / (2 * 1.96)
        if implied <= 1.25 * allowed * 1.05:  # rounding slack
            continue
        as_se = math.sqrt(sds[0] ** 2 + sds[1] ** 2)
        looks = typed_sd and 1 / 1.25 <= implied / as_se <= 1.25
        message = f"the CI implies an SE of {implied:.2f}; the arms allow {allowed:.2f}" + (
            "; the SDs look like standard errors" if looks else ""
        )
        finding = ctx.row_finding("md-precision", where, "effect.ci_low", message, (sds, implied))
        yield dataclasses.replace(finding, remedy="sd-as-se" if looks else None)


def md_precision_rule(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Make sure ``md-precision`` runs: the real rule when registered, else the STUB for this test.
    True when the stub is used."""
    from curator.checks import registry
    from curator.gui import live_checks

    if "md-precision" in registry._RULES:
        return False
    monkeypatch.setitem(
        registry._RULES,
        "md-precision",
        registry.Rule("md-precision", "warning", "STUB for the GUI tests", _stub_md_precision),
    )
    monkeypatch.setattr(live_checks, "RULES", registry.registered())  # the edited row's own checks too
    return True
