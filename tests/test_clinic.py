"""Clinic files: each field's effect on the PDF, and each invalid field's error."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import segno
from pypdf import PdfReader

from handout.cli.main import main
from handout.content.clinic import contrast, load_clinic, nearest_passing
from handout.content.loader import load_content
from handout.core.errors import UserErrors

from .conftest import CONTENT_ARGS, FIXTURE_CONTENT, at, sign, start_of
from .pdfs import PAGE_SIZES, page_sizes, text_of

BASE = "id: t\nname: Test Clinic\nregion: {region}\npaper: a4\nlanguages: [en]\n"


def clinic_file(tmp_path: Path, extra: str = "", region: str = "us") -> Path:
    folder = tmp_path / "clinic"
    folder.mkdir(exist_ok=True)
    path = folder / "t.yaml"
    path.write_text(BASE.format(region=region) + extra, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """Every problem found in the clinic file, its path shown as "t.yaml"."""
    content = load_content(FIXTURE_CONTENT)
    with pytest.raises(UserErrors) as caught:
        load_clinic(path, content)
    return [str(e).replace(f"{path}", "t.yaml") for e in caught.value.errors]


Where = Callable[[Path], str]
"""Where a message points in a clinic file, as problems() shows it."""


def value(key: str) -> Where:
    """The value of the first ``key:`` in the clinic file."""
    return lambda path: at(path, value_of=key, root=path.parent)


def word(needle: str, occurrence: int = 1) -> Where:
    """The first character of ``needle``: a list item, or a duplicated key."""
    return lambda path: at(path, needle, occurrence, root=path.parent)


def document(path: Path) -> str:
    """The whole clinic file: its first key."""
    return start_of(path, root=path.parent)


def test_example_clinics_show_name_phone_limit_and_paper(built: Path) -> None:
    us = text_of(built / "riverside-family/en/safe-doses.pdf")
    uk = text_of(built / "uk-sleep-clinic/en/safe-doses.pdf")
    assert "Riverside Family Practice" in us and "(555) 010-2000" in us
    assert "Adults should not take more than 350 mg a day" in us
    assert "Adults should not take more than 400 mg a day" in uk
    assert "Call 999" in uk
    assert page_sizes(built / "uk-sleep-clinic/en/safe-doses.pdf") == {PAGE_SIZES["a4"]}
    assert page_sizes(built / "riverside-family/en/safe-doses.pdf") == {PAGE_SIZES["letter"]}


def test_the_plan_has_lines_to_write_on_and_the_sign_off_reads_true(built: Path) -> None:
    """The clinic's recommended_dose is checked but printed on no leaflet: every copy
    goes to everyone, so "Your plan" has lines for the doctor or nurse to fill in."""
    text = text_of(built / "riverside-family/en/safe-doses.pdf")
    assert "Dose (for magnesium: mg of magnesium itself):" in text
    assert "200 mg a day" not in text
    assert "with your evening meal" not in text
    assert ("Reviewed by Ana Morales, MD on December 2, 2026; next review December 2, 2028."
            in text)
    assert "From your clinic:" in text_of(built / "riverside-family/en/foods.pdf")


def test_logo_is_embedded_with_alt_text(built: Path) -> None:
    html = (built / "riverside-family/en/foods.html").read_text(encoding="utf-8")
    assert '<img class="logo" src="riverside-family-logo.svg" ' \
           'alt="Riverside Family Practice logo">' in html
    reader = PdfReader(built / "riverside-family/en/foods.pdf")
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    assert "Riverside Family Practice logo" in figure_alts(tree)


def figure_alts(node: object) -> list[str]:
    """The /Alt text of every Figure in a PDF structure tree."""
    node = node.get_object() if hasattr(node, "get_object") else node
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            found.extend(figure_alts(kid))
    return found


def test_qr_code_encodes_the_website(built: Path) -> None:
    html = (built / "riverside-family/en/foods.html").read_text(encoding="utf-8")
    expected = segno.make("https://riverside-family.example.org/leaflets", error="m")
    path = re.search(r' d="[^"]+"', expected.svg_inline(scale=2, border=0))
    assert path is not None
    assert f'stroke="#1a1a1a" fill="none"{path.group(0)}' in html
    assert "https://riverside-family.example.org/leaflets" in text_of(
        built / "riverside-family/en/foods.pdf")


@pytest.mark.parametrize(("region", "dose", "message"), [
    ("us", 351, "recommended_dose of 351 mg is over the US limit for adults of 350 mg a day "
                "from supplements (Magnesium: fact sheet for health professionals. US National "
                "Institutes of Health, Office of Dietary Supplements.). Lower it to 350 mg or "
                "less"),
    ("eu", 300, "recommended_dose of 300 mg is over the EU limit for adults of 250 mg a day "
                "from supplements (Tolerable upper intake levels for vitamins and minerals. "
                "European Food Safety Authority (2006).). Lower it to 250 mg or less"),
    ("uk", 450, "recommended_dose of 450 mg is over the UK limit for adults of 400 mg a day "
                "from supplements (Safe upper levels for vitamins and minerals. UK Expert "
                "Group on Vitamins and Minerals (2003).; Vitamins and minerals: magnesium. NHS "
                "website.). Lower it to 400 mg or less"),
])
def test_dose_over_the_regional_limit_is_refused(tmp_path: Path, region: str, dose: int,
                                                 message: str) -> None:
    path = clinic_file(tmp_path, f"recommended_dose: {{mg: {dose}, form: citrate, "
                                 "timing: evening}\n", region)
    assert problems(path) == [f"{value('mg')(path)}: {message}"]


def test_colour_below_contrast_names_ratio_and_nearest_shade(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, 'colors: {primary: "#7fb3d5", accent: "#1f4e79"}\n')
    assert problems(path) == [
        f"{value('primary')(path)}: colour primary #7fb3d5 has contrast 2.26:1 on white "
        "paper; text needs at least 4.5:1. The nearest passing shade is #567a91"]
    assert contrast(nearest_passing("#7fb3d5")) >= 4.5


@pytest.mark.parametrize(("extra", "where", "message"), [
    ("phone: call us\n", value("phone"), "'phone' must be a phone number: digits, spaces, "
                                         "brackets, dots or dashes, like (555) 010-2000, not "
                                         "'call us'"),
    ("website: www.example\n", value("website"), "'website' must be a web address starting "
                                                 "with https://, like https://example.org, not "
                                                 "'www.example'"),
    ('colors: {primary: "blue"}\n', value("primary"), "'primary' must be a colour written as "
                                                      "#rrggbb, like #1f4e79, not 'blue'"),
    ("paper: A5\n", word("paper:", 2), "duplicate key 'paper': keep only one"),
    ("hide: [get-help-now]\n", word("get-help-now"), "block 'get-help-now' carries a safety "
                                                     "warning and cannot be hidden"),
    ("notes: {food-list: Take 500 mg.}\n", value("food-list"),
     "the number '500' is in a note; a dose goes in 'recommended_dose' and phone numbers in "
     "'phone', so they are checked"),
    ("reviewed_on: 2026-10-01\n", value("reviewed_on"),
     "'reviewed_on' is no longer read: a review is now recorded with the words it approved, in "
     "the clinic's sign-off file. Remove it, and have the clinician run: python build.py sign "
     '--clinic t --by "NAME"'),
    ("recommended_dose_children: {mg: 50}\n", value("recommended_dose_children"),
     "unknown field 'recommended_dose_children'; did you mean 'recommended_dose'?"),
])
def test_invalid_fields(tmp_path: Path, extra: str, where: Where, message: str) -> None:
    path = clinic_file(tmp_path, extra)
    assert problems(path) == [f"{where(path)}: {message}"]


@pytest.mark.parametrize(("name", "why"), [
    ("../logo.svg", "'../logo.svg' points outside the clinic's folder; give a file name in "
                    "that folder"),
    ("/etc/logo.svg", "'/etc/logo.svg' points outside the clinic's folder; give a file name "
                      "in that folder"),
    ("https://example.org/logo.svg", "'https://example.org/logo.svg' is a web address or URL; "
                                     "put the image file in the clinic's folder and give its "
                                     "file name"),
    ("link.svg", "'link.svg' is a link to a file outside the clinic's folder; copy the file in"),
    ("missing.png", "'missing.png' was not found next to the clinic file"),
    ("notes.txt", "'notes.txt' must be an SVG or PNG file"),
    ("fake.png", "'fake.png' is not a PNG image"),
])
def test_logo_paths_are_confined_to_the_clinic_folder(tmp_path: Path, name: str,
                                                      why: str) -> None:
    path = clinic_file(tmp_path, f"logo: {{file: '{name}', alt: Logo}}\n")
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (path.parent / "link.svg").symlink_to(outside)
    (path.parent / "notes.txt").write_text("x")
    (path.parent / "fake.png").write_text("not really")
    assert problems(path) == [f"{value('file')(path)}: logo.file: {why}"]


def test_overdue_review_warns_and_strict_fails(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The plain build runs first: the layouts it leaves in the output folder are reused
    by the checks and the strict build, so the leaflet is laid out once, not four times."""
    path = clinic_file(tmp_path)
    sign(FIXTURE_CONTENT, str(path), "Dr A", dt.date(2020, 1, 15), "warnings")
    out = str(tmp_path / "out")
    record = at(path.parent / "t.signoffs.yaml", "leaflet: warnings")
    overdue = (f"{record}: clinic 't' was due for review on 2022-01-15: ask the clinician "
               "to review the leaflets and sign them again (python build.py sign --clinic t "
               "--by NAME)")
    args = [*CONTENT_ARGS, "--clinic", str(path), "--leaflet", "warnings", "--out", out]
    assert main(args) == 0
    assert f"WARNING: {overdue}\n" in capsys.readouterr().err
    assert main(["check", *args]) == 0
    assert f"1 warning:\n  review: {overdue}\n" in capsys.readouterr().out
    assert main(["check", *args, "--strict"]) == 1
    assert f"1 failed:\n  review: {overdue}\n" in capsys.readouterr().out
    assert main([*args, "--strict"]) == 1
    assert capsys.readouterr().err == (f"1 problem found; no leaflet was written:\n"
                                       f"  {overdue} (--strict)\n")


def test_a_copied_example_clinic_builds(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in ("riverside-family.yaml", "riverside-family-logo.svg"):
        shutil.copy(FIXTURE_CONTENT / "clinics" / name, folder / name)
    out = tmp_path / "out"
    assert main([*CONTENT_ARGS, "--clinic", str(folder / "riverside-family.yaml"),
                 "--leaflet", "warnings", "--out", str(out)]) == 0
    assert (out / "riverside-family/en/warnings.pdf").is_file()
    assert dt.date.today()  # the build used today's date only for the review warning
