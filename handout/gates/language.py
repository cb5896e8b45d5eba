"""Translation: each leaflet's language, and whether its translation was checked.

A translation with a gap never gets this far: the build stops at the first
stage, listing every untranslated block, note and fixed string with its place.
What is left to say is who checked the translation against the English.
"""

from __future__ import annotations

from handout.content.i18n import SOURCE_LANGUAGE
from handout.content.translations import LANGUAGE_FILE
from handout.core.errors import Location, UserError
from handout.gates.base import Finding, Gate, GateContext, Verdict, unique


def _translation(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings = []
    for proof in ctx.proofs:
        page = proof.page
        cell = f"{page.lang} {len(page.blocks)}/{len(page.blocks)}"
        if page.lang != SOURCE_LANGUAGE:
            translation = ctx.content.translations[page.lang]
            info = translation.info
            cell += f", checked {info.reviewed_on}" if info.reviewed_on else ", not checked"
            revised = ctx.content.leaflets[page.id].revised
            if info.reviewed_on is not None and revised > info.reviewed_on:
                findings.append(Finding("language", "warn", UserError(
                    Location(translation.folder / LANGUAGE_FILE),
                    f"the English of leaflet '{page.id}' was revised on {revised}, after the "
                    f"{info.name} translation was checked on {info.reviewed_on}: bring the "
                    "translation up to date, have it checked, and update 'reviewed_on'"),
                    (proof.key,)))
            if info.reviewed_on is None:
                findings.append(Finding("language", "warn", UserError(
                    Location(translation.folder / LANGUAGE_FILE),
                    f"the {info.name} translation has not been checked against the English: "
                    "a bilingual clinician should read it, then set 'reviewed_by' and "
                    "'reviewed_on' here"), (proof.key,)))
        verdict.cells[proof.key] = cell
    verdict.findings = unique(findings)
    return verdict


GATE = Gate("language", "Translation", _translation)
