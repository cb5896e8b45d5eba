"""``build.py patient``: one patient's plan, checked against the limit for the age group
and region, printed in one PDF, and stored nowhere."""

from __future__ import annotations

import datetime as dt
import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.dates import format_date

from handout.build.config import PROJECT_ROOT
from handout.build.output import LOCK
from handout.cli.main import main
from handout.content.dose import DailyDose, dose_problem
from handout.content.loader import load_content

from .conftest import CONTENT_ARGS
from .pdfs import text_of
from .test_dose import EFSA, LIMITS, NIH, UK

PLAN = ["patient", *CONTENT_ARGS, "--clinic", "riverside-family", "--leaflet", "safe-doses",
        "--leaflet", "warnings"]
TODAY = dt.date.today()
AGE_NAMES = {"adult": "adults", "9-13": "children aged 9 to 13", "4-8": "children aged 4 to 8",
             "1-3": "children aged 1 to 3", "under-1": "babies under 1 year"}
REGION_CLINIC = ("id: {id}\nname: {region} test clinic\nregion: {region}\npaper: a4\n"
                 "languages: [en]\n")
CLINIC_DOSE = "recommended_dose: {mg: 50, form: magnesium citrate, timing: with food}\n"
SOURCES = {"us": NIH, "eu": EFSA, "uk": UK}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def problems(err: str) -> list[str]:
    lines = err.splitlines()
    assert lines[0].endswith("found; no plan was printed:"), err
    return [line.removeprefix("  ") for line in lines[1:]]


def test_a_named_adults_plan_holds_name_dose_form_follow_up_and_phone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.pdf"
    back = TODAY + dt.timedelta(days=42)
    code, stdout, err = run([*PLAN, "--age-group", "adult", "--dose-mg", "150", "--times-a-day",
                             "2", "--form", "magnesium glycinate", "--timing",
                             "with breakfast and dinner", "--name", "Wilhelmina Zorbaugh",
                             "--follow-up", back.isoformat(), "--by", "Nurse Okafor",
                             "--out", str(out)], capsys)
    assert code == 0, err
    assert stdout == ""
    assert err == f"wrote a 7-page plan to {out}; no other copy was kept\n"
    text = text_of(out)
    first = text.split("Page 1 of 7")[0]
    for words in ("Your plan", "For: Wilhelmina Zorbaugh",
                  f"Date: {format_date(TODAY, 'long', locale='en_US')}",
                  "What to take: magnesium glycinate",
                  "How much: 150 mg of magnesium, 2 times a day: 300 mg a day in all",
                  "When to take it: with breakfast and dinner",
                  f"Come back on: {format_date(back, 'long', locale='en_US')}",
                  "Doctor or nurse: Nurse Okafor", "(555) 010-2000", "In an emergency, call 911."):
        assert words in first, words
    # each leaflet's own "Your plan" is filled in too
    assert text.count("150 mg of magnesium, 2 times a day") == 2
    assert "Form: magnesium glycinate" in text


def test_the_clinics_dose_fills_the_plan_when_none_is_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.pdf"
    code, _, err = run([*PLAN, "--age-group", "adult", "--lang", "es", "--out", str(out)],
                       capsys)
    assert code == 0, err
    text = text_of(out)
    assert "Cuánto: 200 mg de magnesio, una vez al día" in text
    assert "Qué tomar: citrato de magnesio" in text and "Cuándo tomarlo: con la cena" in text


def test_a_clinic_dose_over_the_childs_limit_is_left_blank(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.pdf"
    code, _, err = run([*PLAN, "--age-group", "1-3", "--out", str(out)], capsys)
    assert code == 0, err
    assert err.splitlines()[0] == (
        "note: the clinic's usual dose is not for this age group, so the plan's dose lines are "
        "left blank for the doctor or nurse to write")
    text = text_of(out)
    assert "mg of magnesium, once a day" not in text
    assert "How much: When to take it:" in text  # the line left to write on


def _limit_cases() -> list[tuple[str, str, bool]]:
    return [(region, age, with_dose) for region in ("us", "eu", "uk") for age in AGE_NAMES
            for with_dose in (True, False)]


@pytest.mark.parametrize(("region", "age", "with_dose"), _limit_cases())
def test_one_mg_over_the_limit_or_no_limit_at_all_is_refused(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], region: str,
        age: str, with_dose: bool) -> None:
    clinic = content / "clinics" / f"{region}-test.yaml"
    clinic.write_text(REGION_CLINIC.format(id=f"{region}-test", region=region)
                      + (CLINIC_DOSE if with_dose else ""), encoding="utf-8")
    limit = LIMITS.get((region, age))
    dose = limit[0] + 1 if limit else 1
    out = tmp_path / "plan.pdf"
    code, _, err = run(["patient", "--content", str(content), "--clinic", f"{region}-test",
                        "--leaflet", "safe-doses", "--age-group", age, "--dose-mg", str(dose),
                        "--out", str(out)], capsys)
    assert code == 1
    if limit:
        expected = (f"--dose-mg: a dose of {dose} mg a day is over the {region.upper()} limit "
                    f"for {AGE_NAMES[age]} of {limit[0]} mg a day from supplements "
                    f"({limit[1]}). Lower it to {limit[0]} mg a day or less; a higher dose is "
                    "the doctor's to write by hand")
    else:
        expected = (f"--dose-mg: the {region.upper()} sets no limit on magnesium from "
                    f"supplements for {AGE_NAMES[age]} ({SOURCES[region]}), so no dose can be "
                    "checked for them. This tool prints leaflets, not prescriptions: leave the "
                    "dose out, and the doctor writes it by hand")
    assert problems(err) == [expected]
    assert not out.exists()
    if limit:  # exactly at the limit it may print (one print per region is below)
        assert dose_problem(load_content(content), region, age, DailyDose(limit[0]),
                            "--dose-mg: a dose") is None


