"""Accepted findings: they hold while the values stay, and lapse when they change."""

from __future__ import annotations

import copy

import pytest

from curator.checks import accept, fingerprint, format_findings_text, run_checks, split_accepted
from curator.numbers import parse_reported
from curator.review import Comparison, Review
from tests.checks.builders import arm, ref, row


def review_with(value: str = "50.9", n: str = "474") -> Review:
    return Review(
        references=[ref("1")],
        comparisons=[
            Comparison(
                "c",
                "C",
                "A",
                "B",
                rows=[
                    row("Other", intervention=arm("10", n="10", events="1"), citations=["1"]),
                    row("Flare-free", intervention=arm(value, n=n), citations=["1"]),
                ],
            )
        ],
    )


def test_fingerprint_depends_on_values() -> None:
    a = fingerprint("grim-percent", "intervention.value", [parse_reported("50.9"), parse_reported("474")])
    b = fingerprint("grim-percent", "intervention.value", [parse_reported("50.90"), parse_reported("474")])
    assert a != b and len(a) == 20
    assert a == fingerprint("grim-percent", "intervention.value", [parse_reported("50.9"), parse_reported("474")])


def test_accepted_until_the_value_changes() -> None:
    rv = review_with()
    (f,) = run_checks(rv, rules=["grim-percent"])
    acc = accept(f, "The paper prints it so; checked with the authors", by="Ann", at="2026-01-01T00:00:00+00:00")
    assert (acc.rule, acc.comparison, acc.row, acc.field, acc.fingerprint) == (
        "grim-percent",
        "c",
        1,
        "intervention.value",
        f.fingerprint,
    )
    rv.accepted_findings.append(acc)
    open_, accepted = split_accepted(run_checks(rv, rules=["grim-percent"]), rv.accepted_findings)
    assert open_ == [] and [a for _, a in accepted] == [acc]

    changed = review_with(value="50.7")  # still impossible, but a different value: open again
    open_, accepted = split_accepted(run_checks(changed, rules=["grim-percent"]), [acc])
    assert len(open_) == 1 and accepted == []
    changed = review_with(n="473")  # 241/473 = 50.95..: still impossible
    open_, accepted = split_accepted(run_checks(changed, rules=["grim-percent"]), [acc])
    assert len(open_) == 1 and accepted == []


def test_acceptance_follows_a_moved_row_by_endpoint() -> None:
    rv = review_with()
    (f,) = run_checks(rv, rules=["grim-percent"])
    acc = accept(f, "ok")
    rv.comparisons[0].rows.reverse()
    (moved,) = run_checks(rv, rules=["grim-percent"])
    assert moved.row == 0
    open_, accepted = split_accepted([moved], [acc])
    assert open_ == [] and accepted == [(moved, acc)]


def test_an_acceptance_accepts_one_finding_only() -> None:
    rv = review_with()
    rv.comparisons[0].rows.append(copy.deepcopy(rv.comparisons[0].rows[1]))
    findings = run_checks(rv, rules=["grim-percent"])
    assert len(findings) == 2
    open_, accepted = split_accepted(findings, [accept(findings[0], "ok")])
    assert [f.row for f in open_] == [2] and [f.row for f, _ in accepted] == [1]


def test_accept_needs_a_reason() -> None:
    (f,) = run_checks(review_with(), rules=["grim-percent"])
    with pytest.raises(ValueError):
        accept(f, "  ")
    assert accept(f, "why").at  # defaults to now


def test_text_report_lists_accepted_apart() -> None:
    rv = review_with()
    findings = run_checks(rv)
    grim = next(f for f in findings if f.rule == "grim-percent")
    open_, accepted = split_accepted(findings, [accept(grim, "Rounded by the journal", by="Ann")])
    text = format_findings_text(open_, accepted)
    assert "c · row 2 · Flare-free" in text  # the finding's row 1, counted from 1 for people
    assert "Accepted (not counted):" in text and "accepted by Ann" in text and "Rounded by the journal" in text
    assert text.rstrip().splitlines()[-1] == "0 errors, 0 warnings, 0 info; 1 accepted"
    assert format_findings_text([], []).startswith("No findings.")


def test_text_report_groups_and_counts() -> None:
    rv = review_with()
    text = format_findings_text(run_checks(rv), [])
    assert "  ERROR    50.9% is not possible with n = 474" in text
    assert "[grim-percent:c[1].intervention.value]" in text
    assert text.rstrip().splitlines()[-1] == "1 error, 0 warnings, 0 info"


def test_a_reference_finding_is_accepted_by_its_reference_until_it_changes() -> None:
    """As the exchange format keys it: the reference key, no comparison, endpoint or row."""
    rv = Review(references=[ref("1", url=""), ref("2", url="")])  # no identifier at all
    found = run_checks(rv, rules=["reference-identifier"])
    assert [f.reference for f in found] == ["1", "2"]
    acc = accept(found[0], "a web page the guide names only", by="Ann", at="2026-01-01T00:00:00+00:00")
    assert (acc.rule, acc.reference, acc.comparison, acc.endpoint, acc.row) == (
        "reference-identifier",
        "1",
        None,
        None,
        None,
    )
    open_, accepted = split_accepted(found, [acc])
    assert [f.reference for f in open_] == ["2"] and [a for _, a in accepted] == [acc]
    # It does not accept the same finding about another reference...
    other = copy.deepcopy(rv)
    other.references[1].key = "1b"
    open_, _accepted = split_accepted(run_checks(other, rules=["reference-identifier"]), [acc])
    assert [f.reference for f in open_] == ["1b"]
    # ...and lapses when the reference's identifiers change (a malformed DOI is another problem).
    changed = copy.deepcopy(rv)
    changed.references[0].doi = "10.12/x"  # malformed
    open_, accepted = split_accepted(run_checks(changed, rules=["reference-identifier"]), [acc])
    assert {f.reference for f in open_} == {"1", "2"} and accepted == []
