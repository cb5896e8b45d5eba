"""Read a PDF the way the tests check it: pages, size, fonts, text, metadata."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader

POINTS_PER_INCH = 72
PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


_EXTRACTED: dict[bytes, tuple[str, ...]] = {}
"""Each page's text, by the SHA-256 of the PDF's bytes."""


def _extracted(path: Path) -> tuple[str, ...]:
    """Each page's text as pypdf extracts it, worked out once per distinct file: many
    tests read the same PDFs of the shared builds, and the extraction is most of their
    time. Keyed by the bytes, so a PDF rebuilt or damaged in place is read afresh."""
    data = path.read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in _EXTRACTED:
        pages = PdfReader(io.BytesIO(data)).pages
        _EXTRACTED[key] = tuple(page.extract_text() or "" for page in pages)
    return _EXTRACTED[key]


def text_of(path: Path) -> str:
    """All text, with runs of white space folded to one space."""
    return " ".join(" ".join(_extracted(path)).split())


def fonts_of(path: Path) -> dict[str, bool]:
    """Every font used on any page, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources: Any = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def page_sizes(path: Path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in PdfReader(path).pages}


def text_runs(path: Path) -> list[tuple[str, float]]:
    """Each piece of text drawn, with its size in points as printed."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            runs.append((" ".join(text.split()), round(size * abs(tm[3]) * abs(cm[3]), 1)))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def page_texts(path: Path) -> list[str]:
    """Each page's text, white space folded."""
    return [" ".join(text.split()) for text in _extracted(path)]


def structure(path: Path) -> list[dict[str, Any]]:
    """The tagged structure elements, in reading order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def colour_operators(path: Path) -> set[str]:
    """The fill and stroke colour operators used in the page content."""
    found: set[str] = set()
    for page in PdfReader(path).pages:
        for _, operator in page.get_contents().operations:  # type: ignore[union-attr]
            if operator in (b"rg", b"RG", b"k", b"K", b"g", b"G", b"sc", b"SC",
                            b"scn", b"SCN", b"cs", b"CS"):
                found.add(operator.decode())
    return found
