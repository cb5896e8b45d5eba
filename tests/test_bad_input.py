"""A catalogue of careless and hostile input, each with its exit code and exact message.

Every case runs the real command line against a copy of the content with an
earlier build's output in place, and checks four things beyond the message:
no traceback, no partial file, the earlier output byte for byte unchanged, and
nothing written anywhere else.

The whole catalogue must end within 60 s under a 2 GB address-space limit, so
that no case can run without bound (a pipe read, /dev/zero, a logo that draws
for ever):

    prlimit --as=2000000000 .venv/bin/python -m pytest -q tests/test_bad_input.py
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from handout.cli.main import main
from handout.content.yamlfile import MAX_DEPTH

from .conftest import at, edit, end_of, line_of, shown, snapshot, start_of
from .test_translations import catalogue_line

CLINIC = """\
id: oak-street
name: Oak Street Surgery
region: us
paper: letter
languages: [en]
leaflets: [safe-doses]
phone: (555) 010-3000
"""


def png(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` x ``height``: tiny on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Case:
    id: str
    clinic: str | bytes = CLINIC
    files: dict[str, bytes] = field(default_factory=dict)
    """Extra files beside the clinic file."""
    content_edit: Callable[[Path], None] | None = None
    args: tuple[str, ...] = ()


def replace(old: str, new: str, text: str = CLINIC) -> str:
    assert old in text
    return text.replace(old, new, 1)


def logo(file: str) -> str:
    return CLINIC + f"logo:\n  file: {file}\n  alt: Oak Street Surgery\n"


SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
XLINK = b' xmlns:xlink="http://www.w3.org/1999/xlink"'


def svg_fan_out(levels: int, width: int) -> bytes:
    """A small SVG whose every group draws the one before ``width`` times: ``width`` to
    the ``levels`` shapes from a few hundred bytes."""
    parts = [SVG_HEAD.replace(b">", XLINK + b">", 1), b'<defs><rect id="g0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        uses = b"".join(b'<use xlink:href="#g%d"/>' % (level - 1) for _ in range(width))
        parts.append(b'<g id="g%d">%s</g>' % (level, uses))
    return b"".join(parts) + b'</defs><use xlink:href="#g%d"/></svg>' % levels


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


ES_CATALOGUE = "translations/es/interface.po"
LEAFLET = "leaflets/safe-doses.yaml"
REVISED = "revised: 2026-12-02"


def edit_content(path: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda content: edit(content / path, old, new)


OAK = "clinics/oak-street.yaml"
"""The clinic file each case writes, in the content folder."""

Where = Callable[[Path], str]
"""Where a message points, worked out from the content folder once a case has run."""
Message = str | Callable[[Path], str]
"""A message after its place; a function of the content folder if it names a line."""


def value(key: str, file: str = OAK, holding: str | None = None) -> Where:
    """The value of ``key:`` (the first in the file, or the one holding ``holding``)."""
    return lambda content: at(content / file, holding, value_of=key)


def word(needle: str | bytes, occurrence: int = 1, file: str = OAK) -> Where:
    """The first character of ``needle``: a list item, a key, an alias, a tab, a byte."""
    return lambda content: at(content / file, needle, occurrence)


def whole(file: str = OAK) -> Where:
    """The file alone, for a problem with all of it."""
    return lambda content: shown(content / file)


def top(file: str = OAK) -> Where:
    """The document: its first key."""
    return lambda content: start_of(content / file)


def end(file: str = OAK) -> Where:
    """Just past the file's last character."""
    return lambda content: end_of(content / file)


INVISIBLE = "; delete it (it may not show in your editor: retype the text around it)"
"""How a message about an invisible or control character ends."""
OPEN_QUOTE = '"Oak Street Surgery'
"""Where the yaml-syntax case opens the quote it never closes."""


