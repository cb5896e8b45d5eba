"""Speak one language: the fixed strings, dates and numbers of a leaflet.

Templates and code mark every fixed string with ``_("...")``. English is the
language the content is written in, so its strings are the message ids
themselves. Every other language has a gettext catalogue,
``content/translations/<lang>/interface.po``, that a translator edits with any
PO editor. A string the catalogue lacks is an error, never a silent fallback
to English. Dates and numbers follow the locale's own rules (Babel, CLDR).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.numbers import format_decimal

from handout.content.characters import character_problem, normalised
from handout.core.errors import Location, UserError, quoted
from handout.core.files import FileRefused, read_bounded

SOURCE_LANGUAGE = "en"
"""The language ``content/`` is written in; every other one is a translation."""
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATIONS = "translations"
"""The folder under ``content/`` that holds one folder per language."""
CATALOGUE = "interface.po"
TEMPLATE_CATALOGUE = "messages.pot"
"""Every fixed string, extracted from the templates and the code."""
MAX_CATALOGUE_BYTES = 1_000_000
"""A catalogue of every fixed string is about 10 kB."""
EXTRACT_METHODS = [("**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]


class MissingMessage(Exception):
    """A fixed string has no translation in the catalogue."""


@dataclass(frozen=True)
class Words:
    """One language in one region: its fixed strings, dates and numbers."""

    lang: str
    locale: Locale
    messages: Mapping[str, str] | None = None
    """Message id to translation; None for the source language."""
    catalogue: Path | None = None
    """Where the translations come from, for errors."""

    def _(self, message: str, **values: object) -> str:
        """The translation of ``message``, with ``{name}`` placeholders filled in."""
        if self.messages is not None:
            if message not in self.messages:
                raise MissingMessage(message)
            message = self.messages[message]
        return message.format(**values) if values else message

    def missing(self, message: str) -> UserError:
        """The error for a fixed string the catalogue lacks."""
        return not_in_catalogue(self.catalogue, message)

    def date(self, day: dt.date) -> str:
        """A date as the locale writes it in full: "October 1, 2026", "1 de octubre de 2026"."""
        return format_date(day, "long", locale=self.locale)

    def number(self, value: float) -> str:
        return _decimal(value, self.locale)

    def either(self, choices: list[str]) -> str:
        """"A, B or C", as the locale writes a list of choices."""
        return format_list(choices, style="or", locale=self.locale)


def words_for(lang: str, territory: str, messages: Mapping[str, str] | None = None,
              catalogue: Path | None = None) -> Words:
    """``lang`` as spoken in ``territory`` (a region's CLDR territory: US, GB, 150)."""
    return Words(lang, _locale(lang, territory), messages, catalogue)


@functools.lru_cache(maxsize=4096)
def _decimal(value: float, locale: Locale) -> str:
    """Babel's formatting, once per value: a network's leaflets repeat the same facts."""
    return format_decimal(value, locale=locale)


def base_language(lang: str) -> str:
    """The language a text variant is written in: ``en`` for ``en-easy``."""
    return lang.split("-", 1)[0]


@functools.cache
def _locale(lang: str, territory: str) -> Locale:
    """The language in the region's territory, or the bare language's locale (a text
    variant, ``en-easy``, writes dates and numbers as its language does)."""
    lang = base_language(lang)
    try:
        return Locale.parse(f"{lang}_{territory}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(lang)


def known_language(lang: str) -> bool:
    """Whether the locale data (CLDR) knows ``lang``, so dates can be written in it."""
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def placeholders(message: str) -> set[str]:
    return set(PLACEHOLDER.findall(message))


def not_in_catalogue(catalogue: Path | None, message: str) -> UserError:
    return UserError(Location(catalogue) if catalogue else None, (
        f"'{message}' is not in this catalogue: run 'python build.py update-translations', "
        "then translate it"))


def format_problem(message: str, translation: str) -> str | None:
    """Why ``translation`` cannot stand in for ``message``, or None if it can: it
    must keep the same ``{placeholders}`` and no other braces."""
    wanted = placeholders(message)
    if placeholders(translation) != wanted:
        return "must keep its placeholders " + (
            ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "(none)") + " exactly as written"
    rest = PLACEHOLDER.sub("", translation)
    if "{" in rest or "}" in rest:  # a format spec ({date:>999999999}) would fill memory
        return "has a '{' or '}' that is not part of a placeholder: remove it"
    return None


# --- the catalogues, for translators -------------------------------------------


def extract_messages(project_root: Path) -> Catalog:
    """Every ``_("...")`` in the templates and the package, with where it is used."""
    catalog = Catalog(project="handout", fuzzy=False)
    for folder in ("templates", "handout"):
        for filename, line, message, comments, context in extract_from_dir(
                project_root / folder, EXTRACT_METHODS, keywords={"_": None}):
            catalog.add(message, locations=[(f"{folder}/{filename}", line)],
                        auto_comments=comments, context=context)
    return catalog


def update_catalogues(project_root: Path, content: Path) -> Iterator[Path]:
    """Write the template catalogue, then add new strings to each language's
    catalogue (empty, for the translator) and mark strings no longer used."""
    template = extract_messages(project_root)
    folder = content / TRANSLATIONS
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / TEMPLATE_CATALOGUE, template)
    yield folder / TEMPLATE_CATALOGUE
    for lang_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        if lang_folder.name != base_language(lang_folder.name):
            continue  # a text variant (en-easy) prints its language's fixed strings
        path = lang_folder / CATALOGUE
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang_folder.name, abort_invalid=True)
        else:
            catalog = Catalog(locale=lang_folder.name, project="handout", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        _write(path, catalog)
        yield path


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=88, omit_header=False, sort_output=False,
                 ignore_obsolete=False, include_previous=False)


