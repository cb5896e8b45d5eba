"""Run the stages in order: gather and check everything, render, then write.

Nothing is written until every leaflet of the build has rendered within its
page budget without a warning, so invalid content leaves the output folder
exactly as it was (MkDocs' "gather all data first" rule).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .clinic import load_clinic
from .content import Content, load_content
from .editions import DEFAULT_EDITIONS, EDITIONS, Edition
from .errors import Location, UserError, UserErrors, display_path
from .gates import Finding, Layout, Proof, Report, Section, row_key, run_gates
from .model import Clinic
from .output import Artifact, write_artifacts
from .palette import CMYK_PROFILE, Cmyk, house_colours, require_profile, svg_to_cmyk, to_cmyk
from .pdf import PdfRenderer, RenderedPdf, font_css
from .render import Look, make_environment, render_booklet, render_leaflet
from .report import REPORT_FILE, report_html
from .resolve import LeafletPage, resolve

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def warn(message: str) -> None:
    print(message, file=sys.stderr)


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
    grade: float | None

    @property
    def label(self) -> str:
        suffix = "" if self.edition.name == "standard" else f" ({self.edition.name})"
        return f"{self.clinic}/{self.lang}/{self.name}{suffix}"


@dataclass(frozen=True)
class BuildResult:
    outputs: list[OutputResult]
    press_colours: dict[str, dict[str, tuple[str, Cmyk]]]
    """Per clinic, for the press edition: colour name to (hex, ink), for the summary."""
    report: Report


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
    return content, jobs


def check(project: Project, selection: Selection) -> Report:
    """Every gate a build runs, on leaflets laid out in memory; nothing is written."""
    return _assess(project, selection, write_pdfs=False)[1]


def build(project: Project, selection: Selection, out_dir: Path) -> BuildResult:
    """Make every PDF, run the gates, and write only if they pass."""
    maker, report = _assess(project, selection, write_pdfs=True)
    if not report.passed:
        raise UserErrors([_as_error(finding) for finding in report.of_level("fail")])
    write_artifacts(out_dir, maker.artifacts,
                    {REPORT_FILE: report_html(report, project.templates, project.styles,
                                                selection.today).encode("utf-8")})
    grades = {row.key: row.grade for row in report.rows}
    outputs = [dataclasses.replace(result, grade=grades.get(
        row_key(result.clinic, result.lang, result.name))) for result in maker.results]
    return BuildResult(outputs, maker.press_colours, report)


def _assess(project: Project, selection: Selection, write_pdfs: bool) -> tuple[_Maker, Report]:
    """Gather, lay out every edition asked for, and measure the result against the gates."""
    content, jobs = gather(project, selection)
    pages = _resolve_all(content, jobs)
    editions = [EDITIONS[name] for name in dict.fromkeys(selection.editions)]
    if any(edition.press for edition in editions):
        require_profile()
    maker = _Maker(project, content, selection.crop_marks, write_pdfs)
    for job, page in zip(jobs, pages, strict=True):
        maker.proof(job, page)
    for edition in editions:
        if edition.booklet:
            for group in _by_clinic_and_language(jobs, pages):
                maker.booklet(group, edition)
        else:
            for job, page in zip(jobs, pages, strict=True):
                maker.leaflet(job, page, edition)
    if maker.errors:
        raise UserErrors(maker.errors)
    report = run_gates(content, maker.proofs, maker.layouts, selection.today, selection.strict)
    return maker, report


def _as_error(finding: Finding) -> UserError:
    """A failed gate as a build error; a warning failed by --strict says so."""
    if finding.level != "warn":
        return finding.error
    return UserError(finding.error.location, f"{finding.error.message} (--strict)")


class _Maker:
    """Renders every output of a build in memory, collecting what the gates measure."""

    def __init__(self, project: Project, content: Content, crop_marks: bool,
                 write_pdfs: bool = True) -> None:
        self.project = project
        self.content = content
        self.crop_marks = crop_marks
        self.write_pdfs = write_pdfs
        self.env = make_environment(project.templates)
        self.house = house_colours(project.styles / "leaflet.css")
        self.fonts = font_css()
        self.renderer = PdfRenderer([project.styles, CMYK_PROFILE.parent])
        self.errors: list[UserError] = []
        self.artifacts: list[Artifact] = []
        self.results: list[OutputResult] = []
        self.proofs: list[Proof] = []
        self.layouts: list[Layout] = []
        self.press_colours: dict[str, dict[str, tuple[str, Cmyk]]] = {}
        self.looks: dict[tuple[str, str], Look] = {}

    def proof(self, job: Job, page: LeafletPage) -> None:
        """The leaflet's words as the standard edition prints them, for the gates."""
        html = render_leaflet(self.env, page, self._look(job.clinic, EDITIONS["standard"]))
        self.proofs.append(Proof(page, job.clinic_file, html))

    def leaflet(self, job: Job, page: LeafletPage, edition: Edition) -> None:
        html = render_leaflet(self.env, page, self._look(job.clinic, edition))
        pdf = self._render(html, job, job.leaflet, edition)
        budget = edition.budget(page.leaflet.budget_pages)
        name = _describe(job.leaflet, job, edition)
        section = Section(name, job.leaflet, pdf.pages, budget, pdf.fit.text)
        self.layouts.append(Layout(edition, name, self.content.place("leaflet", job.leaflet),
                                   tuple(pdf.fit.problems), pdf.fit.smallest,
                                   {_key(job, job.leaflet): section}))
        self._keep(job, job.leaflet, edition, pdf, html, budget)

    def booklet(self, group: list[tuple[Job, LeafletPage]], edition: Edition) -> None:
        job = group[0][0]
        leaflet_pages = [page for _, page in group]
        html = render_booklet(self.env, leaflet_pages, self._look(job.clinic, edition))
        pdf = self._render(html, job, "booklet", edition)
        sections = {}
        for page in leaflet_pages:
            article = f"leaflet-{page.id}"
            sections[_key(job, page.id)] = Section(
                _describe(page.id, job, edition), page.id, pdf.fit.pages_of(article),
                edition.budget(page.leaflet.budget_pages), pdf.fit.section_texts.get(article, ""))
        self.layouts.append(Layout(edition, _describe("booklet", job, edition),
                                   Location(job.clinic_file), tuple(pdf.fit.problems),
                                   pdf.fit.smallest, sections))
        self._keep(job, "booklet", edition, pdf, html, pdf.pages)

    def _render(self, html: str, job: Job, name: str, edition: Edition) -> RenderedPdf:
        pdf = self.renderer.render(html, job.clinic_file.parent, edition.pdf_variant,
                                   svg_to_cmyk if edition.press else None, self.write_pdfs)
        self.errors.extend(UserError(Location(job.clinic_file),
                                     f"{_describe(name, job, edition)}: renderer "
                                     f"warning: {warning}") for warning in pdf.warnings)
        return pdf

    def _keep(self, job: Job, name: str, edition: Edition, pdf: RenderedPdf, html: str,
              budget: int) -> None:
        self.artifacts.append(Artifact(job.clinic.id, job.lang, name, edition.name,
                                       edition.file_suffix, pdf.data, html, pdf.pages))
        self.results.append(OutputResult(job.clinic.id, job.lang, name, edition, pdf.pages,
                                         budget, None))

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
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"clinic file not found: {name}")
        return path
    if name not in available:
        raise UsageError(f"no clinic '{name}' in {display_path(folder)}; choose from: "
                         f"{', '.join(available) or 'none'}")
    return available[name]


def timed(action: Callable[[], BuildResult]) -> tuple[BuildResult, float]:
    start = time.perf_counter()
    results = action()
    return results, time.perf_counter() - start
