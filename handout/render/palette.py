"""The leaflet's colours, and their CMYK values for the print shop.

Every colour the stylesheet uses is a custom property declared once in the
``:root`` rule of ``styles/leaflet.css``; a clinic replaces ``--primary`` and
``--accent``. The press edition needs ink values, so each colour is converted
here, once, with the same ICC profile that becomes the PDF's output intent:
the values a clinic checks against its brand guide are the values printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms

from handout.core.errors import UserError, UserErrors

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
"""Artifex's SWOP-based CMYK printer profile, from Debian's libgs-common
(installed by scripts/setup.sh)."""

ROOT_RULE = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
CUSTOM_COLOUR = re.compile(r"--(?P<name>[a-z-]+)\s*:\s*(?P<value>#[0-9a-fA-F]{6})\s*;")
NEUTRAL_TOLERANCE = 4
"""Channels this close count as grey, and grey prints with black ink alone."""


@dataclass(frozen=True)
class Cmyk:
    """Ink coverage, each from 0 to 1."""

    cyan: float
    magenta: float
    yellow: float
    black: float

    def css(self) -> str:
        return (f"device-cmyk({self.cyan:.2f} {self.magenta:.2f} "
                f"{self.yellow:.2f} {self.black:.2f})")

    def percent(self) -> str:
        """The form a brand guide uses: ``C 100 M 78 Y 31 K 16``."""
        return " ".join(f"{ink} {round(value * 100)}" for ink, value in
                        zip("CMYK", (self.cyan, self.magenta, self.yellow, self.black),
                            strict=True))


def house_colours(stylesheet: Path) -> dict[str, str]:
    """The ``--name: #rrggbb`` colours declared in the stylesheet's ``:root`` rule."""
    match = ROOT_RULE.search(stylesheet.read_text(encoding="utf-8"))
    if match is None:
        return {}
    return {m["name"]: m["value"].lower() for m in CUSTOM_COLOUR.finditer(match["body"])}


def to_cmyk(hex_colour: str) -> Cmyk:
    """Convert an sRGB colour to ink with the press profile.

    Greys become black ink only: small text in four-colour black blurs when the
    plates are slightly out of register.
    """
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    if max(red, green, blue) - min(red, green, blue) <= NEUTRAL_TOLERANCE:
        grey = (red + green + blue) / 3
        return Cmyk(0.0, 0.0, 0.0, round(1 - grey / 255, 2))
    pixel = Image.new("RGB", (1, 1), (red, green, blue))
    inks = ImageCms.applyTransform(pixel, _transform()).getpixel((0, 0))  # type: ignore[union-attr]
    assert isinstance(inks, tuple)
    return Cmyk(*(round(int(ink) / 255, 2) for ink in inks))


def require_profile() -> None:
    if not CMYK_PROFILE.is_file():
        raise UserErrors([UserError(None, (
            f"the press edition needs the CMYK colour profile {CMYK_PROFILE}; "
            "run scripts/setup.sh to install it (Debian package libgs-common)"))])


SVG_ROOT_WITHOUT_FILL = re.compile(rb"<svg(?![^>]*\sfill=)[^>]*>")
SVG_HEX_COLOUR = re.compile(rb"#(?P<hex>[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")


def svg_to_cmyk(svg: bytes) -> bytes:
    """Rewrite the ``#rrggbb`` and ``#rgb`` colours of a clinic's SVG logo as ink.

    The logo then prints with the same conversion as the rest of the page. Colours
    written another way (``rgb()``, names) stay as the file gives them.
    """
    def ink(match: re.Match[bytes]) -> bytes:
        digits = match["hex"].decode()
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return to_cmyk(f"#{digits}").css().encode()
    inked = SVG_HEX_COLOUR.sub(ink, svg)
    # A shape that names no fill is filled black by default, which the renderer would
    # draw in RGB: give the drawing a black ink to inherit instead.
    black = b'fill="' + to_cmyk("#000000").css().encode() + b'"'
    return SVG_ROOT_WITHOUT_FILL.sub(lambda m: m[0][:4] + b" " + black + m[0][4:], inked,
                                     count=1)


@cache
def _transform() -> ImageCms.ImageCmsTransform:
    require_profile()
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(CMYK_PROFILE)),
        "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
