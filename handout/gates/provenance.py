"""Provenance: what each leaflet rests on, and which facts nobody prints.

That every block cites a known source, and at least one authoritative reference,
is enforced when the content loads; this gate reports the measures behind it:
the sources each leaflet cites, and how many of them are web articles (which
are background for the reviewer, and never print).
"""

from __future__ import annotations

from handout.content.dose import is_limit
from handout.content.facts import EMERGENCY_FACT
from handout.content.loader import Content
from handout.content.texts import FACT_REF
from handout.core.errors import UserError
from handout.gates.base import Finding, Gate, GateContext, Verdict


def _provenance(ctx: GateContext) -> Verdict:
    content = ctx.content
    verdict = Verdict()
    web = {s for s, source in content.sources.items() if source.kind == "web-article"}
    for proof in ctx.proofs:
        cited = proof.page.source_ids
        weak = sum(1 for s in cited if s in web)
        verdict.cells[proof.key] = f"{len(cited)} ({weak} web)"
    used = _facts_referenced(content)
    for fact_id in content.facts:
        if fact_id not in used:
            verdict.findings.append(Finding("sources", "warn", UserError(
                ctx.place("fact", fact_id),
                f"fact '{fact_id}' is defined but no block prints it: use it as "
                f"{{{fact_id}}} or remove it")))
    return verdict


def _facts_referenced(content: Content) -> set[str]:
    used = {EMERGENCY_FACT}  # read by code as well as by blocks, as are the limits
    used.update(fact.id for fact in content.facts.values() if is_limit(fact))
    for texts in content.texts.values():
        for text, _ in texts:
            used.update(ref.partition(":")[0] for ref in FACT_REF.findall(text))
    for block in content.blocks.values():
        used.update(getattr(block, "fact_rows", ()))
    return used


GATE = Gate("sources", "Provenance", _provenance)
