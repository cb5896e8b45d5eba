"""Accessibility, quickly: colour contrast, alternative text, the smallest type.

Low contrast is refused when the clinic file loads (nothing could be printed
with it), so this gate shows the ratio the leaflet has rather than failing on it.
"""

from __future__ import annotations

from handout.content.clinic import contrast
from handout.core.errors import UserError
from handout.gates.base import Finding, Gate, GateContext, Verdict, edition_tagged


def _accessibility(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    for proof in ctx.proofs:
        colours = proof.page.clinic.colors
        ratio = min(contrast(colours.primary), contrast(colours.accent))
        assert proof.measures is not None
        images, described = proof.measures.images, proof.measures.described
        verdict.cells[proof.key] = f"{ratio:.1f}:1, alt {described}/{images}"
        if described < images:
            missing = images - described
            verdict.findings.append(Finding("access", "fail", UserError(
                None, f"{proof.key}: {missing} image{'s' if missing != 1 else ''} without "
                      "alternative text: in templates/, give each <img> an alt and each "
                      "role=\"img\" an aria-label"), (proof.key,)))
    for layout in ctx.layouts:
        if layout.smallest is None:
            continue
        points, text = layout.smallest
        keys = tuple(layout.sections)
        for key in keys:
            verdict.add_cell(key, edition_tagged(layout.edition, f"{points:.3g} pt"))
        # An edition with its own text (Easy Read) has a gate of its own that says it.
        if points < layout.edition.min_font_pt and not layout.edition.text_variant:
            verdict.findings.append(Finding("access", "fail", UserError(
                layout.place,
                f"{layout.name}: \"{text}\" is set in {points:.3g} pt; nothing in this "
                f"edition may be smaller than {layout.edition.min_font_pt:g} pt"), keys))
    return verdict


GATE = Gate("access", "Accessibility", _accessibility)
