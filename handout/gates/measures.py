"""What the gates read off a leaflet's words: its reading score, its hardest
sentences, its pictures.

Scoring is slow (the syllable dictionary takes a moment to load, and every
sentence is scored alone), so a build keeps these measures between runs and
works them out while the render workers lay the PDFs out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from handout.content.facts import facts_for
from handout.content.i18n import SOURCE_LANGUAGE, base_language
from handout.content.loader import Content
from handout.content.model import FactNotSet
from handout.content.texts import Located
from handout.content.yamlfile import YamlDocument
from handout.core.errors import Location
from handout.core.keys import LeafletKey
from handout.gates.readability import Scale, printed_units
from handout.render.page import LeafletPage

HARDEST_SHOWN = 3
MIN_SCORED_WORDS = 6
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence as printed, scored alone, and where it was written."""

    score: float
    text: str
    part: str
    """Which part of the leaflet: "block 'x'", "note on block 'x'", "title"."""
    location: Location | None


@dataclass(frozen=True)
class ProofMeasures:
    """What the gates read from a leaflet's HTML, kept between builds."""

    reading: float
    """The reading score, on the leaflet's language's scale."""
    hardest: tuple[Sentence, ...]
    images: int
    described: int
    """Images with alternative text."""


@dataclass(frozen=True)
class Proof:
    """One leaflet for one clinic and language: its words and its HTML."""

    page: LeafletPage
    clinic_file: Path
    html: str
    note_places: dict[str, Location] = field(default_factory=dict)
    """Where each of the clinic's notes on this leaflet is written (``note_places``)."""
    measures: ProofMeasures | None = None
    """Measured already (kept from an earlier build); None to measure now."""

    @property
    def key(self) -> LeafletKey:
        return LeafletKey(self.page.clinic.id, self.page.lang, self.page.id)


def note_places(clinic_doc: YamlDocument, page: LeafletPage) -> dict[str, Location]:
    """Where each of the clinic's notes on this leaflet is written, in its language."""
    return {block_id: clinic_doc.where(("notes", block_id, page.lang))
            for block_id in page.notes}


def reading_scale(content: Content, page: LeafletPage) -> Scale:
    """English is scored on the Flesch-Kincaid grade the clinic allows; another
    language on the formula and level its ``language.yaml`` names."""
    if page.lang == SOURCE_LANGUAGE:
        return Scale(page.lang, "flesch-kincaid-grade", page.clinic.max_reading_grade)
    reading = content.translations[page.lang].info.reading
    return Scale(base_language(page.lang), reading.formula, reading.limit)


def measure_proof(content: Content, proof: Proof) -> ProofMeasures:
    images, described = _images(proof.html)
    scale = reading_scale(content, proof.page)
    return ProofMeasures(scale.score(printed_units(proof.html)),
                         tuple(_hardest(content, proof, scale)), images, described)


@dataclass(frozen=True)
class Piece:
    """One piece of a leaflet's printed words (a title, an item, a note), its facts
    filled in, with which part of the leaflet it is and where it was written."""

    part: str
    """"title", "main message", "block 'x'", "note on block 'x'"."""
    text: str
    location: Location | None


def printed_pieces(content: Content, proof: Proof) -> list[Piece]:
    """Every piece of text the leaflet prints, in order, as printed."""
    page = proof.page
    return [*written_pieces(content, page),
            *(Piece(f"note on block '{block_id}'", note, proof.note_places.get(block_id))
              for block_id, note in page.notes.items())]


def written_pieces(content: Content, page: LeafletPage) -> list[Piece]:
    """Every piece of the content's text the leaflet prints (not the clinic's notes),
    in order, as printed."""
    facts = facts_for(content, page.clinic, page.words)
    written = content.texts_in(page.lang)
    pieces: list[tuple[str, Located]] = list(zip(
        ("title", "main message"), written.get(("leaflet", page.id), ()), strict=False))
    for block in page.blocks:
        pieces.extend((f"block '{block.id}'", located)
                      for located in written.get(("block", block.id), ()))
    printed = []
    for part, (text, location) in pieces:
        try:
            printed.append(Piece(part, facts.expand(text), location))
        except FactNotSet:  # a table row left out for this region
            continue
    return printed


def sentences(text: str) -> list[str]:
    """The sentences of a printed text, without its bold marks."""
    plain = " ".join(text.replace("**", "").split())
    return [s for s in SENTENCE_END.split(plain) if s]


def _hardest(content: Content, proof: Proof, scale: Scale) -> list[Sentence]:
    """The sentences that make the leaflet hardest to read, each with the place it was
    written. Only sentences long enough to score: on a label or a short heading, one
    long word swings Flesch-Kincaid by ten grades and says nothing about the prose."""
    scored = [Sentence(scale.score_text(s), s, piece.part, piece.location)
              for piece in printed_pieces(content, proof) for s in sentences(piece.text)
              if len(s.split()) >= MIN_SCORED_WORDS]
    return sorted(scored, key=lambda s: -scale.difficulty(s.score))[:HARDEST_SHOWN]


def _images(html: str) -> tuple[int, int]:
    """How many images the HTML has, and how many of them have alternative text."""
    parser = _ImageParser()
    parser.feed(html)
    return parser.images, parser.described


class _ImageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images = self.described = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img" or attributes.get("role") == "img":
            self.images += 1
            text = attributes.get("alt") if tag == "img" else attributes.get("aria-label")
            self.described += bool((text or "").strip())
