"""The readable terminal report of a check."""

from __future__ import annotations

from collections.abc import Sequence

from curator.checks.finding import SEVERITIES, Finding
from curator.review import AcceptedFinding
from curator.words import counted

__all__ = ["format_findings_text", "summary_line"]

_MARK = {"error": "ERROR  ", "warning": "warning", "info": "info   "}
_INDENT = " " * 11


def _heading(f: Finding) -> str:
    if f.reference is not None:
        return f"Reference {f.reference}"
    if f.comparison is None:
        return "The review"  # a finding about the review itself (a document of no reference)
    return f"{f.comparison} · row {f.row + 1 if f.row is not None else '?'} · {f.endpoint}"


def _line(f: Finding) -> str:
    """The message, then the finding's name (to accept it by) below it (none for one about the review
    itself; a document of no reference is named by its file)."""
    if f.comparison is None and f.reference is None and f.document is None:
        return f"  {_MARK.get(f.severity, f.severity)}  {f.message}"
    return f"  {_MARK.get(f.severity, f.severity)}  {f.message}\n{_INDENT}[{f.locator}]"


def summary_line(open_findings: Sequence[Finding], accepted: Sequence[tuple[Finding, AcceptedFinding]]) -> str:
    """E.g. ``2 errors, 1 warning, 3 info; 1 accepted``."""
    counts = {s: 0 for s in SEVERITIES}
    for f in open_findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1

    parts = [counted(counts["error"], "error"), counted(counts["warning"], "warning"), counted(counts["info"], "info")]
    text = ", ".join(parts)
    if accepted:
        text += f"; {len(accepted)} accepted"
    return text


def format_findings_text(
    open_findings: Sequence[Finding], accepted: Sequence[tuple[Finding, AcceptedFinding]] = ()
) -> str:
    """A report for the terminal.

    Open findings grouped by row (comparison, position, endpoint) or by
    reference, each with severity, rule, field and message; accepted
    findings listed apart with who accepted them and why; a summary line
    with the counts by severity last.
    """
    lines: list[str] = []
    if not open_findings and not accepted:
        lines.append("No findings.")
    heading = None
    for f in open_findings:
        h = _heading(f)
        if h != heading:
            if heading is not None:
                lines.append("")
            lines.append(h)
            heading = h
        lines.append(_line(f))
    if accepted:
        if lines:
            lines.append("")
        lines.append("Accepted (not counted):")
        for f, a in accepted:
            who = f" by {a.by}" if a.by else ""
            when = f" on {a.at}" if a.at else ""
            lines.append(f"  {_heading(f)}: {f.message}")
            lines.append(f"    [{f.locator}] accepted{who}{when}: {a.reason}")
    lines.append("")
    lines.append(summary_line(open_findings, accepted))
    return "\n".join(lines) + "\n"