def read_messages(folder: Path, errors: list[UserError]
                  ) -> tuple[dict[str, str], list[UserError]]:
    """A language folder's catalogue: its usable translations, and what it lacks (errors
    for a build that asks for the language, and nothing for one that does not).
    Problems that stop the catalogue being read at all go to ``errors``."""
    path = folder / CATALOGUE
    template = folder.parent / TEMPLATE_CATALOGUE
    wanted = _read_catalogue(template, errors)
    if not path.is_file():
        return {}, [UserError(Location(folder), (
            f"{CATALOGUE} is missing: run 'python build.py update-translations', then "
            "translate the strings it lists"))]
    have = _read_catalogue(path, errors)
    messages, problems = {}, []
    for message_id in wanted:
        entry = have.get(message_id)
        where = Location(path, entry.lineno, 1) if entry else Location(path)
        if entry is None:
            problems.append(not_in_catalogue(path, message_id))
        elif not entry.string:
            problems.append(UserError(where, (
                f"'{message_id}' is not translated: write its {folder.name} text in msgstr")))
        elif entry.fuzzy:
            problems.append(UserError(where, (
                f"'{message_id}' is marked fuzzy (a guess): check it, then delete the "
                "'#, fuzzy' line")))
        elif problem := format_problem(message_id, str(entry.string)):
            problems.append(UserError(where, f"the translation of '{message_id}' {problem}"))
        elif found := character_problem(str(entry.string)):
            problems.append(UserError(where, (
                f"the translation of '{message_id}' holds {found[1]}; delete it (it may not "
                "show in your editor: retype the text around it)")))
        else:
            messages[message_id] = normalised(str(entry.string))
    return messages, problems


def _content_of(path: Path) -> Path:
    """The content folder a catalogue is in: no link may lead out of it."""
    return next((folder.parent for folder in path.parents if folder.name == TRANSLATIONS),
                path.parent)


def _read_catalogue(path: Path, errors: list[UserError]) -> dict[str, Any]:
    if not path.is_file():
        errors.append(UserError(Location(path), (
            "the catalogue of fixed strings is missing: run 'python build.py "
            "update-translations'")))
        return {}
    try:
        data = read_bounded(path, MAX_CATALOGUE_BYTES, _content_of(path))
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except FileRefused as exc:
        errors.append(UserError(Location(path), f"this catalogue {exc.reason}" + (
            f" ({exc.size:,} bytes; the limit is {MAX_CATALOGUE_BYTES:,})" if exc.size else "")))
        return {}
    except (PoFileError, UnicodeDecodeError, ValueError, OSError) as exc:
        errors.append(UserError(Location(path), f"this catalogue cannot be read: "
                                                f"{quoted(str(exc))}"))
        return {}
    return {str(message.id): message for message in catalog if message.id}
