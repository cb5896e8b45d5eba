"""The desk's page, ``/patient``: a form for one patient's plan that returns its PDF.

The page takes input, so it guards it: the form is sent by POST only, with a
token made for this run of the server (another site's page cannot post it); a
body larger than ``MAX_BODY`` is refused unread (413); the PDF is sent with
``Cache-Control: no-store``. What the patient's plan says is never logged or
written: it lives in this request's memory and goes back to the browser.
Errors show beside their fields, in the same words the command line prints.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment

from handout.build.attempt import FAILURES
from handout.build.clinics import is_clinic_path
from handout.build.config import Project, UsageError
from handout.build.patient import desks, print_plan, printer_for
from handout.content.dose import AGE_WORDS
from handout.content.plan import PlanErrors, PlanRequest
from handout.preview.state import Leaflet

MAX_BODY = 16_384
"""Bytes: the form's fields at their longest fit many times over."""
MAX_FIELDS = 40
FIELDS = {"clinic": "Clinic", "leaflet": "Leaflets", "lang": "Language", "edition": "Print size",
          "age-group": "Who the plan is for", "dose-mg": "Dose, in mg of magnesium",
          "times-a-day": "Times a day", "form": "What to take", "timing": "When to take it",
          "name": "Patient's name", "follow-up": "Come back on", "by": "Doctor or nurse"}
"""Each field's name in the form and the messages (as ``--name`` on the command line),
and its label."""
HINTS = {"dose-mg": "Milligrams of magnesium itself, in one dose. Leave empty to use the "
                    "clinic's usual dose, or to write it by hand.",
         "times-a-day": "Leave empty for once a day.",
         "form": "Words only, like magnesium citrate.", "timing": "Words only, like with "
                                                                  "your evening meal.",
         "follow-up": "Year-month-day, like 2027-01-31."}
NUMERIC = ("dose-mg", "times-a-day")


@dataclass
class Response:
    status: HTTPStatus
    kind: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class DeskPage:
    """The form and its answers, for the clinics the server was started for."""

    def __init__(self, project: Project, clinic_ids: tuple[str, ...], env: Environment,
                 stylesheet: str, language_name: Callable[[str], str]) -> None:
        self.project = project
        self.clinic_ids = tuple(c for c in clinic_ids if not is_clinic_path(c))
        """The clinics offered (all in the content folder if none): by id, never by path."""
        self.env = env
        self.stylesheet = stylesheet
        self.token = secrets.token_urlsafe(32)
        """Made for this run: a form from an earlier run, or another site, has none."""
        self.printer = printer_for(project)
        self._language_name = language_name

    def form(self, built: tuple[Leaflet, ...], values: dict[str, Any] | None = None,
             errors: dict[str, str] | None = None) -> str:
        choices = desks(self.project, self.clinic_ids)
        leaflets: dict[str, str] = {}
        languages: dict[str, str] = {}
        for desk in choices:
            leaflets.update(desk.leaflets)
            languages.update({lang: self._language_name(lang) for lang in desk.languages})
        values = values or {"clinic": choices[0].clinic.id if choices else "",
                            "leaflets": (), "lang": "en", "edition": "standard"}
        text_fields = [(name, FIELDS[name], HINTS.get(name, ""), values.get(name))
                       for name in ("dose-mg", "times-a-day", "form", "timing", "name",
                                    "follow-up", "by")]
        return self.env.get_template("patient.html.j2").render(
            stylesheet=self.stylesheet, token=self.token, desks=choices, leaflets=leaflets,
            languages=languages, age_groups=AGE_WORDS, values=values, errors=errors or {},
            fields=FIELDS, text_fields=text_fields, numeric=NUMERIC, built=built)

    def submit(self, body: bytes, built: tuple[Leaflet, ...]) -> Response:
        """The plan's PDF, or the form again with every problem beside its field."""
        try:
            posted = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                              max_num_fields=MAX_FIELDS)
        except (UnicodeDecodeError, ValueError):
            return _plain(HTTPStatus.BAD_REQUEST, "The form could not be read; send it again.")
        token = (posted.get("token") or [""])[0]
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return _plain(HTTPStatus.FORBIDDEN, "This form is out of date, or came from "
                                                "elsewhere. Open /patient again and fill it in.")

        def one(name: str) -> str | None:
            given = posted.get(name)
            return given[0] if given else None

        values: dict[str, Any] = {name: one(name) for name in FIELDS}
        values["leaflets"] = tuple(posted.get("leaflet", ()))
        values["age_group"] = one("age-group")
        clinic = one("clinic") or ""
        if is_clinic_path(clinic) or (self.clinic_ids and clinic not in self.clinic_ids):
            return self._again(built, values, {"clinic": "choose one of the clinics listed"})
        request = PlanRequest(clinic, values["leaflets"], one("age-group") or None,
                              one("lang"), one("edition") or "standard", one("dose-mg"),
                              one("times-a-day"), one("form"), one("timing"), one("name"),
                              one("follow-up"), one("by"))
        try:
            printed = print_plan(self.project, request, self.printer)
        except PlanErrors as exc:
            return self._again(built, values, exc.fields)
        except UsageError as exc:
            return self._again(built, values, {"clinic": str(exc)})
        except FAILURES as exc:
            return self._again(built, values, {"": str(exc)})
        return Response(HTTPStatus.OK, "application/pdf", printed.pdf.data, {
            "Content-Disposition": 'inline; filename="plan.pdf"'})

    def _again(self, built: tuple[Leaflet, ...], values: dict[str, Any],
               errors: dict[str, str]) -> Response:
        page = self.form(built, values, errors)
        return Response(HTTPStatus.BAD_REQUEST, "text/html; charset=utf-8", page.encode())

    def close(self) -> None:
        self.printer.close()


def _plain(status: HTTPStatus, text: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", f"{text}\n".encode())
