"""A text variant of a language (``en-easy``: Easy Read English) is its own text.

A translation says the English block's words in another language, item for
item. A variant says the same things in its own way, so each of its blocks is
written in full, in any kind (Easy Read writes ``kind: ideas``), under the id of
the English block it stands for. What must not differ is taken or checked here:
the block takes its English block's sources, and it may print only numbers its
English block prints (the same ``{fact-id}`` references, or fewer), so a reader
of either text reads the same facts from the same sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from handout.content.blocks import Block, Table, texts_of
from handout.content.i18n import SOURCE_LANGUAGE, base_language, known_language
from handout.content.texts import FACT_REF, unknown_id
from handout.content.validation import report_problems
from handout.content.yamlfile import YamlDocument
from handout.core.editions import TEXT_VARIANTS
from handout.core.errors import Location, UserError

if TYPE_CHECKING:  # translations.py loads variants with this module's help
    from handout.content.translations import Translation

BLOCK_ADAPTER: TypeAdapter[Block] = TypeAdapter(Block)


def is_variant(lang: str) -> bool:
    """Whether ``lang`` names a text variant (``en-easy``), not a language (``es``)."""
    return base_language(lang) != lang


def folder_problem(folder: Path) -> UserError | None:
    """Why a folder under ``translations/`` names no language or variant, or None."""
    lang = folder.name
    base, _, variant = lang.partition("-")
    if variant and variant not in TEXT_VARIANTS:
        return UserError(Location(folder), (
            f"'{lang}' is not a text variant: a variant is a language code and one of "
            f"{', '.join(sorted(TEXT_VARIANTS))}, like en-easy; rename the folder"))
    if len(base) != 2 or not base.isalpha() or not base.islower() or lang == SOURCE_LANGUAGE:
        return UserError(Location(folder), (
            f"'{lang}' is not a two-letter language code other than en, like es; "
            "rename the folder"))
    if not known_language(base):
        return UserError(Location(folder), (
            f"'{lang}' is not a language code the date and number rules know (CLDR); "
            "use the ISO 639-1 code, like es"))
    return None


def with_base_strings(translation: Translation, found: dict[str, Translation],
                      errors: list[UserError]) -> Translation:
    """A variant (es-easy) prints its language's fixed strings: the catalogue of ``es``."""
    base = base_language(translation.lang)
    if base in (translation.lang, SOURCE_LANGUAGE):
        return translation
    if base not in found:
        errors.append(UserError(Location(translation.folder), (
            f"'{translation.lang}' takes its fixed strings from content/translations/{base}/, "
            f"which is missing: add the {base} translation first")))
        return translation
    return replace(translation, messages=found[base].messages, problems=found[base].problems)


def variant_block(raw: Any, english: dict[str, Block], doc: YamlDocument, i: int,
                  errors: list[UserError]) -> Block | None:
    """The ``i``-th block of a variant's file, with its English block's sources; None
    (and the problems in ``errors``) if it cannot be read."""
    base = ("blocks", i)
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        errors.append(UserError(doc.where(base), "each block needs an 'id': the id of the "
                                                 "English block it stands for"))
        return None
    source = english.get(raw["id"])
    if source is None:
        errors.append(UserError(doc.where((*base, "id")), unknown_id("block", raw["id"],
                                                                     english)))
        return None
    if "sources" in raw:
        errors.append(UserError(doc.where((*base, "sources")), (
            f"block '{raw['id']}' takes the sources of its English block: remove 'sources'")))
        return None
    try:
        return BLOCK_ADAPTER.validate_python({**raw, "sources": source.sources})
    except ValidationError as exc:
        report_problems(exc, Block, doc, base, errors)
        return None


def facts_of(block: Block) -> set[str]:
    """The facts a block prints: those its words refer to, and its table's rows."""
    refs = {ref.partition(":")[0] for _, text in texts_of(block)
            for ref in FACT_REF.findall(text)}
    return refs | set(block.fact_rows if isinstance(block, Table) else ())


def extra_facts(block: Block, english: Block, english_at: Location | None,
                at: Location) -> UserError | None:
    """Why a variant's block no longer fits its English block, or None if it fits: it
    prints a number its English block does not (any more)."""
    extra = facts_of(block) - facts_of(english)
    if not extra:
        return None
    where = f" ({english_at})" if english_at else ""
    return UserError(at, (
        f"block '{block.id}' prints {_named(extra)}, which its English block{where} does "
        f"not: use only the English block's facts ({_named(facts_of(english))})"))


def _named(facts: Iterable[str]) -> str:
    return ", ".join(f"{{{fact}}}" for fact in sorted(facts)) or "none"
