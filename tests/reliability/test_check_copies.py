"""``curator check`` on a review with 4,000 copies of one reference, run by the real command.

The ``reference-duplicate`` finding of each copy named all the others, 16
million names in all: 56 s here (2,000 copies: 14.5 s and a 110 MB JSON
report). Each finding now names five and counts the rest (2.3 s, 2.4 MB).
The bound only says "it did not hang".
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import DEMO
from tests.reliability.bounded import curator


def test_check_of_4000_identical_references_ends_and_stays_small(tmp_path: Path) -> None:
    review = json.loads(DEMO.read_text(encoding="utf-8"))
    title = "Pimecrolimus cream in atopic dermatitis of young children"
    review["references"] += [{"key": f"c{i}", "title": title, "doi": "10.1000/abc"} for i in range(4000)]
    file = tmp_path / "copies.json"
    file.write_text(json.dumps(review), encoding="utf-8")
    proc = curator("check", file, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    found = [f for f in json.loads(proc.stdout) if f["rule"] == "reference-duplicate" and f["reference"][0] == "c"]
    assert len(found) == 4000
    assert found[1]["message"] == (
        "reference 'c1' looks like a duplicate of 'c0' (DOI, title), 'c2' (DOI, title), 'c3' (DOI, title), "
        "'c4' (DOI, title), 'c5' (DOI, title) and 3,994 more"
    )
    assert len(proc.stdout) < 4000 * 1000
