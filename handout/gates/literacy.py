"""Health literacy: the items of the CDC Clear Communication Index and PEMAT-P that
a program can check on the printed leaflet.

- The main message comes first, emphasised, straight under the title (CCI 1-3).
- A "key points" box of at most three points follows it (PEMAT-P 11).
- At least one picture, with alternative text, carries meaning (CCI 4; PEMAT-P 15).
- The first points speak to the reader as "you" and ask them to act (CCI 8-10).
- Every term in the glossary is explained where it is first used (CCI 7).
- No sentence is over 20 words (plain-language guidance; CCI 13).
- Numbers are whole numbers (CCI 15).

What a reviewer judges (is the picture clear, is the action the right one) the
panel scores by hand: docs/health-literacy.md.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from handout.content.blocks import KeyPoints
from handout.content.i18n import SOURCE_LANGUAGE
from handout.core.errors import Location, UserError
from handout.core.keys import LeafletKey
from handout.gates.base import Finding, Gate, GateContext, Verdict, unique
from handout.gates.measures import Piece, Proof, printed_pieces, sentences

MAX_WORDS = 20
ADDRESSED = {"en": ("you", "your")}
"""How each language speaks to the reader; the check is made where this is known."""
DECIMAL = re.compile(r"\d[.,]\d")


def _literacy(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings: list[Finding] = []
    for proof in ctx.proofs:
        found = _check(ctx, proof)
        findings.extend(found)
        verdict.cells[proof.key] = "ok" if not found else f"{len(found)} to fix"
    verdict.findings = unique(findings)
    return verdict


def _check(ctx: GateContext, proof: Proof) -> list[Finding]:
    page, key = proof.page, proof.key
    leaflet_at = ctx.content.place("leaflet", page.id)

    def fail(location: Location | None, message: str) -> Finding:
        return Finding("health-literacy", "fail", UserError(location, f"{key}: {message}"), (key,))

    found = []
    order = _Order()
    order.feed(proof.html)
    if order.after_title[:1] != ["main-message"]:
        found.append(fail(leaflet_at, "the main message must come first, under the title"))
    first = page.blocks[0] if page.blocks else None
    if not isinstance(first, KeyPoints):
        found.append(fail(leaflet_at, "the first block must be the key points (a block of "
                                      "kind key-points), right after the main message"))
    pictures = [block for block in page.blocks if block.shown_pictures()]
    if not pictures:
        found.append(fail(leaflet_at, "no picture: give at least one block a 'picture' and "
                                      "'picture_alt'"))
    words = ADDRESSED.get(page.lang)
    if words and isinstance(first, KeyPoints):
        spoken = " ".join(first.items).lower().split()
        if not any(word.strip(".,;:!?") in words for word in spoken):
            found.append(fail(ctx.content.place("block", first.id),
                              "the key points must speak to the reader as 'you' and say "
                              "what to do"))
    pieces = printed_pieces(ctx.content, proof)
    for piece in pieces:
        for sentence in sentences(piece.text):
            count = len(sentence.split())
            if count > MAX_WORDS:
                found.append(fail(piece.location, (
                    f"a sentence of {count} words ({piece.part}); keep each to "
                    f"{MAX_WORDS} words or fewer: \"{sentence}\"")))
    for fact_id, value in page.facts.items():
        if DECIMAL.search(value):
            found.append(fail(ctx.content.place("fact", fact_id), (
                f"fact '{fact_id}' prints {value}; round it to a whole number")))
    if page.lang == SOURCE_LANGUAGE:
        found.extend(_unexplained(ctx, proof, key, pieces))
    return found


def _unexplained(ctx: GateContext, proof: Proof, key: LeafletKey,
                 pieces: list[Piece]) -> list[Finding]:
    """Glossary terms whose first use on the leaflet has no explanation beside it."""
    found = []
    for term in ctx.content.glossary:
        pattern = re.compile(rf"\b{re.escape(term.term)}\b", re.IGNORECASE)
        for piece in pieces:
            first = next((s for s in sentences(piece.text) if pattern.search(s)), None)
            if first is None:
                continue
            if not any(words.lower() in first.lower() for words in term.explained_by):
                found.append(Finding("health-literacy", "fail", UserError(
                    piece.location,
                    f"{key}: '{term.term}' is used before it is explained; explain it in "
                    f"the same sentence (with words like \"{term.explained_by[0]}\"), "
                    f"or reword: \"{first}\""), (key,)))
            break
    return found


class _Order(HTMLParser):
    """The classes of what follows the leaflet's title (``h1``) in its ``main``."""

    def __init__(self) -> None:
        super().__init__()
        self.after_title: list[str] = []
        self._seen_title = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and not self._seen_title:
            self._seen_title = True
            return
        if self._seen_title and len(self.after_title) < 2:
            classes = (dict(attrs).get("class") or "").split()
            self.after_title.append(classes[0] if classes else tag)


GATE = Gate("health-literacy", "Health literacy", _literacy)
