"""Render HTML to PDF with WeasyPrint, and treat its log as part of the result.

WeasyPrint carries on past a missing image or a CSS error, logging a warning.
For a leaflet a patient trusts that is a failed build, so every warning is
collected and returned to the caller. Fetching is limited to files inside the
allowed folders: no network, nothing else on disk.
"""

from __future__ import annotations

import mimetypes
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from handout.core.files import FileRefused, read_bounded
from handout.render.fit import PageFit
from handout.render.fonts import FONT_DIR
from handout.render.layout import check_layout
from handout.render.log import captured_warnings
from handout.render.stylesheets import StylesheetCache

SvgFilter = Callable[[bytes], bytes]
MAX_FETCHED_BYTES = 20_000_000
"""Above any font, stylesheet or picture a leaflet uses; a logo is checked to 2 MB."""
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


class FolderFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no types
    """Fetch ``file:`` URLs inside the allowed folders only; refuse everything else."""

    def __init__(self, allowed: list[Path], svg_filter: SvgFilter | None = None) -> None:
        super().__init__(allowed_protocols=["file"], allow_redirects=False)
        self._allowed = [folder.resolve() for folder in allowed]
        self._svg_filter = svg_filter

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"only files inside the project may be used, not {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self._allowed):
            raise ValueError(f"{path} is outside the folders the leaflets may use")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            body = read_bounded(path, MAX_FETCHED_BYTES)
        except FileRefused as exc:
            raise ValueError(f"{path} {exc.reason}") from None
        if self._svg_filter is not None and mime_type == "image/svg+xml":
            body = self._svg_filter(body)
        return URLFetcherResponse(url, body=body,
                                  headers={"Content-Type": mime_type})


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...]
    fit: PageFit


class PdfRenderer:
    """Holds what is worth keeping between renders: the font configuration and the
    parsed stylesheets (stylesheets.py).

    One renderer serves every clinic of a build; each render may also read the
    folder its relative links (a clinic's logo) resolve against.
    """

    def __init__(self, shared_folders: list[Path]) -> None:
        self._shared = [*shared_folders, FONT_DIR]
        self._fonts = FontConfiguration()
        self._sheets = StylesheetCache(self._fonts, FolderFetcher(self._shared))

    def render(self, html: str, folder: Path, pdf_variant: str,
               svg_filter: SvgFilter | None = None, write: bool = True) -> RenderedPdf:
        """``svg_filter`` rewrites each SVG image read, e.g. its colours as ink.
        Without ``write`` the pages are laid out and checked but no PDF is made
        (``check``): about 0.05 s a leaflet, or 13% of a build, saved."""
        fetcher = FolderFetcher([*self._shared, folder], svg_filter)
        body, sheets, sheet_warnings = self._sheets.split(html)
        with captured_warnings() as warnings:
            warnings.extend(sheet_warnings)
            document = HTML(string=body, base_url=folder.as_uri() + "/",
                            url_fetcher=fetcher).render(
                font_config=self._fonts, stylesheets=sheets,
                counter_style=self._sheets.counter_style,
                color_profiles=self._sheets.color_profiles)
            fit = check_layout(document)
            finisher = _Finisher(uuid.uuid5(uuid.NAMESPACE_URL, f"{pdf_variant}\n{html}"))
            data = document.write_pdf(pdf_variant=pdf_variant, finisher=finisher) if write else b""
        assert data is not None
        return RenderedPdf(data, len(document.pages), tuple(warnings), fit)

    def close(self) -> None:
        """Remove the folder WeasyPrint copies the fonts into, which it never removes
        itself (``FontConfiguration._folder``, made on the first render)."""
        folder = getattr(self._fonts, "_folder", None)
        if isinstance(folder, Path):
            shutil.rmtree(folder, ignore_errors=True)


class _Finisher:
    """Last touches to the PDF before it is written.

    Page labels: viewers otherwise show their own page count, which in a
    booklet would not match the contents list. Document id: WeasyPrint writes
    a random ``xmpMM:DocumentID`` into PDF/X output; one derived from the HTML
    makes the same inputs give the same bytes, so a rebuild can be verified.
    """

    def __init__(self, document_id: uuid.UUID) -> None:
        self.document_id = f"xmp.did:{document_id}".encode()

    def __call__(self, document: Document, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = pydyf.Dictionary(
            {"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})
        for item in pdf.objects:
            if isinstance(item, pydyf.Stream) and item.extra.get("Type") == "/Metadata":
                item.stream = [RANDOM_DOCUMENT_ID.sub(self.document_id, bytes(part))
                               for part in item.stream]
