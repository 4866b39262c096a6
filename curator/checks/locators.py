"""Accepting findings of the checks in a review database.

A reviewer names a finding by its *locator*, which the text report prints
beside each finding:

* ``RULE:COMPARISON[ROW]`` for a row (``ROW`` is its 0-based position, as
  in the JSON output), optionally followed by ``.FIELD``
  (``grim-percent:pime-vs-tcs[2].intervention.value``);
* ``RULE:@KEY`` for a reference (``reference-identifier:@7``);
* ``RULE:file=FILE`` for a document (``document-missing:file=wahn-2002.pdf``),
  the way to name one that belongs to no reference.

Accepting stores the finding's fingerprint with the reason, who and when;
the acceptance lapses by itself when the values the finding is about change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from curator.checks import Finding, accept
from curator.errors import CuratorError
from curator.review import AcceptedFinding

__all__ = ["Locator", "parse_locator", "locator_of", "select_findings", "accept_findings"]

_ROW = re.compile(r"^(?P<rule>[A-Za-z0-9_-]+):(?P<cmp>.+)\[(?P<row>\d+)\](?:\.(?P<field>[A-Za-z0-9_.]+))?$")
_DOC = re.compile(r"^(?P<rule>[A-Za-z0-9_-]+):file=(?P<file>.+)$")
_REF = re.compile(r"^(?P<rule>[A-Za-z0-9_-]+):@(?P<ref>.+?)(?:#(?P<field>[A-Za-z0-9_.]+))?$")


@dataclass(frozen=True)
class Locator:
    rule: str
    comparison: str | None = None
    row: int | None = None
    reference: str | None = None
    field: str | None = None
    #: A document's file: the locator names the findings about that document.
    document: str | None = None

    def matches(self, finding: Finding) -> bool:
        if self.document is not None:
            return finding.rule == self.rule and finding.document == self.document
        return (
            finding.rule == self.rule
            and finding.comparison == self.comparison
            and finding.row == self.row
            and finding.reference == self.reference
            and (self.field is None or finding.field == self.field)
        )


def parse_locator(text: str) -> Locator:
    """Read ``RULE:COMPARISON[ROW][.FIELD]``, ``RULE:@KEY`` or ``RULE:file=FILE``."""
    text = text.strip()
    m = _DOC.match(text)  # first: a file's name may hold brackets
    if m:
        return Locator(m["rule"], document=m["file"])
    m = _ROW.match(text)
    if m:
        return Locator(m["rule"], comparison=m["cmp"], row=int(m["row"]), field=m["field"])
    m = _REF.match(text)
    if m:
        return Locator(m["rule"], reference=m["ref"], field=m["field"])
    raise CuratorError(
        f"--accept {text!r}: name a finding as RULE:COMPARISON[ROW] (optionally .FIELD), RULE:@REFERENCE "
        "or RULE:file=FILE, "
        "as the report prints it, e.g. missing-denominator:pime-vs-tcs[0].intervention.n"
    )


def locator_of(finding: Finding) -> str:
    """The locator a reviewer types to accept this finding."""
    return finding.locator


def select_findings(findings: Sequence[Finding], locators: Sequence[Locator]) -> list[Finding]:
    """The findings the locators name; each locator must name at least one."""
    chosen: list[Finding] = []
    for locator in locators:
        hits = [f for f in findings if locator.matches(f)]
        if not hits:
            raise CuratorError(
                f"--accept {locator_text(locator)!r}: no open finding there "
                "(run `curator check` to see the findings and their names)"
            )
        chosen.extend(f for f in hits if f not in chosen)
    return chosen


def locator_text(locator: Locator) -> str:
    if locator.document is not None:
        return f"{locator.rule}:file={locator.document}"
    if locator.reference is not None:
        return f"{locator.rule}:@{locator.reference}" + (f"#{locator.field}" if locator.field else "")
    text = f"{locator.rule}:{locator.comparison}[{locator.row}]"
    return text + (f".{locator.field}" if locator.field else "")


def accept_findings(findings: Sequence[Finding], reason: str, by: str) -> list[AcceptedFinding]:
    """Acceptances for the findings, with the reason, who and now."""
    if not reason.strip():
        raise CuratorError("--reason: say why the finding is accepted")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return [accept(f, reason, by=by, at=at) for f in findings]
