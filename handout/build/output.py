"""The only module that writes to the output folder.

Files are written to a temporary name in the same folder and renamed into
place, so a reader never sees half a PDF and a failed build leaves the old
file as it was. The manifest keeps entries for outputs this build did not
touch, so building one clinic does not forget the others.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from handout.core.files import files_under
from handout.core.keys import OutputKey

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    """One output of a build: a PDF, or a web page (``pages`` 1)."""

    clinic: str
    lang: str
    leaflet: str
    """A leaflet id, or ``booklet``."""
    edition: str
    path: str
    pages: int
    bytes: int
    sha256: str
    inputs: str = ""
    """SHA-256 of everything the PDF was made from (handout/build/cache.py)."""

    @property
    def key(self) -> OutputKey:
        return OutputKey(self.clinic, self.lang, self.leaflet, self.edition)


@dataclass(frozen=True)
class Artifact:
    """One output ready to write (a PDF, or a web page), with the HTML a PDF came
    from, and where it goes."""

    clinic: str
    lang: str
    leaflet: str
    edition: str
    file_suffix: str
    data: bytes
    """The file itself: a PDF's bytes, or a web page's HTML."""
    html: str | None
    """The HTML a PDF was rendered from, written beside it; None for a web page,
    which is its own HTML."""
    pages: int
    inputs: str = ""
    extension: str = "pdf"

    @property
    def folder(self) -> Path:
        return Path(self.clinic) / self.lang

    @property
    def stem(self) -> str:
        return f"{self.leaflet}{self.file_suffix}"

    @property
    def path(self) -> Path:
        """Where it goes, inside the output folder."""
        return self.folder / f"{self.stem}.{self.extension}"


class OutputError(Exception):
    """The output folder cannot be written; nothing in it has changed."""


LOCK = ".build.lock"
STAGED = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The name ``tempfile.mkstemp`` gives a staged file in ``_stage``."""


def write_artifacts(out_dir: Path, artifacts: list[Artifact],
                    extra: dict[str, bytes] | None = None) -> list[ManifestEntry]:
    """Write every artifact and ``extra`` file (name to bytes, such as the quality
    report), then the merged manifest; return this build's entries.

    Two phases: every file is first written in full to a temporary name, and
    only when all of them are on disk are they renamed into place. A full disk
    or a Ctrl-C in the first phase leaves every earlier file as it was. A lock
    on the folder makes a second build wait for the first to finish writing,
    so two builds never interleave their files or lose each other's manifest
    entries.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with _locked(out_dir):
            staged: list[tuple[Path, Path]] = []
            try:
                for artifact in artifacts:
                    folder = out_dir / artifact.folder
                    folder.mkdir(parents=True, exist_ok=True)
                    if artifact.html is not None:
                        staged.append(_stage(folder / f"{artifact.stem}.html",
                                             artifact.html.encode("utf-8")))
                    staged.append(_stage(out_dir / artifact.path, artifact.data))
                for name, data in (extra or {}).items():
                    (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
                    staged.append(_stage(out_dir / name, data))
            except BaseException:
                for temporary, _ in staged:
                    temporary.unlink(missing_ok=True)
                raise
            entries = [manifest_entry(artifact) for artifact in artifacts]
            with no_interrupts():  # a Ctrl-C now waits until every file is in place
                for temporary, path in staged:
                    os.replace(temporary, path)
                _update_manifest(out_dir, entries)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}. Check that the "
                          "folder exists, is writable and has free space; earlier output is "
                          "unchanged") from exc
    return entries


def manifest_entry(artifact: Artifact) -> ManifestEntry:
    return ManifestEntry(
        clinic=artifact.clinic,
        lang=artifact.lang,
        leaflet=artifact.leaflet,
        edition=artifact.edition,
        path=artifact.path.as_posix(),
        pages=artifact.pages,
        bytes=len(artifact.data),
        sha256=hashlib.sha256(artifact.data).hexdigest(),
        inputs=artifact.inputs,
    )


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock. The lock file is never a link (O_NOFOLLOW): one
    pointing elsewhere would make the build create or lock a file outside. Files an
    earlier build staged and never renamed (it was killed) are removed first: no
    other build is writing while the lock is held."""
    try:
        descriptor = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                             | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"{out_dir / LOCK} is a link; delete it (the build makes its "
                              "own lock file): earlier output is unchanged") from None
        raise
    with os.fdopen(descriptor, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            _remove_stale_staged(out_dir)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_staged(out_dir: Path) -> None:
    """Delete ``.name.XXXX.tmp`` files (see ``_stage``) that a killed build left."""
    for path in files_under(out_dir):
        if STAGED.fullmatch(path.name) and not path.is_symlink():
            path.unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> tuple[Path, Path]:
    """Write ``data`` in full to a temporary file beside ``path``; return both names."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, path


def atomic_write(path: Path, data: bytes) -> None:
    temporary, _ = _stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def no_interrupts() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back; they are delivered when the block ends."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def read_manifest(out_dir: Path) -> list[ManifestEntry]:
    try:
        raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return [ManifestEntry(**item) for item in raw["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # missing or unreadable: it is rebuilt from this build's entries


def _update_manifest(out_dir: Path, entries: list[ManifestEntry]) -> None:
    merged = {entry.key: entry for entry in read_manifest(out_dir)
              if (out_dir / entry.path).is_file()}
    merged.update({entry.key: entry for entry in entries})
    outputs = [asdict(merged[key]) for key in sorted(merged)]
    text = json.dumps({"outputs": outputs}, indent=2) + "\n"
    atomic_write(out_dir / MANIFEST, text.encode("utf-8"))
