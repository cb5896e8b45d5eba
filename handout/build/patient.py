"""``build.py patient``: one patient's plan, filled in and printed, stored nowhere.

Unlike a build, a plan is not written into the output folder, the manifest, the
layout cache or the build stamp, and it leaves the clinic's built leaflets as
they are: it reads the content and one clinic file, checks the plan, and returns
the PDF's bytes to the caller (the command line, or the desk's web page), which
hands them to the person who asked. What the patient's plan says never reaches a
log line or a file the tool keeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from handout.build.clinics import load_clinics
from handout.build.config import Project
from handout.content.loader import Content, load_content
from handout.content.model import Clinic
from handout.content.plan import PatientPlan, PlanRequest, check_plan
from handout.content.signoffs import SignOffs
from handout.core.errors import UserError, UserErrors
from handout.render.patient import PlanPdf, PlanPrinter


@dataclass(frozen=True)
class PrintedPlan:
    """A plan's PDF, and what the nurse should know (never what the plan says)."""

    pdf: PlanPdf
    notices: tuple[str, ...]


@dataclass(frozen=True)
class Desk:
    """What the desk offers for a clinic: its leaflets and languages, to choose from."""

    clinic: Clinic
    leaflets: dict[str, str]
    """Leaflet id to its English title."""
    languages: tuple[str, ...]


def printer_for(project: Project) -> PlanPrinter:
    return PlanPrinter(project.templates, project.styles, project.render_folders)


def print_plan(project: Project, request: PlanRequest, printer: PlanPrinter,
               today: dt.date | None = None) -> PrintedPlan:
    """Check the plan and make its PDF in memory. Raises UserErrors (every problem,
    a plan's by field) or UsageError (no such clinic)."""
    day = today or dt.date.today()
    content, clinic_file, clinic, signoffs = _load(project, request.clinic)
    plan: PatientPlan = check_plan(content, clinic, request, day)
    html = printer.html(content, clinic, plan, day, signoffs)
    pdf = printer.pdf(html, clinic_file, private=tuple(filter(None, (plan.name, plan.by))))
    return PrintedPlan(pdf, plan.notices)


def desks(project: Project, clinic_ids: tuple[str, ...]) -> list[Desk]:
    """The clinics the desk prints for (``--clinic``, or every one), with their choices."""
    content = load_content(project.content)
    found = load_clinics(project, clinic_ids, content)
    return [Desk(clinic, {leaflet: content.leaflets[leaflet].title
                          for leaflet in clinic.leaflets or sorted(content.leaflets)},
                 tuple(clinic.languages)) for _, clinic, _ in found]


def _load(project: Project, clinic_id: str) -> tuple[Content, Path, Clinic, SignOffs]:
    errors: list[UserError] = []
    content = None
    try:
        content = load_content(project.content)
    except UserErrors as exc:
        errors.extend(exc.errors)
    try:
        ((clinic_file, clinic, signoffs),) = load_clinics(project, (clinic_id,), content)
    except UserErrors as exc:
        raise UserErrors([*errors, *exc.errors]) from None
    if content is None:
        raise UserErrors(errors)
    return content, clinic_file, clinic, signoffs
