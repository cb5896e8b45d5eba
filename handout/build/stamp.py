"""Skip a build whose inputs are all as they were: make's and Ninja's check, for
the whole build.

Each output already has its own fingerprint (incremental.py), but working them
out means loading the content and rendering every leaflet's HTML: most of a
no-op build. So before anything is loaded, the build hashes every file it could
read (the content, clinic files and the folders beside them, templates,
styles, this package, the font, the colour profile), the versions of the
libraries it runs, the command line's choices and today's date. A successful
build leaves that digest in ``output/.build-stamp.json`` with its summary and
each PDF's SHA-256. When the next build's digest matches and every PDF on disk
is still the one listed, nothing it would make can differ: it reports that
summary and stops. Anything else (an edit, a damaged PDF, another
selection, ``--force``) goes the usual way.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from handout.build.output import read_manifest
from handout.core.editions import OUTPUT_ENDINGS
from handout.core.files import FileRefused, files_under, read_bounded
from handout.render.fonts import FONT_DIR
from handout.render.palette import CMYK_PROFILE

STAMP = ".build-stamp.json"
MAX_HASHED = 50_000_000
"""Larger than any file a build reads (a font is a few megabytes)."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def input_digest(content: Path, templates: Path, styles: Path, choices: object) -> str:
    """Everything a build could read, and what it was asked for, as one SHA-256.
    (A clinic file outside the content folder is not covered: such builds take the
    usual way.)"""
    digest = hashlib.sha256(f"{sys.version}\n{choices!r}\n"
                            f"{os.environ.get('SOURCE_DATE_EPOCH', '')}\n"
                            f"{_installed()}\n".encode())
    files = [path for folder in (content, templates, styles, PACKAGE_DIR, FONT_DIR)
             for path in _files_under(folder)]
    files.append(CMYK_PROFILE)
    for path in files:
        digest.update(str(path).encode())
        digest.update(_file_digest(path))
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    """A file's SHA-256; for what no build would read (a named pipe, a device, a
    file over the limit, a link out or round a loop), what was refused and why, so
    the check never blocks on a pipe or reads gigabytes, and still sees a change."""
    try:
        return hashlib.sha256(read_bounded(path, MAX_HASHED)).digest()
    except FileRefused as exc:
        return f"refused: {exc.reason} {exc.size}".encode()
    except (OSError, ValueError):
        return b"unreadable"


def _installed() -> list[str]:
    """Every installed distribution and its version, from the names of their
    metadata folders (``weasyprint-70.0.dist-info``): reading each one's metadata
    would cost a tenth of a no-op build."""
    return sorted(name for folder in sys.path if os.path.isdir(folder)
                  for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))


def _files_under(folder: Path) -> list[Path]:
    """Every file below ``folder``, following links to folders inside it, each once."""
    return list(files_under(folder, frozenset({"__pycache__"})))


def last_summary(out_dir: Path, digest: str) -> dict[str, Any] | None:
    """The last build's summary if it was made from ``digest`` and the files it
    wrote or kept (PDFs, report) are still those on disk and in the manifest."""
    try:
        stamp = json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
        if stamp["inputs"] != digest:
            return None
        listed = {entry.path: entry.sha256 for entry in read_manifest(out_dir)}
        for path, sha256 in stamp["files"].items():
            if path.endswith(OUTPUT_ENDINGS) and listed.get(path) != sha256:
                return None
            if hashlib.sha256((out_dir / path).read_bytes()).hexdigest() != sha256:
                return None
        summary: dict[str, Any] = stamp["summary"]
        return summary
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no stamp, another version's, or a file gone: build as usual


def stamp_bytes(digest: str, files: dict[str, str], summary: dict[str, Any]) -> bytes:
    """The stamp of a build from ``digest`` that leaves ``files`` (path in the output
    folder to SHA-256) on disk."""
    return (json.dumps({"inputs": digest, "files": files, "summary": summary}, indent=1)
            + "\n").encode("utf-8")
