"""What a reviewer is asked to approve: each leaflet's words against its last sign-off.

``build.py review`` shows it as a page (``output/review/<clinic>.html``) and a
short summary, or as JSON for CI; ``build.py sign`` shows the same before it asks.
The old words come from the sign-off's stored snapshot, so neither needs git.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handout.build.clinics import Job
from handout.build.config import Project, Selection
from handout.build.pipeline import gather, resolve_all
from handout.content.changes import Change, Changes, compare, word_diff
from handout.content.facts import citation
from handout.content.i18n import SOURCE_LANGUAGE
from handout.content.loader import Content
from handout.core.errors import display_path
from handout.core.keys import LeafletKey
from handout.render.html import make_environment
from handout.render.page import LeafletPage

REVIEW_FOLDER = "review"


@dataclass(frozen=True)
class Reviewed:
    """One leaflet of one clinic in one language, and how it stands with its sign-off."""

    job: Job
    page: LeafletPage
    changes: Changes
    translation: str
    """The translation's state, in words."""
    fact_sources: dict[str, list[str]]
    """The citations behind each changed fact, by fact id."""

    @property
    def key(self) -> LeafletKey:
        return self.job.key

    @property
    def status(self) -> str:
        """ "signed" (the words are those approved), "changed" or "new" (never signed)."""
        return "signed" if self.page.signed_off else "changed" if self.changes.signed else "new"

    def said(self) -> str:
        """Its state in a few words."""
        signoff = self.page.signoff
        if signoff is None:
            return "never signed off: all of it is new"
        when = f"signed off by {signoff.by} on {signoff.date.isoformat()}"
        return (
            f"unchanged since {when}"
            if self.page.signed_off
            else (f"changed since {when}: {self.changes.named()}")
        )

    @property
    def pdf(self) -> str:
        """The leaflet as it prints, in the output folder."""
        return f"{self.key.clinic}/{self.key.lang}/{self.key.leaflet}.pdf"


def collect(project: Project, selection: Selection) -> tuple[Content, list[Reviewed]]:
    """Every chosen leaflet's words, compared with its last sign-off."""
    content, jobs = gather(project, selection)
    pages = resolve_all(content, jobs)
    reviewed = []
    for job, page in zip(jobs, pages, strict=True):
        old = page.signoff.approved if page.signoff else None
        changes = compare(old, page.approved)
        reviewed.append(
            Reviewed(
                job,
                page,
                changes,
                _translation_state(content, page),
                _fact_sources(content, page, changes.facts),
            )
        )
    return content, reviewed


def _translation_state(content: Content, page: LeafletPage) -> str:
    if page.lang == SOURCE_LANGUAGE:
        return "English, the language the content is written in"
    info = content.translations[page.lang].info
    revised = content.leaflets[page.id].revised
    if info.reviewed_by is None or info.reviewed_on is None:
        return (
            f"{info.name}: not yet checked against the English by a bilingual "
            "clinician (the leaflet says so)"
        )
    state = f"{info.name}: checked by {info.reviewed_by} on {info.reviewed_on.isoformat()}"
    if revised > info.reviewed_on:
        state += (
            f"; the English was revised on {revised.isoformat()}, after that check, "
            "so it needs checking again"
        )
    return state


def _fact_sources(content: Content, page: LeafletPage, facts: list[Change]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for change in facts:
        fact = content.facts.get(change.name)
        if fact is None:
            found[change.name] = []
            continue
        ids = (
            fact.sources if fact.by_region is None else (fact.by_region[page.clinic.region].sources)
        )
        found[change.name] = [citation(content.sources[s]) for s in ids]
    return found


def summary(reviewed: list[Reviewed]) -> list[str]:
    """A few lines for the terminal: what stands signed, and what needs a look."""
    lines = []
    for clinic in dict.fromkeys(r.key.clinic for r in reviewed):
        mine = [r for r in reviewed if r.key.clinic == clinic]
        waiting = [r for r in mine if r.status != "signed"]
        lines.append(
            f"{clinic}: {len(mine) - len(waiting)} of {len(mine)} leaflets signed "
            f"off as they print; {len(waiting)} to review"
        )
        lines.extend(f"  {r.key.lang}/{r.key.leaflet}: {r.said()}" for r in waiting)
    return lines


def as_json(reviewed: list[Reviewed]) -> dict[str, Any]:
    """The review as data, for CI: the same as the page shows."""
    return {"leaflets": [_item(r) for r in reviewed]}


def _item(r: Reviewed) -> dict[str, Any]:
    signoff, changes = r.page.signoff, r.changes
    blocks = {b.id: "\n".join(b.text) for b in r.page.approved.blocks}
    old_blocks = {b.id: "\n".join(b.text) for b in signoff.approved.blocks} if signoff else {}
    return {
        "leaflet": str(r.key),
        "status": r.status,
        "digest": r.page.approved.digest(),
        "signed_off": None
        if signoff is None
        else {
            "by": signoff.by,
            "date": signoff.date.isoformat(),
            "digest": signoff.digest,
            "file": display_path(r.job.signoffs.path) if r.job.signoffs else None,
        },
        "translation": r.translation,
        "pdf": r.pdf,
        "changes": None
        if r.status == "signed"
        else {
            "leaflet": [_change(c) for c in changes.leaflet],
            "blocks": [_change(c) for c in changes.blocks],
            "added_blocks": [{"id": i, "text": blocks[i]} for i in changes.added_blocks],
            "removed_blocks": [{"id": i, "text": old_blocks[i]} for i in changes.removed_blocks],
            "moved_blocks": changes.moved_blocks,
            "facts": [{**_change(c), "sources": r.fact_sources[c.name]} for c in changes.facts],
            "added_sources": changes.added_sources,
            "removed_sources": changes.removed_sources,
            "clinic": [_change(c) for c in changes.clinic],
        },
    }


def _change(change: Change) -> dict[str, Any]:
    return {"name": change.name, "old": change.old, "new": change.new}


def review_page(reviewed: list[Reviewed], clinic: str, templates: Path, today: str) -> str:
    """The review page of one clinic: what changed, side by side, each leaflet a click
    away as it prints."""
    env = make_environment(templates)
    mine = [r for r in reviewed if r.key.clinic == clinic]
    return env.get_template("review.html.j2").render(
        clinic=mine[0].page.clinic,
        items=mine,
        diff=word_diff,
        data=_item,
        today=today,
        waiting=[r for r in mine if r.status != "signed"],
    )


def review_files(reviewed: list[Reviewed], templates: Path, today: str) -> dict[str, bytes]:
    """``review/<clinic>.html`` for every clinic reviewed, for the output folder."""
    return {
        f"{REVIEW_FOLDER}/{clinic}.html": review_page(reviewed, clinic, templates, today).encode(
            "utf-8"
        )
        for clinic in dict.fromkeys(r.key.clinic for r in reviewed)
    }
