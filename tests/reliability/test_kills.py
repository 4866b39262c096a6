"""kill -9 in the middle of an import (replacing a review's content): all or nothing, and the review still
sound and writable (issue 15)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run, stored_demo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")


def _big_exchange_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], copies: int = 1500) -> Path:
    """The demo review with each comparison's rows repeated: a file that takes a while to import."""
    demo = stored_demo(tmp_path / "demo.sqlite")
    out = tmp_path / "demo.json"
    assert run(capsys, "export", str(demo), "-o", str(out))[0] == 0
    data = json.loads(out.read_text())
    for comparison in data["comparisons"]:
        comparison["rows"] = comparison["rows"] * copies
    big = tmp_path / "big.json"
    big.write_text(json.dumps(data))
    return big


def _rows(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(raw.execute("SELECT COUNT(*) FROM endpoint_row").fetchone()[0])
    finally:
        raw.close()


@pytest.mark.parametrize("after", [0.5, 1.2])
def test_an_import_killed_midway_leaves_the_review_as_it_was_or_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], after: float
) -> None:
    big = _big_exchange_file(tmp_path, capsys)
    review = stored_demo(tmp_path / "r.sqlite")
    before = _rows(review)
    expected = 8 * 1500  # --replace: the file's rows in place of the review's
    process = subprocess.Popen(
        [sys.executable, "-m", "curator", "import", str(review), str(big), "--replace"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).parents[2],
    )
    time.sleep(after)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert _rows(review) in (before, expected)  # all or nothing, and the file sound
    # The review still takes work after the kill.
    code, _out, err = run(capsys, "import", str(review), str(big), "--replace")
    assert code == 0, err
    assert _rows(review) == expected
