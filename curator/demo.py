"""The demo review: the seed guide's two comparison tables and references."""

from __future__ import annotations

from importlib import resources

from curator.formats.exchange import loads_exchange
from curator.review import Review

__all__ = ["DEMO_FILE", "demo_review"]

DEMO_FILE = "demo-review.json"


def demo_review() -> Review:
    """The demo review, read from the file shipped in the package."""
    text = resources.files("curator.resources").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    return loads_exchange(text, file=DEMO_FILE)
