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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from handout.build.output import ManifestEntry, read_manifest
from handout.core.errors import Location
from handout.core.keys import LeafletKey, OutputKey
from handout.gates.measures import ProofMeasures, Sentence
from handout.render.fit import PageFit
from handout.render.fonts import FONT_DIR
from handout.render.palette import CMYK_PROFILE

LAYOUT_CACHE = ".layout-cache.json"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The whole ``handout`` package: its code is an input of every PDF."""


@dataclass(frozen=True)
class CachedLayout:
    inputs: str
    pages: int
    fit: PageFit


class Fingerprints:
    """One build's fingerprints. Each file is read once, however many outputs use it
    (a clinic's logo serves all its leaflets and editions); the next build makes its
    own, so an edit between builds in one process is seen."""

    def __init__(self, styles: Path) -> None:
        self._digests: dict[Path, bytes] = {}
        self.shared = self._shared(styles)
        """What every output depends on: code, styles, fonts, colour profile."""

    def output(self, html: str, variant: str, assets: list[Path]) -> str:
        """One output's inputs: the shared fingerprint, its HTML, its variant (a PDF
        standard, or a web page), its images."""
        digest = hashlib.sha256(f"{self.shared}\n{variant}\n".encode())
        digest.update(html.encode("utf-8"))
        for path in assets:
            digest.update(path.name.encode())
            digest.update(self._file(path) if path.is_file() else b"missing")
        return digest.hexdigest()

    def _shared(self, styles: Path) -> str:
        digest = hashlib.sha256(f"weasyprint {version('weasyprint')}; pydyf {version('pydyf')}"
                                .encode())
        files = [*sorted(PACKAGE_DIR.rglob("*.py")), *sorted(PACKAGE_DIR.rglob("*.yaml")),
                 *sorted(styles.glob("*.css")), *sorted(FONT_DIR.glob("*.ttf"))]
        if CMYK_PROFILE.is_file():
            files.append(CMYK_PROFILE)
        for path in files:
            shown = (path.relative_to(PACKAGE_DIR).as_posix()
                     if path.is_relative_to(PACKAGE_DIR) else path.name)
            digest.update(shown.encode())
            digest.update(self._file(path))
        return digest.hexdigest()

    def _file(self, path: Path) -> bytes:
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(path.read_bytes()).digest()
        return self._digests[path]


class BuildCache:
    """The previous build's manifest, layouts and measures, to tell what is fresh."""

    def __init__(self, out_dir: Path | None) -> None:
        """With no ``out_dir`` (``--force``, or nothing built yet) nothing is fresh."""
        self.out_dir = out_dir or Path()
        self.entries = {entry.key: entry for entry in read_manifest(out_dir)} if out_dir else {}
        raw = _read_json(out_dir / LAYOUT_CACHE) if out_dir else {}
        self.layouts = _decoded(raw.get("layouts"), OutputKey.parse, _layout)
        self.proofs = _decoded(raw.get("proofs"), LeafletKey.parse, _proof)

    def fresh(self, key: OutputKey, inputs: str) -> CachedLayout | None:
        """The cached layout if this output is on disk and built from these inputs."""
        entry = self.entries.get(key)
        layout = self.layouts.get(key)
        if entry is None or layout is None or entry.inputs != inputs:
            return None
        if layout.inputs != inputs or not self._intact(entry):
            return None
        return layout

    def measures(self, row: LeafletKey, inputs: str) -> ProofMeasures | None:
        """A leaflet's reading measures, if its words and their places have not changed."""
        cached = self.proofs.get(row)
        return cached[1] if cached and cached[0] == inputs else None

    def _intact(self, entry: ManifestEntry) -> bool:
        path = self.out_dir / entry.path
        try:
            data = path.read_bytes()
        except OSError:
            return False
        return len(data) == entry.bytes and hashlib.sha256(data).hexdigest() == entry.sha256

    def updated(self, layouts: dict[OutputKey, CachedLayout],
                proofs: dict[LeafletKey, tuple[str, ProofMeasures]]) -> bytes:
        """The cache with this build's layouts and measures added, as JSON."""
        all_layouts = {str(key): value for key, value in {**self.layouts, **layouts}.items()}
        all_proofs = {str(key): value for key, value in {**self.proofs, **proofs}.items()}
        return (json.dumps({
            "layouts": {key: asdict(value) for key, value in sorted(all_layouts.items())},
            "proofs": {key: {"inputs": inputs, "measures": _encoded(measures)}
                       for key, (inputs, measures) in sorted(all_proofs.items())},
        }) + "\n").encode("utf-8")


def proof_fingerprint(html: str, texts: Sequence[object]) -> str:
    """A leaflet's words as printed and as written, with where they were written (the
    clinic's notes included): an edit elsewhere in a clinic file leaves it alone."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(repr(texts).encode("utf-8"))
    return digest.hexdigest()


T = TypeVar("T")
K = TypeVar("K")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or unreadable: everything is rendered again
    return raw if isinstance(raw, dict) else {}


def _decoded(raw: Any, key_of: Callable[[str], K], decode: Callable[[Any], T]) -> dict[K, T]:
    try:
        return {key_of(str(key)): decode(value) for key, value in dict(raw or {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}  # written by another version: measured again


def _layout(value: dict[str, Any]) -> CachedLayout:
    fit = dict(value["fit"])
    smallest = fit.get("smallest")
    fit["smallest"] = tuple(smallest) if smallest else None
    return CachedLayout(str(value["inputs"]), int(value["pages"]), PageFit(**fit))


def _encoded(measures: ProofMeasures) -> dict[str, Any]:
    return {"reading": measures.reading, "images": measures.images,
            "described": measures.described,
            "hardest": [[s.score, s.text, s.part, *_place(s.location)] for s in measures.hardest]}


def _place(location: Location | None) -> list[Any]:
    return [None, 0, 0] if location is None else [str(location.path), location.line,
                                                   location.column]


def _proof(value: dict[str, Any]) -> tuple[str, ProofMeasures]:
    measures = value["measures"]
    hardest = tuple(Sentence(float(g), str(text), str(part),
                             None if path is None else Location(Path(path), int(line), int(col)))
                    for g, text, part, path, line, col in measures["hardest"])
    return str(value["inputs"]), ProofMeasures(float(measures["reading"]), hardest,
                                               int(measures["images"]),
                                               int(measures["described"]))
