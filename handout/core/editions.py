"""The editions a build can make: one content, several kinds of paper and reader.

An edition is data, not code: which stylesheet it adds, which PDF standard it
claims (or that it is a web page, not a PDF), how its page budget scales, what
its files are called and how a leaflet offers it to patients. The build and the
renderer read these fields; nothing else branches on an edition's name.
"""

from __future__ import annotations

from dataclasses import dataclass


def _(message: str) -> str:
    """Marks a fixed string for the translation catalogues (``build.py
    update-translations``); it is translated where it prints."""
    return message


@dataclass(frozen=True)
class Edition:
    name: str
    summary: str
    file_suffix: str
    """Inserted before the extension: ``foods.large-print.pdf``, ``foods.web.html``."""
    stylesheet: str | None
    """Added after ``leaflet.css``, from ``styles/``; a web page's only stylesheet,
    set inline."""
    pdf_variant: str | None
    """The PDF standard it claims; None for a web page, which is not a PDF."""
    budget_factor: int = 1
    min_font_pt: float = 9
    """The smallest text allowed anywhere on the page, footer included. Body
    text is larger (RNIB Clear Print: 12 pt; large print: 16 pt)."""
    press: bool = False
    """Colours as CMYK ink, 3 mm bleed and a CMYK output intent."""
    booklet: str | None = None
    """Every leaflet of a clinic and language in one PDF, not one PDF per leaflet:
    the PDF's name (``booklet.pdf``), which no leaflet may take."""
    proof: bool = False
    """The edition whose words the gates score; one edition is."""
    template: str = "leaflet.html.j2"
    """The template a leaflet is rendered with, from ``templates/``."""
    offered_as: str | None = None
    """How a leaflet names this edition when it tells patients which formats they
    can ask for ("in large print"): an edition a clinic lists in its ``editions``
    with this set is named in the line; None is not a format for patients (press)."""
    text_variant: str | None = None
    """The edition prints its own text, a variant of each language: ``easy`` reads
    ``content/translations/en-easy/`` for English. None prints the language's text."""
    page_range: tuple[int, int] | None = None
    """The fewest and most pages each leaflet may take, whatever its own budget."""

    def budget(self, pages: int) -> int:
        return self.page_range[1] if self.page_range else pages * self.budget_factor

    def text_lang(self, lang: str) -> str:
        """Where this edition's words in ``lang`` come from: ``en``, or ``en-easy``."""
        return f"{lang}-{self.text_variant}" if self.text_variant else lang

    @property
    def paged(self) -> bool:
        """A PDF laid out in pages (WeasyPrint), rather than one web page (HTML)."""
        return self.pdf_variant is not None

    @property
    def extension(self) -> str:
        return "pdf" if self.paged else "html"

    @property
    def variant(self) -> str:
        """What the output's fingerprint says it was made as: a PDF standard, or "web"."""
        return self.pdf_variant or "web"

    def file_name(self, stem: str) -> str:
        """The file a leaflet (or the booklet) is written to: ``foods.web.html``."""
        return f"{stem}{self.file_suffix}.{self.extension}"

    @property
    def tag(self) -> str:
        """How a report or a summary names this edition beside a leaflet: nothing for
        the proof edition, which is what a leaflet is unless said otherwise."""
        return "" if self.proof else self.name


EDITIONS: dict[str, Edition] = {
    edition.name: edition for edition in (
        Edition("standard", "tagged PDF/UA-1, for print and screen readers", "", None,
                "pdf/ua-1", proof=True),
        Edition("large-print", "body text 18 pt, twice the page budget", ".large-print",
                "large-print.css", "pdf/ua-1", budget_factor=2, min_font_pt=16,
                offered_as=_("in large print")),
        Edition("press", "PDF/X-4 in CMYK with 3 mm bleed, for print shops", ".press",
                "press.css", "pdf/x-4", press=True),
        Edition("easy-read", "its own Easy Read text, a picture beside each idea, 16 pt",
                ".easy-read", "easy-read.css", "pdf/ua-1", min_font_pt=16,
                text_variant="easy", page_range=(4, 8), offered_as=_("in Easy Read")),
        Edition("booklet", "every leaflet in one PDF with a cover and contents", "",
                "booklet.css", "pdf/ua-1", booklet="booklet"),
        Edition("web", "one self-contained, accessible web page (HTML) per leaflet", ".web",
                "web.css", None, template="web.html.j2", offered_as=_("as a web page")),
    )
}
DEFAULT_EDITIONS = ("standard",)
PROOF_EDITION = next(edition for edition in EDITIONS.values() if edition.proof)
"""The edition the gates read a leaflet's words from: the one laid out for every build."""
SINGLE_FILES = {edition.booklet: edition.name for edition in EDITIONS.values() if edition.booklet}
"""The name an edition gives its one PDF per clinic and language (no leaflet may
take it), to the edition's name."""
OUTPUT_ENDINGS = tuple(dict.fromkeys(edition.file_name("") for edition in EDITIONS.values()))
"""How the name of a file a build makes for patients ends (``.pdf``, ``.web.html``),
as against the HTML a PDF was rendered from and the build's own files."""
TEXT_VARIANTS = frozenset(edition.text_variant for edition in EDITIONS.values()
                          if edition.text_variant)
"""The variants a language folder may be named for: ``en-easy``, ``es-easy``."""
