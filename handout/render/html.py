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

from handout.content.blocks import template_of
from handout.content.characters import isolated
from handout.content.i18n import MissingMessage, base_language
from handout.content.model import in_language
from handout.content.pictures import picture_file
from handout.core.editions import EDITIONS, Edition
from handout.core.errors import UserErrors
from handout.render.page import LeafletPage
from handout.render.web import data_uri

NUMBER_GROUP = re.compile(r"(?<![\w#&;-])\d[\d.,]*(?:[ -]\d[\d.,]*)*"
                          r"(?: (?:to|a|y) \d[\d.,]*)?(?: [^\W\d_]+|%)?")
"""A number with its digit groups, a range's second number and the word after it."""
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
    env.globals["qr_svg"] = qr_svg
    env.globals["block_template"] = template_of
    env.globals["shows_pictures"] = shows_pictures
    env.filters["css_string"] = css_string
    env.filters["css_counters"] = css_counters
    env.filters["tel"] = lambda number: "tel:" + re.sub(r"[^0-9+]", "", number)
    return env


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, every unusual character escaped.

    Clinic names and review lines go into the page footer's CSS; escaping all but
    letters, digits and spaces means no text can end the string or the style.
    """
    escaped = "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):x} "
                      for c in text)
    return Markup(f'"{escaped}"')


def css_counters(text: str) -> Markup:
    """"Page {page} of {pages}", translated, as CSS content with the page counters.

    The translator sees the whole sentence, so the words can go in any order."""
    pieces = re.split(r"\{(page|pages)\}", text)
    return Markup(" ".join(css_string(piece) if i % 2 == 0 else f"counter({piece})"
                           for i, piece in enumerate(pieces) if piece))


@functools.cache
def qr_svg(url: str, colour: str = "#000", title: str = "") -> Markup:
    """A QR code for ``url`` as inline SVG, made locally (no web service).

    ``colour`` is any CSS colour WeasyPrint draws in SVG, such as the press
    edition's ``device-cmyk(0 0 0 1)``. The SVG's ``<title>`` (``title``, in the
    leaflet's language) becomes the tagged figure's alternative text.
    """
    svg = _qr_symbol(url).svg_inline(scale=2, border=0, dark="#000", omitsize=False,
                                     title=title or url)
    assert svg.count('stroke="#000"') == 1
    return Markup(svg.replace('stroke="#000"', f'stroke="{escape(colour)}" fill="none"'))


@functools.cache
def _qr_symbol(url: str) -> segno.QRCode:
    """The encoded symbol: the slow part, made once per address whatever the language."""
    return segno.make(url, error="m")


def inline(text: str) -> Markup:
    """Escape ``text``, then allow one mark-up: ``**words**`` for bold emphasis.
    A number keeps its unit, its range and its digit groups on one line, so that
    "4 to 6 hours" or "1-800-222-1222" is never broken where a reader would misread it.

    Bold is the emphasis RNIB Clear Print recommends; italics and capitals are not.
    """
    marked = BOLD.sub(r"<strong>\1</strong>", str(escape(text)))
    return Markup(NUMBER_GROUP.sub(r'<span class="nowrap">\g<0></span>', marked))


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
    inline_css: str = ""
    """A web page's stylesheet, set into the page (``stylesheet_urls`` is then empty)."""
    logo_src: str = ""
    """The ``src`` of the clinic's logo: its file name beside the clinic file, or for
    a web page the file itself as a ``data:`` address."""
    embedded: bool = False
    """Pictures are set into the page as ``data:`` addresses (a web page), rather than
    read from the icon set's files (a PDF)."""


def render_leaflet(env: Environment, page: LeafletPage, look: Look) -> str:
    """One leaflet in ``look``'s edition: a PDF's HTML, or a web page."""
    leaflet = page.leaflet
    return render_document(env, look.edition.template, page, look, doc_title=leaflet.title,
                           doc_description=leaflet.message, doc_date=leaflet.revised)


@dataclass(frozen=True)
class Booklet:
    """What the booklet prints once: a block two leaflets share, the contacts (on the
    cover) and the sources (at the end), so the patient does not read them four times."""

    printed_at: dict[str, dict[str, str]]
    """For each leaflet, its blocks that an earlier leaflet printed: the block id to
    the HTML id of the copy to turn to."""
    citations: tuple[str, ...]
    pictured: bool


def plan_booklet(pages: list[LeafletPage]) -> Booklet:
    """A block with a heading prints in the first leaflet that has it; the later ones
    point to it by its heading (a block without one prints again, as it has no name)."""
    first_copy: dict[str, str] = {}
    printed_at: dict[str, dict[str, str]] = {}
    for page in pages:
        printed_at[page.id] = {block.id: first_copy[block.id] for block in page.blocks
                               if block.id in first_copy and block.heading}
        for block in page.blocks:
            first_copy.setdefault(block.id, f"{page.id}-{block.id}")
    citations = tuple(dict.fromkeys(c for page in pages for c in page.citations))
    return Booklet(printed_at, citations, any(map(shows_pictures, pages)))


def shows_pictures(page: LeafletPage) -> bool:
    """Whether the leaflet prints a picture, and so owes the icon set its credit."""
    return any(block.shown_pictures() for block in page.blocks)


def render_booklet(env: Environment, pages: list[LeafletPage], look: Look) -> str:
    """Every leaflet of one clinic and language, after a cover with the contents."""
    first = pages[0]
    return render_document(env, "booklet.html.j2", first, look, pages=pages,
                           booklet=plan_booklet(pages),
                           doc_description=", ".join(page.leaflet.title for page in pages),
                           doc_date=max(page.leaflet.revised for page in pages))


def render_document(env: Environment, template: str, page: LeafletPage, look: Look,
                    **context: Any) -> str:
    """Render ``template`` for ``page``'s clinic and language (a leaflet, a booklet, a
    patient's plan); a fixed string its language's catalogue lacks is a user error."""
    try:
        return env.get_template(template).render({"page": page, **_common(page, look),
                                                  **context})
    except MissingMessage as exc:
        raise UserErrors([page.words.missing(str(exc))]) from None


def _common(page: LeafletPage, look: Look) -> dict[str, Any]:
    clinic = page.clinic
    return {
        "lang": base_language(page.lang),
        "_": page.words._,
        "clinic": clinic,
        "logo_alt": in_language(clinic.logo.alt, base_language(page.lang)) if clinic.logo else "",
        "edition": look.edition,
        "stylesheet_urls": look.stylesheet_urls,
        "font_css": Markup(look.font_css),
        "page_css": Markup(look.page_css),
        "inline_css": Markup(look.inline_css),
        "logo_src": look.logo_src,
        "picture_url": picture_data if look.embedded else picture_url,
        "colours": look.colours,
        "qr_colour": look.colours["ink"],
        "paper": PAPER_SIZES[page.clinic.paper],
        "footer": footer_text(page, isolate=True),
        "formats_line": formats_line(page),
        "plan": None,  # a patient's plan by line (fill:): only for one patient's copy
        "booklet": None,  # what a booklet prints once: only for the booklet
    }


def formats_line(page: LeafletPage, editions: dict[str, Edition] = EDITIONS) -> str:
    """The line that tells a patient which other formats of the leaflet they can ask
    for (the Accessible Information Standard's "tell people"): each edition the clinic
    builds (its ``editions``) that is a format for patients, in the leaflet's
    language; nothing if it builds none."""
    _ = page.words._
    offered = [_(edition.offered_as) for name, edition in editions.items()
               if name in page.clinic.editions and edition.offered_as]
    if not offered:
        return ""
    return _("You can get this leaflet {formats}. Ask us.", formats=page.words.either(offered))


def picture_url(name: str) -> str:
    return picture_file(name).as_uri()


@functools.cache
def picture_data(name: str) -> str:
    """A picture set into a web page: read once a build, however many pages show it."""
    return data_uri(picture_file(name))


def footer_text(page: LeafletPage, isolate: bool = False) -> str:
    """The running footer: clinic, phone and review status, on every page. The
    footer is one line of CSS text, where no ``<bdi>`` can go: to print, the name and
    the number are set between isolate marks (``isolate``), so that a name in a
    right-to-left script cannot carry the number along with it."""
    clinic, _ = page.clinic, page.words._
    mark = isolated if isolate else str
    name = mark(clinic.name)
    first = _("{clinic}  |  Phone {number}", clinic=name,
              number=mark(clinic.phone.replace(" ", "\u00a0"))) if clinic.phone else name
    return f"{first}\n{page.review_short}"
