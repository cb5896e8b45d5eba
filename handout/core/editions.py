"""The editions a build can make: one content, several kinds of paper and reader.

An edition is data, not code: which stylesheet it adds, which PDF standard it
claims, how its page budget scales and what its files are called. The build and
the renderer read these fields; nothing else branches on an edition's name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    name: str
    summary: str
    file_suffix: str
    """Inserted before ``.pdf``: ``foods.large-print.pdf``."""
    stylesheet: str | None
    """Added after ``leaflet.css``, from ``styles/``."""
    pdf_variant: str
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
    def tag(self) -> str:
        """How a report or a summary names this edition beside a leaflet: nothing for
        the proof edition, which is what a leaflet is unless said otherwise."""
        return "" if self.proof else self.name


EDITIONS: dict[str, Edition] = {
    edition.name: edition for edition in (
        Edition("standard", "tagged PDF/UA-1, for print and screen readers", "", None,
                "pdf/ua-1", proof=True),
        Edition("large-print", "body text 18 pt, twice the page budget", ".large-print",
                "large-print.css", "pdf/ua-1", budget_factor=2, min_font_pt=16),
        Edition("press", "PDF/X-4 in CMYK with 3 mm bleed, for print shops", ".press",
                "press.css", "pdf/x-4", press=True),
        Edition("easy-read", "its own Easy Read text, a picture beside each idea, 16 pt",
                ".easy-read", "easy-read.css", "pdf/ua-1", min_font_pt=16,
                text_variant="easy", page_range=(4, 8)),
        Edition("booklet", "every leaflet in one PDF with a cover and contents", "",
                "booklet.css", "pdf/ua-1", booklet="booklet"),
    )
}
DEFAULT_EDITIONS = ("standard",)
PROOF_EDITION = next(edition for edition in EDITIONS.values() if edition.proof)
"""The edition the gates read a leaflet's words from: the one laid out for every build."""
SINGLE_FILES = {edition.booklet: edition.name for edition in EDITIONS.values() if edition.booklet}
"""The name an edition gives its one PDF per clinic and language (no leaflet may
take it), to the edition's name."""
TEXT_VARIANTS = frozenset(edition.text_variant for edition in EDITIONS.values()
                          if edition.text_variant)
"""The variants a language folder may be named for: ``en-easy``, ``es-easy``."""
