"""Run the stages in order: gather and check everything, render, then write.

Nothing is written until every leaflet of the build has rendered within its
page budget without a warning, so invalid content leaves the output folder
exactly as it was (MkDocs' "gather all data first" rule).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handout.build.cache import (
    LAYOUT_CACHE,
    BuildCache,
    CachedLayout,
    file_digest,
    fingerprint,
    fingerprint_shared,
    proof_fingerprint,
)
from handout.build.output import Artifact, manifest_entry, write_artifacts
from handout.build.shards import in_shard
from handout.build.stamp import STAMP, input_digest, last_summary, stamp_bytes
from handout.build.workers import RenderPool, RenderTask
from handout.content.clinic import load_clinic
from handout.content.loader import Content, load_content
from handout.content.model import Clinic
from handout.core.editions import DEFAULT_EDITIONS, EDITIONS, Edition
from handout.core.errors import Location, UserError, UserErrors, display_path
from handout.gates.registry import (
    Finding,
    Layout,
    PageFit,
    Proof,
    ProofMeasures,
    Report,
    Section,
    clinic_document,
    measure_proof,
    note_places,
    reading_scale,
    row_key,
    run_gates,
)
from handout.gates.report_html import REPORT_FILE, report_html
from handout.render.fonts import font_css
from handout.render.html import Look, make_environment, render_booklet, render_leaflet
from handout.render.page import LeafletPage, resolve
from handout.render.palette import CMYK_PROFILE, Cmyk, house_colours, require_profile, to_cmyk

if TYPE_CHECKING:
    from handout.render.pdf import RenderedPdf

PROJECT_ROOT = Path(__file__).resolve().parents[2]
Progress = Callable[[int, int], None]
"""Told (PDFs rendered so far, PDFs to render) as the render workers finish."""


class UsageError(Exception):
    """The command line asks for something that does not exist (exit code 2)."""


@dataclass(frozen=True)
class Project:
    """Where the content, templates and styles live."""

    root: Path = PROJECT_ROOT
    content_dir: Path | None = None

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def render_folders(self) -> list[Path]:
        """What every render may read besides a clinic's own folder (fonts aside)."""
        return [self.styles, CMYK_PROFILE.parent]


@dataclass(frozen=True)
class Selection:
    """What to build; empty means everything."""

    clinics: tuple[str, ...] = ()
    leaflets: tuple[str, ...] = ()
    lang: str | None = None
    strict: bool = False
    """Turn warnings (a clinic's review overdue) into errors."""
    today: dt.date = field(default_factory=dt.date.today)
    editions: tuple[str, ...] = DEFAULT_EDITIONS
    crop_marks: bool = False
    """Press edition only: draw crop marks in the bleed."""
    jobs: int = 1
    """Render workers; 1 renders in the build's own process."""
    force: bool = False
    """Render everything, even outputs whose inputs have not changed."""
    shard: tuple[int, int] | None = None
    """(K, N): build only the K-th of N equal shares of the clinics and languages."""


@dataclass(frozen=True)
class Job:
    clinic: Clinic
    clinic_file: Path
    lang: str
    leaflet: str


@dataclass(frozen=True)
class OutputResult:
    """One PDF made: a leaflet in one edition, or a clinic's booklet."""

    clinic: str
    lang: str
    name: str
    edition: Edition
    pages: int
    budget: int
    reading: str | None
    """The reading score as the report shows it: "4.4 / 8", "86 ≥ 70"."""
    unchanged: bool = False
    """Not rendered: the PDF on disk was made from the same inputs."""

    @property
    def label(self) -> str:
        suffix = "" if self.edition.name == "standard" else f" ({self.edition.name})"
        return f"{self.clinic}/{self.lang}/{self.name}{suffix}"


