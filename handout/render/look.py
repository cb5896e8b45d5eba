"""How a clinic's leaflets look in an edition: stylesheets, fonts, colours, page rules.

The press edition prints in CMYK ink: its colours are converted here, and its
page carries the CMYK output profile and, if asked, crop marks in the bleed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from handout.content.model import Clinic
from handout.core.editions import Edition
from handout.render.fonts import font_css
from handout.render.html import Look
from handout.render.palette import CMYK_PROFILE, Cmyk, house_colours, to_cmyk
from handout.render.web import data_uri

LEAFLET_CSS = "leaflet.css"
"""Every edition's stylesheet; an edition's own is added after it."""


@dataclass(frozen=True)
class House:
    """What every look of a build starts from: the styles folder, its house colours
    and the fonts."""

    styles: Path
    colours: dict[str, str]
    fonts: str

    @classmethod
    def of(cls, styles: Path) -> House:
        return cls(styles, house_colours(styles / LEAFLET_CSS), font_css())

    def colours_of(self, clinic: Clinic) -> dict[str, str]:
        """The house colours with the clinic's own primary and accent."""
        return {**self.colours, "primary": clinic.colors.primary,
                "accent": clinic.colors.accent}

    def look(self, clinic: Clinic, edition: Edition, crop_marks: bool = False,
             folder: Path | None = None) -> Look:
        """``folder``: the clinic file's, where a web page reads the logo to set it in."""
        logo = clinic.logo.file if clinic.logo else ""
        colours = self.colours_of(clinic)
        if not edition.paged:  # a web page: its own stylesheet, set in; the system's font
            assert edition.stylesheet and (folder or not logo)
            css = (self.styles / edition.stylesheet).read_text(encoding="utf-8")
            return Look(edition, (), "", colours, inline_css=css, embedded=True,
                        logo_src=data_uri(folder / logo) if folder and logo else "")
        stylesheets = [LEAFLET_CSS, *([edition.stylesheet] if edition.stylesheet else [])]
        urls = tuple((self.styles / name).as_uri() for name in stylesheets)
        logo = quote(logo)  # the file's name, as a relative address
        if not edition.press:
            return Look(edition, urls, self.fonts, colours, logo_src=logo)
        page_css = (f"@color-profile device-cmyk {{ src: url({CMYK_PROFILE.as_uri()}); "
                    "components: cyan, magenta, yellow, black; }")
        if crop_marks:
            page_css += "\n@page { marks: crop; }"
        return Look(edition, urls, self.fonts,
                    {name: to_cmyk(value).css() for name, value in colours.items()}, page_css,
                    logo_src=logo)

    def press_inks(self, clinic: Clinic) -> dict[str, tuple[str, Cmyk]]:
        """The clinic's own colours and the ink each prints as, for the build's summary."""
        colours = self.colours_of(clinic)
        return {name: (colours[name], to_cmyk(colours[name])) for name in ("primary", "accent")}
