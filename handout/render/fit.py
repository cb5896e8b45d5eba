"""What the layout check found on one PDF's pages (``layout.check_layout``).

Kept apart from the check itself, which needs WeasyPrint: the build cache and
the gates read a fit without loading the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageFit:
    """What the layout check found, in words a content editor can act on."""

    problems: list[str] = field(default_factory=list)
    sections: dict[str, list[int]] = field(default_factory=dict)
    """For the booklet: each ``<article id>``'s page numbers, from 1."""
    text: str = ""
    """Every line as laid out, footers included: what the page really shows."""
    section_texts: dict[str, str] = field(default_factory=dict)
    """For the booklet: the laid-out text of each ``<article id>``."""
    smallest: tuple[float, str] | None = None
    """The smallest type on any page, in points, and a line set in it."""

    def pages_of(self, section_id: str) -> int:
        return len(self.sections.get(section_id, []))
