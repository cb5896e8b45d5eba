"""The built files the preview shows: a PDF's summary and page pictures, and a web
page as it was written, each read only while it is still the file the manifest
lists (a rebuild may replace it between two requests).

A web page is served as built, under the same policy its own ``<meta>`` sets:
it may fetch nothing and run no script, so the preview shows what a patient's
browser will.
"""

from __future__ import annotations

import functools
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale, UnknownLocaleError

from handout.render.thumbnails import PdfSummary, page_png, summarise

WEB_PATH = re.compile(r"/web/([0-9a-f]{64})/[^/]+\.html")
WEB_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
              "form-action 'none'")
"""The web page's own Content-Security-Policy, sent as a header too."""


class Replaced(Exception):
    """The file on disk is no longer the one asked for: a rebuild replaced it."""


def built_bytes(path: Path, digest: str) -> bytes:
    """The file, if it is still the one with this SHA-256; never cached under another."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise Replaced(path)
    return data


@functools.lru_cache(maxsize=512)
def pdf_summary(path: Path, digest: str, with_text: bool) -> PdfSummary:
    """Cached by the PDF's SHA-256 (``digest``), so a rebuilt PDF is read afresh."""
    return summarise(built_bytes(path, digest), with_text)


@functools.lru_cache(maxsize=256)
def page_picture(path: Path, digest: str, index: int, width: int) -> bytes:
    return page_png(built_bytes(path, digest), index, width)


@functools.lru_cache(maxsize=512)
def web_summary(path: Path, digest: str) -> PdfSummary:
    """A web page's title and clinic, as the list of leaflets shows them (no pages)."""
    reader = _Head()
    reader.feed(built_bytes(path, digest).decode("utf-8"))
    return PdfSummary(" ".join(reader.title.split()), reader.author, ())


@functools.lru_cache(maxsize=32)
def language_name(lang: str) -> str:
    try:
        return f"{Locale.parse(lang).get_display_name('en')} ({lang})"
    except (ValueError, UnknownLocaleError):
        return lang


class _Head(HTMLParser):
    """The ``<title>`` and the author ``<meta>`` of a page the build wrote."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.author = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title" and not self.title  # the page's, not an SVG's
        named = dict(attrs)
        if tag == "meta" and named.get("name") == "author":
            self.author = named.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
