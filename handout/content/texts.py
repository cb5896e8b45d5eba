"""The printed text of the content: where each piece was written, and the rules
every piece obeys in every language.

Numbers live in ``facts.yaml`` only, so one edit changes them everywhere: text
refers to a fact as ``{fact-id}`` and may not type a digit. Shop and brand names
are never printed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Literal

from handout.content.blocks import Block, texts_of
from handout.content.model import Fact, FactWords
from handout.content.yamlfile import KeyPath, YamlDocument
from handout.core.errors import Location, UserError

FACT_REF = re.compile(r"\{([^{}]*)\}")
"""``{fact-id}`` prints a fact's value; ``{fact-id:label}`` or ``:serving`` its other fields."""
FACT_FIELDS = ("value", "label", "serving")
NUMBER_RUN = re.compile(r"0+(?:[.,]0+)*")
"""Digits as ``as_ascii_digits`` leaves them, with their separators."""

Located = tuple[str, Location]
"""A piece of text as written, and where."""
ItemKind = Literal["source", "fact", "block", "leaflet", "budget"]
"""What the content defines by id ("budget" is a leaflet's page budget line)."""
ItemKey = tuple[ItemKind, str]
"""One item of the content: its kind and id."""


def unknown_id(kind: ItemKind, item_id: str, known: dict[str, Any]) -> str:
    hint = difflib.get_close_matches(item_id, list(known), n=1)
    where = {"source": "content/sources.yaml", "fact": "content/facts.yaml",
             "block": "content/blocks/", "leaflet": "content/leaflets/"}[kind]
    advice = f"did you mean '{hint[0]}'?" if hint else f"add it to {where} first"
    return f"unknown {kind} id '{item_id}': {advice}"


def block_texts(block: Block, doc: YamlDocument, base: KeyPath) -> Iterator[Located]:
    """Every piece of text a block prints, with where it was written."""
    for keys, text in texts_of(block):
        yield text, doc.where((*base, *keys))


def check_text(texts: list[Located], facts: dict[str, Fact], broken: set[ItemKey],
                errors: list[UserError]) -> None:
    for text, at in texts:
        without_refs = FACT_REF.sub("", text)
        if "{" in without_refs or "}" in without_refs:
            errors.append(UserError(at, "unmatched '{' or '}': a fact is written as {fact-id}"))
        check_no_digits(without_refs, at, errors)
        for ref in FACT_REF.findall(text):
            fact_id, _, part = ref.partition(":")
            if ("fact", fact_id) in broken:
                continue
            if fact_id not in facts:
                errors.append(UserError(at, unknown_id("fact", fact_id, facts)))
            elif part and part not in FACT_FIELDS:
                errors.append(UserError(at, f"'{{{ref}}}': after ':' use one of "
                                            f"{', '.join(FACT_FIELDS)}"))
            elif part == "serving" and facts[fact_id].serving is None:
                errors.append(UserError(at, f"fact '{fact_id}' has no serving"))
            elif part == "label" and not has_label(facts[fact_id]):
                errors.append(UserError(at, f"fact '{fact_id}' has no label"))


def has_label(fact: Fact) -> bool:
    return fact.label is not None or all(r.label for r in (fact.by_region or {}).values())


def as_ascii_digits(text: str) -> str:
    """``text`` with every character that is a number in any script ("٩", "½", "Ⅻ",
    "五", "²", not only ASCII digits) as "0", each keeping its place."""
    return "".join("0" if unicodedata.numeric(c, None) is not None else c for c in text)


def first_number(text: str) -> str | None:
    """The first run of number characters in ``text``, in any script, as written."""
    match = NUMBER_RUN.search(as_ascii_digits(text))
    return text[match.start():match.end()] if match else None


def check_no_digits(text: str, at: Location, errors: list[UserError]) -> None:
    """Numbers live in facts.yaml only, so one edit changes them everywhere."""
    number = first_number(text)
    if number is not None:
        errors.append(UserError(at, f"the number '{number}' is typed into the text: "
                                    "add it to content/facts.yaml and write {fact-id} here"))


def check_names(names: list[str] | tuple[str, ...], texts: list[Located],
                errors: list[UserError]) -> None:
    for text, at in texts:
        for name in names:
            if name.lower() in text.lower():
                errors.append(UserError(at, f"'{name}' is a shop or brand name and "
                                            "must never be printed: reword this"))


def fact_words(words: Fact | FactWords) -> list[tuple[tuple[Any, ...], str]]:
    """Each printed word of a fact, by its key path: labels, unit and servings."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(words.label, dict):  # the English says it by region
        found.extend((("label", region), label) for region, label in words.label.items())
    elif words.label:
        found.append((("label",), words.label))
    if words.unit:
        found.append((("unit",), words.unit))
    for region, regional in (words.by_region or {}).items():
        if regional.label:
            found.append((("by_region", region, "label"), regional.label))
    if words.serving:
        found.extend((("serving", key), getattr(words.serving, key)) for key in ("us", "metric"))
    return found


def english_fact_words(fact: Fact, key: tuple[Any, ...]) -> str | None:
    """The English words a translation's words at ``key`` translate. One label may
    translate an English label given by region (whose numbers are the same)."""
    english = dict(fact_words(fact))
    if key == ("label",) and isinstance(fact.label, dict):
        return next(iter(fact.label.values()))
    return english.get(key)
