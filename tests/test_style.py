"""The code stays lint-clean and type-checked: ruff and mypy run with the tests."""

import subprocess
import sys

from handout.build.config import PROJECT_ROOT


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    """pyproject.toml's strict settings, on the package and build.py."""
    result = subprocess.run([sys.executable, "-m", "mypy"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found"), result.stdout
