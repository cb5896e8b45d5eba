"""Make the planned PDFs: render those out of date in the worker pool, and take
every PDF's layout (fresh, or kept from the last build) for the gates.

The main process scores the proofs' words while the workers render, so on two
cores neither waits for the other.
"""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handout.build.cache import BuildCache, CachedLayout
from handout.build.config import Progress
from handout.build.output import Artifact
from handout.build.plan import Planned, describe
from handout.build.results import OutputResult
from handout.build.workers import RenderPool, RenderTask
from handout.content.loader import Content
from handout.core.errors import Location, UserError
from handout.core.keys import LeafletKey, OutputKey
from handout.gates.base import Layout, Section
from handout.gates.measures import Proof, ProofMeasures, measure_proof
from handout.render.fit import PageFit
from handout.render.page import wording_for
from handout.render.web import RenderedPage, web_page

if TYPE_CHECKING:
    from handout.render.pdf import RenderedPdf


@dataclass
class Made:
    """What making a build's PDFs gave: for the gates, the summary and the writer."""

    proofs: list[Proof]
    """Every proof, measured."""
    layouts: list[Layout] = field(default_factory=list)
    results: list[OutputResult] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    """The PDFs rendered, to write."""
    kept: dict[str, str] = field(default_factory=dict)
    """PDFs left as they were: path in the output folder to SHA-256."""
    rendered_layouts: dict[OutputKey, CachedLayout] = field(default_factory=dict)
    measured: dict[LeafletKey, tuple[str, ProofMeasures]] = field(default_factory=dict)
    """Reading measures worked out in this build, by leaflet, with their inputs."""
    errors: list[UserError] = field(default_factory=list)
    peak_worker_mb: float = 0.0


@dataclass(frozen=True)
class Maker:
    """How to make a build's PDFs: where workers may read, and how many to run."""

    content: Content
    cache: BuildCache
    render_folders: list[Path]
    jobs: int
    write_pdfs: bool

    def make(self, planned: list[Planned], proofs: list[Proof],
             proof_inputs: dict[LeafletKey, str], pool: RenderPool | None,
             progress: Progress | None) -> Made:
        """Render what is out of date (in ``pool``, or new workers), then measure everything."""
        made = Made(list(proofs))
        cached = {plan.key: self.cache.fresh(plan.key, plan.inputs) for plan in planned}
        rendered: dict[OutputKey, RenderedPdf | RenderedPage] = {
            plan.key: web_page(plan.html) for plan in planned
            if cached[plan.key] is None and not plan.edition.paged}  # no layout to wait for
        stale = [plan for plan in planned if cached[plan.key] is None and plan.edition.paged]
        if not stale:
            self._measure_proofs(made, proof_inputs)
        else:
            tasks = [RenderTask(plan.html, plan.job.clinic_file.parent, plan.edition.variant,
                                plan.edition.press, self.write_pdfs) for plan in stale]
            workers = nullcontext(pool) if pool else RenderPool(
                self.render_folders, min(self.jobs, len(tasks)), forked=self.jobs > 1)
            with workers as running:
                outcomes = running.start(tasks)
                if progress:
                    progress(0, len(stale))
                self._measure_proofs(made, proof_inputs)  # while the workers render
                for done, (plan, outcome) in enumerate(zip(stale, outcomes, strict=True), 1):
                    if progress:
                        progress(done, len(stale))
                    made.peak_worker_mb = max(made.peak_worker_mb, outcome.worker_peak_mb)
                    if outcome.pdf is None:
                        made.errors.append(UserError(Location(plan.job.clinic_file), (
                            f"{plan.described()}: the renderer failed: {outcome.failure}")))
                    else:
                        rendered[plan.key] = outcome.pdf
        for plan in planned:
            pdf = rendered.get(plan.key)
            if pdf is not None:
                self._measure(made, plan, pdf.pages, pdf.fit, pdf.warnings)
                self._keep(made, plan, pdf.pages, pdf.data if self.write_pdfs else None)
                made.rendered_layouts[plan.key] = CachedLayout(plan.inputs, pdf.pages, pdf.fit)
            elif (layout := cached[plan.key]) is not None:
                self._measure(made, plan, layout.pages, layout.fit, ())
                self._keep(made, plan, layout.pages, None)
                entry = self.cache.entries[plan.key]
                made.kept[entry.path] = entry.sha256
        return made

    def _measure_proofs(self, made: Made, proof_inputs: dict[LeafletKey, str]) -> None:
        """Score the words of every leaflet not measured in an earlier build."""
        for i, proof in enumerate(made.proofs):
            if proof.measures is None:
                measures = measure_proof(self.content, proof)
                made.proofs[i] = dataclasses.replace(proof, measures=measures)
                made.measured[proof.key] = (proof_inputs[proof.key], measures)

    def _measure(self, made: Made, plan: Planned, pages: int, fit: PageFit,
                 warnings: tuple[str, ...]) -> None:
        """What the gates need from one laid-out PDF or web page."""
        job, edition = plan.job, plan.edition
        name = plan.described()
        made.errors.extend(UserError(Location(job.clinic_file), f"{name}: renderer warning: "
                                                                f"{warning}")
                           for warning in warnings)
        place: Location | None
        if edition.booklet:
            sections = {
                LeafletKey(job.clinic.id, job.lang, page.id): Section(
                    describe(job, edition, page.id), page.id,
                    fit.pages_of(f"leaflet-{page.id}"), edition.budget(page.leaflet.budget_pages),
                    fit.section_texts.get(f"leaflet-{page.id}", ""), page.facts)
                for page in plan.pages}
            place = Location(job.clinic_file)
        else:
            sections = {job.key: Section(name, plan.name, pages, self._budget(plan, pages),
                                         fit.text, plan.pages[0].facts)}
            own_text = wording_for(self.content, plan.pages[0].lang)  # Easy Read's files
            place = (own_text.place("leaflet", plan.name) if edition.text_variant
                     else self.content.place("leaflet", plan.name))
        made.layouts.append(Layout(edition, name, place, tuple(fit.problems), fit.smallest,
                                   sections))

    def _keep(self, made: Made, plan: Planned, pages: int, data: bytes | None) -> None:
        """Queue a rendered PDF or a web page for writing (``data``), and count it in the
        summary."""
        job, edition = plan.job, plan.edition
        if data is not None:
            made.artifacts.append(Artifact(job.clinic.id, job.lang, plan.name, edition.name,
                                           edition.file_suffix, data,
                                           plan.html if edition.paged else None, pages,
                                           plan.inputs, edition.extension))
        made.results.append(OutputResult(job.clinic.id, job.lang, plan.name, edition, pages,
                                         self._budget(plan, pages), None,
                                         unchanged=data is None))

    @staticmethod
    def _budget(plan: Planned, pages: int) -> int:
        """The pages a leaflet may take; a booklet's and a web page's are what they take."""
        if plan.edition.booklet or not plan.edition.paged:
            return pages
        return plan.edition.budget(plan.pages[0].leaflet.budget_pages)
