"""Check a clinic's SVG logo before anything renders it.

SVG is a program as much as a picture. A logo may draw shapes and text, nothing
that runs or fetches; and it may draw only as much as a logo needs. A 3 kB file
whose ``<use>`` elements each repeat the one before ten times draws ten to the
tenth shapes, and the renderer would never finish; so the elements, the depth
of references and the shapes drawn once every reference is followed are
counted here, from the parsed tree, before the renderer sees the file.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_ELEMENTS = 5_000
"""Elements in the file: a detailed logo has a few hundred."""
MAX_DEPTH = 8
"""References followed inside references (``<use>`` of a group that uses another)."""
MAX_DRAWN = 20_000
"""Elements drawn once every reference is followed: the fan-out of ``<use>``."""
REFERENCE = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")


def svg_problem(name: str, data: bytes) -> str | None:
    """Why the SVG ``data`` (the logo ``name``, quoted) cannot be used, or None.
    SVG is a program as much as a picture: allow drawing, nothing that acts or
    fetches, and no more drawing than a logo needs."""
    try:
        root = defused_fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError):
        return (f"{name} is not an SVG image that can be used: it is not well-formed XML, "
                "or it declares entities")
    if root.tag != f"{SVG}svg":
        return f"{name} is not an SVG image"
    for element in root.iter():
        tag = str(element.tag).removeprefix(SVG)
        if tag in ("script", "foreignObject", "iframe", "object", "embed"):
            return f"{name} contains a <{tag}> element; logos may only draw shapes and text"
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on"):
                return (f"{name} contains a script ({attribute}); logos may only draw "
                        "shapes and text")
            if attribute in ("href", XLINK_HREF) and not value.startswith("#"):
                return (f"{name} refers to another file or address ({value}); logos must "
                        "be self-contained")
            if "url(" in value and not re.search(r"url\(\s*['\"]?#", value):
                return (f"{name} refers to another file or address ({value}); logos must "
                        "be self-contained")
        if tag == "style" and re.search(r"@import|url\(\s*['\"]?[^#'\"\s]", element.text or ""):
            return f"{name} has a style that loads another file; logos must be self-contained"
    return _over_budget(name, root)




class _Budget(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _over_budget(name: str, root: ElementTree.Element) -> str | None:
    """Whether drawing ``root``, every reference followed, stays within the budget."""
    elements = list(root.iter())
    if len(elements) > MAX_ELEMENTS:
        return (f"{name} has {len(elements):,} elements; the limit is {MAX_ELEMENTS:,}. "
                "Simplify the logo, or save it as PNG")
    by_id = {element.get("id"): element for element in elements if element.get("id")}
    measured: dict[int, tuple[int, int]] = {}
    """Per element: the shapes it draws, and how many references deep it goes."""
    active: set[int] = set()

    def measure(element: ElementTree.Element) -> tuple[int, int]:
        known = measured.get(id(element))
        if known is not None:
            return known
        if id(element) in active:
            raise _Budget("refers to itself through <use> or url(#...)")
        active.add(id(element))
        total, depth = 1, 0
        for child in element:
            drawn, below = measure(child)
            total, depth = total + drawn, max(depth, below)
        for target in _references(element):
            if target in by_id:
                drawn, below = measure(by_id[target])
                total, depth = total + drawn, max(depth, below + 1)
        active.discard(id(element))
        if depth > MAX_DEPTH:
            raise _Budget(f"refers to shapes through more than {MAX_DEPTH} levels of <use> or "
                          "url(#...)")
        if total > MAX_DRAWN:
            raise _Budget(f"draws more than {MAX_DRAWN:,} shapes once its <use> "
                          "references are followed")
        measured[id(element)] = total, depth
        return total, depth

    try:
        measure(root)
    except _Budget as exc:
        return f"{name} {exc.reason}; simplify the logo, or save it as PNG"
    except RecursionError:
        return f"{name} nests its elements too deeply; simplify the logo, or save it as PNG"
    return None


def _references(element: ElementTree.Element) -> list[str]:
    """The ids an element draws or fills from: ``href="#id"`` and ``url(#id)``."""
    found = []
    for attribute, value in element.attrib.items():
        if attribute in ("href", XLINK_HREF) and value.startswith("#"):
            found.append(value[1:])
        found.extend(REFERENCE.findall(value))
    return found
