"""Plan a build's outputs: the proofs the gates read, and each PDF's HTML and inputs.

Every leaflet is rendered to HTML once in the proof edition, whose words the
gates score; each edition asked for then gets its own HTML (the proof
edition's is reused), and each PDF a fingerprint of everything it is made
from, so that only those whose inputs changed are rendered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handout.build.cache import BuildCache, Fingerprints, proof_fingerprint
from handout.build.clinics import Job
from handout.content.loader import Content
from handout.content.pictures import picture_file
from handout.content.yamlfile import YamlDocument, read_yaml
from handout.core.editions import PROOF_EDITION, Edition
from handout.core.errors import Location
from handout.core.keys import LeafletKey, OutputKey
from handout.gates.measures import Proof, note_places, reading_scale
from handout.render.html import Look, make_environment, render_booklet, render_leaflet
from handout.render.look import House
from handout.render.page import LeafletPage


@dataclass(frozen=True)
class Planned:
    """One PDF to make: its HTML, the leaflets it holds, and its inputs' fingerprint."""

    job: Job
    """The clinic and language; for a booklet, its first leaflet's job."""
    edition: Edition
    html: str
    pages: tuple[LeafletPage, ...]
    inputs: str

    @property
    def name(self) -> str:
        """The PDF's name: a leaflet id, or the booklet's file name."""
        return self.edition.booklet or self.job.leaflet

    @property
    def key(self) -> OutputKey:
        return OutputKey(self.job.clinic.id, self.job.lang, self.name, self.edition.name)

    def described(self, leaflet: str | None = None) -> str:
        """The PDF (or one leaflet of it) as messages name it."""
        return describe(self.job, self.edition, leaflet)


def describe(job: Job, edition: Edition, leaflet: str | None = None) -> str:
    """"leaflet 'foods' for clinic 'x' (en, large-print edition)", or "booklet for ..."."""
    kind = (edition.booklet if edition.booklet and leaflet is None
            else f"leaflet '{leaflet or job.leaflet}'")
    return f"{kind} for clinic '{job.clinic.id}' ({job.lang}, {edition.name} edition)"


class Planner:
    """Collects a build's proofs and planned PDFs, one leaflet or booklet at a time."""

    def __init__(self, project_templates: Path, styles: Path, content: Content,
                 crop_marks: bool, cache: BuildCache) -> None:
        self.content = content
        self.crop_marks = crop_marks
        self.cache = cache
        self.env = make_environment(project_templates)
        self.house = House.of(styles)
        self.fingerprints = Fingerprints(styles)
        self.proofs: list[Proof] = []
        self.proof_inputs: dict[LeafletKey, str] = {}
        """Each proof's fingerprint, to keep its measures for the next build."""
        self.planned: list[Planned] = []
        self._proof_html: dict[LeafletKey, str] = {}
        self._looks: dict[tuple[str, str], Look] = {}
        self._clinic_docs: dict[Path, YamlDocument] = {}

    def proof(self, job: Job, page: LeafletPage) -> None:
        """The leaflet's words as the proof edition prints them, for the gates, with
        their measures from the last build if neither they nor their places in the
        files have changed."""
        html = render_leaflet(self.env, page, self._look(job, PROOF_EDITION))
        notes = self._note_places(job.clinic_file, page)
        written = self.content.texts_in(page.lang)
        texts = [self.fingerprints.shared, reading_scale(self.content, page), notes,
                 written.get(("leaflet", page.id)),
                 *(written.get(("block", block.id)) for block in page.blocks)]
        inputs = proof_fingerprint(html, texts)
        self.proof_inputs[job.key] = inputs
        self._proof_html[job.key] = html
        self.proofs.append(Proof(page, job.clinic_file, html, notes,
                                 measures=self.cache.measures(job.key, inputs)))

    def leaflet(self, job: Job, page: LeafletPage, edition: Edition) -> None:
        if edition.proof:
            html = self._proof_html[job.key]  # the same look: render it once
        else:
            html = render_leaflet(self.env, page, self._look(job, edition))
        self._plan(job, edition, html, (page,))

    def booklet(self, group: list[tuple[Job, LeafletPage]], edition: Edition) -> None:
        pages = tuple(page for _, page in group)
        first = group[0][0]
        html = render_booklet(self.env, list(pages), self._look(first, edition))
        self._plan(first, edition, html, pages)

    def _plan(self, job: Job, edition: Edition, html: str,
              pages: tuple[LeafletPage, ...]) -> None:
        logo = job.clinic.logo
        assets = [job.clinic_file.parent / logo.file] if logo else []
        assets.extend(picture_file(name) for name in dict.fromkeys(
            name for page in pages for block in page.blocks for name in block.shown_pictures()))
        inputs = self.fingerprints.output(html, edition.variant, assets)
        self.planned.append(Planned(job, edition, html, pages, inputs))

    def _look(self, job: Job, edition: Edition) -> Look:
        """One Look per clinic and edition: the colours are converted (and a web page's
        logo read) once, not per leaflet."""
        key = (job.clinic.id, edition.name)
        if key not in self._looks:
            self._looks[key] = self.house.look(job.clinic, edition, self.crop_marks,
                                               job.clinic_file.parent)
        return self._looks[key]

    def _note_places(self, clinic_file: Path, page: LeafletPage) -> dict[str, Location]:
        """Where the clinic's notes on this leaflet are written; each clinic file is
        read once a build, and only if it has notes."""
        if not page.notes:
            return {}
        if clinic_file not in self._clinic_docs:
            self._clinic_docs[clinic_file] = read_yaml(clinic_file)
        return note_places(self._clinic_docs[clinic_file], page)
