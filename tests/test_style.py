"""The code stays lint-clean: ruff runs with the tests."""

import subprocess
import sys

from handout.build.config import PROJECT_ROOT


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
