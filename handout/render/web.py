"""A leaflet as one web page: self-contained, so it can be emailed, put on a
clinic's site or be what the QR code points to.

Its stylesheet is set into the page, and its pictures and logo as ``data:``
addresses inside their ``<img>`` (each keeps its alternative text, and the
icons' own element ids cannot clash); the font is the reader's system font.
So the page fetches nothing: ``web_layout`` checks it, and reads the words the
page shows for the consistency gate, as the layout check does for a PDF.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from handout.render.fit import PageFit

FETCHING = {"src", "srcset", "poster", "data", "background", "formaction", "action"}
"""Attributes whose address a browser fetches as the page loads (``href`` only on
``<link>``: a link in the text is followed only when the reader chooses it)."""
NEVER = {"script", "iframe", "object", "embed", "frame", "link", "base", "form"}
"""Elements a self-contained page of words never needs."""
SILENT = {"head", "style", "script", "template", "title"}
"""Elements whose text the page does not show (an SVG's title is its alternative text)."""
CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:)([^'\")]*)", re.IGNORECASE)


def data_uri(path: Path) -> str:
    """The file as a ``data:`` address, to set into a page that fetches nothing."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def web_layout(html: str) -> PageFit:
    """What a web page shows (its words, spaces collapsed) and anything in it that
    would make the browser fetch a file or run a script."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    text = " ".join(" ".join(reader.words).split())
    return PageFit(problems=reader.problems, text=text)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.problems: list[str] = []
        self._silent = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NEVER:
            self.problems.append(f"the web page has a <{tag}> element; a self-contained "
                                 "page has none: take it out of the template")
        for name, value in attrs:
            if name in FETCHING and value and not value.startswith("data:"):
                self._fetches(f"<{tag} {name}=\"{value[:80]}\">")
            if name == "style" and value:
                self._check_css(value)
            if name.startswith("on"):
                self.problems.append(f"the web page has a script in <{tag} {name}>; take it "
                                     "out of the template")
        if tag in SILENT:
            self._silent += 1
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag in SILENT and self._silent:
            self._silent -= 1
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data)
        if not self._silent:
            self.words.append(data)

    def _check_css(self, css: str) -> None:
        for address in CSS_URL.findall(css):
            self._fetches(f"url({address[:80]})")
        if "@import" in css:
            self._fetches("@import")

    def _fetches(self, what: str) -> None:
        self.problems.append(f"the web page would fetch {what}; it must fetch nothing: set "
                             "the file into the page, or leave it out")


@dataclass(frozen=True)
class RenderedPage:
    """A web page made, as the build takes a rendered PDF: its bytes, its one page,
    and what ``web_layout`` found."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]
    fit: PageFit


def web_page(html: str) -> RenderedPage:
    """The page is its HTML: nothing to lay out, so it is made in the build's own process."""
    return RenderedPage(html.encode("utf-8"), 1, (), web_layout(html))
