"""self-verified."""

from __future__ import annotations

import pytest

from tests.checks.builders import fires, row


@pytest.mark.parametrize(
    ("ext", "ver"), [("Ann Lee", "ann lee"), ("Ann Lee", " Ann  Lee "), ("ann", "ANN"), ("Ann Lee", "AnnLee")]
)
def test_self_verified_fires(ext: str, ver: str) -> None:
    (f,) = fires("self-verified", row(extracted_by=ext, verified_by=ver))
    assert (f.severity, f.field) == ("error", "verified_by")


@pytest.mark.parametrize(
    ("ext", "ver"), [("Ann Lee", "Bo Chen"), (None, "Ann"), ("Ann", None), ("", ""), ("Ann", "Anne")]
)
def test_self_verified_clean(ext: str | None, ver: str | None) -> None:
    assert fires("self-verified", row(extracted_by=ext, verified_by=ver)) == []
