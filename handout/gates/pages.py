"""Page fit: the pages each edition uses against its budget, and what broke in
the layout (a line that overflows, a table split badly)."""

from __future__ import annotations

from handout.core.errors import UserError
from handout.core.keys import LeafletKey
from handout.gates.base import (
    Finding,
    Gate,
    GateContext,
    Layout,
    Section,
    Verdict,
    edition_tagged,
)


def _page_fit(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    for layout in ctx.layouts:
        keys = tuple(layout.sections)
        verdict.findings.extend(
            Finding("pages", "fail", UserError(layout.place, f"{layout.name}: {problem}"), keys)
            for problem in layout.problems)
        for key, section in layout.sections.items():
            if not layout.edition.paged:
                continue  # a web page has no pages to fit
            verdict.add_cell(key, edition_tagged(layout.edition,
                                                 f"{section.pages}/{section.budget}"))
            if layout.edition.page_range:
                verdict.findings.extend(_out_of_range(layout, section, key))
            elif section.pages > section.budget:
                verdict.findings.append(Finding("pages", "fail", UserError(
                    ctx.place("budget", section.leaflet),
                    f"{section.name} has {section.pages} pages; its budget is "
                    f"{section.budget}. Shorten it or move a block to another leaflet"),
                    (key,)))
    return verdict


def _out_of_range(layout: Layout, section: Section, key: LeafletKey) -> list[Finding]:
    """An edition whose leaflets take a set number of pages (Easy Read: 4 to 8),
    whatever the leaflet's own budget."""
    assert layout.edition.page_range is not None
    low, high = layout.edition.page_range
    if low <= section.pages <= high:
        return []
    advice = ("Shorten it: fewer ideas, or shorter ones" if section.pages > high
              else "Give its ideas more room, or add what a reader needs to know")
    return [Finding("pages", "fail", UserError(layout.place, (
        f"{section.name} has {section.pages} pages; this edition's leaflets have {low} to "
        f"{high}. {advice}")), (key,))]


GATE = Gate("pages", "Page fit", _page_fit)