@dataclass(frozen=True)
class BuildResult:
    outputs: list[OutputResult]
    press_colours: dict[str, str]
    """Per clinic, for the press edition: each colour and its ink, as the summary says."""
    warnings: tuple[str, ...]
    """The gates' warnings, as located messages."""
    peak_worker_mb: float = 0.0
    """The most memory one render worker used (max RSS), for the summary."""

    def as_summary(self) -> dict[str, Any]:
        """What a later build with the same inputs reports (stamp.py), as JSON."""
        return {"outputs": [[o.clinic, o.lang, o.name, o.edition.name, o.pages, o.budget,
                             o.reading] for o in self.outputs],
                "press_colours": self.press_colours, "warnings": list(self.warnings)}

    @classmethod
    def unchanged_since(cls, summary: dict[str, Any]) -> BuildResult:
        """The result of a build whose inputs are those of ``summary``'s: nothing made."""
        outputs = [OutputResult(clinic, lang, name, EDITIONS[edition], pages, budget, reading,
                                unchanged=True)
                   for clinic, lang, name, edition, pages, budget, reading
                   in summary["outputs"]]
        return cls(outputs, dict(summary["press_colours"]), tuple(summary["warnings"]))


def gather(project: Project, selection: Selection) -> tuple[Content, list[Job]]:
    """Load and check the content and the chosen clinics; list the leaflets to make."""
    errors: list[UserError] = []
    content = clinics = None
    try:
        content = load_content(project.content)
    except UserErrors as exc:
        errors.extend(exc.errors)
    try:
        clinics = _load_clinics(project, selection.clinics, content)
    except UserErrors as exc:
        errors.extend(exc.errors)
    if content is None or clinics is None:
        raise UserErrors(errors)
    unknown = [name for name in selection.leaflets if name not in content.leaflets]
    if unknown:
        raise UsageError(f"unknown leaflet '{unknown[0]}'; choose from: "
                         f"{', '.join(sorted(content.leaflets))}")
    jobs = []
    for clinic_file, clinic in clinics:
        leaflet_ids = list(selection.leaflets) or clinic.leaflets or sorted(content.leaflets)
        languages = [selection.lang] if selection.lang else clinic.languages
        for lang in languages:
            if lang not in clinic.languages:
                continue
            jobs.extend(Job(clinic, clinic_file, lang, leaflet) for leaflet in leaflet_ids)
    if not jobs:
        raise UsageError(f"no chosen clinic prints language '{selection.lang}'")
    if selection.shard:
        keep = in_shard([(job.clinic.id, job.lang) for job in jobs], selection.shard)
        jobs = [job for job in jobs if (job.clinic.id, job.lang) in keep]
    return content, jobs


def check(project: Project, selection: Selection, out_dir: Path | None = None) -> Report:
    """Every gate a build runs, on leaflets laid out in memory; nothing is written.
    Layouts of PDFs already in ``out_dir`` and still fresh are reused."""
    return _assess(project, selection, out_dir, write_pdfs=False)[1]


