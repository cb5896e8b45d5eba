"""Errors a user can cause, each tied to the place in a file that caused it.

Every stage collects these instead of raising at the first one, so a clinic
admin sees every problem in one pass (the MkDocs / RenderCV approach).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, as editors show them."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        shown = display_path(self.path)
        if self.line:
            return f"{shown}:{self.line}:{self.column}"
        return shown


@dataclass(frozen=True)
class UserError:
    """One problem in the content, said in plain words with what to do."""

    location: Location | None
    message: str

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class UserErrors(Exception):
    """Raised once a stage has collected one or more user errors."""

    def __init__(self, errors: list[UserError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))


def _sort_key(error: UserError) -> tuple[str, int, int, str]:
    loc = error.location
    if loc is None:
        return ("", 0, 0, error.message)
    return (str(loc.path), loc.line, loc.column, error.message)


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it."""
    return _relative(path, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _relative(path: Path, cwd: str) -> str:
    """Resolving costs system calls, and a build shows the same few files often."""
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(path)