CASES = [
    # --- YAML ---
    Case("yaml-syntax", replace("name: Oak Street Surgery", f"name: {OPEN_QUOTE}")),
    Case("yaml-tab", replace("region: us", "region:\tus")),
    Case("yaml-tab-indent", CLINIC + "colors:\n\tprimary: '#1f4e79'\n"),
    Case("wrong-type-list", replace("languages: [en]", "languages: en")),
    Case("wrong-type-number", CLINIC + "review_every_months: soon\n"),
    Case("unknown-key", replace("phone:", "phnoe:")),
    Case("empty-file", ""),
    Case("only-comments", "# nothing here yet\n"),
    Case("not-utf8", CLINIC.encode() + "address: Caf\u00e9 Street\n".encode("latin-1")),
    Case("duplicate-key", CLINIC + "region: uk\n"),
    Case("billion-laughs", CLINIC + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]\n'
         "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"),
    Case("circular-alias", CLINIC + "notes: &loop\n  self: *loop\n"),
    Case("too-big", CLINIC + "address: " + "x" * 1_100_000 + "\n"),
    Case("list-not-mapping", "- id: oak-street\n- name: Oak Street Surgery\n"),
    # --- content ---
    Case("unknown-leaflet", replace("leaflets: [safe-doses]", "leaflets: [safe-dose]")),
    Case("unknown-block-in-hide", CLINIC + "hide: [get-help]\n"),
    Case("hide-safety-block", CLINIC + "hide: [get-help-now]\n"),
    Case("unknown-block-in-leaflet",
         content_edit=edit_content("leaflets/safe-doses.yaml", "  - your-plan", "  - yuor-plan")),
    Case("unknown-fact", content_edit=edit_content(
        "blocks/doses.yaml", "not take more than **{limit-adult} a",
        "not take more than **{limit-adults} a")),
    Case("unknown-source", content_edit=edit_content("blocks/doses.yaml", "sources: [",
                                                     "sources: [nih-ods-magnesum, ")),
    Case("number-typed-in-text", content_edit=edit_content(
        "blocks/doses.yaml", "not take more than **{limit-adult} a", "than **350 mg a")),
    Case("leaflet-named-booklet", content_edit=lambda content: (
        content / "leaflets/safe-doses.yaml").rename(content / "leaflets/booklet.yaml")),
    Case("language-not-translated", replace("languages: [en]", "languages: [en, fr]")),
    Case("over-budget", content_edit=edit_content(
        "leaflets/safe-doses.yaml", "budget_pages: 4", "budget_pages: 1")),
    # --- clinic ---
    Case("logo-missing", logo("logo.svg")),
    Case("logo-not-an-image", logo("logo.png"), files={"logo.png": b"GIF89a not really"}),
    Case("logo-wrong-type", logo("logo.gif"), files={"logo.gif": b"GIF89a"}),
    Case("logo-huge-bytes", logo("logo.png"), files={"logo.png": png(10, 10) + b"\0" * 2_100_000}),
    Case("logo-huge-pixels", logo("logo.png"), files={"logo.png": png(30_000, 30_000)}),
    Case("logo-bomb-pixels", logo("logo.png"), files={"logo.png": png(200_000, 200_000)}),
    Case("svg-script", logo("logo.svg"),
         files={"logo.svg": SVG_HEAD + b"<script>alert(1)</script></svg>"}),
    Case("svg-onload", logo("logo.svg"),
         files={"logo.svg": SVG_HEAD.replace(b">", b' onload="alert(1)">', 1) + b"</svg>"}),
    Case("svg-external-image", logo("logo.svg"), files={"logo.svg": SVG_HEAD + (
        b'<image href="file:///etc/passwd" width="10" height="10"/></svg>')}),
    Case("svg-external-url", logo("logo.svg"), files={"logo.svg": SVG_HEAD + (
        b'<rect width="10" height="10" fill="url(https://example.org/x.svg#p)"/></svg>')}),
    Case("svg-entities", logo("logo.svg"), files={"logo.svg": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG_HEAD + b"<text>&b;</text></svg>")}),
    Case("svg-not-svg", logo("logo.svg"), files={"logo.svg": b"<html><body>hi</body></html>"}),
    Case("logo-parent-path", logo("../default.yaml")),
    Case("logo-absolute-path", logo("/etc/passwd")),
    Case("logo-symlink-out", logo("link.svg"), files={"link.svg": b"SYMLINK:/etc/hostname"}),
    Case("logo-https-url", logo("https://example.org/logo.png")),
    Case("logo-file-url", logo("file:///etc/passwd")),
    Case("logo-data-url", logo("'data:image/png;base64,iVBORw0KGgo='")),
    Case("colour-name", CLINIC + "colors:\n  primary: green\n"),
    Case("colour-short-hex", CLINIC + "colors:\n  primary: '#0f0'\n"),
    Case("colour-too-light", CLINIC + "colors:\n  accent: '#ffcc00'\n"),
    Case("phone-junk", replace("phone: (555) 010-3000", "phone: ask at reception")),
    Case("website-junk", CLINIC + "website: www.oak street.com\n"),
    Case("website-javascript", CLINIC + "website: javascript:alert(1)\n"),
    Case("dose-over-limit", CLINIC + "recommended_dose:\n  mg: 500\n  form: citrate\n"
                                     "  timing: at night\n"),
    Case("dose-with-units", CLINIC + "recommended_dose:\n  mg: 200mg\n  form: citrate\n"
                                     "  timing: at night\n"),
    Case("number-in-note", CLINIC + "notes:\n  food-is-safe: Take 400 mg at night.\n"),
    Case("name-too-long", replace("name: Oak Street Surgery", "name: " + "Oak " * 60)),
    Case("id-does-not-match-file", replace("id: oak-street", "id: oak-st")),
    Case("review-typed-by-hand", CLINIC + "reviewed_by: Dr Lee\n"),
    # --- second round: text that prints differently from how it was typed ---
    Case("bidi-override-in-name", replace("name: Oak Street Surgery",
                                          "name: Oak \u202eStreet Surgery")),
    Case("bidi-override-in-website", CLINIC + "website: https://oak.example.org/\u202egro\n"),
    Case("bidi-escaped-in-note",
         CLINIC + 'notes:\n  food-is-safe: "Ask \\u2067us\\u2069 first."\n'),
    Case("zero-width-name", replace("name: Oak Street Surgery", "name: \u200b\u200b\u200b")),
    Case("blank-name", replace("name: Oak Street Surgery", "name: \u3164\u3164")),
    Case("escape-in-address", CLINIC + 'address: "Main Street\\e[2J"\n'),
    Case("bidi-in-a-catalogue", replace("languages: [en]", "languages: [en, es]"),
         content_edit=edit_content(ES_CATALOGUE, 'msgstr "Texto actualizado el {date}."',
                                   'msgstr "Texto actualizado el \u202e{date}."')),
    # --- second round: work without bounds ---
    Case("logo-fifo", logo("logo.svg"), files={"logo.svg": b"FIFO"}),
    Case("logo-link-to-dev-zero", logo("logo.png"), files={"logo.png": b"SYMLINK:/dev/zero"}),
    Case("clinic-link-to-dev-zero", b"SYMLINK:/dev/zero"),
    Case("clinic-link-out", b"SYMLINK:/etc/hostname"),
    Case("clinic-sparse-huge", b"SPARSE:2500000000"),
    Case("clinic-link-loop", b"SYMLINK:oak-street.yaml"),
    Case("clinic-folder-links-to-itself", replace("region: us", "region: mars"),
         files={"again": b"SYMLINK:.", "loop.yaml": b"SYMLINK:."}),
    Case("block-file-fifo", content_edit=lambda content: os.mkfifo(content / "blocks/extra.yaml")),
    Case("svg-use-fan-out", logo("logo.svg"), files={"logo.svg": svg_fan_out(10, 10)}),
    Case("svg-use-deep", logo("logo.svg"), files={"logo.svg": svg_fan_out(12, 1)}),
    Case("svg-many-elements", logo("logo.svg"),
         files={"logo.svg": SVG_HEAD + b"<g/>" * 6000 + b"</svg>"}),
    Case("catalogue-format-width", replace("languages: [en]", "languages: [en, es]"),
         content_edit=edit_content(ES_CATALOGUE, 'msgstr "Texto actualizado el {date}."',
                                   'msgstr "Texto actualizado el {date}{date:>999999999}."')),
    # --- second round: what used to end in a traceback ---
    Case("impossible-date", content_edit=edit_content(LEAFLET, REVISED, "revised: 2026-02-30")),
    Case("impossible-time", content_edit=edit_content(LEAFLET, REVISED,
                                                      "revised: 2026-01-01 25:00:00")),
    Case("year-10000", content_edit=edit_content(LEAFLET, REVISED, "revised: 10000-01-01")),
    Case("deep-nesting", CLINIC + "hide: " + nested(5000) + "\n"),
    Case("nul-in-logo-name", CLINIC + 'logo:\n  file: "logo\\0.svg"\n  alt: Oak Street Surgery\n'),
    Case("number-too-long", CLINIC + "review_every_months: " + "9" * 5000 + "\n"),
    Case("number-infinite", CLINIC + "review_every_months: 1.0e+400\n"),
    Case("nul-in-clinic-path", args=("--clinic", "oak\0street.yaml")),
    Case("nul-in-output-folder", args=("--clinic", "oak-street", "--out", "o\0ut")),
    # --- second round: messages ---
    Case("terminal-escape-in-a-file-name", content_edit=lambda content: (
        content / "blocks/evil\x1b]0;owned\x07.yaml").write_text("blocks: none\n")),
    Case("huge-value-echoed", CLINIC.replace("region: us", "region: " + "x" * 900_000)),
    Case("terminal-escape-in-a-key", CLINIC + '"\\e]0;owned\\aphone": (555) 010-3000\n'),
    Case("same-problem-on-many-lines", CLINIC + "region: uk\n" * 14),
    Case("yaml-boolean-language", replace("languages: [en]", "languages: [en, no]")),
    Case("yaml-null-name", replace("name: Oak Street Surgery", "name: ~")),
    # --- command line ---
    Case("unknown-clinic", args=("--clinic", "oak-stret")),
    Case("unknown-edition", args=("--edition", "poster")),
    Case("crop-marks-without-press", args=("--clinic", "oak-street", "--crop-marks")),
]

