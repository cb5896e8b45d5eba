"""Check a clinic file against the content: nothing a clinic writes may make a
leaflet unsafe, unreadable or misleading.

Typing is done by the model; here are the rules that need the content or the
disk: colour contrast, the logo's path, block ids in notes and ``hide``, a dose
that must stay under the region's limit for adults (``dose.py``), and words that
must not carry a dose of their own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import io
from pathlib import Path

from PIL import Image

from handout.content.dose import DailyDose, dose_problem, dose_text_problem
from handout.content.i18n import SOURCE_LANGUAGE
from handout.content.loader import Content
from handout.content.model import Clinic, Dose
from handout.content.regions import unknown_region
from handout.content.signoffs import moved_fields
from handout.content.svg import svg_problem
from handout.content.texts import first_number
from handout.content.validation import validate
from handout.content.yamlfile import KeyPath, YamlDocument, read_yaml
from handout.core.editions import EDITIONS
from handout.core.errors import UserError, UserErrors, quoted
from handout.core.files import FileRefused, read_bounded

MIN_CONTRAST = 4.5
"""WCAG 2.x 1.4.3 (AA) for normal text, against white paper."""
LOGO_TYPES = (".svg", ".png")
LOGO_MAX_BYTES = 2_000_000
LOGO_MAX_SIDE = 4000
"""Pixels on the longer side: plenty for a logo printed 14 mm high, and a
small file that unpacks to a giant image (a "decompression bomb") is refused
before it is drawn."""


def load_clinic(path: Path, content: Content | None) -> Clinic:
    """Load one clinic file and check it; raise UserErrors with every problem in it."""
    doc = read_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    by = data.get("reviewed_by")
    errors, doc = moved_fields(doc, f"python build.py sign --clinic {data.get('id', path.stem)} "
                                    f'--by "{by if isinstance(by, str) else "NAME"}"')
    clinic = validate(Clinic, doc, errors)
    region = data.get("region")
    known_region = content is None or not isinstance(region, str) or region in content.regions
    if not known_region and content is not None and isinstance(region, str):
        errors.append(UserError(doc.where(("region",)), unknown_region(region, content.regions)))
    if clinic is not None:
        errors.extend(_check_colors(clinic, doc))
        errors.extend(_check_logo(clinic, doc, path.parent))
        errors.extend(_check_editions(clinic, doc))
        if content is not None and known_region:  # the rest looks the region's facts up
            errors.extend(_check_against_content(clinic, doc, content))
    if errors:
        raise UserErrors(errors)
    assert clinic is not None
    return clinic


def overdue_warning(clinic: Clinic, signed_on: dt.date, today: dt.date) -> str | None:
    """A loud warning when a sign-off has run out: the words must be reviewed again."""
    due = review_due(clinic, signed_on)
    if due >= today:
        return None
    return (f"clinic '{clinic.id}' was due for review on {due.isoformat()}: ask the "
            f"clinician to review the leaflets and sign them again (python build.py sign "
            f"--clinic {clinic.id} --by NAME)")


# --- colours -------------------------------------------------------------------


def contrast(color: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio between two #rrggbb colours."""
    lighter, darker = sorted((_luminance(color), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def nearest_passing(color: str, minimum: float = MIN_CONTRAST) -> str:
    """The same hue, darkened just enough to reach ``minimum`` on white."""
    red, green, blue = _rgb(color)
    for percent in range(100, -1, -1):
        shade = "#{:02x}{:02x}{:02x}".format(*(round(c * percent / 100)
                                              for c in (red, green, blue)))
        if contrast(shade) >= minimum:
            return shade
    return "#000000"


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _luminance(color: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _check_colors(clinic: Clinic, doc: YamlDocument) -> list[UserError]:
    errors = []
    for name in ("primary", "accent"):
        color = getattr(clinic.colors, name)
        ratio = contrast(color)
        if ratio < MIN_CONTRAST:
            errors.append(UserError(doc.where(("colors", name)), (
                f"colour {name} {color} has contrast {ratio:.2f}:1 on white paper; text needs "
                f"at least {MIN_CONTRAST}:1. The nearest passing shade is "
                f"{nearest_passing(color)}")))
    return errors


# --- editions ------------------------------------------------------------------


def _check_editions(clinic: Clinic, doc: YamlDocument) -> list[UserError]:
    errors = []
    for j, name in enumerate(clinic.editions):
        if name not in EDITIONS:
            hint = difflib.get_close_matches(name, list(EDITIONS), n=1)
            advice = (f"did you mean '{hint[0]}'?" if hint
                      else f"choose from: {', '.join(EDITIONS)}")
            errors.append(UserError(doc.where(("editions", j)),
                                    f"unknown edition '{name}': {advice}"))
    return errors


# --- logo ----------------------------------------------------------------------


def _check_logo(clinic: Clinic, doc: YamlDocument, folder: Path) -> list[UserError]:
    if clinic.logo is None:
        return []
    at = doc.where(("logo", "file"))
    name = clinic.logo.file
    problem = logo_problem(name, folder)
    return [UserError(at, f"logo.file: {problem}")] if problem else []


def logo_problem(name: str, folder: Path) -> str | None:
    """Why ``name`` cannot be used as a logo from ``folder``, or None if it can."""
    shown = quoted(name)
    if ":" in name:
        return (f"{shown} is a web address or URL; put the image file in the clinic's folder "
                "and give its file name")
    if name.startswith(("/", "\\")) or ".." in Path(name).parts:
        return f"{shown} points outside the clinic's folder; give a file name in that folder"
    path = folder / name
    try:
        data = read_bounded(path, LOGO_MAX_BYTES, folder)
    except FileRefused as exc:
        if exc.size is not None:
            return (f"{shown} is {exc.size:,} bytes; the limit is {LOGO_MAX_BYTES:,}. Use a "
                    "smaller image")
        if exc.reason.startswith("is a link to"):
            return f"{shown} is a link to a file outside the clinic's folder; copy the file in"
        return f"{shown} {exc.reason}"
    except (OSError, ValueError):
        data = None
    if path.suffix.lower() not in LOGO_TYPES:
        return f"{shown} must be an SVG or PNG file"
    if data is None:
        return f"{shown} was not found next to the clinic file"
    if path.suffix.lower() == ".png":
        return _png_problem(shown, data)
    return svg_problem(shown, data)


def _png_problem(shown: str, data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError:
        return (f"{shown} has far too many pixels; the limit is {LOGO_MAX_SIDE} on the "
                "longer side. Use a smaller image")
    except (OSError, ValueError):
        return f"{shown} is not a PNG image"
    if max(width, height) > LOGO_MAX_SIDE:
        return (f"{shown} is {width} x {height} pixels; the limit is {LOGO_MAX_SIDE} on the "
                "longer side. Use a smaller image")
    return None


# --- against the content -------------------------------------------------------


def _check_against_content(clinic: Clinic, doc: YamlDocument,
                           content: Content) -> list[UserError]:
    errors = []
    for j, lang in enumerate(clinic.languages):
        if lang not in content.languages:
            errors.append(UserError(doc.where(("languages", j)), (
                f"language '{lang}' has no translation: the leaflets are written in "
                f"{', '.join(content.languages)}. Remove '{lang}' from 'languages', or "
                "add the translation first")))
    for j, leaflet_id in enumerate(clinic.leaflets):
        if leaflet_id not in content.leaflets:
            errors.append(UserError(doc.where(("leaflets", j)), (
                f"unknown leaflet '{leaflet_id}'; choose from: "
                f"{', '.join(sorted(content.leaflets))}")))
    for j, block_id in enumerate(clinic.hide):
        if block_id not in content.blocks:
            errors.append(UserError(doc.where(("hide", j)), f"unknown block id '{block_id}'"))
        elif block_id in SAFETY_BLOCKS:
            errors.append(UserError(doc.where(("hide", j)), (
                f"block '{block_id}' carries a safety warning and cannot be hidden")))
    for block_id, note in clinic.notes.items():
        if block_id not in content.blocks:
            errors.append(UserError(doc.where(("notes", block_id)),
                                    f"unknown block id '{block_id}' in notes"))
        for text in ([note] if isinstance(note, str) else note.values()):
            number = first_number(text)
            if number is not None:
                errors.append(UserError(doc.where(("notes", block_id)), (
                    f"the number '{number}' is in a note; a dose goes in "
                    "'recommended_dose' and phone numbers in 'phone', so they are checked")))
    errors.extend(_check_local_texts(clinic, doc))
    errors.extend(_check_dose_texts(clinic, doc))
    dose = clinic.recommended_dose
    if dose is not None:
        problem = dose_problem(content, clinic.region, "adult",
                               DailyDose(dose.mg, dose.times_a_day), "recommended_dose")
        if problem:
            errors.append(UserError(doc.where(("recommended_dose", "mg")), problem))
    return errors


def _check_dose_texts(clinic: Clinic, doc: YamlDocument) -> list[UserError]:
    """No dose through the back door: the only dose a clinic file gives is
    ``recommended_dose``'s milligrams and times a day, which are checked. Its form and
    timing take no numbers at all; the notes none either (checked above, with their
    own advice); every other text no number with a dose unit ("Take 900 mg")."""
    texts: list[tuple[KeyPath, str | dict[str, str] | None, bool]] = [
        (("name",), clinic.name, True), (("address",), clinic.address, True)]
    if clinic.logo is not None:
        texts.append((("logo", "alt"), clinic.logo.alt, True))
    for block_id, note in clinic.notes.items():
        texts.append((("notes", block_id), note, True))
    if clinic.recommended_dose is not None:
        texts.extend((("recommended_dose", part), getattr(clinic.recommended_dose, part),
                       False) for part in ("form", "timing"))
    errors = []
    for key_path, text, numbers_allowed in texts:
        by_lang = {} if text is None else {"": text} if isinstance(text, str) else text
        for lang, words in by_lang.items():
            where = (*key_path, lang) if lang else key_path
            name = "'" + " ".join(str(k) for k in where) + "'"
            if key_path[0] == "notes" and first_number(words) is not None:
                continue  # said already, with a note's own advice
            problem = dose_text_problem(words, name, numbers_allowed)
            if problem:
                errors.append(UserError(doc.where(where), problem))
    return errors


def _check_local_texts(clinic: Clinic, doc: YamlDocument) -> list[UserError]:
    """Words the clinic writes must be there in each language it prints, and only those.
    Plain text is English, so a clinic printing any other language writes ``es: ...``."""
    local: list[tuple[KeyPath, str | dict[str, str]]] = [
        (("notes", block_id), note) for block_id, note in clinic.notes.items()]
    if clinic.logo is not None:
        local.append((("logo", "alt"), clinic.logo.alt))
    dose: Dose | None = clinic.recommended_dose
    if dose is not None:
        local.extend(((("recommended_dose", "form"), dose.form),
                      (("recommended_dose", "timing"), dose.timing)))
    wanted = clinic.languages
    errors = []
    for key_path, text in local:
        name = "'" + " ".join(str(k) for k in key_path) + "'"
        if isinstance(text, str):
            if wanted != [SOURCE_LANGUAGE]:  # plain text is English
                starts = ", ".join(f"'{lang}:'" for lang in wanted)
                errors.append(UserError(doc.where(key_path), (
                    f"{name} is written once, as English, but this clinic prints "
                    f"{', '.join(wanted)}: write it once per language, on lines starting "
                    f"{starts}")))
            continue
        for lang in wanted:
            if lang not in text:
                errors.append(UserError(doc.where(key_path), (
                    f"{name} has no '{lang}' text, and this clinic prints {lang}: add a line "
                    f"'{lang}: ...'")))
        for lang in text:
            if lang not in wanted:
                errors.append(UserError(doc.where((*key_path, lang)), (
                    f"'{lang}' is not one of this clinic's languages ({', '.join(wanted)}): "
                    "remove it, or add it to 'languages'")))
    return errors


SAFETY_BLOCKS = frozenset({"get-help-now", "do-not-use", "ask-if-you-have", "ask-if-taking",
                           "ask-before-starting", "limit-is-a-ceiling", "limits-table",
                           "children-lower-limit"})
"""Blocks a clinic may add a note to but never hide."""


def review_due(clinic: Clinic, signed_on: dt.date) -> dt.date:
    """When a sign-off made on ``signed_on`` runs out (the clinic's review_every_months)."""
    return add_months(signed_on, clinic.review_every_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day if it is shorter; the
    last day a date can hold (9999-12-31) if that is later still."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
