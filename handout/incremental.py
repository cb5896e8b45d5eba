"""Rebuild only what changed: a fingerprint of every input of each PDF.

An output's inputs are its HTML (which carries the blocks, facts, sources,
clinic file and templates, as printed), the files the HTML pulls in (styles,
fonts, the clinic's logo, the press colour profile) and the code that makes it
(this package's source and the WeasyPrint and pydyf versions). Their SHA-256
is recorded in the manifest. When it matches and the PDF on disk is the one
the manifest lists, the PDF is not rendered again.

The quality gates need each output's layout (pages, text, smallest type)
whether it was rendered or not, so the layout of every written PDF is kept in
``output/.layout-cache.json`` beside the manifest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pydyf
import weasyprint

from .output import ManifestEntry, read_manifest
from .pagefit import PageFit
from .palette import CMYK_PROFILE
from .pdf import FONT_DIR

LAYOUT_CACHE = ".layout-cache.json"
PACKAGE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class CachedLayout:
    inputs: str
    pages: int
    fit: PageFit


def fingerprint_shared(styles: Path) -> str:
    """What every output depends on: code, styles, fonts, colour profile."""
    digest = hashlib.sha256(f"weasyprint {weasyprint.__version__}; pydyf {pydyf.__version__}"
                            .encode())
    files = [*sorted(PACKAGE_DIR.glob("*.py")), *sorted(PACKAGE_DIR.glob("*.yaml")),
             *sorted(styles.glob("*.css")), *sorted(FONT_DIR.glob("*.ttf"))]
    if CMYK_PROFILE.is_file():
        files.append(CMYK_PROFILE)
    for path in files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(shared: str, html: str, pdf_variant: str, assets: list[Path]) -> str:
    """One output's inputs: the shared fingerprint, its HTML, its variant, its images."""
    digest = hashlib.sha256(f"{shared}\n{pdf_variant}\n".encode())
    digest.update(html.encode("utf-8"))
    for path in assets:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()


class BuildCache:
    """The previous build's manifest and layouts, to tell which outputs are fresh."""

    def __init__(self, out_dir: Path | None) -> None:
        """With no ``out_dir`` (``--force``, or nothing built yet) nothing is fresh."""
        self.out_dir = out_dir or Path()
        self.entries = {entry.key: entry for entry in read_manifest(out_dir)} if out_dir else {}
        self.layouts = _read_layouts(out_dir / LAYOUT_CACHE) if out_dir else {}

    def fresh(self, key: tuple[str, str, str, str], inputs: str) -> CachedLayout | None:
        """The cached layout if this output is on disk and built from these inputs."""
        entry = self.entries.get(key)
        layout = self.layouts.get(_cache_key(key))
        if entry is None or layout is None or entry.inputs != inputs:
            return None
        if layout.inputs != inputs or not self._intact(entry):
            return None
        return layout

    def _intact(self, entry: ManifestEntry) -> bool:
        path = self.out_dir / entry.path
        try:
            data = path.read_bytes()
        except OSError:
            return False
        return len(data) == entry.bytes and hashlib.sha256(data).hexdigest() == entry.sha256

    def updated(self, new: dict[tuple[str, str, str, str], CachedLayout]) -> bytes:
        """The layout cache with this build's outputs added, as JSON."""
        layouts = {**self.layouts, **{_cache_key(key): value for key, value in new.items()}}
        return (json.dumps({key: asdict(value) for key, value in sorted(layouts.items())})
                + "\n").encode("utf-8")


def _cache_key(key: tuple[str, str, str, str]) -> str:
    return "/".join(key)


def _read_layouts(path: Path) -> dict[str, CachedLayout]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {key: _layout(value) for key, value in raw.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # missing or unreadable: everything is rendered again


def _layout(value: dict[str, object]) -> CachedLayout:
    fit = dict(value["fit"])  # type: ignore[call-overload]
    smallest = fit.get("smallest")
    fit["smallest"] = tuple(smallest) if smallest else None
    return CachedLayout(str(value["inputs"]), int(value["pages"]),  # type: ignore[call-overload]
                        PageFit(**fit))