EXPECTED: dict[str, tuple[int, Where | None, Message]] = {
    # id: (exit code, where the message points, what the admin reads on stderr after
    # "N problems found; ..." and the place)
    "yaml-syntax": (1, end(), lambda content: (
        "YAML syntax: found unexpected end of stream, while scanning a quoted scalar that "
        f"starts on line {line_of(content / OAK, OPEN_QUOTE)} (check quotes, brackets and "
        "indentation)")),
    "yaml-tab": (1, word("\t"), "tab character: indent with spaces only"),
    "yaml-tab-indent": (1, word("\t"), "tab character: indent with spaces only"),
    "wrong-type-list": (1, value("languages"), "'languages' must be a list, not 'en'"),
    "wrong-type-number": (1, value("review_every_months"),
        "'review_every_months' must be a whole number, not 'soon'"),
    "unknown-key": (1, value("phnoe"), "unknown field 'phnoe'; did you mean 'phone'?"),
    "empty-file": (1, whole(), "file is empty"),
    "only-comments": (1, whole(), "file is empty"),
    "not-utf8": (1, word(b"\xe9"), "not UTF-8 text: save the file as UTF-8 in your editor"),
    "duplicate-key": (1, word("region:", 2), "duplicate key 'region': keep only one"),
    "billion-laughs": (1, word("*a"),
        "aliases (*name) are not allowed: write the value out in full"),
    "circular-alias": (1, word("*loop"),
        "aliases (*name) are not allowed: write the value out in full"),
    "too-big": (1, whole(),
        "file is 1,100,136 bytes; the limit is 1,000,000. Remove pasted material"),
    "list-not-mapping": (1, top(),
        "the file must be a set of 'key: value' lines, like 'name: Oak Street Surgery', not a "
        "list"),
    "unknown-leaflet": (1, word("safe-dose]"),
        "unknown leaflet 'safe-dose'; choose from: foods, safe-doses, warnings, "
        "when-to-see-a-doctor"),
    "unknown-block-in-hide": (1, word("get-help]"), "unknown block id 'get-help'"),
    "hide-safety-block": (1, word("get-help-now"),
        "block 'get-help-now' carries a safety warning and cannot be hidden"),
    "unknown-block-in-leaflet": (1, word("yuor-plan", file="leaflets/safe-doses.yaml"),
        "unknown block id 'yuor-plan': did you mean 'your-plan'?"),
    "unknown-fact": (1, value("text", "blocks/doses.yaml", holding="{limit-adults}"),
        "unknown fact id 'limit-adults': did you mean 'limit-adult'?"),
    "unknown-source": (1, word("nih-ods-magnesum", file="blocks/doses.yaml"),
        "unknown source id 'nih-ods-magnesum': did you mean 'nih-ods-magnesium'?"),
    "number-typed-in-text": (1, value("text", "blocks/doses.yaml", holding="350 mg"),
        "the number '350' is typed into the text: add it to content/facts.yaml and write {fact-id} "
        "here"),
    "leaflet-named-booklet": (1, whole("leaflets/booklet.yaml"),
        "'booklet' is the name of the booklet edition's file; rename this leaflet file"),
    "language-not-translated": (1, word("fr]"),
        "language 'fr' has no translation: the leaflets are written in en, es. Remove 'fr' from "
        "'languages', or add the translation first"),
    "over-budget": (1, value("budget_pages", "leaflets/safe-doses.yaml"),
        "leaflet 'safe-doses' for clinic 'oak-street' (en, standard edition) has 3 pages; its "
        "budget is 1. Shorten it or move a block to another leaflet"),
    "logo-missing": (1, value("file"),
        "logo.file: 'logo.svg' was not found next to the clinic file"),
    "logo-not-an-image": (1, value("file"), "logo.file: 'logo.png' is not a PNG image"),
    "logo-wrong-type": (1, value("file"), "logo.file: 'logo.gif' must be an SVG or PNG file"),
    "logo-huge-bytes": (1, value("file"),
        "logo.file: 'logo.png' is 2,100,068 bytes; the limit is 2,000,000. Use a smaller image"),
    "logo-huge-pixels": (1, value("file"),
        "logo.file: 'logo.png' has far too many pixels; the limit is 4000 on the longer side. Use "
        "a smaller image"),
    "logo-bomb-pixels": (1, value("file"),
        "logo.file: 'logo.png' has far too many pixels; the limit is 4000 on the longer side. Use "
        "a smaller image"),
    "svg-script": (1, value("file"),
        "logo.file: 'logo.svg' contains a <script> element; logos may only draw shapes and text"),
    "svg-onload": (1, value("file"),
        "logo.file: 'logo.svg' contains a script (onload); logos may only draw shapes and text"),
    "svg-external-image": (1, value("file"),
        "logo.file: 'logo.svg' refers to another file or address (file:///etc/passwd); logos must "
        "be self-contained"),
    "svg-external-url": (1, value("file"),
        "logo.file: 'logo.svg' refers to another file or address "
        "(url(https://example.org/x.svg#p)); logos must be self-contained"),
    "svg-entities": (1, value("file"),
        "logo.file: 'logo.svg' is not an SVG image that can be used: it is not well-formed XML, or "
        "it declares entities"),
    "svg-not-svg": (1, value("file"), "logo.file: 'logo.svg' is not an SVG image"),
    "logo-parent-path": (1, value("file"),
        "logo.file: '../default.yaml' points outside the clinic's folder; give a file name in that "
        "folder"),
    "logo-absolute-path": (1, value("file"),
        "logo.file: '/etc/passwd' points outside the clinic's folder; give a file name in that "
        "folder"),
    "logo-symlink-out": (1, value("file"),
        "logo.file: 'link.svg' is a link to a file outside the clinic's folder; copy the file in"),
    "logo-https-url": (1, value("file"),
        "logo.file: 'https://example.org/logo.png' is a web address or URL; put the image file in "
        "the clinic's folder and give its file name"),
    "logo-file-url": (1, value("file"),
        "logo.file: 'file:///etc/passwd' is a web address or URL; put the image file in the "
        "clinic's folder and give its file name"),
    "logo-data-url": (1, value("file"),
        "logo.file: 'data:image/png;base64,iVBORw0KGgo=' is a web address or URL; put the image "
        "file in the clinic's folder and give its file name"),
    "colour-name": (1, value("primary"),
        "'primary' must be a colour written as #rrggbb, like #1f4e79, not 'green'"),
    "colour-short-hex": (1, value("primary"),
        "'primary' must be a colour written as #rrggbb, like #1f4e79, not '#0f0'"),
    "colour-too-light": (1, value("accent"),
        "colour accent #ffcc00 has contrast 1.51:1 on white paper; text needs at least 4.5:1. The "
        "nearest passing shade is #8f7200"),
    "phone-junk": (1, value("phone"),
        "'phone' must be a phone number: digits, spaces, brackets, dots or dashes, like (555) "
        "010-2000, not 'ask at reception'"),
    "website-junk": (1, value("website"),
        "'website' must be a web address starting with https://, like https://example.org, not "
        "'www.oak street.com'"),
    "website-javascript": (1, value("website"),
        "'website' must be a web address starting with https://, like https://example.org, not "
        "'javascript:alert(1)'"),
    "dose-over-limit": (1, value("mg"),
        "recommended_dose of 500 mg a day is over the US limit for adults of 350 mg a day from "
        "supplements (Magnesium: fact sheet for health professionals. US National Institutes of "
        "Health, Office of Dietary Supplements.). Lower it to 350 mg a day or less; a higher "
        "dose is the doctor's to write by hand"),
    "dose-with-units": (1, value("mg"), "'mg' must be a whole number, not '200mg'"),
    "number-in-note": (1, value("food-is-safe"),
        "the number '400' is in a note; a dose goes in 'recommended_dose' and phone numbers in "
        "'phone', so they are checked"),
    "name-too-long": (1, value("name"), "'name' is 239 characters; the limit is 80. Shorten it"),
    "id-does-not-match-file": (1, whole(),
        "clinic id 'oak-st' must match the file name: rename the file to oak-st.yaml or change the "
        "id"),
    "review-typed-by-hand": (1, value("reviewed_by"),
        "'reviewed_by' is no longer read: a review is now recorded with the words it approved, "
        "in the clinic's sign-off file. Remove it, and have the clinician run: python build.py "
        'sign --clinic oak-street --by "Dr Lee"'),
    # second round: text that prints differently from how it was typed
    "bidi-override-in-name": (1, word("\u202e"),
        "'name' holds U+202E RIGHT-TO-LEFT OVERRIDE, a direction control, which can print the "
        f"text around it backwards{INVISIBLE}"),
    "bidi-override-in-website": (1, word("\u202e"),
        "'website' holds U+202E RIGHT-TO-LEFT OVERRIDE, a direction control, which can print "
        f"the text around it backwards{INVISIBLE}"),
    "bidi-escaped-in-note": (1, value("food-is-safe"),  # an escape: placed at its value
        "'food-is-safe' holds U+2067 RIGHT-TO-LEFT ISOLATE, a direction control, which can "
        f"print the text around it backwards{INVISIBLE}"),
    "zero-width-name": (1, value("name"),
        f"'name' holds U+200B ZERO WIDTH SPACE, an invisible formatting character{INVISIBLE}"),
    "blank-name": (1, value("name"),
        "'name' prints as blank: it holds only spaces and characters that print as nothing; "
        "write the words"),
    "escape-in-address": (1, value("address"),
        f"'address' holds U+001B ESCAPE, a control character{INVISIBLE}"),
    "bidi-in-a-catalogue": (1, lambda content: (
        f"{shown(content / ES_CATALOGUE)}:"
        f"{catalogue_line(content / ES_CATALOGUE, 'Last revised {date}.')}:1"),
        "the translation of 'Last revised {date}.' holds U+202E RIGHT-TO-LEFT OVERRIDE, a "
        f"direction control, which can print the text around it backwards{INVISIBLE}"),
    # second round: work without bounds
    "logo-fifo": (1, value("file"),
        "logo.file: 'logo.svg' is not an ordinary file but a named pipe (FIFO); only files are "
        "read"),
    "logo-link-to-dev-zero": (1, value("file"),
        "logo.file: 'logo.png' is a link to a file outside the clinic's folder; copy the file in"),
    "clinic-link-to-dev-zero": (1, whole(),
        "this file is a link to /dev/zero, outside content/clinics; copy the file in instead"),
    "clinic-link-out": (1, whole(),
        "this file is a link to /etc/hostname, outside content/clinics; copy the file in instead"),
    "clinic-sparse-huge": (1, whole(),
        "file is 2,500,000,000 bytes; the limit is 1,000,000. Remove pasted material"),
    "clinic-link-loop": (1, whole(), "this file is a link that leads round in a loop"),
    "clinic-folder-links-to-itself": (1, value("region"),
        "unknown region 'mars'; the regions are the files in content/regions/: ca, eu, ie, uk, us"),
    "block-file-fifo": (1, whole("blocks/extra.yaml"),
        "this file is not an ordinary file but a named pipe (FIFO); only files are read"),
    "svg-use-fan-out": (1, value("file"),
        "logo.file: 'logo.svg' draws more than 20,000 shapes once its <use> references are "
        "followed; simplify the logo, or save it as PNG"),
    "svg-use-deep": (1, value("file"),
        "logo.file: 'logo.svg' refers to shapes through more than 8 levels of <use> or "
        "url(#...); simplify the logo, or save it as PNG"),
    "svg-many-elements": (1, value("file"),
        "logo.file: 'logo.svg' has 6,001 elements; the limit is 5,000. Simplify the logo, or save "
        "it as PNG"),
    "catalogue-format-width": (1, lambda content: (
        f"{shown(content / ES_CATALOGUE)}:"
        f"{catalogue_line(content / ES_CATALOGUE, 'Last revised {date}.')}:1"),
        "the translation of 'Last revised {date}.' has a '{' or '}' that is not part of a "
        "placeholder: remove it"),
    # second round: what used to end in a traceback
    "impossible-date": (1, value("revised", LEAFLET),
        "'revised' is not a real date: '2026-02-30' (day is out of range for month); write a "
        "date that exists, as YYYY-MM-DD"),
    "impossible-time": (1, value("revised", LEAFLET),
        "'revised' is not a real date: '2026-01-01 25:00:00' (hour must be in 0..23); write a "
        "date that exists, as YYYY-MM-DD"),
    "year-10000": (1, value("revised", LEAFLET),
        "'revised' must be a date written as YYYY-MM-DD, not '10000-01-01'"),
    "deep-nesting": (1, lambda content: (  # the '[' that opens level 21 (the file is level 1)
        f"{shown(content / OAK)}:{line_of(content / OAK, 'hide:')}:{len('hide: ') + MAX_DEPTH}"),
        "lists and mappings are nested more than 20 levels deep here; the content never needs "
        "that many: check the brackets and indentation"),
    "nul-in-logo-name": (1, value("file"),
        f"'file' holds U+0000 NULL, a control character{INVISIBLE}"),
    "number-too-long": (1, value("review_every_months"),
        "'review_every_months' is a number too long to use (5,000 characters); write it in at "
        "most a few digits"),
    "number-infinite": (1, value("review_every_months"),
        "'review_every_months' must be an ordinary number, not inf"),
    "nul-in-clinic-path": (2, None,
        "build.py: error: --clinic 'oak\\x00street.yaml' holds a control character, which no "
        "file name or id may hold; type it again"),
    "nul-in-output-folder": (2, None,
        "build.py: error: --out 'o\\x00ut' holds a control character, which no file name or id "
        "may hold; type it again"),
    # second round: messages
    "terminal-escape-in-a-file-name": (1, None,
        "content/blocks/evil\\x1b]0;owned\\x07.yaml:1:1: this file must have 'blocks:' followed "
        "by a list"),
    "huge-value-echoed": (1, value("region"),
        "unknown region '" + "x" * 79 + "…'; the regions are the files in content/regions/: "
        "ca, eu, ie, uk, us"),
    "terminal-escape-in-a-key": (1, word("(555) 010-3000", 2),  # placed at its value
        "unknown field '\\x1b]0;owned\\x07phone'; known fields: address, after_hours, colors, "
        "editions, emergency_number, hide, id, languages, leaflets, logo, max_reading_grade, "
        "name, notes, paper, phone, recommended_dose, region, review_every_months, website"),
    "same-problem-on-many-lines": (1, word("region: uk"),
        "duplicate key 'region': keep only one (the same on 13 more lines: 9, 10, 11, 12, 13 and "
        "8 more)"),
    "yaml-boolean-language": (1, word("no]"),
        "'languages' item 2: YAML reads no as the yes/no value false, not as text: write it in "
        'quotes, like "no"'),
    "yaml-null-name": (1, value("name"),
        "'name': YAML reads ~ as no value at all, not as text: write the text, or remove the "
        "line"),
    "unknown-clinic": (2, None,
        "build.py: error: no clinic 'oak-stret' in content/clinics; choose from: "
        'default, oak-street, riverside-family, uk-sleep-clinic'),
    "unknown-edition": (2, None,
        'usage: build.py [-h] [--clinic ID_OR_PATH] [--leaflet ID] [--lang CODE]\n        '
        '        [--out DIR]\n'
        '                [--edition {standard,large-print,press,easy-read,booklet,web}]\n'
        '                [--crop-marks] [--strict] [--json] [--by NAME] [--yes]\n                '
        '[--jobs N] [--force] [--shard K/N] [--port N] [--quiet]\n                '
        '[--verbose] [--desk] [--age-group GROUP] [--dose-mg N]\n                '
        '[--times-a-day N] [--form TEXT] [--timing TEXT] [--name TEXT]\n                '
        '[--follow-up YYYY-MM-DD] [--region CODE]\n                '
        '[{build,check,serve,patient,sign,review,new-clinic,merge-manifests,update-translations}]\n'
        '                '
        "[ID_OR_DIR ...]\nbuild.py: error: argument --edition: invalid choice: 'poster' "
        "(choose from 'standard', 'large-print', 'press', 'easy-read', 'booklet', 'web')"),
    "crop-marks-without-press": (2, None,
        "build.py: error: --crop-marks is for the press edition; add --edition press"),
}


