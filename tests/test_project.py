"""The project's promises about itself: README, CI and architecture."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert first_block, "README.md starts with the set-up/run and test commands"
    return [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    run_app, run_tests = _readme_commands()
    assert "curator" in run_app and "pytest" in run_tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert run_tests in [line.strip() for line in ci]


def test_core_never_imports_qt() -> None:
    offenders = []
    for path in (ROOT / "curator").rglob("*.py"):
        if "gui" in path.relative_to(ROOT / "curator").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(("PySide6", "curator.gui"))]
    # The CLI may start the GUI lazily, inside the `gui` command only.
    assert offenders == ["curator/cli/review.py: curator.gui.launch"]


def test_core_modules_load_without_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, curator.cli, curator.services.sources, curator.formats.exchange, curator.store.repository;"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_every_package_is_installed() -> None:
    """pyproject lists packages by hand (db/ and resources/ are mapped into
    curator); a package missing there would be missing from a real install."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "curator").rglob("__init__.py")}
    found |= {f"curator.{name}" for name in config["package-dir"].values()}
    found |= {"curator.db.versions"}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
