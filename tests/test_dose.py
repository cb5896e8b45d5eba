"""The one shape of a dose (mg per dose x times a day, checked on the day's total for
the age group and region), and words that must not carry a dose of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from handout.build.config import PROJECT_ROOT
from handout.content.clinic import load_clinic
from handout.content.dose import AGE_GROUPS, DailyDose, dose_in, dose_problem, limit_for
from handout.content.loader import load_content
from handout.content.texts import first_number

from .conftest import FIXTURE_CONTENT, at, edit, load_problems
from .test_clinic import clinic_file, problems, value

NIH = ("Magnesium: fact sheet for health professionals. US National Institutes of Health, "
       "Office of Dietary Supplements.")
EFSA = ("Tolerable upper intake levels for vitamins and minerals. European Food Safety "
        "Authority (2006).")
UK = ("Safe upper levels for vitamins and minerals. UK Expert Group on Vitamins and Minerals "
      "(2003).; Vitamins and minerals: magnesium. NHS website.")

LIMITS = {("us", "adult"): (350, NIH), ("us", "9-13"): (350, NIH), ("us", "4-8"): (110, NIH),
          ("us", "1-3"): (65, NIH), ("eu", "adult"): (250, EFSA), ("eu", "9-13"): (250, EFSA),
          ("eu", "4-8"): (250, EFSA), ("uk", "adult"): (400, UK)}
"""What facts.yaml's limits say, by region and age group; every other pair has none."""


def test_every_region_and_age_group_has_its_limit_or_none() -> None:
    content = load_content(FIXTURE_CONTENT)
    for region in ("us", "eu", "uk"):
        for age in AGE_GROUPS:
            limit = limit_for(content, region, age)  # type: ignore[arg-type]
            if (region, age) in LIMITS:
                assert not isinstance(limit, str)
                assert (limit.mg, limit.cited) == LIMITS[(region, age)]
            else:
                assert isinstance(limit, str), (region, age)


def test_the_limit_is_on_the_days_total() -> None:
    content = load_content(FIXTURE_CONTENT)
    assert dose_problem(content, "us", "adult", DailyDose(175, 2), "x") is None
    assert dose_problem(content, "us", "adult", DailyDose(176, 2), "x") == (
        f"x of 176 mg 2 times a day (352 mg a day) is over the US limit for adults of 350 mg a "
        f"day from supplements ({NIH}). Lower it to 350 mg a day or less; a higher dose is the "
        "doctor's to write by hand")


def test_an_age_group_without_a_limit_gets_no_dose() -> None:
    content = load_content(FIXTURE_CONTENT)
    assert dose_problem(content, "eu", "1-3", DailyDose(10), "a dose") == (
        "the EU sets no limit on magnesium from supplements for children aged 1 to 3 "
        f"({EFSA}), so no dose can be checked for them. This tool prints leaflets, not "
        "prescriptions: leave the dose out, and the doctor writes it by hand")


@pytest.mark.parametrize(("text", "dose"), [
    ("magnesium citrate, 900 mg", "900 mg"), ("Take 900mg at night", "900mg"),
    ("two tablets", "two tablets"), ("Four hundred milligrams", "Four hundred milligrams"),
    ("half a tablet", "half a tablet"), ("dos tabletas", "dos tabletas"),
    ("una cápsula con la cena", "una cápsula"), ("٩٠٠ mg", "٩٠٠ mg"),
    ("\uff19\uff10\uff10 mg", "\uff19\uff10\uff10 mg"),
    ("½ tablet", "½ tablet"), ("五 mg", "五 mg"), ("1,000 mg", "1,000 mg"), ("200g", "200g"),
    ("twenty-five mg", "twenty-five mg"),
    ("12 River Road", None), ("12 G Street", None), ("once a day", None),
    ("with your evening meal", None), ("con la cena", None), ("Suite 200, 5 Oak Lane", None),
])
def test_a_number_with_a_dose_unit_reads_as_a_dose(text: str, dose: str | None) -> None:
    assert dose_in(text) == dose