@pytest.mark.parametrize("region", ["us", "eu", "uk"])
def test_a_dose_exactly_at_the_limit_prints(content: Path, tmp_path: Path, region: str) -> None:
    clinic = content / "clinics" / f"{region}-test.yaml"
    clinic.write_text(REGION_CLINIC.format(id=f"{region}-test", region=region),
                      encoding="utf-8")
    limit = LIMITS[(region, "adult")][0]
    out = tmp_path / "plan.pdf"
    assert main(["patient", "--content", str(content), "--clinic", f"{region}-test",
                 "--leaflet", "safe-doses", "--age-group", "adult", "--dose-mg", str(limit),
                 "--out", str(out)]) == 0
    assert f"{limit} mg of magnesium, once a day" in text_of(out)


@pytest.mark.parametrize(("extra", "message"), [
    (["--leaflet", "sleep-tips"], "--leaflet: unknown leaflet 'sleep-tips' for clinic "
     "'riverside-family'; choose from: foods, safe-doses, warnings, when-to-see-a-doctor"),
    (["--lang", "fr"], "--lang: clinic 'riverside-family' prints en, es, not 'fr'"),
    (["--follow-up", "2027-02-30"], "--follow-up: '2027-02-30' is not a date: write it as "
     f"year-month-day, like {(TODAY + dt.timedelta(days=28)).isoformat()}"),
    (["--follow-up", "15/01/2027"], "--follow-up: '15/01/2027' is not a date: write it as "
     f"year-month-day, like {(TODAY + dt.timedelta(days=28)).isoformat()}"),
    (["--follow-up", (TODAY - dt.timedelta(days=1)).isoformat()],
     f"--follow-up: {(TODAY - dt.timedelta(days=1)).isoformat()} is in the past; give the day "
     "to come back"),
    (["--follow-up", "2999-01-01"], "--follow-up: 2999-01-01 is more than 5 years away; check "
     "the year"),
    (["--dose-mg", "200mg"], "--dose-mg: '200mg' is not a whole number of milligrams: type "
     "digits only, like 200"),
    (["--dose-mg", "100", "--times-a-day", "9"], "--times-a-day: must be from 1 to 6 times a "
     "day, not 9"),
    (["--timing", "after dinner"], "--dose-mg: --timing describe a dose: give the dose too, in "
     "milligrams of magnesium"),
    (["--dose-mg", "100", "--form", "citrate, 900 mg"], "--form: the text says '900 mg', which "
     "reads as a dose: a dose is written only as milligrams and times a day, where it is "
     "checked against the limit. Remove it from this text"),
    (["--dose-mg", "100", "--timing", "at ٩ pm"], "--timing: the text has the number '٩': the "
     "words around a dose may not carry numbers, as they are not checked against the limit. "
     "Write it in words without numbers, or put the amount in the dose"),
    (["--name", "x" * 81], "--name: the text is 81 characters long; keep it to 80"),
    (["--name", "Ann\x1b[2J"], "--name: the text has an invisible or control character; "
     "type it again"),
    (["--dose-mg", "\x1b[31m2"], "--dose-mg: '?[31m2' is not a whole number of milligrams: "
     "type digits only, like 200"),
    (["--edition", "press"], "--edition: 'press' is not for one patient's plan; choose "
     "standard or large-print"),
])
def test_bad_plan_fields_are_refused_with_their_field(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str],
        message: str) -> None:
    out = tmp_path / "plan.pdf"
    code, stdout, err = run([*PLAN, "--age-group", "adult", *extra, "--out", str(out)], capsys)
    assert (code, stdout) == (1, "")
    assert problems(err) == [message]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written or staged file either


@pytest.mark.parametrize(("args", "message"), [
    (["--age-group", "adult"], "patient needs --out FILE.pdf, or --out - to send the PDF to "
     "standard output; the plan is never written anywhere else"),
    (["--age-group", "adult", "--out", "plan.txt"], "--out must be a file name ending in .pdf, "
     "or -, not 'plan.txt'"),
    (["--age-group", "adult", "--out", str(PROJECT_ROOT / "output" / "plan.pdf")],
     "--out: a patient's plan is not "
     "kept with the built leaflets; give a file outside the output folder, or - to send it "
     "to standard output"),
])
def test_where_the_plan_goes_is_checked_first(capsys: pytest.CaptureFixture[str],
                                              args: list[str], message: str) -> None:
    code, _, err = run([*PLAN, *args], capsys)
    assert code == 2
    assert err == f"build.py: error: {message}\n"


def test_plan_options_belong_to_patient(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--name", "Someone"], capsys)
    assert code == 2
    assert err == ("build.py: error: --name is for patient: python build.py patient --clinic "
                   "ID ...\n")


def test_a_plan_prints_while_a_build_holds_the_output_folder(
        project: Path, built: Path, tmp_path: Path) -> None:
    """A plan neither waits for nor takes the build's lock: it never writes there. (A
    plan that took the lock would wait here until the timeout.)"""
    shutil.copytree(built, project / "output")
    plan = tmp_path / "plan.pdf"
    with open(project / "output" / LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build writing now holds it
        done = subprocess.run([sys.executable, "build.py", "patient", "--clinic", "default",
                               "--leaflet", "foods", "--age-group", "adult", "--out",
                               str(plan)], cwd=project, capture_output=True, timeout=60,
                              check=False)
    assert done.returncode == 0, done.stderr
    assert plan.read_bytes().startswith(b"%PDF-")
