"""The readers' shared helpers: a DOI taken out of the URL that holds it."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.formats.references.fields import doi_from_url, strip_doi


@pytest.mark.parametrize(
    ("url", "doi"),
    [
        ("http://doi.acm.org/10.1145/1327452.1327492", "10.1145/1327452.1327492"),
        ("https://doi.org/10.1000/x", "10.1000/x"),
        ("http://dx.doi.org/10.1016/j.jaad.2004.01.001", "10.1016/j.jaad.2004.01.001"),
        ("https://www.doi.org/10.1000/a/b", "10.1000/a/b"),  # a DOI may hold a slash
        ("doi.org/10.5281/zenodo.1234", "10.5281/zenodo.1234"),  # no scheme
        ("http://doi.wiley.com/10.1002/sim.1186", "10.1002/sim.1186"),
        (
            "http://dx.doi.org/10.1002/(SICI)1097-0258(19990315)18:5%3C537::AID-SIM42%3E3.0.CO;2-X",
            "10.1002/(SICI)1097-0258(19990315)18:5<537::AID-SIM42>3.0.CO;2-X",
        ),
        ("https://dl.acm.org/doi/abs/10.1145/3292500.3330701", "10.1145/3292500.3330701"),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/sim.1186/abstract", "10.1002/sim.1186"),
        ("https://link.springer.com/content/pdf/10.1007/s10654-019-00567-8.pdf", "10.1007/s10654-019-00567-8"),
        ("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0001", "10.1371/journal.pone.0001"),
    ],
)
def test_doi_from_url(url: str, doi: str) -> None:
    assert doi_from_url(url) == doi
    assert strip_doi(url) == doi  # a DOI field holding a URL gives the DOI


@pytest.mark.parametrize(
    "url",
    ["https://arxiv.org/abs/1234.5678", "http://www.example.com", "https://doi.org/", "", None, "not a url"],
)
def test_url_without_doi(url: str | None) -> None:
    assert doi_from_url(url) is None


def test_strip_doi_keeps_other_text() -> None:
    assert strip_doi("doi:10.1000/X") == "10.1000/X"
    assert strip_doi("https://example.com/paper") == "https://example.com/paper"  # kept, not lost
    assert strip_doi("  ") is None


_SUFFIX = st.text(
    st.characters(codec="ascii", categories=["L", "N", "P", "S"], exclude_characters="/"), min_size=1, max_size=20
)


@given(registrant=st.integers(1000, 999_999_999), suffix=_SUFFIX)
def test_resolver_url_gives_back_the_doi(registrant: int, suffix: str) -> None:
    doi = f"10.{registrant}/{suffix}"
    assert doi_from_url("https://doi.org/" + quote(doi, safe="/")) == doi
