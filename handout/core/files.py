"""Read a file only if it is an ordinary file of bounded size, inside where it may be.

A named pipe (FIFO) blocks a read for ever, a link to ``/dev/zero`` never ends,
and a sparse file claims gigabytes it does not hold; a link can lead anywhere,
or round in a loop. So a file is checked with ``stat`` before it is opened,
opened without blocking, checked again on the open handle (it may have been
swapped in between) and read no further than its limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from handout.core.errors import display_path


class FileRefused(Exception):
    """Why a file was not read: ``reason`` words it after the file's name."""

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size
        """Set when the file is too big: its size in bytes, for the caller's wording."""


def read_bounded(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of ``path``; FileRefused if it is not an ordinary file, is over
    ``limit`` bytes, or (with ``inside``) is reached through a link leading out of
    that folder. FileNotFoundError and other OSErrors pass through."""
    real = resolved(path, inside)
    _check(os.stat(real), limit)
    handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as stream:
        _check(os.fstat(stream.fileno()), limit)  # the file opened is the file checked
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileRefused("has grown past the size limit while it was read", len(data))
    return data


def resolved(path: Path, inside: Path | None = None) -> Path:
    """``path`` with every link followed; FileRefused for a loop, or for a link that
    leads out of ``inside``."""
    try:
        real = path.resolve(strict=True)
    except RuntimeError:  # Python before 3.13 reports a loop this way
        raise FileRefused("is a link that leads round in a loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused("is a link that leads round in a loop") from None
        raise
    if inside is not None and not real.is_relative_to(inside.resolve()):
        raise FileRefused(f"is a link to {real}, outside {display_path(inside)}; copy the "
                          "file in instead")
    return real


def _check(status: os.stat_result, limit: int) -> None:
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        raise FileRefused(f"is not an ordinary file but {_kind(mode)}; only files are read")
    if status.st_size > limit:
        raise FileRefused("is too big", status.st_size)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def ordinary(path: Path) -> bool:
    """Whether ``path`` (links followed) is an ordinary file; never blocks or raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def files_under(folder: Path, skip: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Every entry below ``folder`` but folders, sorted, following links to folders
    inside ``folder`` only, and each real folder once: a link to ``.`` would make
    the walk endless."""
    root = folder.resolve()
    seen: set[Path] = set()
    for parent, folders, names in os.walk(folder, followlinks=True):
        real = Path(parent).resolve()
        if real in seen or not real.is_relative_to(root):
            folders[:] = []
            continue
        seen.add(real)
        folders[:] = sorted(name for name in folders if name not in skip)
        yield from (Path(parent) / name for name in sorted(names))
