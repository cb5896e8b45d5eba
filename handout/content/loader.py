"""Load the content folder and check it as a whole before anything is built.

Typing is pydantic's job; this module adds what needs the whole picture: ids
that must be unique, references that must exist, numbers that must come from
``facts.yaml``, names that must never be printed. Every problem is collected
and reported together, each with its file, line and column.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from handout.content.blocks import Block, Table
from handout.content.dose import overlapping_limits
from handout.content.i18n import SOURCE_LANGUAGE, TRANSLATIONS
from handout.content.model import (
    Fact,
    GlossaryTerm,
    Leaflet,
    RegionInfo,
    ShortText,
    Source,
    Value,
)
from handout.content.regions import load_regions
from handout.content.signoffs import moved_fields
from handout.content.texts import (
    ItemKey,
    ItemKind,
    Located,
    block_texts,
    check_names,
    check_no_digits,
    check_text,
    unknown_id,
)
from handout.content.translations import English, Translation, load_translations
from handout.content.validation import report_problems, validate
from handout.content.variants import is_variant
from handout.content.yamlfile import KeyPath, YamlDocument, read_yaml
from handout.core.editions import SINGLE_FILES
from handout.core.errors import Location, UserError, UserErrors

GLOSSARY = "glossary.yaml"
NAMES_ADAPTER: TypeAdapter[list[ShortText]] = TypeAdapter(list[ShortText])
GLOSSARY_ADAPTER: TypeAdapter[list[GlossaryTerm]] = TypeAdapter(list[GlossaryTerm])


@functools.cache
def _adapter(item_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(item_type)


@dataclass(frozen=True)
class Content:
    """Everything in ``content/`` except the clinics, checked and cross-linked."""

    root: Path
    sources: dict[str, Source]
    never_print: tuple[str, ...]
    facts: dict[str, Fact]
    blocks: dict[str, Block]
    leaflets: dict[str, Leaflet]
    places: dict[ItemKey, Location] = field(default_factory=dict)
    """Where each ("block" | "fact" | "leaflet" | "source", id) is defined."""
    texts: dict[ItemKey, tuple[Located, ...]] = field(default_factory=dict)
    """What each ("block" | "leaflet", id) prints, as written, with where: for the
    reading-level gate, which points a writer at the sentence to rewrite."""
    translations: dict[str, Translation] = field(default_factory=dict)
    """The content's words in each other language, by language code."""
    glossary: tuple[GlossaryTerm, ...] = ()
    """English terms a leaflet must explain where it first uses them (``glossary.yaml``)."""
    regions: dict[str, RegionInfo] = field(default_factory=dict)
    """Every region a clinic may be in, by code (``content/regions/``)."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the content is written in; a clinic may ask only for these (a
        text variant, ``en-easy``, is what an edition prints, not a language)."""
        return (SOURCE_LANGUAGE, *(lang for lang in self.translations if not is_variant(lang)))

    def place(self, kind: ItemKind, item_id: str) -> Location | None:
        return self.places.get((kind, item_id))

    def texts_in(self, lang: str) -> dict[ItemKey, tuple[Located, ...]]:
        """What each block and leaflet prints in ``lang``, as written, with where."""
        return self.texts if lang == SOURCE_LANGUAGE else self.translations[lang].texts


def load_content(root: Path) -> Content:
    """Load and check ``root`` (the content folder); raise UserErrors listing every problem."""
    return _ContentLoader(root).load()


