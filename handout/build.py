"""Run the stages in order: gather and check everything, render, then write.

Nothing is written until every leaflet of the build has rendered within its
page budget without a warning, so invalid content leaves the output folder
exactly as it was (MkDocs' "gather all data first" rule).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .clinic import load_clinic, overdue_warning
from .content import Content, load_content
from .errors import Location, UserError, UserErrors, display_path
from .model import Clinic
from .output import Artifact, write_artifacts
from .pdf import PdfRenderer, font_css
from .readability import grade, printed_units
from .render import make_environment, render_html
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


@dataclass(frozen=True)
class Job:
    clinic: Clinic
    clinic_file: Path
    lang: str
    leaflet: str


@dataclass(frozen=True)
class LeafletResult:
    job: Job
    pages: int
    budget: int
    grade: float


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
    warnings = [warning for path, clinic in clinics
                if (warning := overdue_warning(clinic, selection.today, path))]
    if warnings and selection.strict:
        raise UserErrors([UserError(None, f"{w} (--strict)") for w in warnings])
    for warning in warnings:
        warn(f"WARNING: {warning}")
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


def check(project: Project, selection: Selection) -> list[LeafletPage]:
    """Everything a build checks before rendering, with nothing written."""
    content, jobs = gather(project, selection)
    return _resolve_all(content, jobs)


def build(project: Project, selection: Selection, out_dir: Path) -> list[LeafletResult]:
    content, jobs = gather(project, selection)
    pages = _resolve_all(content, jobs)
    env = make_environment(project.templates)
    stylesheets = [(project.styles / "leaflet.css").as_uri()]
    fonts = font_css()
    errors: list[UserError] = []
    artifacts: list[Artifact] = []
    results: list[LeafletResult] = []
    renderer = PdfRenderer([project.styles])
    for job, page in zip(jobs, pages, strict=True):
        html = render_html(env, page, stylesheets, fonts)
        pdf = renderer.render(html, job.clinic_file.parent)
        where = content.place("leaflet", job.leaflet)
        budget_at = content.place("budget", job.leaflet)
        name = f"leaflet '{job.leaflet}' for clinic '{job.clinic.id}' ({job.lang})"
        errors.extend(UserError(where, f"{name}: renderer warning: {warning}")
                      for warning in pdf.warnings)
        budget = page.leaflet.budget_pages
        if pdf.pages > budget:
            errors.append(UserError(budget_at, f"{name} has {pdf.pages} pages; its budget is "
                                           f"{budget}. Shorten it or move a block to "
                                           "another leaflet"))
        artifacts.append(Artifact(job.clinic.id, job.lang, job.leaflet, pdf.data, html,
                                  pdf.pages))
        results.append(LeafletResult(job, pdf.pages, budget, grade(printed_units(html))))
    if errors:
        raise UserErrors(errors)
    write_artifacts(out_dir, artifacts)
    return results


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


def timed(action: Callable[[], list[LeafletResult]]) -> tuple[list[LeafletResult], float]:
    start = time.perf_counter()
    results = action()
    return results, time.perf_counter() - start
