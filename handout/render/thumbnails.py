"""Pictures of built PDFs' pages, and where their words sit, drawn by PDFium.

The live preview shows each page exactly as it will print: the PDF's own page,
drawn locally by PDFium (pypdfium2), with no system tools. Over each picture
lies the page's text, invisible but selectable and searchable, the way PDF.js
shows a PDF. The README gallery's pictures come from here too.

PDFium is not thread-safe and the preview server answers each request in a
thread of its own, so every call into it holds one lock.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import pypdfium2

_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class TextLine:
    """A run of text and its box, in points from the page's top-left corner."""

    text: str
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class PageLayout:
    width: float
    """In points."""
    height: float
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class PdfSummary:
    title: str
    author: str
    pages: tuple[PageLayout, ...]


def page_png(pdf: bytes, index: int, width_px: int) -> bytes:
    """Page ``index`` (from 0) as a PNG ``width_px`` wide."""
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[index]
            image = page.render(scale=width_px / page.get_width()).to_pil()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def summarise(pdf: bytes, with_text: bool = True) -> PdfSummary:
    """The PDF's title and author (WeasyPrint writes the leaflet's and the clinic's),
    and every page's size and, ``with_text``, its lines of text."""
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            metadata = document.get_metadata_dict()
            pages = tuple(_layout(document[i], with_text) for i in range(len(document)))
        finally:
            document.close()
    return PdfSummary(metadata.get("Title", ""), metadata.get("Author", ""), pages)


def _layout(page: pypdfium2.PdfPage, with_text: bool) -> PageLayout:
    width, height = page.get_size()
    if not with_text:
        return PageLayout(width, height, ())
    text = page.get_textpage()
    lines = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        words = text.get_text_bounded(left, bottom, right, top).strip()
        if words:
            lines.append(TextLine(words, left, height - top, right - left, top - bottom))
    return PageLayout(width, height, tuple(lines))
