"""Easy Read: the rules of an edition that prints its own text (``en-easy``).

A reader with a learning disability reads the leaflet alone, so its words are
held to rules the standard text is not: sentences of 15 words or fewer, a
reading grade of 3 or below, no abbreviation (the variant's ``language.yaml``
sets all three), a picture in every section, and type of the edition's size
or larger. Each finding names the file and line of the words to change. The
rules read the Easy Read text only: the standard leaflet is the other gates'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from handout.content.blocks import texts_of
from handout.content.loader import Content
from handout.core.errors import Location, UserError
from handout.gates.base import Finding, Gate, GateContext, Layout, Verdict, unique
from handout.gates.measures import MIN_SCORED_WORDS, Piece, reading_scale, sentences, written_pieces
from handout.render.page import LeafletPage, resolve, wording_for

ALT_FIELDS = ("alt", "picture_alt")
"""Words a screen reader says for a picture: held to the rules, but not scored for
grade (they do not print)."""


@dataclass(frozen=True)
class TextMeasures:
    """What the rules found in one leaflet's Easy Read words."""

    grade: float
    longest: int
    """The words in its longest sentence."""
    problems: tuple[UserError, ...]


def _easy_read(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings: list[Finding] = []
    clinics = {proof.key: proof.page.clinic for proof in ctx.proofs}
    for layout in ctx.layouts:
        if not layout.edition.text_variant:
            continue
        findings.extend(Finding("easy-read", "fail", problem, tuple(layout.sections))
                        for problem in type_problems(layout))
        for key in layout.sections:
            page = resolve(ctx.content, clinics[key], layout.edition.text_lang(key.lang),
                           key.leaflet)
            measures = measure_text(ctx.content, page)
            verdict.add_cell(key, f"grade {measures.grade:g}, {measures.longest} words")
            findings.extend(Finding("easy-read", "fail", problem, (key,))
                            for problem in measures.problems)
    verdict.findings = unique(findings)
    return verdict


def measure_text(content: Content, page: LeafletPage) -> TextMeasures:
    """Hold one leaflet's own text (``page``, resolved in ``en-easy``) to its rules."""
    info = content.translations[page.lang].info
    wording = wording_for(content, page.lang)
    problems: list[UserError] = []
    scored: list[str] = []
    longest = 0
    alt = _alt_places(content, page)
    for piece in written_pieces(content, page):
        for sentence in sentences(piece.text):
            words = len(sentence.split())
            longest = max(longest, words)
            if info.sentence_words and words > info.sentence_words:
                problems.append(UserError(piece.location, (
                    f"this sentence has {words} words; Easy Read allows {info.sentence_words} "
                    f"at most. Split it: \"{sentence}\"")))
        problems.extend(_abbreviations(piece, info.abbreviations))
        if piece.location not in alt:
            scored.append(piece.text)
    for block in page.blocks:
        if not block.shown_pictures():
            problems.append(UserError(wording.place("block", block.id), (
                f"block '{block.id}' has no picture: every Easy Read section shows one "
                "(kind: ideas, a picture beside each idea)")))
    scale = reading_scale(content, page)
    grade = scale.score(scored)
    if not scale.passes(grade):
        hardest = max(((scale.score_text(s), s, piece.location)
                       for piece in written_pieces(content, page)
                       if piece.location not in alt for s in sentences(piece.text)
                       if len(s.split()) >= MIN_SCORED_WORDS),
                      key=lambda scored: scored[0], default=None)
        where = f"; the hardest is at {hardest[2]}: \"{hardest[1]}\"" if hardest else ""
        problems.append(UserError(wording.place("leaflet", page.id), (
            f"leaflet '{page.id}' scores {grade:g} on the {scale.name}; Easy Read allows "
            f"{scale.limit:g} at most. Use shorter words and sentences{where}")))
    return TextMeasures(grade, longest, tuple(problems))


def type_problems(layout: Layout) -> list[UserError]:
    """Text smaller than the edition's type size, anywhere on its pages."""
    if layout.smallest is None or layout.smallest[0] >= layout.edition.min_font_pt:
        return []
    points, text = layout.smallest
    return [UserError(layout.place, (
        f"{layout.name}: \"{text}\" is set in {points:.3g} pt; Easy Read text is "
        f"{layout.edition.min_font_pt:g} pt or larger"))]


def _abbreviations(piece: Piece, abbreviations: list[str]) -> Iterator[UserError]:
    for abbreviation in abbreviations:
        if re.search(rf"(?<![\w.]){re.escape(abbreviation)}(?!\w)", piece.text):
            yield UserError(piece.location, (
                f"'{abbreviation}' is an abbreviation: write the word out in Easy Read "
                f"(\"{piece.text}\")"))


def _alt_places(content: Content, page: LeafletPage) -> set[Location | None]:
    """Where the leaflet's alternative texts are written."""
    translation = content.translations[page.lang]
    return {at for block in page.blocks
            for (keys, _), (_, at) in zip(texts_of(translation.blocks[block.id]),
                                          translation.texts.get(("block", block.id), ()),
                                          strict=False)
            if keys[-1] in ALT_FIELDS}


GATE = Gate("easy-read", "Easy Read", _easy_read)
