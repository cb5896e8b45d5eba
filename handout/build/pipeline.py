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
from dataclasses import dataclass
from pathlib import Path

from handout.build.cache import LAYOUT_CACHE, BuildCache
from handout.build.clinics import Job, editions_of, is_clinic_path, load_clinics
from handout.build.config import Progress, Project, Selection, UsageError
from handout.build.make import Made, Maker
from handout.build.output import manifest_entry, write_artifacts
from handout.build.plan import Planner
from handout.build.results import BuildResult
from handout.build.shards import in_shard
from handout.build.stamp import STAMP, input_digest, last_summary, stamp_bytes
from handout.build.workers import RenderPool
from handout.content.loader import Content, load_content
from handout.core.editions import Edition
from handout.core.errors import Location, UserError, UserErrors, quoted
from handout.gates.base import Finding
from handout.gates.registry import run_gates
from handout.gates.report import Report
from handout.gates.report_html import REPORT_FILE, report_html
from handout.render.look import House
from handout.render.page import LeafletPage, resolve
from handout.render.palette import require_profile


@dataclass(frozen=True)
class Assessed:
    """A build laid out and measured, before anything is written."""

    jobs: list[Job]
    cache: BuildCache
    """The last build's layouts and measures, which this build's are added to."""
    made: Made
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
        clinics = load_clinics(project, selection.clinics, content, selection.out_given)
    except UserErrors as exc:
        errors.extend(exc.errors)
    if content is None or clinics is None:
        raise UserErrors(errors)
    unknown = [name for name in selection.leaflets if name not in content.leaflets]
    if unknown:
        raise UsageError(f"unknown leaflet {quoted(unknown[0])}; choose from: "
                         f"{', '.join(sorted(content.leaflets))}")
    jobs: list[Job] = []
    for clinic_file, clinic, signoffs in clinics:
        leaflet_ids = list(selection.leaflets) or clinic.leaflets or sorted(content.leaflets)
        languages = [selection.lang] if selection.lang else clinic.languages
        for lang in languages:
            if lang not in clinic.languages:
                continue
            jobs.extend(Job(clinic, clinic_file, lang, leaflet, signoffs)
                        for leaflet in leaflet_ids)
    if not jobs:
        raise UsageError(f"no chosen clinic prints language {quoted(selection.lang)}")
    if selection.shard:
        keep = in_shard([(job.clinic.id, job.lang) for job in jobs], selection.shard)
        jobs = [job for job in jobs if (job.clinic.id, job.lang) in keep]
    return content, jobs


def check(project: Project, selection: Selection, out_dir: Path | None = None) -> Report:
    """Every gate a build runs, on leaflets laid out in memory; nothing is written.
    Layouts of PDFs already in ``out_dir`` and still fresh are reused."""
    return _assess(project, selection, out_dir, write_pdfs=False).report


def report_file(report: Report, project: Project, today: dt.date) -> dict[str, bytes]:
    """``report.html``, as a build and ``check`` both write it."""
    return {REPORT_FILE: report_html(report, project.templates, project.styles,
                                     today).encode("utf-8")}


