"""The typeface every leaflet is set in, installed with the project (Source Sans Pro).

Kept apart from ``pdf.py`` so that a build with nothing to render never has
to import WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

import font_source_sans_pro

FONT_DIR = Path(font_source_sans_pro.__file__).parent / "files"
FONT_FACES = (("Regular", 400), ("Semibold", 600), ("Bold", 700))
FONT_FAMILY = "Leaflet Sans"
"""A private family name, so a system font of the same name can never stand in."""


def font_css() -> str:
    """@font-face rules for the fonts installed with the project (Source Sans Pro)."""
    rules = []
    for style, weight in FONT_FACES:
        url = (FONT_DIR / f"SourceSansPro-{style}.ttf").as_uri()
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
                     f'src: url("{url}"); }}')
    return "\n".join(rules)
