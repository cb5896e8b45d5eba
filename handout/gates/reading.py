"""Reading level, on the printed words, on each language's scale.

standards.md: English never above grade 8; Spanish "fairly easy" or easier. The
clinic's notes print with the rest, so they count in the score, and a hard note
is listed among the hardest sentences with its line in the clinic file.
"""

from __future__ import annotations

from handout.core.errors import UserError
from handout.gates.base import Finding, Gate, GateContext, Verdict, unique
from handout.gates.measures import reading_scale
from handout.render.page import wording_for


def _reading(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings = []
    for proof in ctx.proofs:
        page, key = proof.page, proof.key
        scale = reading_scale(ctx.content, page)
        assert proof.measures is not None
        reading = proof.measures.reading
        verdict.cells[key] = scale.shown(reading)
        if not scale.passes(reading):
            findings.append(Finding("reading", "fail", UserError(
                wording_for(ctx.content, page.lang).place("leaflet", page.id),
                f"{key} scores {reading:g} on {scale.name}; "
                f"{'the limit is' if scale.is_grade else 'it needs at least'} {scale.limit:g}. "
                "Rewrite its hardest sentences, listed with their lines"), (key,)))
            findings.extend(Finding("reading", "fail", UserError(
                sentence.location, f"{scale.name} {sentence.score:g}, one of the hardest "
                                   f"sentences of {key} ({sentence.part}): "
                                   f"\"{sentence.text}\""), (key,))
                for sentence in proof.measures.hardest)
    verdict.findings = unique(findings)
    return verdict


GATE = Gate("reading", "Reading level", _reading)
