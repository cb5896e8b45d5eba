"""Check the laid-out pages the way a print shop proof-reader would.

CSS asks WeasyPrint to keep boxes together and headings with their text, but it
is only a request: a box taller than a page still splits, and a long clinic
name can run off the paper. So after layout, and before anything is written,
this walks the page boxes and reports what broke. It reads WeasyPrint's layout
tree, which is not a public API; tests exercise every check so an upgrade that
changes it fails loudly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from handout.content.blocks import KINDS
from handout.content.characters import without_isolates
from handout.render.fit import PageFit

KEEP_TOGETHER = frozenset({"clinic-note", "contact",
                           *(kind for kind, model in KINDS.items() if model.whole)})
"""Classes of boxes a reader must see whole: the "get help now" box, "Your plan", the
clinic's note and contacts, and every block kind declared ``whole``."""
HEADINGS = frozenset({"h1", "h2", "h3"})
TOLERANCE = 0.5  # CSS px; rounding in layout


def check_layout(document: Document) -> PageFit:
    fit = PageFit()
    pages_by_block: dict[tuple[str, str], set[int]] = defaultdict(set)
    sections: dict[str, set[int]] = defaultdict(set)
    lines: list[str] = []
    section_lines: dict[str, list[str]] = defaultdict(list)
    lists = _ListPages()
    filled: dict[int, float] = {}
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        last_line: _Line | None = None
        for line in _lines(page_box, ()):
            text = _line_text(line.box)
            lines.append(text)
            _note_size(line.box, text, fit)
            if line.margin_box is None:
                lists.note(line.ancestors, number)
            for element in line.ancestors:
                classes = set((element.get("class") or "").split())
                if element.get("data-block") and classes & KEEP_TOGETHER:
                    pages_by_block[(element.get("id"), element.get("data-block"))].add(number)
                if element.tag == "article" and element.get("id"):
                    sections[element.get("id")].add(number)
                    section_lines[element.get("id")].append(text)
            if line.margin_box is not None:
                _check_overflow(line, line.margin_box, number, fit)
                continue
            _check_overflow(line, page_box, number, fit) or _check_overflow(
                line, line.container, number, fit)
            last_line = line
        filled[number] = _share_filled(page_box)
        if last_line is not None and number < len(document.pages):
            heading = next((e for e in last_line.ancestors if e.tag in HEADINGS), None)
            if heading is not None:
                fit.problems.append(f"heading \"{_text(heading)}\" is the last line of page "
                                    f"{number}; its text starts on the next page")
    for (_, block_id), numbers in pages_by_block.items():
        if len(numbers) > 1:
            listed = " and ".join(str(n) for n in sorted(numbers))
            fit.problems.append(f"block '{block_id}' splits across pages {listed}; "
                                "it must stay on one page")
    fit.problems.extend(lists.problems())
    fit.problems.extend(_half_empty(filled, sections, len(document.pages)))
    fit.sections = {key: sorted(numbers) for key, numbers in sections.items()}
    fit.text = _joined(lines)
    fit.section_texts = {key: _joined(texts) for key, texts in section_lines.items()}
    return fit


def _share_filled(page_box: Any) -> float:
    """How far down its content area the page's last line, picture or table row ends,
    from 0 to 1 (a blank page, such as a booklet's notes page, counts as full)."""
    top, height = page_box.content_box_y(), page_box.height
    bottoms = list(_bottoms(page_box))
    return (max(bottoms) - top) / height if bottoms and height else 1.0


def _bottoms(box: Any) -> Iterator[float]:
    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
        yield box.position_y + box.margin_height()
        return
    for child in getattr(box, "children", ()):
        yield from _bottoms(child)


def _half_empty(filled: dict[int, float], sections: dict[str, set[int]],
                pages: int) -> Iterator[str]:
    """A page whose words stop above its middle, unless it ends the document or one
    of a booklet's leaflets: a print shop would send such a proof back."""
    ends = {pages} | {max(numbers) for numbers in sections.values()}
    for number, share in sorted(filled.items()):
        if number not in ends and share < 0.5:
            yield (f"page {number} is more than half empty (its text stops "
                   f"{round(share * 100)}% of the way down); move a block up, or let the "
                   "block after the gap break across pages")