def build(project: Project, selection: Selection, out_dir: Path, pool: RenderPool | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Make every PDF that is out of date, run the gates, and write only if they pass.
    ``pool`` is a render pool that outlives this build (``serve``); without one the
    build starts its own. A build whose every input is unchanged stops at once
    (stamp.py)."""
    digest = _digest(project, selection)
    if not selection.force and digest and (last := _last_result(out_dir, digest)):
        return last
    maker, report = _assess(project, selection, out_dir, write_pdfs=True, pool=pool,
                            progress=progress)
    if not report.passed:
        raise UserErrors([_as_error(finding) for finding in report.of_level("fail")])
    readings = {row.key: row.cells.get("reading") for row in report.rows}
    outputs = [dataclasses.replace(result, reading=readings.get(
        row_key(result.clinic, result.lang, result.name))) for result in maker.results]
    press = {clinic: "; ".join(f"{name} {hex_value} = {ink.percent()}"
                               for name, (hex_value, ink) in colours.items())
             for clinic, colours in maker.press_colours.items()}
    result = BuildResult(outputs, press, tuple(str(finding.error)
                                               for finding in report.of_level("warn")),
                         maker.peak_worker_mb)
    extra = {REPORT_FILE: report_html(report, project.templates, project.styles,
                                      selection.today).encode("utf-8"),
             LAYOUT_CACHE: maker.cache.updated(maker.rendered_layouts, maker.measured)}
    kept = {**maker.kept, **{entry.path: entry.sha256 for entry in
                             map(manifest_entry, maker.artifacts)}}
    kept.update({name: hashlib.sha256(data).hexdigest() for name, data in extra.items()})
    if digest and _digest(project, selection) == digest:  # nothing was saved meanwhile
        extra[STAMP] = stamp_bytes(digest, kept, result.as_summary())
    write_artifacts(out_dir, maker.artifacts, extra)
    return result


def _digest(project: Project, selection: Selection) -> str | None:
    """The stamp's digest of every input (stamp.py), or None for a build it cannot
    cover: one with a clinic file from outside the content folder."""
    if any(is_clinic_path(name) for name in selection.clinics):
        return None
    choices = (selection.clinics, selection.leaflets, selection.lang, selection.strict,
               selection.today.isoformat(), selection.editions, selection.crop_marks,
               selection.shard, os.getcwd())  # messages name files from the working folder
    return input_digest(project.content, project.templates, project.styles, choices)


def _last_result(out_dir: Path, digest: str) -> BuildResult | None:
    summary = last_summary(out_dir, digest)
    try:
        return BuildResult.unchanged_since(summary) if summary else None
    except (KeyError, TypeError, ValueError):
        return None  # a damaged stamp: build as usual


def is_clinic_path(name: str) -> bool:
    """Whether ``--clinic`` names a file (``path/clinic.yaml``) rather than an id."""
    return name.endswith((".yaml", ".yml")) or "/" in name


def _assess(project: Project, selection: Selection, out_dir: Path | None, write_pdfs: bool,
            pool: RenderPool | None = None, progress: Progress | None = None
            ) -> tuple[_Maker, Report]:
    """Gather, lay out every edition asked for, and measure the result against the gates.

    A build reaches here when an input changed (its stamp did not match), so
    something is likely to render: with ``--jobs`` above 1 the workers start loading
    WeasyPrint now, while the content is gathered. If nothing turns out to be stale
    they are let go once loaded (up to a second more, spent alongside the gathering);
    killing them mid-import can hang the pool's own shutdown. (The build's progress
    bar timer is the one other thread at this fork; the workers never touch it.)"""
    early = None
    if pool is None and selection.jobs > 1 and write_pdfs:
        early = RenderPool(project.render_folders, selection.jobs, forked=True)
    try:
        if early is not None:
            early.prestart()
        return _assess_with(project, selection, out_dir, write_pdfs, pool or early, progress)
    finally:
        if early is not None:
            early.close()


def _assess_with(project: Project, selection: Selection, out_dir: Path | None,
                 write_pdfs: bool, pool: RenderPool | None, progress: Progress | None
                 ) -> tuple[_Maker, Report]:
    content, jobs = gather(project, selection)
    pages = _resolve_all(content, jobs)
    editions = [EDITIONS[name] for name in dict.fromkeys(selection.editions)]
    if any(edition.press for edition in editions):
        require_profile()
    maker = _Maker(project, content, selection.crop_marks,
                   BuildCache(None if selection.force else out_dir))
    for job, page in zip(jobs, pages, strict=True):
        maker.proof(job, page)
    for edition in editions:
        if edition.booklet:
            for group in _by_clinic_and_language(jobs, pages):
                maker.plan_booklet(group, edition)
        else:
            for job, page in zip(jobs, pages, strict=True):
                maker.plan_leaflet(job, page, edition)
    maker.make_all(selection.jobs, write_pdfs, pool, progress)
    if maker.errors:
        raise UserErrors(maker.errors)
    report = run_gates(content, maker.proofs, maker.layouts, selection.today, selection.strict)
    return maker, report


def _as_error(finding: Finding) -> UserError:
    """A failed gate as a build error; a warning failed by --strict says so."""
    if finding.level != "warn":
        return finding.error
    return UserError(finding.error.location, f"{finding.error.message} (--strict)")


@dataclass(frozen=True)
class _Planned:
    """One PDF to make: its HTML, the leaflets it holds, and its inputs' fingerprint."""

    job: Job
    name: str
    """A leaflet id, or "booklet"."""
    edition: Edition
    html: str
    pages: tuple[LeafletPage, ...]
    inputs: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.job.clinic.id, self.job.lang, self.name, self.edition.name)