@pytest.mark.parametrize(("text", "number"), [
    ("take 2", "2"), ("٣ times", "٣"), ("Ⅸ", "Ⅸ"), ("x²", "²"), ("1.5 hours", "1.5"),
    ("twice a day", None)])
def test_a_number_in_any_script_is_found(text: str, number: str | None) -> None:
    assert first_number(text) == number


DOSE = "recommended_dose: {{mg: 200, form: {form}, timing: {timing}}}\n"
ADVICE_DOSE = ("which reads as a dose: a dose is written only as milligrams and times a day, "
               "where it is checked against the limit. Remove it from this text")
ADVICE_NUMBER = ("the words around a dose may not carry numbers, as they are not checked "
                 "against the limit. Write it in words without numbers, or put the amount in "
                 "the dose")


@pytest.mark.parametrize(("extra", "key", "message"), [
    (DOSE.format(form='"magnesium citrate, 900 mg"', timing="at night"), "form",
     f"'recommended_dose form' says '900 mg', {ADVICE_DOSE}"),
    (DOSE.format(form="citrate", timing='"at bedtime, 2 hours after food"'), "timing",
     f"'recommended_dose timing' has the number '2': {ADVICE_NUMBER}"),
    (DOSE.format(form="citrate", timing="at night with ٢ glasses"), "timing",
     f"'recommended_dose timing' has the number '٢': {ADVICE_NUMBER}"),
    ("address: Take 900 mg with every meal\n", "address",
     f"'address' says '900 mg', {ADVICE_DOSE}"),
    ("name: Two Tablets Clinic\n", "name", f"'name' says 'Two Tablets', {ADVICE_DOSE}"),
    ("notes: {food-list: Take four hundred milligrams with food.}\n", "food-list",
     f"'notes food-list' says 'four hundred milligrams', {ADVICE_DOSE}"),
])
def test_clinic_text_carries_no_dose(tmp_path: Path, extra: str, key: str,
                                     message: str) -> None:
    path = clinic_file(tmp_path, extra)
    if extra.startswith("name:"):  # in place of the test clinic's name
        path.write_text(path.read_text(encoding="utf-8").replace("name: Test Clinic\n", ""),
                        encoding="utf-8")
    assert problems(path) == [f"{value(key)(path)}: {message}"]


def test_a_street_number_passes(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, "address: 12 G Street, Suite 200\nrecommended_dose: "
                                 "{mg: 300, form: citrate, timing: with food}\n")
    assert load_clinic(path, load_content(FIXTURE_CONTENT)).address == "12 G Street, Suite 200"


def test_the_clinic_dose_is_checked_on_its_daily_total(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, "recommended_dose: {mg: 200, times_a_day: 2, form: citrate, "
                                 "timing: with food}\n")
    assert problems(path) == [
        f"{value('mg')(path)}: recommended_dose of 200 mg 2 times a day (400 mg a day) is over "
        f"the US limit for adults of 350 mg a day from supplements ({NIH}). Lower it to 350 mg "
        "a day or less; a higher dose is the doctor's to write by hand"]


def test_an_age_group_has_one_limit_in_a_region(content: Path) -> None:
    facts = content / "facts.yaml"
    edit(facts, "ages: [adult, 9-13]\n", "ages: [adult, 9-13, 4-8]\n")
    assert load_problems(content) == [
        f"{at(facts, '[4-8]', root=content)}: age group '4-8' in region 'us' already has its "
        "limit in fact 'limit-adult': a dose is checked against one limit. Remove '4-8' from "
        "one of them"]


def test_the_new_clinic_files_example_dose_is_one_a_clinic_may_give(tmp_path: Path) -> None:
    template = PROJECT_ROOT / "handout" / "cli" / "new_clinic.yaml"
    line = next(line for line in template.read_text(encoding="utf-8").splitlines()
                if line.startswith("# recommended_dose:"))
    path = clinic_file(tmp_path, line.removeprefix("# ").replace("{{", "{").replace("}}", "}")
                       + "\n")
    dose = load_clinic(path, load_content(FIXTURE_CONTENT)).recommended_dose
    assert dose is not None and (dose.mg, dose.times_a_day) == (200, 1)