def place(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path``, or make what it names: ``SYMLINK:target``, ``FIFO``
    (a named pipe) or ``SPARSE:size`` (a file that claims ``size`` bytes and holds none)."""
    if data.startswith(b"SYMLINK:"):
        path.symlink_to(data.removeprefix(b"SYMLINK:").decode())
    elif data == b"FIFO":
        os.mkfifo(path)
    elif data.startswith(b"SPARSE:"):
        with path.open("wb") as handle:
            handle.truncate(int(data.removeprefix(b"SPARSE:")))
    else:
        path.write_bytes(data)


def run_case(case: Case, content: Path, out: Path) -> int:
    clinics = content / "clinics"
    place(clinics / "oak-street.yaml",
          case.clinic if isinstance(case.clinic, bytes) else case.clinic.encode())
    for name, data in case.files.items():
        place(clinics / name, data)
    if case.content_edit:
        case.content_edit(content)
    args = case.args or ("--clinic", "oak-street")
    return main(["--content", str(content), "--out", str(out), *args])


@pytest.fixture
def earlier_output(tmp_path: Path) -> Path:
    """An output folder as an earlier build left it."""
    out = tmp_path / "out"
    (out / "oak-street/en").mkdir(parents=True)
    (out / "oak-street/en/safe-doses.pdf").write_bytes(b"%PDF-1.7 earlier build\n")
    (out / "manifest.json").write_text('{"outputs": []}\n')
    return out


def test_the_catalogue_is_complete() -> None:
    assert len(CASES) >= 30
    assert [case.id for case in CASES] == list(EXPECTED)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, content: Path, earlier_output: Path,
                   capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)
    before = snapshot(earlier_output)
    elsewhere = snapshot_outside(content.parent, content, earlier_output)
    code = run_case(case, content, earlier_output)
    err = capsys.readouterr().err
    expected_code, where, words = EXPECTED[case.id]
    message = words if isinstance(words, str) else words(content)
    if where is not None:
        message = f"{where(content)}: {message}"
    if expected_code == 1:
        message = f"1 problem found; no leaflet was written:\n  {message}"
    assert (code, err) == (expected_code, message + "\n")
    assert "Traceback" not in err
    assert snapshot(earlier_output) == before, "earlier output changed"
    assert snapshot_outside(content.parent, content, earlier_output) == elsewhere


def snapshot_outside(folder: Path, *inside: Path) -> dict[str, bytes]:
    """What is under ``folder`` but not under ``inside``, which are not entered (the
    content holds pipes and huge sparse files): a refused case writes nothing."""
    found = {}
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if Path(parent, name) not in inside]
        for name in names:
            path = Path(parent, name)
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found
