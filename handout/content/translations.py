"""Load the translations: one folder per language under ``content/translations/``.

A translation holds words only. Its blocks, leaflet titles and fact labels carry
the English item's id, and everything else (kinds, sources, numbers, page
budgets) stays the English item's, so a translated leaflet can never cite
differently or print another number. Each translated block must use the same
``{fact-id}`` references as its English and the same number of items, so a
reviewer can read them side by side.

What a translation lacks is not an error here: only a clinic that asks for the
language needs it complete, and ``resolve`` reports each gap with its place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from handout.content.blocks import TRANSLATED_FIELDS, Block, BlockWords, words_of
from handout.content.i18n import CATALOGUE, read_messages
from handout.content.model import Fact, FactWords, LanguageInfo, Leaflet, LeafletWords
from handout.content.texts import (
    FACT_REF,
    ItemKey,
    ItemKind,
    Located,
    block_texts,
    check_names,
    check_no_digits,
    check_text,
    english_fact_words,
    fact_words,
    unknown_id,
)
from handout.content.validation import report_problems, validate
from handout.content.variants import (
    extra_facts,
    folder_problem,
    is_variant,
    variant_block,
    with_base_strings,
)
from handout.content.yamlfile import YamlDocument, read_yaml
from handout.core.errors import Location, UserError, UserErrors

LANGUAGE_FILE = "language.yaml"
SYMBOL_UNITS = frozenset({"mg", "g", "mcg", "kg", "ml", "%"})
"""Units printed the same in every language; any other unit is a word to translate."""


@dataclass(frozen=True)
class Translation:
    """The content's words in one language other than English."""

    lang: str
    folder: Path
    info: LanguageInfo
    leaflets: dict[str, Leaflet]
    """The English leaflets with this language's title and message."""
    blocks: dict[str, Block]
    """The English blocks with this language's words."""
    facts: dict[str, FactWords]
    messages: dict[str, str] | None
    """Fixed strings of the templates and code: English to this language (None for a
    variant of English, which prints the English strings)."""
    problems: tuple[UserError, ...] = ()
    """Fixed strings the catalogue lacks: errors for any clinic asking for the language."""
    stale: dict[str, tuple[UserError, ...]] = field(default_factory=dict)
    """Blocks whose words no longer match their English (it gained an item, or refers
    to other facts), by id: errors, like a missing block, where the language is asked for."""
    places: dict[ItemKey, Location] = field(default_factory=dict)
    texts: dict[ItemKey, tuple[Located, ...]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.info.name

    def catalogue(self) -> Path:
        return self.folder / CATALOGUE

    def unit(self, fact: Fact) -> str | None:
        """The fact's unit in this language, or None if it still needs translating."""
        words = self.facts.get(fact.id)
        if words is not None and words.unit:
            return words.unit
        return fact.unit if not fact.unit or fact.unit in SYMBOL_UNITS else None


@dataclass(frozen=True)
class English:
    """What a translation is checked against."""

    blocks: dict[str, Block]
    leaflets: dict[str, Leaflet]
    facts: dict[str, Fact]
    never_print: tuple[str, ...]
    places: dict[ItemKey, Location]


def load_translations(folder: Path, english: English,
                      errors: list[UserError]) -> dict[str, Translation]:
    """Every language folder in ``folder``; problems are added to ``errors``."""
    if not folder.is_dir():
        return {}
    found: dict[str, Translation] = {}
    for lang_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        problem = folder_problem(lang_folder)
        if problem is not None:
            errors.append(problem)
            continue
        translation = _TranslationLoader(lang_folder, english, errors).load()
        if translation is not None:
            found[translation.lang] = translation
    return {lang: with_base_strings(translation, found, errors)
            for lang, translation in found.items()}


class _TranslationLoader:
    def __init__(self, folder: Path, english: English, errors: list[UserError]) -> None:
        self.folder = folder
        self.lang = folder.name
        self.english = english
        self.errors = errors
        self.places: dict[ItemKey, Location] = {}
        self.texts: dict[ItemKey, tuple[Located, ...]] = {}
        self.stale: dict[str, tuple[UserError, ...]] = {}
        self.variant = is_variant(self.lang)  # its own text: see variants.py

    def load(self) -> Translation | None:
        info_doc = self._read(self.folder / LANGUAGE_FILE)
        info = validate(LanguageInfo, info_doc, self.errors) if info_doc else None
        leaflets = self._leaflets()
        blocks = self._blocks()
        facts = self._facts()
        messages, problems = (None, []) if self.variant else read_messages(self.folder, self.errors)
        if info is None:
            return None
        return Translation(self.lang, self.folder, info, leaflets, blocks, facts, messages,
                           tuple(problems), self.stale, self.places, self.texts)

    def _read(self, path: Path) -> YamlDocument | None:
        if not path.is_file():
            self.errors.append(UserError(Location(path.parent), (
                f"{path.name} is missing: every language folder needs one (see README, "
                "\"Adding a language\")")))
            return None
        try:
            return read_yaml(path, self.folder.parents[1])  # no link out of content/
        except UserErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def _leaflets(self) -> dict[str, Leaflet]:
        found = {}
        for path in sorted((self.folder / "leaflets").glob("*.yaml")):
            doc = self._read(path)
            words = validate(LeafletWords, doc, self.errors) if doc else None
            if doc is None or words is None:
                continue
            if path.stem not in self.english.leaflets:
                self.errors.append(UserError(Location(path), unknown_id(
                    "leaflet", path.stem, self.english.leaflets)))
                continue
            for key in ("title", "message"):
                check_no_digits(getattr(words, key), doc.where((key,)), self.errors)
            texts = [(words.title, doc.where(("title",))), (words.message, doc.where(("message",)))]
            check_names(self.english.never_print, texts, self.errors)
            found[path.stem] = self.english.leaflets[path.stem].model_copy(
                update={"title": words.title, "message": words.message})
            self.places[("leaflet", path.stem)] = Location(path, 1, 1)
            self.texts[("leaflet", path.stem)] = tuple(texts)
        return found

    def _blocks(self) -> dict[str, Block]:
        found: dict[str, Block] = {}
        for path in sorted((self.folder / "blocks").glob("*.yaml")):
            doc = self._read(path)
            for i, words in self._items(doc, "blocks", None if self.variant else BlockWords):
                assert doc is not None
                if self._new("block", words.id, doc, i):
                    block = (self._variant_block(words, doc, i) if self.variant
                             else self._block(words, doc, i))
                    if block is not None:
                        found[words.id] = block
        return found

    def _checked_texts(self, block: Block, doc: YamlDocument, i: int) -> list[Located] | None:
        """The block's texts with their places, or None if one breaks a text rule."""
        texts = list(block_texts(block, doc, ("blocks", i)))
        before = len(self.errors)
        check_text(texts, self.english.facts, set(), self.errors)
        check_names(self.english.never_print, texts, self.errors)
        return None if len(self.errors) > before else texts

    def _variant_block(self, block: Block, doc: YamlDocument, i: int) -> Block | None:
        """A variant's own block, if it prints only its English block's facts."""
        texts = self._checked_texts(block, doc, i)
        if texts is None:
            return None
        english, at = self.english.blocks[block.id], doc.where(("blocks", i, "id"))
        stale = extra_facts(block, english, self.english.places.get(("block", block.id)), at)
        if stale is not None:
            self.stale[block.id] = (stale,)
            return None
        self.texts[("block", block.id)] = tuple(texts)
        return block

    def _block(self, words: Any, doc: YamlDocument, i: int) -> Block | None:
        """The English block in this language's words, or None if they no longer
        match it (a stale translation: an error only where the language is asked for)."""
        english = self.english.blocks.get(words.id)
        at = doc.where(("blocks", i, "id"))
        if english is None:
            self.errors.append(UserError(at, unknown_id("block", words.id, self.english.blocks)))
            return None
        stale: list[UserError] = []
        update = _block_update(english, self.english.places.get(("block", words.id)), words,
                               doc, ("blocks", i), stale)
        if update is None:
            self.stale[words.id] = tuple(stale)
            return None
        block = english.model_copy(update=update)
        texts = self._checked_texts(block, doc, i)
        if texts is None:
            return None
        wanted = _fact_refs(block_texts(english, doc, ()))
        used = _fact_refs(texts)
        if used != wanted:
            self.stale[words.id] = (UserError(at, (
                f"block '{words.id}' must refer to the same facts as its English "
                f"({_refs(wanted)}), so it prints the same numbers; it has {_refs(used)}")),)
            return None
        self.texts[("block", words.id)] = tuple(texts)
        return block

    def _facts(self) -> dict[str, FactWords]:
        path = self.folder / "facts.yaml"
        if not path.is_file():
            return {}
        doc = self._read(path)
        found = {}
        for i, words in self._items(doc, "facts", FactWords):
            assert doc is not None
            fact = self.english.facts.get(words.id)
            if fact is None:
                self.errors.append(UserError(doc.where(("facts", i, "id")),
                                             unknown_id("fact", words.id, self.english.facts)))
                continue
            texts = [(text, doc.where(("facts", i, *key))) for key, text in fact_words(words)]
            for (key, text), (_, at) in zip(fact_words(words), texts, strict=True):
                self._same_numbers(text, english_fact_words(fact, key), key, at)
            check_names(self.english.never_print, texts, self.errors)
            if self._new("fact", words.id, doc, i):
                found[words.id] = words
        return found

    def _same_numbers(self, text: str, english: str | None, key: tuple[Any, ...],
                      at: Location) -> None:
        """A label or serving may repeat the numbers its English has, never others."""
        if english is None:
            self.errors.append(UserError(at, f"'{'.'.join(map(str, key))}' has no English "
                                             "to translate: remove it"))
        elif _numbers(text) != _numbers(english):
            self.errors.append(UserError(at, (
                f"'{text}' must have the same numbers as the English '{english}': only the "
                "words are translated")))

    def _items(self, doc: YamlDocument | None, list_key: str,
               model: type[Any] | None) -> list[tuple[int, Any]]:
        if doc is None:
            return []
        data = doc.data
        if not isinstance(data, dict) or set(data) != {list_key} or not isinstance(
                data[list_key], list):
            self.errors.append(UserError(doc.where(()), (
                f"this file must have only '{list_key}:' followed by a list")))
            return []
        items = []
        for i, raw in enumerate(data[list_key]):
            if model is None:  # a variant's block, written in full
                if (block := variant_block(raw, self.english.blocks, doc, i,
                                           self.errors)) is not None:
                    items.append((i, block))
                continue
            try:
                items.append((i, model.model_validate(raw)))
            except ValidationError as exc:
                report_problems(exc, model, doc, (list_key, i), self.errors)
        return items

    def _new(self, kind: ItemKind, item_id: str, doc: YamlDocument, i: int) -> bool:
        at = doc.where((f"{kind}s", i, "id"))
        if (kind, item_id) in self.places:
            self.errors.append(UserError(at, f"duplicate {kind} id '{item_id}': it is also "
                                             f"translated at {self.places[(kind, item_id)]}"))
            return False
        self.places[(kind, item_id)] = at
        return True


def _block_update(english: Block, english_at: Location | None, words: Any,
                  doc: YamlDocument, base: tuple[Any, ...],
                  errors: list[UserError]) -> dict[str, Any] | None:
    """The English block's text fields replaced by ``words``, or None if they do not match."""
    before = len(errors)
    block_id = words.id
    wanted = words_of(english)
    given = {name: value for name in TRANSLATED_FIELDS
             if (value := getattr(words, name)) is not None}
    where = str(english_at) if english_at else "content/blocks/"
    for name in wanted.keys() - given.keys():
        errors.append(UserError(doc.where((*base, "id")), (
            f"block '{block_id}' needs '{name}': its English has one ({where})")))
    for name in given.keys() - wanted.keys():
        errors.append(UserError(doc.where((*base, name)), (
            f"block '{block_id}' has '{name}', but its English has none: remove it")))
    for name, printed in TRANSLATED_FIELDS.items():
        mine, theirs = given.get(name), wanted.get(name)
        if not printed.counted or mine is None or theirs is None:
            continue
        if len(mine) != len(theirs):
            errors.append(UserError(doc.where((*base, name)), (
                f"'{name}' has {len(mine)} entries; the English has {len(theirs)}. Translate "
                "each one, in the same order")))
        elif printed.shape == "rows":
            for r, (row, english_row) in enumerate(zip(mine, theirs, strict=True)):
                if len(row) != len(english_row):
                    errors.append(UserError(doc.where((*base, name, r)), (
                        f"row {r + 1} has {len(row)} cells; the English has {len(english_row)}")))
    if len(errors) > before:
        return None
    return {name: TRANSLATED_FIELDS[name].translated(getattr(english, name), value)
            for name, value in given.items()}


def _fact_refs(texts: Any) -> Counter[str]:
    return Counter(ref for text, _ in texts for ref in FACT_REF.findall(text))


def _refs(refs: Counter[str]) -> str:
    return ", ".join(f"{{{ref}}}" + (f" x{n}" if n > 1 else "")
                     for ref, n in sorted(refs.items())) or "none"


def _numbers(text: str) -> list[str]:
    return "".join(c if c.isdigit() or c in "½¼¾" else " " for c in text).split()
