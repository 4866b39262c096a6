"""A review's open findings, and accepting them with a reason.

Accepting is one use case for the command line (``curator check --accept``)
and the desktop app (Accept finding…) alike: :meth:`Findings.accept` builds
the acceptances (reason, who, now, the finding's fingerprint) and stores
them in one audited transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from curator.review import AcceptedFinding
from curator.services.review import Part

if TYPE_CHECKING:
    from curator.checks import Finding
    from curator.progress import Progress

__all__ = ["Findings"]


class Findings(Part):
    """The findings of one open review."""

    def open(self, progress: Progress | None = None) -> list[Finding]:
        """The findings no reviewer has accepted (the review is read block by block)."""
        from curator.services.checking import open_findings_stored

        return self._service.read(lambda conn: open_findings_stored(conn, progress=progress))

    def accept(self, findings: Sequence[Finding], reason: str) -> list[AcceptedFinding]:
        """Accept findings with a reason (refused when the reason is empty); the acceptances stored."""
        from curator.checks.locators import accept_findings
        from curator.store.repository import save_acceptances

        acceptances = accept_findings(findings, reason.strip(), by=self._service.who)
        with self._service.writing() as session:
            save_acceptances(session, acceptances, self._service.who)
        return acceptances
