"""Load the content folder and check it as a whole before anything is built.

Typing is pydantic's job; this module adds what needs the whole picture: ids
that must be unique, references that must exist, numbers that must come from
``facts.yaml``, names that must never be printed. Every problem is collected
and reported together, each with its file, line and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Location, UserError, UserErrors
from .model import (
    BLOCK_KINDS,
    Block,
    BlocksFile,
    Bullets,
    Callout,
    Checklist,
    Clinic,
    Fact,
    FactsFile,
    FillIn,
    Leaflet,
    Paragraph,
    Source,
    SourcesFile,
    Table,
)
from .yamlfile import KeyPath, YamlDocument, read_yaml

FACT_REF = re.compile(r"\{([^{}]*)\}")
"""``{fact-id}`` prints a fact's value; ``{fact-id:label}`` or ``:serving`` its other fields."""
FACT_FIELDS = ("value", "label", "serving")
DIGIT = re.compile(r"\d+")

M = TypeVar("M", bound=BaseModel)


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
    files: tuple[Path, ...] = ()

    def place(self, kind: str, item_id: str) -> Location | None:
        return self.places.get((kind, item_id))


def load_content(root: Path) -> Content:
    """Load and check ``root`` (the content folder); raise UserErrors listing every problem."""
    errors: list[UserError] = []
    places: dict[tuple[str, str], Location] = {}
    files: list[Path] = []

    def read(path: Path) -> YamlDocument | None:
        files.append(path)
        try:
            return read_yaml(path)
        except UserErrors as exc:
            errors.extend(exc.errors)
            return None

    sources_doc = read(root / "sources.yaml")
    sources_file = validate(SourcesFile, sources_doc, errors) if sources_doc else None
    sources = _index(sources_file.sources if sources_file else [], "sources", "source",
                     sources_doc, places, errors)

    facts_doc = read(root / "facts.yaml")
    facts_file = validate(FactsFile, facts_doc, errors) if facts_doc else None
    facts = _index(facts_file.facts if facts_file else [], "facts", "fact", facts_doc,
                   places, errors)

    blocks: dict[str, Block] = {}
    block_docs: list[YamlDocument] = []
    block_paths = sorted((root / "blocks").glob("*.yaml"))
    if not block_paths:
        errors.append(UserError(Location(root / "blocks"), "no block files (*.yaml) found"))
    for path in block_paths:
        doc = read(path)
        parsed = validate(BlocksFile, doc, errors) if doc else None
        if doc and parsed:
            block_docs.append(doc)
            for i, block in enumerate(parsed.blocks):
                at = doc.where(("blocks", i, "id"))
                if block.id in blocks:
                    errors.append(UserError(at, f"duplicate block id '{block.id}': it is also "
                                                f"defined at {places[('block', block.id)]}"))
                    continue
                blocks[block.id] = block
                places[("block", block.id)] = at

    leaflets: dict[str, Leaflet] = {}
    leaflet_paths = sorted((root / "leaflets").glob("*.yaml"))
    if not leaflet_paths:
        errors.append(UserError(Location(root / "leaflets"), "no leaflet files (*.yaml) found"))
    for path in leaflet_paths:
        doc = read(path)
        leaflet = validate(Leaflet, doc, errors) if doc else None
        if doc and leaflet:
            leaflets[path.stem] = leaflet
            places[("leaflet", path.stem)] = Location(path, 1, 1)
            _check_leaflet(leaflet, doc, blocks, errors)

    if sources_doc and sources_file:
        _check_printed_names(sources_file.never_print, _source_texts(sources_file, sources_doc),
                             errors)
    if facts_doc and facts_file:
        for i, fact in enumerate(facts_file.facts):
            for key_path, ids in _fact_sources(fact, i):
                _check_ids(ids, sources, "source", facts_doc, key_path, errors)
        never = sources_file.never_print if sources_file else []
        _check_printed_names(never, _fact_texts(facts_file, facts_doc), errors)
    for doc in block_docs:
        block_list = BlocksFile.model_validate(doc.data).blocks
        for i, block in enumerate(block_list):
            _check_ids(block.sources, sources, "source", doc, ("blocks", i, "sources"), errors)
            texts = list(_block_texts(block, doc, ("blocks", i)))
            _check_text(texts, facts, errors)
            _check_printed_names(sources_file.never_print if sources_file else [], texts, errors)
            if isinstance(block, Table):
                _check_ids(block.fact_rows, facts, "fact", doc, ("blocks", i, "fact_rows"),
                           errors)

    if errors:
        raise UserErrors(errors)
    return Content(root, sources, tuple(sources_file.never_print if sources_file else ()),
                   facts, blocks, leaflets, places, tuple(files))


