"""One patient's plan, as the nurse at the desk types it: checked field by field.

The command line and the desk's web form both hand their fields over as text,
and both get the same problems back, each tied to its field: the command line
prints them as ``--field: ...``, the form beside the field. The dose is checked
by ``dose.py``, as a clinic's is. Nothing here is kept: a plan lives only as
long as the command or the request that made it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from handout.content.dose import AGE_GROUPS, DailyDose, dose_problem, dose_text_problem
from handout.content.loader import Content
from handout.content.model import AgeGroup, Clinic, in_language
from handout.core.editions import EDITIONS
from handout.core.errors import UserError, UserErrors

PLAN_EDITIONS = ("standard", "large-print")
"""What a plan prints in: a single copy for one reader, so no press or booklet."""
MAX_MG = 100_000
MAX_TIMES = 6
NAME_CHARS = 80
TEXT_CHARS = 120
FOLLOW_UP_YEARS = 5
"""A date further ahead than this is taken for a typing mistake."""


@dataclass(frozen=True)
class PlanRequest:
    """The fields as typed, before any check: strings, or None where left empty."""

    clinic: str
    leaflets: tuple[str, ...]
    age_group: str | None
    lang: str | None = None
    edition: str = "standard"
    dose_mg: str | None = None
    times_a_day: str | None = None
    form: str | None = None
    timing: str | None = None
    name: str | None = None
    follow_up: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class PatientPlan:
    """A plan that passed every check, ready to print."""

    leaflets: tuple[str, ...]
    lang: str
    edition: str
    age_group: AgeGroup
    dose: DailyDose | None
    form: str | None
    timing: str | None
    name: str | None
    follow_up: dt.date | None
    by: str | None
    notices: tuple[str, ...] = ()
    """What the nurse should know that is not a problem (a clinic dose left out)."""


class PlanErrors(UserErrors):
    """Every problem of a plan, by field: ``--field: what to do`` on the command line."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.fields = problems
        super().__init__([UserError(None, f"--{name}: {message}")
                          for name, message in problems.items()])


@dataclass
class _Checker:
    content: Content
    clinic: Clinic
    problems: dict[str, str] = field(default_factory=dict)

    def refuse(self, name: str, message: str) -> None:
        self.problems.setdefault(name, message)

    def text(self, name: str, value: str | None, limit: int, numbers: bool) -> str | None:
        """A free text, trimmed; ``numbers`` allows figures that are not a dose."""
        if value is None or not value.strip():
            return None
        text = unicodedata.normalize("NFC", " ".join(value.split()))
        if len(text) > limit:
            self.refuse(name, f"the text is {len(text)} characters long; keep it to {limit}")
        elif any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
            self.refuse(name, "the text has an invisible or control character; type it again")
        elif problem := dose_text_problem(text, "the text", numbers):
            self.refuse(name, problem)
        return text

    def whole(self, name: str, value: str | None, low: int, high: int, what: str,
              example: int) -> int | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"[0-9]{1,7}", value.strip()):
            self.refuse(name, f"'{_shown(value)}' is not a whole number of {what}: type "
                              f"digits only, like {example}")
            return None
        number = int(value)
        if not low <= number <= high:
            self.refuse(name, f"must be from {low} to {high} {what}, not {number}")
            return None
        return number

    def date(self, name: str, value: str | None, today: dt.date) -> dt.date | None:
        if value is None or not value.strip():
            return None
        text = value.strip()
        try:
            day = (dt.date.fromisoformat(text)
                   if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None)
        except ValueError:
            day = None
        if day is None:
            self.refuse(name, f"'{_shown(text)}' is not a date: write it as year-month-day, like "
                              f"{(today + dt.timedelta(days=28)).isoformat()}")
        elif day < today:
            self.refuse(name, f"{day.isoformat()} is in the past; give the day to come back")
        elif day > today + dt.timedelta(days=366 * FOLLOW_UP_YEARS):
            self.refuse(name, f"{day.isoformat()} is more than {FOLLOW_UP_YEARS} years away; "
                              "check the year")
        return day


def check_plan(content: Content, clinic: Clinic, request: PlanRequest,
               today: dt.date) -> PatientPlan:
    """The plan, or PlanErrors with every problem in it, each by its field."""
    check = _Checker(content, clinic)
    offered = clinic.leaflets or sorted(content.leaflets)
    if not request.leaflets:
        check.refuse("leaflet", f"choose at least one leaflet: {', '.join(offered)}")
    for leaflet in request.leaflets:
        if leaflet not in offered:
            check.refuse("leaflet", f"unknown leaflet '{_shown(leaflet)}' for clinic "
                                    f"'{clinic.id}'; choose from: {', '.join(offered)}")
    lang = request.lang or clinic.languages[0]
    if lang not in clinic.languages:
        check.refuse("lang", f"clinic '{clinic.id}' prints {', '.join(clinic.languages)}, not "
                             f"'{_shown(lang)}'")
    if request.edition not in PLAN_EDITIONS:
        what = ("is not for one patient's plan" if request.edition in EDITIONS
                else "is not an edition")
        check.refuse("edition", f"'{_shown(request.edition)}' {what}; choose "
                                f"{' or '.join(PLAN_EDITIONS)}")
    age = next((group for group in AGE_GROUPS if group == request.age_group), None)
    if age is None:
        check.refuse("age-group", f"choose who the plan is for: {', '.join(AGE_GROUPS)}")
    mg = check.whole("dose-mg", request.dose_mg, 1, MAX_MG, "milligrams", 200)
    times = check.whole("times-a-day", request.times_a_day, 1, MAX_TIMES, "times a day", 2)
    form = check.text("form", request.form, TEXT_CHARS, numbers=False)
    timing = check.text("timing", request.timing, TEXT_CHARS, numbers=False)
    name = check.text("name", request.name, NAME_CHARS, numbers=True)
    by = check.text("by", request.by, NAME_CHARS, numbers=True)
    follow_up = check.date("follow-up", request.follow_up, today)
    given = [f"--{n}" for n, v in (("times-a-day", times), ("form", form), ("timing", timing))
             if v is not None]
    if given and not (request.dose_mg or "").strip():
        check.refuse("dose-mg", f"{', '.join(given)} describe a dose: give the dose too, in "
                                "milligrams of magnesium")
    notices: list[str] = []
    dose = None
    if check.problems.keys() & {"age-group", "lang"}:
        raise PlanErrors(check.problems)
    assert age is not None
    if mg is not None:
        dose = DailyDose(mg, times or 1)
        if problem := dose_problem(content, clinic.region, age, dose, "a dose"):
            check.refuse("dose-mg", problem)
    elif "dose-mg" not in check.problems and clinic.recommended_dose is not None:
        usual = clinic.recommended_dose
        dose = DailyDose(usual.mg, usual.times_a_day)
        if dose_problem(content, clinic.region, age, dose, "") is None:
            form, timing = in_language(usual.form, lang), in_language(usual.timing, lang)
        else:
            dose = None
            notices.append("the clinic's usual dose is not for this age group, so the plan's "
                           "dose lines are left blank for the doctor or nurse to write")
    if check.problems:
        raise PlanErrors(check.problems)
    return PatientPlan(tuple(dict.fromkeys(request.leaflets)), lang, request.edition, age,
                       dose, form, timing, name, follow_up, by, tuple(notices))


def _shown(typed: str) -> str:
    """What was typed, as a message may quote it: short, and nothing a terminal acts on."""
    return "".join(c if c.isprintable() else "?" for c in typed.strip()[:40])
