"""Load the content folder and check it as a whole before anything is built.

Typing is pydantic's job; this module adds what needs the whole picture: ids
that must be unique, references that must exist, numbers that must come from
``facts.yaml``, names that must never be printed. Every problem is collected
and reported together, each with its file, line and column.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import Location, UserError, UserErrors
from .model import (
    BLOCK_KINDS,
    Block,
    Bullets,
    Callout,
    Checklist,
    Fact,
    FillIn,
    Leaflet,
    Paragraph,
    ShortText,
    Source,
    Table,
)
from .yamlfile import KeyPath, YamlDocument, read_yaml

FACT_REF = re.compile(r"\{([^{}]*)\}")
"""``{fact-id}`` prints a fact's value; ``{fact-id:label}`` or ``:serving`` its other fields."""
FACT_FIELDS = ("value", "label", "serving")
DIGIT = re.compile(r"\d+")
PATTERN_HINTS = {
    "phone": "a phone number: digits, spaces, brackets, dots or dashes, like (555) 010-2000",
    "after_hours": "a phone number: digits, spaces, brackets, dots or dashes, like "
                   "(555) 010-2000",
    "website": "a web address starting with https://, like https://example.org",
    "primary": "a colour written as #rrggbb, like #1f4e79",
    "accent": "a colour written as #rrggbb, like #1f4e79",
    "emergency_number": "three digits, like 911",
    "languages": "a two-letter language code, like en",
}
"""What a value must look like, for fields checked by a pattern; ids otherwise."""

Located = tuple[str, Location]
"""A piece of text as written, and where."""

RESERVED_LEAFLET_IDS = frozenset({"booklet"})
"""File names the build writes for itself in each clinic's folder."""

