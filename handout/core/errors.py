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
        self.errors = _said_once(sorted(errors, key=_sort_key))
        super().__init__("\n".join(str(e) for e in self.errors))


MAX_QUOTED = 80
"""A value echoed in a message is cut to this many characters: a pasted page helps nobody."""
SHOWN_LINES = 5
"""How many of the other lines with the same problem a message lists."""


def quoted(value: object) -> str:
    """``value`` as a message shows it: in quotes, at most 80 characters, every control
    or invisible character escaped, so a message can never redraw the terminal."""
    text = value if isinstance(value, str) else repr(value)
    escaped = printable(text)
    if len(escaped) > MAX_QUOTED:
        escaped = escaped[: MAX_QUOTED - 1] + "…"
    return f"'{escaped}'" if isinstance(value, str) else escaped


def printable(text: str) -> str:
    """``text`` with every control or invisible character written as an escape."""
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _said_once(errors: list[UserError]) -> list[UserError]:
    """The same problem in one file on many lines, said once with a count and the
    first few lines: fourteen near-identical lines hide the one that differs."""
    groups: dict[tuple[Path | None, str], list[UserError]] = {}
    for error in errors:
        path = error.location.path if error.location else None
        groups.setdefault((path, error.message), []).append(error)
    merged = []
    for (_, message), group in groups.items():
        lines = [e.location.line for e in group[1:] if e.location is not None and e.location.line]
        if len(group) == 1 or len(lines) != len(group) - 1:
            merged.extend(group)
            continue
        listed = ", ".join(str(line) for line in lines[:SHOWN_LINES])
        more = f" and {len(lines) - SHOWN_LINES} more" if len(lines) > SHOWN_LINES else ""
        count = len(lines)
        merged.append(UserError(group[0].location, (
            f"{message} (the same on {count} more line{'s' if count != 1 else ''}: "
            f"{listed}{more})")))
    return sorted(merged, key=_sort_key)


def _sort_key(error: UserError) -> tuple[str, int, int, str]:
    loc = error.location
    if loc is None:
        return ("", 0, 0, error.message)
    return (str(loc.path), loc.line, loc.column, error.message)


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it, with
    any control character in a file's name escaped."""
    return printable(_relative(path, os.getcwd()))


@functools.lru_cache(maxsize=4096)
def _relative(path: Path, cwd: str) -> str:
    """Resolving costs system calls, and a build shows the same few files often."""
    try:  # the folder resolved, not the file: a link is shown by its own name
        return str((path.parent.resolve() / path.name).relative_to(Path(cwd).resolve()))
    except (ValueError, OSError, RuntimeError):  # outside; a NUL, or a loop of links
        return str(path)
