"""Source documents (format 1.1): a document the review names but does not hold."""

from __future__ import annotations

from collections.abc import Iterator

from curator.checks.accept import fingerprint
from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule, severity_of


@rule("document-missing", "info", "a document the review names whose file it does not hold")
def document_missing(ctx: ReviewContext) -> Iterator[Finding]:
    # ``Document.stored``: its bytes are in the review database, or were found beside the
    # exchange file when it was read; without them its evidence cannot be shown.
    for document in ctx.review.documents:
        if document.stored:
            continue
        of = f"reference {document.reference!r}" if document.reference is not None else "no reference"
        yield Finding(
            rule="document-missing",
            severity=severity_of("document-missing"),
            comparison=None,
            endpoint=None,
            row=None,
            reference=document.reference,
            field=None,
            message=f"the review names the document {document.file} ({of}) but does not hold its file, "
            "so the values read from it cannot be shown on its pages",
            fingerprint=fingerprint("document-missing", None, (document.sha256,)),
            document=document.file,
        )