def build(project: Project, selection: Selection, out_dir: Path, pool: RenderPool | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Make every PDF that is out of date, run the gates, and write only if they pass.
    ``pool`` is a render pool that outlives this build (``serve``); without one the
    build starts its own. A build whose every input is unchanged stops at once
    (stamp.py)."""
    digest = _digest(project, selection)
    if not selection.force and digest and (last := _last_result(out_dir, digest)):
        return last
    assessed = _assess(project, selection, out_dir, write_pdfs=True, pool=pool,
                       progress=progress)
    made, report = assessed.made, assessed.report
    if not report.passed:
        raise UserErrors([_as_error(finding) for finding in report.of_level("fail")])
    result = _result(project, selection, assessed.jobs, made, report)
    extra = {**report_file(report, project, selection.today),
             LAYOUT_CACHE: assessed.cache.updated(made.rendered_layouts, made.measured)}
    kept = {**made.kept, **{entry.path: entry.sha256 for entry in
                            map(manifest_entry, made.artifacts)}}
    kept.update({name: hashlib.sha256(data).hexdigest() for name, data in extra.items()})
    if digest and _digest(project, selection) == digest:  # nothing was saved meanwhile
        extra[STAMP] = stamp_bytes(digest, kept, result.as_summary())
    write_artifacts(out_dir, made.artifacts, extra)
    return result


def _result(project: Project, selection: Selection, jobs: list[Job], made: Made,
            report: Report) -> BuildResult:
    """What the summary says: each PDF with its reading score, and the press inks."""
    readings = {row.key: row.cells.get("reading") for row in report.rows}
    outputs = [dataclasses.replace(result, reading=readings.get(result.leaflet_key))
               for result in made.results]
    pressed = [job.clinic for job in jobs
               if any(edition.press for edition in editions_of(job.clinic, selection.editions))]
    press = {}
    if pressed:
        house = House.of(project.styles)
        press = {clinic.id: "; ".join(f"{name} {hex_value} = {ink.percent()}"
                                      for name, (hex_value, ink)
                                      in house.press_inks(clinic).items())
                 for clinic in pressed}
    warnings = tuple(str(finding.error) for finding in report.of_level("warn"))
    return BuildResult(outputs, press, warnings, made.peak_worker_mb)


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


def _assess(project: Project, selection: Selection, out_dir: Path | None, write_pdfs: bool,
            pool: RenderPool | None = None, progress: Progress | None = None
            ) -> Assessed:
    """Gather, lay out every edition asked for, and measure the result against the gates.

    A build reaches here when an input changed (its stamp did not match), so
    something is likely to render: with ``--jobs`` above 1 the workers start loading
    WeasyPrint now, while the content is gathered. If nothing turns out to be stale
    they are let go once loaded; a build that stops on a problem stops them at once,
    so a refused build costs no more than its checks. (The build's progress bar
    timer is the one other thread at this fork; the workers never touch it.)"""
    if pool is not None or selection.jobs == 1 or not write_pdfs:
        return _assess_with(project, selection, out_dir, write_pdfs, pool, progress)
    early = RenderPool(project.render_folders, selection.jobs, forked=True)
    try:
        early.prestart()
        assessed = _assess_with(project, selection, out_dir, write_pdfs, early, progress)
    except BaseException:
        early.abandon()
        raise
    early.close()
    return assessed


def _assess_with(project: Project, selection: Selection, out_dir: Path | None,
                 write_pdfs: bool, pool: RenderPool | None, progress: Progress | None
                 ) -> Assessed:
    content, jobs = gather(project, selection)
    pages = resolve_all(content, jobs)
    wanted = {job.clinic.id: editions_of(job.clinic, selection.editions) for job in jobs}
    editions = list(dict.fromkeys(edition for chosen in wanted.values() for edition in chosen))
    if any(edition.press for edition in editions):
        require_profile()
    cache = BuildCache(None if selection.force else out_dir)
    planner = Planner(project.templates, project.styles, content, selection.crop_marks, cache)
    for job, page in zip(jobs, pages, strict=True):
        planner.proof(job, page)
    for edition in editions:
        chosen = [(job, page) for job, page in zip(jobs, pages, strict=True)
                  if edition in wanted[job.clinic.id]]
        if edition.booklet:
            for group in _by_clinic_and_language(chosen):
                planner.booklet(group, edition)
        else:
            if edition.text_variant:
                chosen_jobs = [job for job, _ in chosen]
                chosen = list(zip(chosen_jobs, resolve_all(content, chosen_jobs, edition),
                                  strict=True))
            for job, page in chosen:
                planner.leaflet(job, page, edition)
    maker = Maker(content, cache, project.render_folders, selection.jobs, write_pdfs)
    made = maker.make(planner.planned, planner.proofs, planner.proof_inputs, pool, progress)
    if made.errors:
        raise UserErrors(made.errors)
    report = run_gates(content, made.proofs, made.layouts, selection.today, selection.strict)
    return Assessed(jobs, cache, made, report)


def _as_error(finding: Finding) -> UserError:
    """A failed gate as a build error; a warning failed by --strict says so."""
    if finding.level != "warn":
        return finding.error
    return UserError(finding.error.location, f"{finding.error.message} (--strict)")


def _by_clinic_and_language(chosen: list[tuple[Job, LeafletPage]]
                            ) -> list[list[tuple[Job, LeafletPage]]]:
    """Each clinic's leaflets in one language, in their booklet order."""
    groups: dict[tuple[str, str], list[tuple[Job, LeafletPage]]] = {}
    for job, page in chosen:
        groups.setdefault((job.clinic.id, job.lang), []).append((job, page))
    return [sorted(group, key=lambda pair: (pair[1].leaflet.booklet_place, pair[1].id))
            for group in groups.values()]


def resolve_all(content: Content, jobs: list[Job], edition: Edition | None = None
                ) -> list[LeafletPage]:
    """Every job's leaflet in its language, or in the text ``edition`` prints (en-easy)."""
    pages: list[LeafletPage] = []
    errors: list[UserError] = []
    for job in jobs:
        text_lang = edition.text_lang(job.lang) if edition else job.lang
        if edition and text_lang not in content.translations:
            errors.append(_no_text(content, job, edition))
            continue
        try:
            pages.append(resolve(content, job.clinic, text_lang, job.leaflet, job.signoffs))
        except UserErrors as exc:
            errors.extend(e for e in exc.errors if e not in errors)
    if errors:
        raise UserErrors(list(dict.fromkeys(errors)))
    return pages


def _no_text(content: Content, job: Job, edition: Edition) -> UserError:
    """An edition asked for in a language that has no text for it: what to write, or
    which languages can have it now."""
    ready = [lang for lang in job.clinic.languages
             if edition.text_lang(lang) in content.translations]
    instead = f", or build it in {' or '.join(ready)} only (--lang {ready[0]})" if ready else ""
    return UserError(Location(job.clinic_file), (
        f"clinic '{job.clinic.id}' prints language '{job.lang}', which has no {edition.name} "
        f"text: write content/translations/{edition.text_lang(job.lang)}/{instead}"))
