"""What a build is asked to do: where the project lives, and which leaflets to make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handout.content.pictures import PICTURE_DIR
from handout.render.palette import CMYK_PROFILE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
Progress = Callable[[int, int], None]
"""Told (PDFs rendered so far, PDFs to render) as the render workers finish."""


class UsageError(Exception):
    """The command line asks for something that does not exist (exit code 2)."""


@dataclass(frozen=True)
class Project:
    """Where the content, templates and styles live."""

    root: Path = PROJECT_ROOT
    content_dir: Path | None = None

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def render_folders(self) -> list[Path]:
        """What every render may read besides a clinic's own folder (fonts aside)."""
        return [self.styles, CMYK_PROFILE.parent, PICTURE_DIR]


@dataclass(frozen=True)
class Selection:
    """What to build; empty means everything."""

    clinics: tuple[str, ...] = ()
    leaflets: tuple[str, ...] = ()
    lang: str | None = None
    strict: bool = False
    """Turn warnings (a clinic's review overdue) into errors."""
    today: dt.date = field(default_factory=dt.date.today)
    editions: tuple[str, ...] = ()
    """``--edition``: exactly these for every clinic; empty, each clinic's own
    (``clinics.editions_of``)."""
    crop_marks: bool = False
    """Press edition only: draw crop marks in the bleed."""
    jobs: int = 1
    """Render workers; 1 renders in the build's own process."""
    force: bool = False
    """Render everything, even outputs whose inputs have not changed."""
    shard: tuple[int, int] | None = None
    """(K, N): build only the K-th of N equal shares of the clinics and languages."""
    out_given: bool = False
    """``--out`` was given: a clinic file from elsewhere may then share a shipped
    clinic's id, as its leaflets cannot replace that clinic's."""