def load_clinic(path: Path) -> Clinic:
    """Load one clinic file; raise UserErrors with every problem in it."""
    errors: list[UserError] = []
    doc = read_yaml(path)
    clinic = validate(Clinic, doc, errors)
    if clinic is None:
        raise UserErrors(errors)
    return clinic


# --- validation with locations -------------------------------------------------


def validate(model: type[M], doc: YamlDocument, errors: list[UserError]) -> M | None:
    """Validate ``doc`` as ``model``; on failure add a located error per problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for problem in exc.errors():
            key_path = _yaml_path(problem["loc"])
            errors.append(UserError(doc.where(key_path), _plain_message(problem, model, key_path)))
        return None


def _yaml_path(loc: tuple[Any, ...]) -> KeyPath:
    """Drop what pydantic adds to a location that the YAML does not have."""
    path: list[str | int] = []
    for i, part in enumerate(loc):
        after_index = i > 0 and isinstance(loc[i - 1], int)
        if after_index and part in BLOCK_KINDS:
            continue  # the tag of a block's kind
        if isinstance(part, str) and part.startswith(("function-", "tuple[", "list[")):
            continue
        if part in ("int", "float") or (isinstance(part, str) and "[" in part):
            continue
        path.append(part)
    return tuple(path)


def _plain_message(problem: Any, model: type[BaseModel], key_path: KeyPath) -> str:
    kind = problem["type"]
    name = str(key_path[-1]) if key_path else "file"
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        known = _fields_at(model, key_path[:-1])
        hint = difflib.get_close_matches(name, known, n=1)
        if hint:
            return f"unknown field '{name}'; did you mean '{hint[0]}'?"
        return f"unknown field '{name}'; known fields: {', '.join(sorted(known))}"
    if kind == "union_tag_invalid":
        return f"unknown block kind {problem['input']!r}; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "union_tag_not_found":
        return f"missing 'kind'; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "literal_error":
        return f"'{name}' must be {problem['ctx']['expected']}, not {problem['input']!r}"
    if kind == "string_pattern_mismatch":
        return (f"'{name}' must be lower-case words joined by hyphens "
                f"(like 'safe-doses'), not {problem['input']!r}")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{name}' must be a whole number, not {problem['input']!r}"
    if kind in ("string_type",):
        return f"'{name}' must be text, not {problem['input']!r}"
    if kind in ("list_type", "tuple_type"):
        return f"'{name}' must be a list, not {problem['input']!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a set of 'key: value' lines, not {problem['input']!r}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"'{name}' must be a date written as YYYY-MM-DD, not {problem['input']!r}"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = "at most" if kind == "less_than_equal" else "at least"
        limit = problem["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"'{name}' must be {bound} {limit}, not {problem['input']!r}"
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    if kind == "too_short" and problem.get("ctx", {}).get("min_length") == 1:
        return f"'{name}' must not be empty"
    if kind == "string_too_short":
        return f"'{name}' must not be empty"
    return f"'{name}': {problem['msg']}"


def _fields_at(model: type[BaseModel], key_path: KeyPath) -> list[str]:
    """The field names allowed at ``key_path`` below ``model``, for "did you mean"."""
    current: Any = model
    for part in key_path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    if current is None:
        return []
    if _is_block_union(current):
        return sorted({n for kind in (Paragraph, Bullets, Checklist, Callout, Table, FillIn)
                       for n in kind.model_fields})
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``X | None`` or ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if _is_block_union(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not list:
        return _inner_model(origin)
    return None


def _is_block_union(annotation: Any) -> bool:
    return annotation is Block or (getattr(annotation, "__metadata__", None) is not None
                                   and Paragraph in getattr(annotation.__origin__, "__args__", ()))


# --- cross-checks --------------------------------------------------------------


def _index(items: list[Any], list_key: str, kind: str, doc: YamlDocument | None,
           places: dict[tuple[str, str], Location], errors: list[UserError]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for i, item in enumerate(items):
        at = doc.where((list_key, i, "id")) if doc else None
        if item.id in found:
            errors.append(UserError(at, f"duplicate {kind} id '{item.id}': it is also defined "
                                        f"at {places[(kind, item.id)]}"))
            continue
        found[item.id] = item
        if at is not None:
            places[(kind, item.id)] = at
    return found


def _check_ids(ids: list[str], known: dict[str, Any], kind: str, doc: YamlDocument,
               key_path: KeyPath, errors: list[UserError]) -> None:
    for j, item_id in enumerate(ids):
        if item_id not in known:
            errors.append(UserError(doc.where((*key_path, j)),
                                    _unknown(kind, item_id, known)))


def _unknown(kind: str, item_id: str, known: dict[str, Any]) -> str:
    hint = difflib.get_close_matches(item_id, list(known), n=1)
    where = {"source": "content/sources.yaml", "fact": "content/facts.yaml",
             "block": "content/blocks/"}[kind]
    advice = f"did you mean '{hint[0]}'?" if hint else f"add it to {where} first"
    return f"unknown {kind} id '{item_id}': {advice}"


def _check_leaflet(leaflet: Leaflet, doc: YamlDocument, blocks: dict[str, Block],
                   errors: list[UserError]) -> None:
    _check_ids(leaflet.blocks, blocks, "block", doc, ("blocks",), errors)
    seen: set[str] = set()
    for j, block_id in enumerate(leaflet.blocks):
        if block_id in seen:
            errors.append(UserError(doc.where(("blocks", j)),
                                    f"block '{block_id}' is listed twice: keep only one"))
        seen.add(block_id)
    for key in ("title", "message"):
        _check_no_digits(getattr(leaflet, key), doc.where((key,)), errors)


Located = tuple[str, Location]


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
            yield line, at("lines", j)


def _fact_texts(facts_file: FactsFile, doc: YamlDocument) -> Iterator[Located]:
    for i, fact in enumerate(facts_file.facts):
        if fact.label:
            yield fact.label, doc.where(("facts", i, "label"))
        for region, regional in (fact.by_region or {}).items():
            if regional.label:
                yield regional.label, doc.where(("facts", i, "by_region", region, "label"))


def _source_texts(sources_file: SourcesFile, doc: YamlDocument) -> Iterator[Located]:
    for i, source in enumerate(sources_file.sources):
        yield source.printed, doc.where(("sources", i, "printed"))


def _fact_sources(fact: Fact, i: int) -> Iterator[tuple[KeyPath, list[str]]]:
    yield ("facts", i, "sources"), fact.sources
    for region, regional in (fact.by_region or {}).items():
        yield ("facts", i, "by_region", region, "sources"), regional.sources


def _check_text(texts: list[Located], facts: dict[str, Fact], errors: list[UserError]) -> None:
    for text, at in texts:
        without_refs = FACT_REF.sub("", text)
        if "{" in without_refs or "}" in without_refs:
            errors.append(UserError(at, "unmatched '{' or '}': a fact is written as {fact-id}"))
        _check_no_digits(without_refs, at, errors)
        for ref in FACT_REF.findall(text):
            fact_id, _, part = ref.partition(":")
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


def _check_printed_names(names: list[str], texts: Iterator[Located] | list[Located],
                         errors: list[UserError]) -> None:
    for text, at in texts:
        for name in names:
            if name.lower() in text.lower():
                errors.append(UserError(at, f"'{name}' is a shop or brand name and must "
                                            "never be printed: reword this"))
