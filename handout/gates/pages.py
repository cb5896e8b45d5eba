"""Page fit: the pages each edition uses against its budget, and what broke in
the layout (a line that overflows, a table split badly)."""

from __future__ import annotations

from handout.core.errors import UserError
from handout.gates.base import Finding, Gate, GateContext, Verdict, edition_tagged


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
            if section.pages > section.budget:
                verdict.findings.append(Finding("pages", "fail", UserError(
                    ctx.place("budget", section.leaflet),
                    f"{section.name} has {section.pages} pages; its budget is "
                    f"{section.budget}. Shorten it or move a block to another leaflet"),
                    (key,)))
    return verdict


GATE = Gate("pages", "Page fit", _page_fit)
