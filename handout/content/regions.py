"""Regions as data: each one a file in ``content/regions/``, read and joined to the facts.

A region's file declares its name, English words, serving units, date conventions
and default paper, and may carry its own value of each fact given by region (its
limits, its emergency and poison numbers). The first regions keep theirs in
``facts.yaml``'s ``by_region``; either way, each region has exactly one value of
every such fact, checked here, so a new region is a new file and no code.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from handout.content.dose import overlapping_limits
from handout.content.model import Fact, RegionalValue, RegionInfo, Source
from handout.content.texts import check_names, unknown_id
from handout.content.validation import validate
from handout.content.yamlfile import YamlDocument
from handout.core.errors import Location, UserError, quoted

REGIONS = "regions"
"""The folder under ``content/`` that holds one file per region."""


def load_regions(root: Path, facts: dict[str, Fact], sources: dict[str, Source],
                 never_print: list[str], read: Callable[[Path], YamlDocument | None],
                 places: dict[Any, Location], errors: list[UserError]
                 ) -> tuple[dict[str, RegionInfo], dict[str, Fact]]:
    """The regions in ``root/regions``, and the facts with each region's own values
    joined into their ``by_region``. Every problem goes to ``errors``; ``places``
    says where each fact is defined."""
    regions: dict[str, RegionInfo] = {}
    docs: dict[str, YamlDocument] = {}
    paths = sorted((root / REGIONS).glob("*.yaml"))
    if not paths:
        errors.append(UserError(Location(root / REGIONS), (
            "no regions found: each region is a file here, such as us.yaml")))
    for path in paths:
        doc = read(path)
        region = validate(RegionInfo, doc, errors) if doc else None
        if doc is None or region is None:
            continue
        if region.code != path.stem:
            errors.append(UserError(doc.where(("code",)), (
                f"code '{region.code}' must match the file name: rename the file to "
                f"{region.code}.yaml, or write code: {path.stem}")))
            continue
        regions[region.code] = region
        docs[region.code] = doc
    joined = dict(facts)
    limits: list[tuple[Location, str, Fact]] = []
    for code, region in regions.items():
        doc = docs[code]
        for fact_id, regional in region.facts.items():
            at = doc.where(("facts", fact_id))
            fact = joined.get(fact_id)
            if fact is None or fact.by_region is None:
                errors.append(UserError(at, _not_regional(fact_id, fact, facts)))
                continue
            if code in fact.by_region:
                errors.append(UserError(at, (
                    f"fact '{fact_id}' already has a value for region '{code}' in "
                    "content/facts.yaml: give it in one place only")))
                continue
            joined[fact_id] = fact.model_copy(
                update={"by_region": {**fact.by_region, code: regional}})
            _check_regional(regional, doc, ("facts", fact_id), sources, never_print, errors)
            if regional.ages:
                limits.append((doc.where(("facts", fact_id, "ages")), code,
                               joined[fact_id]))
    errors.extend(overlapping_limits(limits, known=_facts_yaml_limits(facts)))
    errors.extend(_missing(regions, docs, joined))
    if regions:
        for fact in facts.values():
            for code in fact.by_region or {}:
                if code not in regions:
                    errors.append(UserError(places.get(("fact", fact.id)), (
                        f"fact '{fact.id}' gives a value for region '{code}', which has no "
                        f"file in content/regions/ ({', '.join(sorted(regions))} do)")))
    return regions, joined


def _not_regional(fact_id: str, fact: Fact | None, facts: dict[str, Fact]) -> str:
    if fact is None:
        return unknown_id("fact", fact_id, facts)
    return (f"fact '{fact_id}' has one value for every region ('value' in "
            "content/facts.yaml); only a fact given 'by_region' can have a region's own")


def _check_regional(regional: RegionalValue, doc: YamlDocument, base: tuple[Any, ...],
                    sources: dict[str, Source], never_print: list[str],
                    errors: list[UserError]) -> None:
    for j, source_id in enumerate(regional.sources):
        if source_id not in sources:
            errors.append(UserError(doc.where((*base, "sources", j)),
                                    unknown_id("source", source_id, sources)))
    if regional.label:
        check_names(never_print, [(regional.label, doc.where((*base, "label")))], errors)


def _facts_yaml_limits(facts: dict[str, Fact]) -> dict[tuple[str, str], str]:
    """Which limit fact covers each (region, age group) in ``facts.yaml`` already."""
    return {(region, age): fact.id for fact in facts.values()
            for region, regional in (fact.by_region or {}).items() for age in regional.ages}


def _missing(regions: dict[str, RegionInfo], docs: dict[str, YamlDocument],
             facts: dict[str, Fact]) -> list[UserError]:
    """Each region must say every regional fact (``value: null`` if it sets none) and
    have words for every label written by region."""
    errors = []
    for code, region in regions.items():
        at = docs[code].where(("facts",))
        for fact in facts.values():
            if fact.by_region is not None and code not in fact.by_region:
                errors.append(UserError(at, (
                    f"fact '{fact.id}' has no value for region '{code}': add it under "
                    f"'facts:' here, with its sources (value: null if {region.name} "
                    "sets none)")))
            if isinstance(fact.label, dict) and code not in fact.label \
                    and region.english not in fact.label:
                errors.append(UserError(at, (
                    f"fact '{fact.id}' has its label by region, with none for '{code}' "
                    f"or '{region.english}' English: add one in content/facts.yaml")))
    return errors


def unknown_region(code: str, regions: dict[str, RegionInfo]) -> str:
    """Why a clinic cannot be in region ``code``, with the likeliest one it meant: the
    region whose name was typed ("canada", "The UK"), else the nearest code."""
    by_name = {_squeezed(info.name): key for key, info in regions.items()}
    typed = _squeezed(code)
    hint = [by_name[typed]] if typed in by_name else difflib.get_close_matches(
        code, list(regions), n=1)
    listed = f"the files in content/regions/: {', '.join(sorted(regions))}"
    if hint:
        return f"unknown region {quoted(code)}; did you mean '{hint[0]}'? The regions are {listed}"
    return f"unknown region {quoted(code)}; the regions are {listed}"


def _squeezed(name: str) -> str:
    return "".join(name.casefold().removeprefix("the ").split())
