"""The layers of Curator hold: import-linter's contracts in pyproject.toml, run as a test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert found, "import-linter is in the test extra"
    return found


def test_the_layer_contracts_are_kept() -> None:
    done = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def test_the_faces_never_import_the_store() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for face in ("gui", "cli")
        for path in (ROOT / "curator" / face).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from curator.store", "import curator.store"))
    ]
    assert offenders == []


def test_the_main_window_is_composed_not_inherited() -> None:
    from PySide6.QtWidgets import QMainWindow

    from curator.gui.app import MainWindow

    assert MainWindow.__bases__ == (QMainWindow,)
