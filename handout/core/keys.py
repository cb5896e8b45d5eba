"""Keys that name what a build makes, shared by every stage.

A leaflet for one clinic in one language is a row of the gates' report; in
one edition it is a PDF. Both are small frozen types rather than strings
joined with "/", which are only their printed and stored form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class LeafletKey:
    """One leaflet as one clinic prints it in one language."""

    clinic: str
    lang: str
    leaflet: str

    def __str__(self) -> str:
        return f"{self.clinic}/{self.lang}/{self.leaflet}"

    @classmethod
    def parse(cls, text: str) -> LeafletKey:
        """The key printed as ``text``; ValueError if it is not one."""
        clinic, lang, leaflet = text.split("/")
        return cls(clinic, lang, leaflet)


@dataclass(frozen=True, order=True)
class OutputKey:
    """One PDF: a leaflet, or a clinic's booklet, in one edition."""

    clinic: str
    lang: str
    name: str
    """A leaflet id, or the booklet edition's file name."""
    edition: str

    def __str__(self) -> str:
        return f"{self.clinic}/{self.lang}/{self.name}/{self.edition}"

    @classmethod
    def parse(cls, text: str) -> OutputKey:
        """The key printed as ``text``; ValueError if it is not one."""
        clinic, lang, name, edition = text.split("/")
        return cls(clinic, lang, name, edition)