class _Maker:
    """Plans every output of a build, renders those out of date in the worker pool,
    and collects what the gates measure."""

    def __init__(self, project: Project, content: Content, crop_marks: bool,
                 cache: BuildCache) -> None:
        self.project = project
        self.content = content
        self.crop_marks = crop_marks
        self.cache = cache
        self.env = make_environment(project.templates)
        self.house = house_colours(project.styles / "leaflet.css")
        self.fonts = font_css()
        file_digest.cache_clear()
        clinic_document.cache_clear()
        self.shared = fingerprint_shared(project.styles)
        self.planned: list[_Planned] = []
        self.errors: list[UserError] = []
        self.artifacts: list[Artifact] = []
        self.results: list[OutputResult] = []
        self.proofs: list[Proof] = []
        self.layouts: list[Layout] = []
        self.rendered_layouts: dict[tuple[str, str, str, str], CachedLayout] = {}
        self.proof_inputs: dict[str, str] = {}
        self.proof_html: dict[str, str] = {}
        self.measured: dict[str, tuple[str, ProofMeasures]] = {}
        """Reading measures worked out in this build, by row, with their inputs."""
        self.peak_worker_mb = 0.0
        self.kept: dict[str, str] = {}
        """PDFs left as they were: path in the output folder to SHA-256."""
        self.press_colours: dict[str, dict[str, tuple[str, Cmyk]]] = {}
        self.looks: dict[tuple[str, str], Look] = {}

    def proof(self, job: Job, page: LeafletPage) -> None:
        """The leaflet's words as the standard edition prints them, for the gates,
        with their measures from the last build if neither they nor their places
        in the files have changed."""
        html = render_leaflet(self.env, page, self._look(job.clinic, EDITIONS["standard"]))
        written = self.content.texts_in(page.lang)
        texts = [self.shared, reading_scale(self.content, page),
                 note_places(job.clinic_file, page),
                 written.get(("leaflet", page.id)),
                 *(written.get(("block", block.id)) for block in page.blocks)]
        inputs = proof_fingerprint(html, texts)
        key = _key(job, page.id)
        self.proof_inputs[key] = inputs
        self.proof_html[key] = html
        self.proofs.append(Proof(page, job.clinic_file, html, self.cache.measures(key, inputs)))

    def plan_leaflet(self, job: Job, page: LeafletPage, edition: Edition) -> None:
        if edition.name == "standard":
            html = self.proof_html[_key(job, page.id)]  # the same look: render it once
        else:
            html = render_leaflet(self.env, page, self._look(job.clinic, edition))
        self._plan(job, job.leaflet, edition, html, (page,))

    def plan_booklet(self, group: list[tuple[Job, LeafletPage]], edition: Edition) -> None:
        pages = tuple(page for _, page in group)
        html = render_booklet(self.env, list(pages), self._look(group[0][0].clinic, edition))
        self._plan(group[0][0], "booklet", edition, html, pages)

    def _plan(self, job: Job, name: str, edition: Edition, html: str,
              pages: tuple[LeafletPage, ...]) -> None:
        logo = job.clinic.logo
        assets = [job.clinic_file.parent / logo.file] if logo else []
        inputs = fingerprint(self.shared, html, edition.pdf_variant, assets)
        self.planned.append(_Planned(job, name, edition, html, pages, inputs))

    def make_all(self, jobs: int, write_pdfs: bool, pool: RenderPool | None,
                 progress: Progress | None) -> None:
        """Render what is out of date (in ``pool``, or ``jobs`` new workers), then
        measure everything."""
        cached = {plan.key: self.cache.fresh(plan.key, plan.inputs) for plan in self.planned}
        stale = [plan for plan in self.planned if cached[plan.key] is None]
        rendered: dict[tuple[str, str, str, str], RenderedPdf] = {}
        if not stale:
            self._measure_proofs()
        else:
            tasks = [RenderTask(plan.html, plan.job.clinic_file.parent, plan.edition.pdf_variant,
                                plan.edition.press, write_pdfs) for plan in stale]
            workers = nullcontext(pool) if pool else RenderPool(
                self.project.render_folders, min(jobs, len(tasks)), forked=jobs > 1)
            with workers as running:
                outcomes = running.start(tasks)
                if progress:
                    progress(0, len(stale))
                self._measure_proofs()  # while the workers render
                for done, (plan, outcome) in enumerate(zip(stale, outcomes, strict=True), 1):
                    if progress:
                        progress(done, len(stale))
                    self.peak_worker_mb = max(self.peak_worker_mb, outcome.worker_peak_mb)
                    if outcome.pdf is None:
                        self.errors.append(UserError(Location(plan.job.clinic_file), (
                            f"{_describe(plan.name, plan.job, plan.edition)}: the renderer "
                            f"failed: {outcome.failure}")))
                    else:
                        rendered[plan.key] = outcome.pdf
        for plan in self.planned:
            pdf = rendered.get(plan.key)
            if pdf is not None:
                self._measure(plan, pdf.pages, pdf.fit, pdf.warnings)
                self._keep(plan, pdf.pages, pdf.data if write_pdfs else None)
                self.rendered_layouts[plan.key] = CachedLayout(plan.inputs, pdf.pages, pdf.fit)
            elif (layout := cached[plan.key]) is not None:
                self._measure(plan, layout.pages, layout.fit, ())
                self._keep(plan, layout.pages, None)
                entry = self.cache.entries[plan.key]
                self.kept[entry.path] = entry.sha256

    def _measure_proofs(self) -> None:
        """Score the words of every leaflet not measured in an earlier build."""
        for i, proof in enumerate(self.proofs):
            if proof.measures is None:
                measures = measure_proof(self.content, proof)
                self.proofs[i] = dataclasses.replace(proof, measures=measures)
                key = row_key(proof.page.clinic.id, proof.page.lang, proof.page.id)
                self.measured[key] = (self.proof_inputs[key], measures)

    def _measure(self, plan: _Planned, pages: int, fit: PageFit,
                 warnings: tuple[str, ...]) -> None:
        """What the gates need from one laid-out PDF."""
        job, edition = plan.job, plan.edition
        name = _describe(plan.name, job, edition)
        self.errors.extend(UserError(Location(job.clinic_file), f"{name}: renderer warning: "
                                                                f"{warning}")
                           for warning in warnings)
        if plan.name == "booklet":
            sections = {_key(job, page.id): Section(
                _describe(page.id, job, edition), page.id, fit.pages_of(f"leaflet-{page.id}"),
                edition.budget(page.leaflet.budget_pages),
                fit.section_texts.get(f"leaflet-{page.id}", "")) for page in plan.pages}
            place = Location(job.clinic_file)
        else:
            budget = edition.budget(plan.pages[0].leaflet.budget_pages)
            sections = {_key(job, plan.name): Section(name, plan.name, pages, budget, fit.text)}
            place = self.content.place("leaflet", plan.name)
        self.layouts.append(Layout(edition, name, place, tuple(fit.problems), fit.smallest,
                                   sections))

    def _keep(self, plan: _Planned, pages: int, data: bytes | None) -> None:
        """Queue a rendered PDF for writing (``data``), and count it in the summary."""
        job, edition = plan.job, plan.edition
        if data is not None:
            self.artifacts.append(Artifact(job.clinic.id, job.lang, plan.name, edition.name,
                                           edition.file_suffix, data, plan.html, pages,
                                           plan.inputs))
        budget = (pages if plan.name == "booklet"
                  else edition.budget(plan.pages[0].leaflet.budget_pages))
        self.results.append(OutputResult(job.clinic.id, job.lang, plan.name, edition, pages,
                                         budget, None, unchanged=data is None))

    def _look(self, clinic: Clinic, edition: Edition) -> Look:
        """One Look per clinic and edition: the colours are converted once, not per leaflet."""
        key = (clinic.id, edition.name)
        if key not in self.looks:
            self.looks[key] = self._make_look(clinic, edition)
        return self.looks[key]

    def _make_look(self, clinic: Clinic, edition: Edition) -> Look:
        colours = {**self.house, "primary": clinic.colors.primary,
                   "accent": clinic.colors.accent}
        stylesheets = ["leaflet.css", *([edition.stylesheet] if edition.stylesheet else [])]
        urls = tuple((self.project.styles / name).as_uri() for name in stylesheets)
        if not edition.press:
            return Look(edition, urls, self.fonts, colours)
        inks = {name: to_cmyk(value) for name, value in colours.items()}
        self.press_colours[clinic.id] = {name: (colours[name], inks[name])
                                         for name in ("primary", "accent")}
        page_css = (f"@color-profile device-cmyk {{ src: url({CMYK_PROFILE.as_uri()}); "
                    "components: cyan, magenta, yellow, black; }")
        if self.crop_marks:
            page_css += "\n@page { marks: crop; }"
        return Look(edition, urls, self.fonts,
                    {name: ink.css() for name, ink in inks.items()}, page_css)


