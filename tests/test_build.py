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
    assert 1 <= len(reader.pages) <= 4
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
                   "Medicines that thin the blood", "bisphosphonates", "alendronate",
                   "doxycycline or ciprofloxacin", "furosemide or spironolactone",
                   "omeprazole", "Gabapentin", "Keep out of reach of children",
                   "call Poison Help right away", "1-800-222-1222", "Get help now"):
        assert phrase in text, phrase
    assert "Ask a doctor before you take it if" in text
    order = ["Too much magnesium can be dangerous", "Do not use",
             "Stop taking it and ask a doctor if", "Ask a doctor or pharmacist before use if",
             "If you are pregnant or breastfeeding", "Keep out of reach of children"]
    start = text.index("Key points")
    for heading in order:  # each after the one before it
        start = text.index(heading, start)


def test_foods_list_amounts_from_facts(built: Path) -> None:
    text = text_of(pdf(built, "foods"))
    assert "Pumpkin seeds 1 oz (28 g) about 156 mg" in text
    assert "Spinach, boiled ½ cup about 78 mg" in text
    assert "Women aged 19 and over 320 mg" in text
    # the worked example's total is the build's sum of its rows, never typed in
    assert "Total for the day about 448 mg" in text


def test_doctor_leaflet_covers_when_to_go(built: Path) -> None:
    text = text_of(pdf(built, "when-to-see-a-doctor"))
    for phrase in ("no better after 4 to 6 weeks", "you are pregnant", "dialysis",
                   "run in families", "iron blood test", "ferritin", "transferrin saturation",
                   "Do not start iron tablets before the test", "spread to your arms",
                   "diphenhydramine", "metoclopramide",
                   "Do not stop a prescribed medicine on your own", "blood clot",
                   "call 911 now"):
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


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_no_dose_is_printed_for_everyone(built: Path, leaflet: str) -> None:
    """A leaflet goes to everyone: its plan has lines to write on, and no clinic-wide
    dose, whatever the clinic's recommended_dose (Riverside's is 200 mg)."""
    for clinic in ("default", "riverside-family"):
        text = text_of(built / clinic / "en" / f"{leaflet}.pdf")
        assert "200 mg a day" not in text
        assert "magnesium citrate" not in text or leaflet == "safe-doses"


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_only_references_are_printed(built: Path, leaflet: str) -> None:
    text = text_of(pdf(built, leaflet))
    for web in ("Web article", "shop's website", "supplement seller", "vitamins blog"):
        assert web not in text
