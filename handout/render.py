"""Turn a resolved leaflet into HTML with Jinja2.

Autoescaping is on, so text from a YAML file can never become markup, and
undefined names raise instead of printing as blanks: a missing dose must never
silently vanish from a leaflet.
"""

from __future__ import annotations

import re
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

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


def qr_svg(url: str) -> Markup:
    """A QR code for ``url`` as inline SVG, made locally (no web service)."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=2, border=0, dark="#000000", omitsize=False))


def inline(text: str) -> Markup:
    """Escape ``text``, then allow one mark-up: ``**words**`` for bold emphasis.

    Bold is the emphasis RNIB Clear Print recommends; italics and capitals are not.
    """
    return Markup(BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


def render_html(env: Environment, page: LeafletPage, stylesheet_urls: list[str],
                font_css: str) -> str:
    template = env.get_template("leaflet.html.j2")
    return template.render(
        page=page,
        clinic=page.clinic,
        leaflet=page.leaflet,
        stylesheet_urls=stylesheet_urls,
        font_css=Markup(font_css),
        paper=PAPER_SIZES[page.clinic.paper],
        colors=page.clinic.colors,
        footer=footer_text(page),
    )


def footer_text(page: LeafletPage) -> str:
    """The running footer: clinic, phone and review status, on every page."""
    clinic = page.clinic
    first = f"{clinic.name}  |  Phone {clinic.phone}" if clinic.phone else clinic.name
    return f"{first}\n{page.review_short}"
