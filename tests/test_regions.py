"""Regions are data: a region is a file in content/regions/, and adding one adds no code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handout.cli.main import main
from handout.content.blocks import Table
from handout.content.clinic import load_clinic
from handout.content.dose import DailyDose, dose_problem, limit_for
from handout.content.loader import load_content
from handout.content.regions import unknown_region
from handout.render.page import resolve

from .conftest import FIXTURE_CONTENT, at, edit, load_problems
from .pdfs import text_of

TEST_REGION = Path(__file__).parent / "fixtures" / "regions" / "zz.yaml"
HEALTH_CANADA = "Magnesium: natural health products monograph. Health Canada"


def test_a_canadian_clinic_from_new_clinic_builds_with_health_canadas_limit(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-clinic", "lakeside-neurology", "--region", "ca",
                 "--content", str(content)]) == 0
    text = (content / "clinics/lakeside-neurology.yaml").read_text()
    assert "\nregion: ca\n" in text and "\npaper: letter\n" in text
    assert '# emergency_number: "911"' in text
    out = tmp_path / "out"
    assert main(["--content", str(content), "--clinic", "lakeside-neurology", "--leaflet",
                 "safe-doses", "--leaflet", "foods", "--out", str(out), "--quiet"]) == 0
    doses = " ".join(text_of(out / "lakeside-neurology/en/safe-doses.pdf").split())
    assert "Adults should take no more than 350 mg a day" in doses
    assert "Children aged 4 to 8 110 mg" in doses and "Children aged 1 to 3 65 mg" in doses
    assert "Call 911 or go to the nearest emergency department" in doses
    assert HEALTH_CANADA in doses
    foods = " ".join(text_of(out / "lakeside-neurology/en/foods.pdf").split())
    assert "28 g" in foods and "oz" not in foods and "cup" not in foods
    assert "Whole-wheat bread" in foods  # Canada's English words are the US's here


def test_a_region_is_added_by_a_file(content: Path, tmp_path: Path) -> None:
    shutil.copy(TEST_REGION, content / "regions/zz.yaml")
    loaded = load_content(content)
    adult = limit_for(loaded, "zz", "adult")
    assert not isinstance(adult, str) and (adult.mg, adult.shown) == (300, "300 mg")
    assert limit_for(loaded, "zz", "4-8") == (
        "Testland sets no limit on magnesium from supplements for children aged 4 to 8 "
        "(Tolerable upper intake levels for vitamins and minerals. European Food Safety "
        "Authority (2006).), so no dose can be checked for them")
    assert dose_problem(loaded, "zz", "adult", DailyDose(301), "x") is not None
    clinic_path = content / "clinics/default.yaml"
    edit(clinic_path, "region: us", "region: zz")
    clinic = load_clinic(clinic_path, loaded)
    doses = resolve(loaded, clinic, "en", "safe-doses")
    assert doses.facts["limit-adult"] == "300 mg"
    assert doses.facts["emergency-number"] == "111"
    assert "limit-child-4-8" not in doses.facts  # Testland sets none: the row is left out
    foods = resolve(loaded, clinic, "en", "foods")
    assert foods.words.date(loaded.leaflets["foods"].revised).endswith("2026")
    table = next(b for b in foods.blocks if b.id == "food-list")
    assert isinstance(table, Table)
    cells = [cell for row in table.rows for cell in row]
    assert "Wholemeal bread" in cells and "28 g" in cells


def test_each_region_gives_every_regional_fact_once(content: Path) -> None:
    region = content / "regions/zz.yaml"
    shutil.copy(TEST_REGION, region)
    edit(region, "  need-men:\n    value: null\n    sources: [efsa-ul]\n", "")
    facts = content / "facts.yaml"
    edit(content / "regions/eu.yaml", "code: eu", "code: eu\nfacts:\n  need-men: "
         "{value: 1, sources: [efsa-ul]}")
    problems = load_problems(content)
    assert problems == [
        f"{at(content / 'regions/eu.yaml', value_of='need-men', root=content)}: fact 'need-men' "
        "already has a value for region 'eu' in content/facts.yaml: give it in one place only",
        f"{at(region, value_of='facts', root=content)}: fact 'need-men' has no value "
        "for region 'zz': add it under 'facts:' here, with its sources (value: null if "
        "Testland sets none)"]
    assert facts.is_file()


def test_a_region_file_is_named_by_its_code(content: Path) -> None:
    shutil.copy(TEST_REGION, content / "regions/testland.yaml")
    assert load_problems(content) == [
        f"{at(content / 'regions/testland.yaml', 'zz', root=content)}: code 'zz' must match "
        "the file name: rename the file to zz.yaml, or write code: testland"]


@pytest.mark.parametrize(("typed", "message"), [
    ("canada", "unknown region 'canada'; did you mean 'ca'? The regions are the files in "
               "content/regions/: ca, eu, ie, uk, us"),
    ("The UK", "unknown region 'The UK'; did you mean 'uk'? The regions are the files in "
               "content/regions/: ca, eu, ie, uk, us"),
    ("usa", "unknown region 'usa'; did you mean 'us'? The regions are the files in "
            "content/regions/: ca, eu, ie, uk, us"),
    ("mars", "unknown region 'mars'; the regions are the files in content/regions/: ca, eu, "
             "ie, uk, us"),
])
def test_a_region_typed_by_its_name_or_nearly_its_code_is_suggested(typed: str,
                                                                    message: str) -> None:
    assert unknown_region(typed, load_content(FIXTURE_CONTENT).regions) == message
