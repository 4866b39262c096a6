"""The import's duplicate matching finds each record's best match without listing every pair.

``best_matches`` replaced a scan of all pairs from ``find_duplicates`` (4,000
copies of one RIS record: 8 million pairs, 52 s). It must choose exactly what
that scan chose; here it is compared with the scan on drawn references whose
DOIs, PMIDs, years and titles come from small pools, so that they collide.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from curator.references.matching import REASONS, best_matches, find_duplicates
from curator.review import Reference

_LONG = "Pimecrolimus cream in atopic dermatitis of children"
_TITLES = [None, "", "Short one", _LONG, _LONG + "s", _LONG.replace("cream", "creem"), _LONG + " 2", _LONG.upper()]


def _by_pairs(refs: list[Reference], n: int) -> dict[int, tuple[int, list[str]]]:
    """What the import chose before: the least (incoming, rank, a) over all pairs."""
    rank = {reason: i for i, reason in enumerate(REASONS)}
    best: dict[int, tuple[tuple[int, int, int], int, list[str]]] = {}
    for (a, b), reasons in find_duplicates(refs, titles_need_agreement=True).items():
        if b < n:
            continue
        score = (0 if a < n else 1, min(rank[r] for r in reasons), a)
        if b not in best or score < best[b][0]:
            best[b] = (score, a, reasons)
    return {b: (a, reasons) for b, (_s, a, reasons) in best.items()}


references = st.builds(
    Reference,
    key=st.just("k"),
    title=st.sampled_from(_TITLES),
    year=st.sampled_from([None, 2001, 2002]),
    doi=st.sampled_from([None, "", "10.1/a", "doi:10.1/A", "10.1/b"]),
    pmid=st.sampled_from([None, "", "111", "222"]),
)


@given(st.lists(references, max_size=14), st.integers(0, 14))
def test_best_matches_choose_what_the_scan_of_all_pairs_chose(refs: list[Reference], n: int) -> None:
    n = min(n, len(refs))
    assert best_matches(refs, n) == _by_pairs(refs, n)


def test_copies_of_one_record_all_match_the_first() -> None:
    refs = [Reference(key="k", title=_LONG, year=2001, doi="10.1/a") for _ in range(4000)]
    best = best_matches(refs, 0)
    assert best[3999] == (0, ["DOI", "title"])
    assert len(best) == 3999
