"""Parse each stylesheet once per worker, not once per render.

WeasyPrint parses every ``<link rel="stylesheet">`` and ``<style>`` of a document
on every render: ``leaflet.css`` alone took 0.8 s of a 96-leaflet build (issue 21).
A worker keeps each parsed ``CSS`` object, keyed by the stylesheet's bytes (so an
edit while ``serve`` runs is picked up), and hands them to WeasyPrint with the
document's head stripped of them.

WeasyPrint takes pre-parsed sheets as the *user* origin, below the author's. So
every sheet of the head moves, in its order: the cascade between them (order,
specificity) is unchanged, and a ``style`` attribute still wins, as it did. A head
that is not as base.html.j2 writes it is rendered as it is, uncached.
"""

from __future__ import annotations

import hashlib
import html as html_text
import re
from collections.abc import Callable
from typing import Any

from weasyprint import CSS
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from handout.render.log import captured_warnings

HEAD_END = "</head>"
LINK = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">\n?')
STYLE = re.compile(r"<style>\n?(.*?)</style>\n?", re.DOTALL)
Parsed = tuple[CSS, tuple[str, ...]]
"""A parsed sheet, and the warnings parsing it logged."""
KEPT = 64
"""Parsed sheets a worker keeps: the shared files, and each clinic's page head
(its colours and footer) for a few languages and editions."""


class StylesheetCache:
    """The parsed stylesheets of one worker, with what they registered while parsing
    (fonts, counter styles, colour profiles), which every render must then share."""

    def __init__(self, fonts: FontConfiguration, fetcher: URLFetcher) -> None:
        self._fonts = fonts
        self._fetcher = fetcher
        self.counter_style = CounterStyle()
        self.color_profiles: dict[str, Any] = {}
        self._parsed: dict[str, Parsed] = {}

    def split(self, html: str) -> tuple[str, list[CSS], list[str]]:
        """``html`` without its head's stylesheets; those sheets, parsed, in order;
        and the warnings their parsing logged, every time a sheet is used (a CSS error
        fails each render, cached or not). A head with none, or not in base.html.j2's
        form, comes back whole."""
        end = html.find(HEAD_END)
        if end < 0:
            return html, [], []
        head = html[:end]
        pieces = sorted([*LINK.finditer(head), *STYLE.finditer(head)], key=lambda m: m.start())
        sheets: list[CSS] = []
        warnings: list[str] = []
        for match in pieces:
            if match.re is LINK:
                sheet = self._file(html_text.unescape(match.group(1)))
            else:
                sheet = self._string(match.group(1))
            if sheet is None:
                return html, [], []
            sheets.append(sheet[0])
            warnings.extend(sheet[1])
        for match in reversed(pieces):
            head = head[:match.start()] + head[match.end():]
        return head + html[end:], sheets, warnings

    def _file(self, url: str) -> Parsed | None:
        """Read through the worker's fetcher, so the folders a render may read still
        bound it; one it refuses is left in the head, for WeasyPrint to report."""
        try:
            data = self._fetcher.fetch(url).read()
        except (OSError, ValueError):
            return None
        return self._parse(url.encode() + b"\n" + data, lambda: CSS(
            string=data.decode("utf-8"), base_url=url, **self._shared()))

    def _string(self, text: str) -> Parsed:
        return self._parse(text.encode("utf-8"), lambda: CSS(string=text, **self._shared()))

    def _parse(self, source: bytes, parse: Callable[[], CSS]) -> Parsed:
        """The sheet parsed from ``source`` (its address and text), parsed once."""
        key = hashlib.sha256(source).hexdigest()
        sheet = self._parsed.pop(key, None)
        if sheet is None:
            with captured_warnings() as warnings:
                sheet = (parse(), tuple(warnings))
        self._parsed[key] = sheet  # the most recently used last
        while len(self._parsed) > KEPT:
            del self._parsed[next(iter(self._parsed))]
        return sheet

    def _shared(self) -> dict[str, Any]:
        return {"url_fetcher": self._fetcher, "font_config": self._fonts,
                "counter_style": self.counter_style, "color_profiles": self.color_profiles}
