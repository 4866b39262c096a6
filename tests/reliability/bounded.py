"""The real ``curator`` command in a fresh process, with a bound that says "it did not hang"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Seconds a command may take before the test calls it a hang (each ends in a few seconds).
HANG = 60


def curator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` in a fresh process; fails the test when it does not end within HANG seconds."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "curator", *map(str, args)],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=HANG,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"curator {' '.join(map(str, args))} did not end within {HANG} s: it hangs")
