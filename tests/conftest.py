"""Shared fixtures: a private copy of the content to break, and one real build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handout.build.pipeline import PROJECT_ROOT
from handout.cli.main import main


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content folder that a test may edit."""
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one full build of the shipped content."""
    out = tmp_path_factory.mktemp("output")
    assert main(["--out", str(out)]) == 0
    return out


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to show a failed build changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


SUMMARY_ROW = re.compile(r"^ *(\d+) +(\d+) +(\d+) +\d+\.\d s$", re.MULTILINE)


def summary_counts(out: str) -> tuple[int, int, int]:
    """The counts in a build's summary table: built, unchanged, failed."""
    rows = SUMMARY_ROW.findall(out)
    assert len(rows) == 1, f"no single summary row in:\n{out}"
    built, unchanged, failed = rows[0]
    return int(built), int(unchanged), int(failed)