M = TypeVar("M", bound=BaseModel)
NAMES_ADAPTER: TypeAdapter[list[ShortText]] = TypeAdapter(list[ShortText])


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
    places: dict[tuple[str, str], Location] = field(default_factory=dict)
    """Where each ("block" | "fact" | "leaflet" | "source", id) is defined."""
    languages: tuple[str, ...] = ("en",)
    """The languages the blocks are written in; a clinic may ask only for these."""
    texts: dict[tuple[str, str], tuple[Located, ...]] = field(default_factory=dict)
    """What each ("block" | "leaflet", id) prints, as written, with where: for the
    reading-level gate, which points a writer at the sentence to rewrite."""

    def place(self, kind: str, item_id: str) -> Location | None:
        return self.places.get((kind, item_id))


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
        self.places: dict[tuple[str, str], Location] = {}
        self.broken: set[tuple[str, str]] = set()
        """Items that failed validation: references to them are not reported again."""
        self.texts: dict[tuple[str, str], tuple[Located, ...]] = {}

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
            if path.stem in RESERVED_LEAFLET_IDS:
                self.errors.append(UserError(Location(path), (
                    f"'{path.stem}' is the name of the booklet edition's file; rename "
                    "this leaflet file")))
                continue
            doc = self._read(path)
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
                self._check_names(never_print, [(source.printed,
                                                 sources_doc.where(("sources", i, "printed")))])
        if facts_doc:
            for i, fact in self._valid(facts_doc, "facts", facts):
                for key_path, ids in _fact_sources(fact, i):
                    self._check_ids(ids, sources, "source", facts_doc, key_path)
                self._check_names(never_print, list(_fact_texts(fact, facts_doc, ("facts", i))))
        for doc in block_docs:
            for i, block in self._valid(doc, "blocks", blocks):
                self._check_ids(block.sources, sources, "source", doc, ("blocks", i, "sources"))
                texts = list(_block_texts(block, doc, ("blocks", i)))
                self.texts[("block", block.id)] = tuple(texts)
                _check_text(texts, facts, self.broken, self.errors)
                self._check_names(never_print, texts)
                if isinstance(block, Table):
                    self._check_ids(block.fact_rows, facts, "fact", doc,
                                    ("blocks", i, "fact_rows"))

        if self.errors:
            raise UserErrors(self.errors)
        return Content(root, sources, tuple(never_print), facts, blocks, leaflets, self.places,
                       texts=self.texts)

    def _read(self, path: Path) -> YamlDocument | None:
        try:
            return read_yaml(path)
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
            _report(exc, list[str], doc, ("never_print",), self.errors)
            return []

    def _items(self, doc: YamlDocument | None, list_key: str, item_type: Any,
               kind: str, extra_keys: tuple[str, ...] = (),
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
                _report(exc, item_type, doc, (list_key, i), self.errors)
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

    def _check_ids(self, ids: list[str], known: dict[str, Any], kind: str, doc: YamlDocument,
                   key_path: KeyPath) -> None:
        for j, item_id in enumerate(ids):
            if item_id not in known and (kind, item_id) not in self.broken:
                self.errors.append(UserError(doc.where((*key_path, j)),
                                             _unknown(kind, item_id, known)))

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
            _check_no_digits(getattr(leaflet, key), doc.where((key,)), self.errors)

    def _check_names(self, names: list[str], texts: list[Located]) -> None:
        for text, at in texts:
            for name in names:
                if name.lower() in text.lower():
                    self.errors.append(UserError(at, f"'{name}' is a shop or brand name and "
                                                     "must never be printed: reword this"))


_KIND = {"sources": "source", "facts": "fact", "blocks": "block"}


# --- validation with locations -------------------------------------------------


def validate(model: type[M], doc: YamlDocument, errors: list[UserError]) -> M | None:
    """Validate ``doc`` as ``model``; on failure add a located error per problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        _report(exc, model, doc, (), errors)
        return None


def _report(exc: ValidationError, root: Any, doc: YamlDocument, base: KeyPath,
            errors: list[UserError]) -> None:
    """Turn pydantic's errors into located, plain-language ones.

    ``root`` is the type validated at ``base`` (a model, or the block union);
    it is used to suggest the field a typo meant.
    """
    for problem in exc.errors():
        relative = _yaml_path(problem["loc"])
        key_path = (*base, *relative)
        message = _plain_message(problem, key_path,
                                 lambda rel=relative: _fields_at(root, rel[:-1]))
        errors.append(UserError(doc.where(key_path), message))


def _yaml_path(loc: tuple[Any, ...]) -> KeyPath:
    """Drop what pydantic adds to a location that the YAML does not have."""
    path: list[str | int] = []
    for i, part in enumerate(loc):
        after_index = i == 0 or isinstance(loc[i - 1], int)
        if after_index and part in BLOCK_KINDS:
            continue  # the tag of a block's kind
        if isinstance(part, str) and part.startswith(("function-", "tuple[", "list[")):
            continue
        if part in ("int", "float") or (isinstance(part, str) and "[" in part):
            continue
        path.append(part)
    return tuple(path)


def _plain_message(problem: Any, key_path: KeyPath, known_fields: Callable[[], list[str]]
                   ) -> str:
    kind = problem["type"]
    name = next((str(part) for part in reversed(key_path) if isinstance(part, str)), "file")
    label = f"'{name}'"
    if key_path and isinstance(key_path[-1], int):
        label = f"'{name}' item {key_path[-1] + 1}"
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        known = known_fields()
        hint = difflib.get_close_matches(name, known, n=1)
        if hint:
            return f"unknown field '{name}'; did you mean '{hint[0]}'?"
        return f"unknown field '{name}'; known fields: {', '.join(sorted(known))}"
    if kind == "union_tag_invalid":
        tag = problem["ctx"]["tag"]
        return f"unknown block kind '{tag}'; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "union_tag_not_found":
        return f"missing 'kind'; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "literal_error":
        return f"{label} must be {problem['ctx']['expected']}, not {problem['input']!r}"
    if kind == "string_pattern_mismatch":
        shape = PATTERN_HINTS.get(name, "lower-case words joined by hyphens (like 'safe-doses')")
        return f"{label} must be {shape}, not {problem['input']!r}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{label} must be a whole number, not {problem['input']!r}"
    if kind in ("string_type",):
        return f"{label} must be text, not {problem['input']!r}"
    if kind in ("list_type", "tuple_type"):
        return f"{label} must be a list, not {problem['input']!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type") and not key_path:
        return ("the file must be a set of 'key: value' lines, like 'name: Oak Street "
                "Surgery', not a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{label} must be a set of 'key: value' lines, not {problem['input']!r}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{label} must be a date written as YYYY-MM-DD, not {problem['input']!r}"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = "at most" if kind == "less_than_equal" else "at least"
        limit = problem["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{label} must be {bound} {limit}, not {problem['input']!r}"
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    if kind == "too_short" and problem.get("ctx", {}).get("min_length") == 1:
        return f"{label} must not be empty"
    if kind == "string_too_short":
        return f"{label} must not be empty"
    if kind == "string_too_long":
        return (f"{label} is {len(problem['input'])} characters; the limit is "
                f"{problem['ctx']['max_length']}. Shorten it")
    return f"{label}: {problem['msg']}"


def _fields_at(root: Any, relative: KeyPath) -> list[str]:
    """The field names allowed at ``relative`` below ``root``, for "did you mean"."""
    current = root
    for part in relative:
        if isinstance(part, int):
            continue
        fields = _model_fields(current)
        if part in fields:
            current = fields[part].annotation
        else:
            mapping = [arg for arg in (current, *get_args(current)) if get_origin(arg) is dict]
            if not mapping:
                return []
            current = get_args(mapping[0])[1]  # a key of a dict, such as a region
    return sorted(_model_fields(current))


def _model_fields(annotation: Any) -> dict[str, Any]:
    """Fields of a model, or of every model inside ``list[...]``, ``X | None`` or a union."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return dict(annotation.model_fields)
    fields: dict[str, Any] = {}
    for arg in get_args(annotation):
        fields.update(_model_fields(arg))
    return fields


def _unknown(kind: str, item_id: str, known: dict[str, Any]) -> str:
    hint = difflib.get_close_matches(item_id, list(known), n=1)
    where = {"source": "content/sources.yaml", "fact": "content/facts.yaml",
             "block": "content/blocks/"}[kind]
    advice = f"did you mean '{hint[0]}'?" if hint else f"add it to {where} first"
    return f"unknown {kind} id '{item_id}': {advice}"



def _block_texts(block: Block, doc: YamlDocument, base: KeyPath) -> Iterator[Located]:
    """Every piece of text a block prints, with where it was written."""
    def at(*keys: str | int) -> Location:
        return doc.where((*base, *keys))

    if block.heading:
        yield block.heading, at("heading")
    if isinstance(block, Paragraph):
        yield block.text, at("text")
    if isinstance(block, (Bullets, Checklist, FillIn)) and block.intro:
        yield block.intro, at("intro")
    if isinstance(block, (Bullets, Checklist, Callout)):
        for j, item in enumerate(block.items):
            yield item, at("items", j)
    if isinstance(block, Callout) and block.text:
        yield block.text, at("text")
    if isinstance(block, Table):
        yield block.caption, at("caption")
        for j, cell in enumerate(block.header):
            yield cell, at("header", j)
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                yield cell, at("rows", r, c)
    if isinstance(block, FillIn):
        for j, line in enumerate(block.lines):
            if isinstance(line, str):
                yield line, at("lines", j)
            else:
                yield line.label, at("lines", j, "label")


def _fact_texts(fact: Fact, doc: YamlDocument, base: KeyPath) -> Iterator[Located]:
    if fact.label:
        yield fact.label, doc.where((*base, "label"))
    for region, regional in (fact.by_region or {}).items():
        if regional.label:
            yield regional.label, doc.where((*base, "by_region", region, "label"))


def _fact_sources(fact: Fact, i: int) -> Iterator[tuple[KeyPath, list[str]]]:
    yield ("facts", i, "sources"), fact.sources
    for region, regional in (fact.by_region or {}).items():
        yield ("facts", i, "by_region", region, "sources"), regional.sources


def _check_text(texts: list[Located], facts: dict[str, Fact], broken: set[tuple[str, str]],
                errors: list[UserError]) -> None:
    for text, at in texts:
        without_refs = FACT_REF.sub("", text)
        if "{" in without_refs or "}" in without_refs:
            errors.append(UserError(at, "unmatched '{' or '}': a fact is written as {fact-id}"))
        _check_no_digits(without_refs, at, errors)
        for ref in FACT_REF.findall(text):
            fact_id, _, part = ref.partition(":")
            if ("fact", fact_id) in broken:
                continue
            if fact_id not in facts:
                errors.append(UserError(at, _unknown("fact", fact_id, facts)))
            elif part and part not in FACT_FIELDS:
                errors.append(UserError(at, f"'{{{ref}}}': after ':' use one of "
                                            f"{', '.join(FACT_FIELDS)}"))
            elif part == "serving" and facts[fact_id].serving is None:
                errors.append(UserError(at, f"fact '{fact_id}' has no serving"))
            elif part == "label" and not _has_label(facts[fact_id]):
                errors.append(UserError(at, f"fact '{fact_id}' has no label"))


def _has_label(fact: Fact) -> bool:
    return fact.label is not None or all(r.label for r in (fact.by_region or {}).values())


def _check_no_digits(text: str, at: Location, errors: list[UserError]) -> None:
    """Numbers live in facts.yaml only, so one edit changes them everywhere."""
    match = DIGIT.search(text)
    if match:
        errors.append(UserError(at, f"the number '{match.group()}' is typed into the text: "
                                    "add it to content/facts.yaml and write {fact-id} here"))
