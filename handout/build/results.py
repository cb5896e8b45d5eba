"""What a build made, as its summary reports it and as a later build with the
same inputs repeats it (``stamp.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handout.core.editions import EDITIONS, Edition
from handout.core.keys import LeafletKey


@dataclass(frozen=True)
class OutputResult:
    """One PDF made: a leaflet in one edition, or a clinic's booklet."""

    clinic: str
    lang: str
    name: str
    edition: Edition
    pages: int
    budget: int
    reading: str | None
    """The reading score as the report shows it: "4.4 / 8", "86 ≥ 70"."""
    unchanged: bool = False
    """Not rendered: the PDF on disk was made from the same inputs."""

    @property
    def leaflet_key(self) -> LeafletKey:
        """The gates' row for this PDF (a booklet has none of its own)."""
        return LeafletKey(self.clinic, self.lang, self.name)

    @property
    def label(self) -> str:
        suffix = f" ({self.edition.tag})" if self.edition.tag else ""
        return f"{self.clinic}/{self.lang}/{self.name}{suffix}"


@dataclass(frozen=True)
class BuildResult:
    outputs: list[OutputResult]
    press_colours: dict[str, str]
    """Per clinic, for the press edition: each colour and its ink, as the summary says."""
    warnings: tuple[str, ...]
    """The gates' warnings, as located messages."""
    peak_worker_mb: float = 0.0
    """The most memory one render worker used (max RSS), for the summary."""

    def as_summary(self) -> dict[str, Any]:
        """What a later build with the same inputs reports (stamp.py), as JSON."""
        return {"outputs": [[o.clinic, o.lang, o.name, o.edition.name, o.pages, o.budget,
                             o.reading] for o in self.outputs],
                "press_colours": self.press_colours, "warnings": list(self.warnings)}

    @classmethod
    def unchanged_since(cls, summary: dict[str, Any]) -> BuildResult:
        """The result of a build whose inputs are those of ``summary``'s: nothing made."""
        outputs = [OutputResult(clinic, lang, name, EDITIONS[edition], pages, budget, reading,
                                unchanged=True)
                   for clinic, lang, name, edition, pages, budget, reading
                   in summary["outputs"]]
        return cls(outputs, dict(summary["press_colours"]), tuple(summary["warnings"]))
