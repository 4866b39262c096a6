"""The published worked examples (``published-examples.json``, a
``curator/1.1`` file): ``curator check`` gives exactly the expected
findings, of every rule, and the messages name the numbers.

- The Cochrane Handbook (6.5.2.3): MD 3.8, P = 0.008, n 25 and 22, which
  gives SE 1.37 and SDs of 4.69: clean as published; with the SEs typed as
  SDs, ``md-precision`` says so by the p and by the CI; an MD typed 3.3 and
  an SE of the other arm are caught; the same numbers from a model are not.
- Altman & Bland (BMJ 2011): 17 (1.4 to 32.6), P = 0.032 is clean; the p
  typed 0.0003 is caught.
- GRIM (Brown & Heathers 2017): 5.19 is possible with n = 32, not n = 28.
- GRIMMER (Anaya 2016): 5.23 and SD 2.55 are possible with n = 31, not n = 35.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from curator.checks import run_checks
from curator.formats.exchange import read_exchange
from tests.helpers import run

FILE = Path(__file__).parent / "published-examples.json"

_LOOK_LIKE_SES = (
    "more than 1.25 times the 0.281 to 0.286 that SD 0.94 and SD 1.00 with n = 25 and 22 allow (pooled or not); "
    "the SDs look like standard errors (as SEs they would allow 1.36 to 1.38)"
)

#: (rule, severity, comparison, row, field, the start of the message); nothing else may fire.
EXPECTED = [
    (
        "md-precision",
        "warning",
        "handbook",
        1,
        "intervention.sd",
        "MD 3.8 with p 0.008 implies an SE of 1.26 to 1.47 (the normal or t with 21 to 45 df), " + _LOOK_LIKE_SES,
    ),
    (
        "md-precision",
        "warning",
        "handbook",
        2,
        "intervention.sd",
        "the 95% CI 1.11 to 6.49 implies an SE of 1.29 to 1.38 (the normal or t with 21 to 45 df), " + _LOOK_LIKE_SES,
    ),
    ("md-recompute", "error", "handbook", 3, "effect.value", "MD 3.3 cannot follow from the arm means 13.8 − 10.0"),
    ("sd-se", "error", "handbook", 4, "intervention.sd", "SD 4.69 and SE 1.00 cannot both hold with n = 25"),
    ("sd-se", "error", "handbook", 4, "comparator.sd", "SD 4.69 and SE 0.94 cannot both hold with n = 22"),
    (
        "ci-p-value",
        "warning",
        "altman-bland",
        1,
        "effect.p",
        "p 0.0003 does not fit MD 17 (95% CI 1.4 to 32.6): the CI implies a test statistic of about 2.14",
    ),
    (
        "grim-mean",
        "error",
        "grim",
        0,
        "comparator.value",
        "mean 5.19 is not possible for whole-number data with n = 28: the nearest means are 5.18 (145/28) "
        "and 5.21 (146/28)",
    ),
    ("grimmer-sd", "error", "grim", 1, "comparator.sd", "SD 2.55 is not possible with mean 5.23 and n = 35"),
]


def _as_expected(findings: list[dict[str, Any]]) -> None:
    assert [(f["rule"], f["severity"], f["comparison"], f["row"], f["field"]) for f in findings] == [
        e[:5] for e in EXPECTED
    ]
    for f, e in zip(findings, EXPECTED, strict=True):
        assert f["message"].startswith(e[5]), f["message"]


def test_the_published_examples_give_exactly_the_expected_findings() -> None:
    _as_expected([f.to_json() for f in run_checks(read_exchange(FILE))])


def test_the_md_recompute_message_says_what_to_do_when_the_paper_is_right() -> None:
    (finding,) = [f for f in run_checks(read_exchange(FILE)) if f.rule == "md-recompute"]
    assert finding.message.endswith(
        "if the paper is right, mark the effect adjusted if it is model-based, "
        "or set its contrast if it compares something the arms do not show"
    )


def test_only_the_sds_that_look_like_standard_errors_offer_to_move_them() -> None:
    remedies = {(f.rule, f.row): f.remedy for f in run_checks(read_exchange(FILE)) if f.remedy}
    assert remedies == {("md-precision", 1): "sd-as-se", ("md-precision", 2): "sd-as-se"}


def test_curator_check_on_the_published_examples_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(FILE), "--format", "json")
    assert code == 1, err  # md-recompute, sd-se, grim-mean and grimmer-sd are errors
    _as_expected(json.loads(out))
