"""Consistency: one fact, one value, across a clinic's leaflets and languages and
on every edition's pages (a stylesheet must not hide a number a leaflet relies on).

That every number comes from ``facts.yaml`` is enforced when the content loads.
"""

from __future__ import annotations

import re
from collections import defaultdict

from handout.core.errors import UserError
from handout.core.keys import LeafletKey
from handout.gates.base import Finding, Gate, GateContext, Verdict

NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _consistency(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    seen: dict[tuple[str, str], dict[tuple[str, ...], list[tuple[LeafletKey, str]]]] = (
        defaultdict(lambda: defaultdict(list)))
    for proof in ctx.proofs:
        page = proof.page
        for fact_id, value in page.facts.items():
            seen[(page.clinic.id, fact_id)][tuple(_numbers(value))].append(
                (proof.key, f"{page.id} ({page.lang}): {value}"))
        verdict.cells[proof.key] = f"{len(page.facts)} facts"
    for layout in ctx.layouts:  # an edition's own text (Easy Read) says the same numbers
        for key, section in layout.sections.items() if layout.edition.text_variant else ():
            for fact_id, value in section.facts.items():
                seen[(key.clinic, fact_id)][tuple(_numbers(value))].append(
                    (key, f"{section.leaflet} ({layout.edition.text_lang(key.lang)}): {value}"))
    for (clinic_id, fact_id), values in seen.items():
        if len(values) > 1:
            shown = "; ".join(printed[0][1] for printed in values.values())
            keys = tuple(key for printed in values.values() for key, _ in printed)
            verdict.findings.append(Finding("facts", "fail", UserError(
                ctx.place("fact", fact_id),
                f"fact '{fact_id}' prints different values for clinic '{clinic_id}': "
                f"{shown}. Take every value from the fact"), keys))
    for layout in ctx.layouts:
        for key, section in layout.sections.items():
            for fact_id, value in section.facts.items():
                if not _shows(section.text, value):
                    verdict.findings.append(Finding("facts", "fail", UserError(
                        layout.place,
                        f"{section.name}: fact '{fact_id}' ({value}) is in the leaflet but "
                        "not on its pages; check that no stylesheet hides it"), (key,)))
    return verdict


def _shows(text: str, value: str) -> bool:
    """Whether ``value`` is printed in ``text`` as itself: "65 mg", not inside "165 mg"."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d])", text) is not None


def _numbers(text: str) -> list[str]:
    """The numbers in a printed value, with a decimal comma read as a point."""
    return [n.replace(",", ".") for n in NUMBER.findall(text)]


GATE = Gate("facts", "Consistency", _consistency)
