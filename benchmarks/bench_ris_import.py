"""Reading and planning the import of 10,000 RIS records against a 2,000-reference review.

Run:  PYTHONPATH=. /work/venv/bin/python benchmarks/bench_ris_import.py [RECORDS]

Generates RIS records shaped like a Zotero export (authors, multi-line
abstract, journal, identifiers); a tenth of them duplicate the review's
references (same DOI, same PMID or a title with a typo). Times
``read_reference_file`` + ``plan_import`` (best of three), against a
baseline measured in the same run: rispy merely parsing the same text.
The issue's target is under 5 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import rispy

from curator.formats.references import read_reference_file
from curator.references import plan_import
from curator.review import Reference

WORDS = (
    "efficacy safety pimecrolimus tacrolimus cream ointment atopic dermatitis children adults randomized "
    "controlled trial long-term management eczema vehicle placebo topical corticosteroid severity itch"
).split()


def _title(rng: random.Random, i: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + f" (study {i})"


def make_review(n: int, rng: random.Random) -> list[Reference]:
    return [
        Reference(
            str(i + 1),
            title=_title(rng, i),
            authors=[f"Author{i}, A", "Doe, J"],
            journal="J Dermatol",
            year=1990 + i % 30,
            doi=f"10.1000/ref.{i}" if i % 3 else None,
            pmid=str(10_000_000 + i) if i % 2 else None,
        )
        for i in range(n)
    ]


def make_ris(n: int, review: list[Reference], rng: random.Random) -> str:
    lines: list[str] = []
    for i in range(n):
        dup = review[rng.randrange(len(review))] if i % 10 == 0 else None
        title = dup.title if dup and dup.title else _title(rng, 100_000 + i)
        if dup and i % 30 == 0:
            title = title.replace("e", "a", 1)  # a typo
        lines += [
            "TY  - JOUR",
            f"TI  - {title[: len(title) // 2]}",
            f"  {title[len(title) // 2 :]}",
            "AU  - Müller, Hans",
            "AU  - Łukasz, Nowak",
            f"AU  - Øster, Anne{i}",
            "T2  - Journal of the European Academy of Dermatology and Venereology",
            "J2  - J Eur Acad Dermatol Venereol",
            f"PY  - {dup.year if dup else 2000 + i % 25}",
            f"VL  - {i % 60}",
            f"IS  - {i % 12}",
            f"SP  - {i % 900}",
            f"EP  - {i % 900 + 9}",
            f"DO  - {dup.doi if dup and dup.doi else f'10.2000/new.{i}'}",
            f"AN  - {dup.pmid if dup and dup.pmid else 20_000_000 + i}",
            f"UR  - https://example.org/{i}",
            "KW  - atopic dermatitis",
            "KW  - eczema",
            "AB  - Background: a randomised trial of a topical treatment in children with atopic",
            "  dermatitis over 52 weeks.",
            f"ID  - ref{i}",
            "ER  - ",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(7)
    review = make_review(2000, rng)
    text = make_ris(n, review, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.ris"
        path.write_text(text, encoding="utf-8")

        def baseline() -> int:
            return len(rispy.loads(path.read_text(encoding="utf-8")))

        def ours() -> tuple[int, int, int]:
            rf = read_reference_file(path)
            plan = plan_import(review, rf.references)
            return len(rf.references), len(plan.new), len(plan.pairs)

        base_t, ours_t = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            parsed = baseline()
            base_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            records, new, pairs = ours()
            ours_t.append(time.perf_counter() - t0)
    base, best = min(base_t), min(ours_t)
    print(f"{n:,} RIS records ({len(text) / 1e6:.1f} MB) against {len(review):,} references")
    print(f"rispy parse only (baseline): {base:.2f} s ({parsed:,} records)")
    print(f"read + plan_import:          {best:.2f} s ({records:,} read, {new:,} new, {pairs:,} duplicate pairs)")
    print(f"ratio to baseline: {best / base:.1f}x; target < 5 s: {'met' if best < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
