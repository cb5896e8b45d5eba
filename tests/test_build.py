"""The shipped leaflets, built once and checked as a patient and a printer would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from handout.gates.readability import Scale, printed_units

from .pdfs import PAGE_SIZES, fonts_of, page_sizes, text_of

LEAFLETS = ["foods", "safe-doses", "warnings", "when-to-see-a-doctor"]
MAX_GRADE = 8.0  # NIH: below 8th grade; the aim is 6 (AMA/HHS)


def pdf(built: Path, leaflet: str) -> Path:
    return built / "default" / "en" / f"{leaflet}.pdf"


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_within_budget_on_letter_paper(built: Path, leaflet: str) -> None:
    reader = PdfReader(pdf(built, leaflet))
    assert 1 <= len(reader.pages) <= 2
    assert page_sizes(pdf(built, leaflet)) == {PAGE_SIZES["letter"]}


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_only_the_shipped_font_and_it_is_embedded(built: Path, leaflet: str) -> None:
    fonts = fonts_of(pdf(built, leaflet))
    assert fonts, "no fonts found"
    for name, embedded in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+Leaflet-Sans(-Bold|-Semi-Bold)?", name), name
        assert embedded, name


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_reading_grade_is_at_most_8(built: Path, leaflet: str) -> None:
    html = (built / "default" / "en" / f"{leaflet}.html").read_text(encoding="utf-8")
    units = printed_units(html)
    printed = text_of(pdf(built, leaflet))
    for unit in units:  # what we scored is what the PDF prints
        assert " ".join(unit.split()) in printed, unit
    assert Scale("en", "flesch-kincaid-grade", MAX_GRADE).score(units) <= MAX_GRADE


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_metadata_title_author_language(built: Path, leaflet: str) -> None:
    reader = PdfReader(pdf(built, leaflet))
    title = (built / "default/en" / f"{leaflet}.html").read_text().split("<title>")[1]
    assert reader.metadata is not None
    assert reader.metadata.title == title.split("</title>")[0]
    assert reader.metadata.author == "Your clinic"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])


def test_safe_doses_prints_the_us_limit_from_facts(built: Path) -> None:
    text = text_of(pdf(built, "safe-doses"))
    assert "Adults should not take more than 350 mg a day from supplements" in text
    assert "Children aged 4 to 8 110 mg" in text
    assert "Children aged 1 to 3 65 mg" in text
    assert "Call 911" in text


def test_warnings_cover_kidneys_bleeding_and_medicines(built: Path) -> None:
    text = text_of(pdf(built, "warnings"))
    for phrase in ("kidney failure or serious kidney disease", "bleeding problem",
                   "Blood thinners", "bisphosphonates", "Gabapentin",
                   "Keep out of reach of children", "Get help now"):
        assert phrase in text, phrase
    order = ["Do not use", "Ask a doctor before use if you have",
             "Ask a doctor or pharmacist before use if you take", "Stop use and ask a doctor if",
             "If you are pregnant or breastfeeding", "Keep out of reach of children"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions), "warnings are out of Drug Facts order"


def test_foods_list_amounts_from_facts(built: Path) -> None:
    text = text_of(pdf(built, "foods"))
    assert "Pumpkin seeds 1 oz (28 g) about 156 mg" in text
    assert "Spinach, boiled ½ cup about 78 mg" in text
    assert "Women aged 19 and over 310 to 320 mg" in text


def test_doctor_leaflet_covers_when_to_go(built: Path) -> None:
    text = text_of(pdf(built, "when-to-see-a-doctor"))
    for phrase in ("no better after 4 to 6 weeks", "you are pregnant", "varicose veins",
                   "run in families", "blood test for iron", "blood test for magnesium"):
        assert phrase in text, phrase


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_sources_and_honest_review_line(built: Path, leaflet: str) -> None:
    text = text_of(pdf(built, leaflet))
    assert "Where this information comes from" in text
    assert "Your clinic has not reviewed this leaflet." in text
    for name in ("MyPinsOnline", "HoltraCeuticals"):
        assert name.lower() not in text.lower()


def test_manifest_lists_every_pdf(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    keys = [(e["clinic"], e["lang"], e["leaflet"]) for e in manifest["outputs"]]
    assert keys == [(clinic, lang, leaflet)
                    for clinic, lang in (("default", "en"), ("riverside-family", "en"),
                                         ("riverside-family", "es"), ("uk-sleep-clinic", "en"))
                    for leaflet in LEAFLETS]
    for entry in manifest["outputs"]:
        path = built / entry["path"]
        leaflet = entry["leaflet"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["pages"] == len(PdfReader(path).pages)
        assert len(entry["sha256"]) == 64, leaflet
