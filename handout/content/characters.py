"""Text must print as it was typed: the characters a patient could be misled by.

A right-to-left override in a clinic name prints "Phone (555) 010-3000" as
"0003-010 (555) enohP", so a patient dials the wrong number; a zero-width space
makes a name that prints as nothing. Such characters do not show in an editor,
so every text read from a YAML file is normalised (NFC: one way to write
"é") and refused if it holds a direction control, another invisible format
character, a control character or nothing visible at all.
"""

from __future__ import annotations

import unicodedata

DIRECTION_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                *range(0x2066, 0x206A)})
"""Unicode's bidirectional controls (UAX #9): marks, embeddings, overrides, isolates."""
PRINTS_AS_NOTHING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
"""Letters and marks that fonts draw as blank space (Hangul fillers, the blank
braille pattern), besides the spaces and the format characters."""
CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
                 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"}
"""Control characters have no Unicode name, only these aliases."""


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolated(text: str) -> str:
    """``text`` between the isolate marks of UAX #9, for a clinic's words set into a
    sentence: a name in a right-to-left script then reorders only itself, never the
    phone number beside it. (The clinic's own text may not hold these marks.)"""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def without_isolates(text: str) -> str:
    """Printed text as a reader sees it: the isolate marks print as nothing."""
    return text.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")


def normalised(text: str) -> str:
    """One spelling of every character (NFC), as editors on different systems differ."""
    return unicodedata.normalize("NFC", text)


def character_problem(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that would print differently from how it reads
    in the file, with what it is; or None. A line break is allowed (block text).
    Every kind refused below is one that ``str.isprintable`` is false for, so text it
    passes (nearly all of it) needs no look-up character by character."""
    if text.replace("\n", "").isprintable():
        return None
    for index, character in enumerate(text):
        kind = _kind(character)
        if kind:
            return index, f"{character_name(character)}, {kind}"
    return None


def prints_blank(text: str) -> bool:
    """Whether ``text`` has characters, all of which print as nothing."""
    return bool(text) and all(c.isspace() or c in PRINTS_AS_NOTHING for c in text)


def character_name(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its name."""
    code = ord(character)
    fallback = CONTROL_NAMES.get(code, "CONTROL" if unicodedata.category(character) == "Cc"
                                 else "(no name)")
    return f"U+{code:04X} {unicodedata.name(character, fallback)}"


def _kind(character: str) -> str | None:
    if character == "\n":
        return None
    category = unicodedata.category(character)
    if ord(character) in DIRECTION_CONTROLS:
        return "a direction control, which can print the text around it backwards"
    if category == "Cf":
        return "an invisible formatting character"
    if category == "Cc":
        return "a control character"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator, which breaks the line where it does not show"
    if category == "Cs":
        return "half of a character pair, which cannot be printed"
    if category in ("Co", "Cn"):
        return "a character with no agreed meaning, which fonts print differently"
    return None
