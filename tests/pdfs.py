"""Read a PDF the way the tests check it: pages, size, fonts, text, metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader

POINTS_PER_INCH = 72
PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


def text_of(path: Path) -> str:
    """All text, with runs of white space folded to one space."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


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
