"""One patient's plan as a PDF: a first page for the patient, then the chosen leaflets
with "Your plan" filled in. Everything happens in memory.

A ``PlanPrinter`` keeps what is worth keeping between plans (the templates, the
house look and, once loaded, WeasyPrint's fonts), so the desk's page pays for the
layout alone. The fonts WeasyPrint copies into a temporary folder are removed
when the printer closes: nothing of a plan's making outlives the command.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handout.content.dose import DailyDose
from handout.content.facts import EMERGENCY_FACT, facts_for
from handout.content.i18n import MissingMessage, Words
from handout.content.loader import Content
from handout.content.model import Clinic
from handout.content.plan import PatientPlan
from handout.content.signoffs import SignOffs
from handout.core.editions import EDITIONS
from handout.core.errors import Location, UserError, UserErrors
from handout.render.html import make_environment, render_document
from handout.render.look import House
from handout.render.page import LeafletPage, resolve

if TYPE_CHECKING:
    from handout.render.pdf import PdfRenderer

PATIENT_CSS = "patient.css"


@dataclass(frozen=True)
class PlanPdf:
    """The plan's PDF, held in memory only."""

    data: bytes
    pages: int


def plan_words(plan: PatientPlan, words: Words) -> dict[str, str]:
    """Each line of the plan as printed in the leaflet's language, by what it holds
    (``fill:`` in a fill-in block); a line left out is written by hand."""
    lines: dict[str, str] = {}
    if plan.dose is not None:
        lines["dose"] = dose_words(plan.dose, words)
    for name, value in (("form", plan.form), ("timing", plan.timing), ("by", plan.by)):
        if value:
            lines[name] = value
    if plan.follow_up is not None:
        lines["follow-up"] = words.date(plan.follow_up)
    return lines


def dose_words(dose: DailyDose, words: Words) -> str:
    """"200 mg of magnesium, once a day", or with the day's total when taken more often."""
    if dose.times == 1:
        return words._("{mg} mg of magnesium, once a day", mg=words.number(dose.mg))
    return words._("{mg} mg of magnesium, {times} times a day: {total} mg a day in all",
                   mg=words.number(dose.mg), times=dose.times, total=words.number(dose.total))


class PlanPrinter:
    """Makes plans' HTML and PDFs; one serves every plan of a command or a desk."""

    def __init__(self, templates: Path, styles: Path, render_folders: list[Path]) -> None:
        self.env = make_environment(templates)
        self.house = House.of(styles)
        self.styles = styles
        self._render_folders = render_folders
        self._renderer: PdfRenderer | None = None
        self._lock = threading.Lock()
        """WeasyPrint's fonts are not for two threads at once (the desk serves threads)."""

    def html(self, content: Content, clinic: Clinic, plan: PatientPlan, today: dt.date,
             signoffs: SignOffs | None = None) -> str:
        """The plan's HTML; UserErrors if a leaflet cannot be filled in for the clinic.
        Its leaflets' review lines are true to the clinic's ``signoffs``."""
        pages: list[LeafletPage] = []
        errors: list[UserError] = []
        for leaflet_id in plan.leaflets:
            try:
                pages.append(resolve(content, clinic, plan.lang, leaflet_id, signoffs))
            except UserErrors as exc:
                errors.extend(e for e in exc.errors if e not in errors)
        if errors:
            raise UserErrors(errors)
        edition = EDITIONS[plan.edition]
        look = self.house.look(clinic, edition)
        look = dataclasses.replace(look, stylesheet_urls=(
            *look.stylesheet_urls, (self.styles / PATIENT_CSS).as_uri()))
        words = pages[0].words
        try:
            emergency = facts_for(content, clinic, words).field(EMERGENCY_FACT)
            title = words._("Your plan")
        except MissingMessage as exc:
            raise UserErrors([words.missing(str(exc))]) from None
        return render_document(self.env, "patient.html.j2", pages[0], look, pages=pages,
                               plan=plan_words(plan, words), plan_for=plan.name,
                               plan_date=words.date(today), emergency_number=emergency,
                               doc_title=title, doc_description=title, doc_date=today)

    def pdf(self, html: str, clinic_file: Path, private: tuple[str, ...] = ()) -> PlanPdf:
        """Lay the plan out and make its PDF, in memory; a renderer warning or a page
        that does not fit is an error, as in a build. A message quoting the page's
        text never quotes the ``private`` words (the patient's name)."""
        with self._lock:
            if self._renderer is None:
                from handout.render.pdf import PdfRenderer  # WeasyPrint only when printing

                self._renderer = PdfRenderer(self._render_folders)
            rendered = self._renderer.render(html, clinic_file.parent, "pdf/ua-1")
        at = Location(clinic_file)
        problems = [UserError(at, f"the plan: renderer warning: {w}") for w in rendered.warnings]
        problems.extend(UserError(at, f"the plan: {problem}") for problem in rendered.fit.problems)
        if problems:
            raise UserErrors([UserError(at, _redacted(e.message, private)) for e in problems])
        return PlanPdf(rendered.data, rendered.pages)

    def close(self) -> None:
        """Remove the fonts' temporary folder, if WeasyPrint made one."""
        with self._lock:
            if self._renderer is not None:
                self._renderer.close()
                self._renderer = None


def _redacted(message: str, private: tuple[str, ...]) -> str:
    for words in private:
        if words:
            message = message.replace(words, "(the patient's name)")
    return message
