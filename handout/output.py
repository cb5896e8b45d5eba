"""The only module that writes to the output folder.

Files are written to a temporary name in the same folder and renamed into
place, so a reader never sees half a PDF and a failed build leaves the old
file as it was. The manifest keeps entries for outputs this build did not
touch, so building one clinic does not forget the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    clinic: str
    lang: str
    leaflet: str
    """A leaflet id, or ``booklet``."""
    edition: str
    path: str
    pages: int
    bytes: int
    sha256: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.clinic, self.lang, self.leaflet, self.edition)


@dataclass(frozen=True)
class Artifact:
    """One PDF ready to write, with the HTML it came from, and where it goes."""

    clinic: str
    lang: str
    leaflet: str
    edition: str
    file_suffix: str
    pdf: bytes
    html: str
    pages: int

    @property
    def folder(self) -> Path:
        return Path(self.clinic) / self.lang

    @property
    def stem(self) -> str:
        return f"{self.leaflet}{self.file_suffix}"


def write_artifacts(out_dir: Path, artifacts: list[Artifact]) -> list[ManifestEntry]:
    """Write every artifact, then the merged manifest; return this build's entries."""
    entries = []
    for artifact in artifacts:
        folder = out_dir / artifact.folder
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{artifact.stem}.html", artifact.html.encode("utf-8"))
        atomic_write(folder / f"{artifact.stem}.pdf", artifact.pdf)
        entries.append(ManifestEntry(
            clinic=artifact.clinic,
            lang=artifact.lang,
            leaflet=artifact.leaflet,
            edition=artifact.edition,
            path=(artifact.folder / f"{artifact.stem}.pdf").as_posix(),
            pages=artifact.pages,
            bytes=len(artifact.pdf),
            sha256=hashlib.sha256(artifact.pdf).hexdigest(),
        ))
    _update_manifest(out_dir, entries)
    return entries


def atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