class _ContentLoader:
    """Collects items file by file, then checks the references between them.

    Items are validated one at a time, so one bad block or fact is reported on
    its own and does not make every reference to its neighbours fail too.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[UserError] = []
        self.places: dict[ItemKey, Location] = {}
        self.broken: set[ItemKey] = set()
        """Items that failed validation: references to them are not reported again."""
        self.texts: dict[ItemKey, tuple[Located, ...]] = {}

    def load(self) -> Content:
        root = self.root
        sources_doc = self._read(root / "sources.yaml")
        never_print = self._never_print(sources_doc)
        sources = self._items(sources_doc, "sources", Source, "source",
                              extra_keys=("never_print",))
        facts_doc = self._read(root / "facts.yaml")
        facts = self._items(facts_doc, "facts", Fact, "fact")
        blocks: dict[str, Block] = {}
        block_docs: list[YamlDocument] = []
        for path in self._folder(root / "blocks"):
            doc = self._read(path)
            blocks.update(self._items(doc, "blocks", Block, "block", earlier=blocks))
            if doc:
                block_docs.append(doc)
        leaflets: dict[str, Leaflet] = {}
        for path in self._folder(root / "leaflets"):
            if path.stem in SINGLE_FILES:
                self.errors.append(UserError(Location(path), (
                    f"'{path.stem}' is the name of the {SINGLE_FILES[path.stem]} edition's "
                    "file; rename this leaflet file")))
                continue
            doc = self._read(path)
            if doc:
                moved, doc = moved_fields(doc, "python build.py sign --clinic ID --by "
                                               f'"NAME" --leaflet {path.stem}')
                self.errors.extend(moved)
            leaflet = validate(Leaflet, doc, self.errors) if doc else None
            if doc and leaflet:
                leaflets[path.stem] = leaflet
                self.places[("leaflet", path.stem)] = Location(path, 1, 1)
                self.places[("budget", path.stem)] = doc.where(("budget_pages",))
                self.texts[("leaflet", path.stem)] = ((leaflet.title, doc.where(("title",))),
                                                      (leaflet.message, doc.where(("message",))))
                self._check_leaflet(leaflet, doc, blocks)

        if sources_doc:
            for i, source in self._valid(sources_doc, "sources", sources):
                check_names(never_print, [(source.printed,
                                           sources_doc.where(("sources", i, "printed")))],
                            self.errors)
        if facts_doc:
            limits = [(facts_doc.where(("facts", i, "by_region", region, "ages")), region, fact)
                      for i, fact in self._valid(facts_doc, "facts", facts)
                      for region, regional in (fact.by_region or {}).items() if regional.ages]
            self.errors.extend(overlapping_limits(limits))
            for i, fact in self._valid(facts_doc, "facts", facts):
                for key_path, ids in _fact_sources(fact, i):
                    self._check_ids(ids, sources, "source", facts_doc, key_path)
                check_names(never_print, list(_fact_texts(fact, facts_doc, ("facts", i))),
                            self.errors)
        for doc in block_docs:
            for i, block in self._valid(doc, "blocks", blocks):
                self._check_ids(block.sources, sources, "source", doc, ("blocks", i, "sources"))
                self._check_authority(block, sources, doc, ("blocks", i, "sources"))
                texts = list(block_texts(block, doc, ("blocks", i)))
                self.texts[("block", block.id)] = tuple(texts)
                check_text(texts, facts, self.broken, self.errors)
                check_names(never_print, texts, self.errors)
                if isinstance(block, Table):
                    self._check_ids(block.fact_rows, facts, "fact", doc,
                                    ("blocks", i, "fact_rows"))
                    if block.total is not None:
                        self._check_total(block, facts, doc, ("blocks", i, "total"))

        regions, facts = load_regions(root, facts, sources, never_print, self._read,
                                      self.places, self.errors)
        translations: dict[str, Translation] = {}
        if not self.errors:  # a translation is checked against sound English only
            english = English(blocks, leaflets, facts, tuple(never_print), self.places)
            translations = load_translations(root / TRANSLATIONS, english, self.errors)
        if self.errors:
            raise UserErrors(self.errors)
        glossary = self._glossary(root / GLOSSARY)
        if self.errors:
            raise UserErrors(self.errors)
        return Content(root, sources, tuple(never_print), facts, blocks, leaflets, self.places,
                       texts=self.texts, translations=translations, glossary=glossary,
                       regions=regions)

    def _glossary(self, path: Path) -> tuple[GlossaryTerm, ...]:
        """The glossary, if the content has one: it is optional."""
        if not path.is_file():
            return ()
        doc = self._read(path)
        if doc is None:
            return ()
        data = doc.data
        if not isinstance(data, dict) or set(data) != {"terms"}:
            self.errors.append(UserError(doc.where(()), "this file must have only 'terms:' "
                                                        "followed by a list"))
            return ()
        try:
            return tuple(GLOSSARY_ADAPTER.validate_python(data["terms"]))
        except ValidationError as exc:
            report_problems(exc, list[GlossaryTerm], doc, ("terms",), self.errors)
            return ()

    def _read(self, path: Path) -> YamlDocument | None:
        try:
            return read_yaml(path, self.root)  # no link out of content/
        except UserErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def _folder(self, folder: Path) -> list[Path]:
        paths = sorted(folder.glob("*.yaml"))
        if not paths:
            self.errors.append(UserError(Location(folder), "no *.yaml files found"))
        return paths

    def _never_print(self, doc: YamlDocument | None) -> list[str]:
        if doc is None or not isinstance(doc.data, dict):
            return []
        try:
            return NAMES_ADAPTER.validate_python(doc.data.get("never_print", []))
        except ValidationError as exc:
            report_problems(exc, list[str], doc, ("never_print",), self.errors)
            return []

    def _items(self, doc: YamlDocument | None, list_key: str, item_type: Any,
               kind: ItemKind, extra_keys: tuple[str, ...] = (),
               earlier: dict[str, Any] | None = None) -> dict[str, Any]:
        """Validate the items under ``list_key`` one by one and index them by id."""
        found: dict[str, Any] = {}
        if doc is None:
            return found
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get(list_key), list):
            self.errors.append(UserError(doc.where(()), f"this file must have '{list_key}:' "
                                                        "followed by a list"))
            return found
        for key in data:
            if key != list_key and key not in extra_keys:
                allowed = ", ".join((list_key, *extra_keys))
                self.errors.append(UserError(doc.where((key,)), f"unknown field '{key}'; this "
                                                                f"file has only: {allowed}"))
        for i, raw in enumerate(data[list_key]):
            try:
                item = _adapter(item_type).validate_python(raw)
            except ValidationError as exc:
                report_problems(exc, item_type, doc, (list_key, i), self.errors)
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    self.broken.add((kind, raw["id"]))
                continue
            at = doc.where((list_key, i, "id"))
            if item.id in found or item.id in (earlier or {}):
                self.errors.append(UserError(at, f"duplicate {kind} id '{item.id}': it is "
                                                 f"also defined at {self.places[(kind, item.id)]}"))
                continue
            found[item.id] = item
            self.places[(kind, item.id)] = at
        return found

    def _valid(self, doc: YamlDocument, list_key: str,
               index: dict[str, Any]) -> Iterator[tuple[int, Any]]:
        """The items of ``doc`` that passed validation, with their position in it."""
        raw_items = doc.data.get(list_key) if isinstance(doc.data, dict) else None
        for i, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
            item_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(item_id, str) or item_id not in index:
                continue
            if self.places.get((_KIND[list_key], item_id)) == doc.where((list_key, i, "id")):
                yield i, index[item_id]

    def _check_ids(self, ids: list[str], known: dict[str, Any], kind: ItemKind, doc: YamlDocument,
                   key_path: KeyPath) -> None:
        for j, item_id in enumerate(ids):
            if item_id not in known and (kind, item_id) not in self.broken:
                self.errors.append(UserError(doc.where((*key_path, j)),
                                             unknown_id(kind, item_id, known)))

    def _check_authority(self, block: Block, sources: dict[str, Source], doc: YamlDocument,
                         key_path: KeyPath) -> None:
        """Every block rests on at least one authoritative reference: a web article is
        background for the reviewer and never prints, so a block citing only web
        articles would reach the patient with no source at all."""
        known = [sources[s] for s in block.sources if s in sources]
        if len(known) == len(block.sources) and all(s.kind != "reference" for s in known):
            self.errors.append(UserError(doc.where(key_path), (
                f"block '{block.id}' cites only web articles ({', '.join(block.sources)}); "
                "add an authoritative reference (kind: reference) from content/sources.yaml")))

    def _check_total(self, table: Table, facts: dict[str, Fact], doc: YamlDocument,
                     key_path: KeyPath) -> None:
        """A total can only add up single numbers in one unit."""
        rows = [facts[f] for f in table.fact_rows if f in facts]
        values = [v for fact in rows for v in _values_of(fact)]
        if len({fact.unit for fact in rows}) > 1 or not all(
                isinstance(v, int | float) or v is None for v in values):
            self.errors.append(UserError(doc.where(key_path), (
                f"table '{table.id}' cannot add up its rows: every fact in 'fact_rows' must "
                "be one number (not a range), all in the same unit")))

    def _check_leaflet(self, leaflet: Leaflet, doc: YamlDocument,
                       blocks: dict[str, Block]) -> None:
        self._check_ids(leaflet.blocks, blocks, "block", doc, ("blocks",))
        seen: set[str] = set()
        for j, block_id in enumerate(leaflet.blocks):
            if block_id in seen:
                self.errors.append(UserError(doc.where(("blocks", j)),
                                             f"block '{block_id}' is listed twice: keep only one"))
            seen.add(block_id)
        for key in ("title", "message"):
            check_no_digits(getattr(leaflet, key), doc.where((key,)), self.errors)



_KIND: dict[str, ItemKind] = {"sources": "source", "facts": "fact", "blocks": "block"}


def _fact_texts(fact: Fact, doc: YamlDocument, base: KeyPath) -> Iterator[Located]:
    if isinstance(fact.label, dict):
        for region, label in fact.label.items():
            yield label, doc.where((*base, "label", region))
    elif fact.label:
        yield fact.label, doc.where((*base, "label"))
    for region, regional in (fact.by_region or {}).items():
        if regional.label:
            yield regional.label, doc.where((*base, "by_region", region, "label"))


def _values_of(fact: Fact) -> list[Value | None]:
    """The fact's value, or each region's."""
    if fact.by_region is None:
        return [fact.value]
    return [regional.value for regional in fact.by_region.values()]


def _fact_sources(fact: Fact, i: int) -> Iterator[tuple[KeyPath, list[str]]]:
    yield ("facts", i, "sources"), fact.sources
    for region, regional in (fact.by_region or {}).items():
        yield ("facts", i, "by_region", region, "sources"), regional.sources