class _ListPages:
    """Which pages each list's items print on: a list that breaks across pages must
    keep at least two items on each side, so no point is left alone at a page's foot
    or head, away from the rest."""

    def __init__(self) -> None:
        self._items: dict[int, dict[int, int]] = defaultdict(dict)
        self._names: dict[int, str] = {}

    def note(self, ancestors: tuple[Any, ...], number: int) -> None:
        for index, element in enumerate(ancestors):
            if element.tag == "li":
                listed = next((e for e in ancestors[index + 1:] if e.tag in ("ul", "ol")), None)
                if listed is not None:
                    self._items[id(listed)].setdefault(id(element), number)
                    if id(listed) not in self._names:
                        block = next((e.get("data-block") for e in ancestors[index + 1:]
                                      if e.get("data-block")), None)
                        self._names[id(listed)] = block or _text(listed)
                return

    def problems(self) -> Iterator[str]:
        for key, items in self._items.items():
            counts = Counter(items.values())
            alone = sorted(number for number, count in counts.items() if count == 1)
            if len(counts) > 1 and alone:
                yield (f"a list in block '{self._names[key]}' leaves one item alone on page "
                       f"{alone[0]}; keep at least two of its items together on a page")


def _note_size(box: Any, line_text: str, fit: PageFit) -> None:
    """Remember the smallest type that prints something visible."""
    if isinstance(box, boxes.TextBox) and box.text.strip():
        points = box.style["font_size"] * 0.75  # CSS px to pt; compared unrounded
        if fit.smallest is None or points < fit.smallest[0]:
            fit.smallest = (points, _clip(" ".join(line_text.split())))
    for child in getattr(box, "children", ()):
        _note_size(child, line_text, fit)


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


@dataclass(frozen=True)
class _Line:
    box: Any
    ancestors: tuple[Any, ...]
    """The HTML elements around the line, innermost first."""
    margin_box: Any
    """The page-margin box (footer) the line is in, or None for the page's content."""
    container: Any
    """The block the line belongs to: text must not run out of it into a neighbour."""


def _lines(box: Any, ancestors: tuple[Any, ...], margin_box: Any = None,
           container: Any = None) -> Iterator[_Line]:
    if isinstance(box, boxes.MarginBox):
        margin_box = box
    element = getattr(box, "element", None)
    if element is not None and (not ancestors or ancestors[0] is not element):
        ancestors = (element, *ancestors)
    if isinstance(box, boxes.LineBox):
        yield _Line(box, ancestors, margin_box, container)
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, ancestors, margin_box, box)


def _check_overflow(line: _Line, area: Any, number: int, fit: PageFit) -> bool:
    """Report a line that leaves ``area`` (the page's content box, a margin box, or
    the line's own block); return whether it did."""
    box = line.box
    right = area.content_box_x() + area.width
    bottom = area.content_box_y() + area.height
    text = " ".join(_line_text(box).split())
    if not text:
        return False
    if area is not line.container and box.position_y + box.height > bottom + TOLERANCE:
        fit.problems.append(f"text \"{_clip(text)}\" runs past the bottom of its area "
                            f"on page {number}")
        return True
    if max(_right_edges(box), default=0) > right + TOLERANCE:
        fit.problems.append(f"text \"{_clip(text)}\" runs past the right edge of its area "
                            f"on page {number}")
        return True
    return False


def _right_edges(box: Any) -> Iterator[float]:
    if isinstance(box, boxes.TextBox):
        yield box.position_x + box.width
    for child in getattr(box, "children", ()):
        yield from _right_edges(child)


def _line_text(box: Any) -> str:
    if isinstance(box, boxes.TextBox):
        return without_isolates(str(box.text))
    return "".join(_line_text(child) for child in getattr(box, "children", ()))


def _text(element: Any) -> str:
    return _clip(" ".join("".join(element.itertext()).split()))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
