"""Turn a resolved leaflet into HTML with Jinja2.

Autoescaping is on, so text from a YAML file can never become markup, and
undefined names raise instead of printing as blanks: a missing dose must never
silently vanish from a leaflet.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .editions import Edition
from .resolve import LeafletPage, format_date

BOLD = re.compile(r"\*\*(.+?)\*\*")
PAPER_SIZES = {"letter": "letter", "a4": "A4"}


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline
    env.filters["date"] = format_date
    env.globals["qr_svg"] = qr_svg
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, every unusual character escaped.

    Clinic names and review lines go into the page footer's CSS; escaping all but
    letters, digits and spaces means no text can end the string or the style.
    """
    escaped = "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):x} "
                      for c in text)
    return Markup(f'"{escaped}"')


@functools.cache
def qr_svg(url: str, colour: str = "#000") -> Markup:
    """A QR code for ``url`` as inline SVG, made locally (no web service).

    ``colour`` is any CSS colour WeasyPrint draws in SVG, such as the press
    edition's ``device-cmyk(0 0 0 1)``. The SVG's ``<title>`` becomes the
    tagged figure's alternative text.
    """
    svg = segno.make(url, error="m").svg_inline(scale=2, border=0, dark="#000",
                                                 omitsize=False, title=f"QR code for {url}")
    assert svg.count('stroke="#000"') == 1
    return Markup(svg.replace('stroke="#000"', f'stroke="{escape(colour)}" fill="none"'))


def inline(text: str) -> Markup:
    """Escape ``text``, then allow one mark-up: ``**words**`` for bold emphasis.

    Bold is the emphasis RNIB Clear Print recommends; italics and capitals are not.
    """
    return Markup(BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


@dataclass(frozen=True)
class Look:
    """How one clinic's documents look in one edition: everything but the words."""

    edition: Edition
    stylesheet_urls: tuple[str, ...]
    font_css: str
    colours: dict[str, str]
    """CSS custom property name to value: ``#rrggbb``, or ``device-cmyk(...)`` for press."""
    page_css: str = ""
    """Extra ``@page`` rules, such as crop marks."""


BOOKLET_TITLE = "Magnesium and restless legs: your leaflets"


def render_leaflet(env: Environment, page: LeafletPage, look: Look) -> str:
    leaflet = page.leaflet
    return env.get_template("leaflet.html.j2").render(
        page=page, doc_title=leaflet.title, doc_description=leaflet.message,
        doc_date=leaflet.revised, **_common(page, look))


def render_booklet(env: Environment, pages: list[LeafletPage], look: Look) -> str:
    """Every leaflet of one clinic and language, after a cover with the contents."""
    return env.get_template("booklet.html.j2").render(
        pages=pages, doc_title=BOOKLET_TITLE,
        doc_description=", ".join(page.leaflet.title for page in pages),
        doc_date=max(page.leaflet.revised for page in pages), **_common(pages[0], look))


def _common(page: LeafletPage, look: Look) -> dict[str, Any]:
    return {
        "lang": page.lang,
        "clinic": page.clinic,
        "edition": look.edition,
        "stylesheet_urls": look.stylesheet_urls,
        "font_css": Markup(look.font_css),
        "page_css": Markup(look.page_css),
        "colours": look.colours,
        "qr_colour": look.colours["ink"],
        "paper": PAPER_SIZES[page.clinic.paper],
        "footer": footer_text(page),
    }


def footer_text(page: LeafletPage) -> str:
    """The running footer: clinic, phone and review status, on every page."""
    clinic = page.clinic
    first = f"{clinic.name}  |  Phone {clinic.phone}" if clinic.phone else clinic.name
    return f"{first}\n{page.review_short}"