def _key(job: Job, leaflet: str) -> str:
    return row_key(job.clinic.id, job.lang, leaflet)


def _describe(name: str, job: Job, edition: Edition) -> str:
    kind = "booklet" if name == "booklet" else f"leaflet '{name}'"
    return f"{kind} for clinic '{job.clinic.id}' ({job.lang}, {edition.name} edition)"


def _by_clinic_and_language(jobs: list[Job], pages: list[LeafletPage]
                            ) -> list[list[tuple[Job, LeafletPage]]]:
    groups: dict[tuple[str, str], list[tuple[Job, LeafletPage]]] = {}
    for job, page in zip(jobs, pages, strict=True):
        groups.setdefault((job.clinic.id, job.lang), []).append((job, page))
    return list(groups.values())


def _resolve_all(content: Content, jobs: list[Job]) -> list[LeafletPage]:
    pages: list[LeafletPage] = []
    errors: list[UserError] = []
    for job in jobs:
        try:
            pages.append(resolve(content, job.clinic, job.lang, job.leaflet))
        except UserErrors as exc:
            errors.extend(e for e in exc.errors if e not in errors)
    if errors:
        raise UserErrors(errors)
    return pages


def _load_clinics(project: Project, wanted: tuple[str, ...],
                  content: Content | None) -> list[tuple[Path, Clinic]]:
    folder = project.content / "clinics"
    available = {path.stem: path for path in sorted(folder.glob("*.yaml"))}
    if wanted:
        paths = [_clinic_path(name, available, folder) for name in wanted]
    else:
        paths = list(available.values())
    if not paths:
        raise UsageError(f"no clinic files in {display_path(folder)}")
    errors: list[UserError] = []
    clinics: list[tuple[Path, Clinic]] = []
    seen: dict[str, Path] = {}
    for path in dict.fromkeys(paths):
        try:
            clinic = load_clinic(path, content)
        except UserErrors as exc:
            errors.extend(exc.errors)
            continue
        if path.parent.resolve() == folder.resolve() and clinic.id != path.stem:
            errors.append(UserError(Location(path), f"clinic id '{clinic.id}' must match the "
                                                    f"file name: rename the file to "
                                                    f"{clinic.id}.yaml or change the id"))
        elif clinic.id in seen:
            errors.append(UserError(Location(path), f"clinic id '{clinic.id}' is also used by "
                                                    f"{display_path(seen[clinic.id])}"))
        seen.setdefault(clinic.id, path)
        clinics.append((path, clinic))
    if errors:
        raise UserErrors(errors)
    return clinics


def _clinic_path(name: str, available: dict[str, Path], folder: Path) -> Path:
    if is_clinic_path(name):
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"clinic file not found: {name}")
        return path
    if name not in available:
        raise UsageError(f"no clinic '{name}' in {display_path(folder)}; choose from: "
                         f"{', '.join(available) or 'none'}")
    return available[name]
