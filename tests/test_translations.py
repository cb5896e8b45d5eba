"""Spanish leaflets, and the machinery any further language uses.

A translation is words only: the numbers, sources and page budgets stay the
English content's, and anything a requested language lacks stops the build
with the place to fix it. A leaflet never falls back to English.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from handout.build.config import PROJECT_ROOT
from handout.cli.main import main
from handout.content.clinic import load_clinic
from handout.content.i18n import extract_messages, words_for
from handout.content.loader import load_content
from handout.render.page import resolve

from .conftest import FIXTURE_CONTENT, at, edit, sign
from .pdfs import text_of

LEAFLETS = ["foods", "safe-doses", "warnings", "when-to-see-a-doctor"]
SPANISH = FIXTURE_CONTENT / "translations/es"
RIVERSIDE = "content/clinics/riverside-family.yaml"


def spanish_pdf(built: Path, leaflet: str) -> Path:
    return built / "riverside-family" / "es" / f"{leaflet}.pdf"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the content a test may break, in the working directory."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build_riverside(project: Path, *extra: str) -> int:
    return main(["--content", str(project / "content"), "--clinic", "riverside-family",
                 "--out", str(project / "out"), *extra])


def catalogue_line(catalogue: Path, message: str) -> int:
    with catalogue.open("rb") as handle:
        return next(m.lineno for m in read_po(handle) if m.id == message)


def problems(capsys: pytest.CaptureFixture[str]) -> list[str]:
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith("found; no leaflet was written:"), lines
    return [line.strip() for line in lines[1:]]


# --- the Spanish leaflets --------------------------------------------------------


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_spanish_pdfs_say_they_are_spanish(built: Path, leaflet: str) -> None:
    reader = PdfReader(spanish_pdf(built, leaflet))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    title = (SPANISH / "leaflets" / f"{leaflet}.yaml").read_text(encoding="utf-8")
    assert reader.metadata is not None
    assert f"title: {reader.metadata.title}" in title.replace('"', "")
    assert len(reader.pages) <= 4
    text = text_of(spanish_pdf(built, leaflet))
    for heading in ("A quién llamar", "De dónde viene esta información",
                    f"Página 1 de {len(reader.pages)}", "Teléfono (555) 010-2000"):
        assert heading in text
    for english in ("Who to contact", "Where this information comes from", "Page 1 of",
                    "Keep this leaflet"):
        assert english not in text
    html = spanish_pdf(built, leaflet).with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="es"' in html
    assert "<title>Código QR de https://riverside-family.example.org/leaflets</title>" in html
    assert "QR code" not in html


def test_spanish_leaflets_print_the_same_numbers_as_english(built: Path) -> None:
    content = load_content(FIXTURE_CONTENT)
    clinic = load_clinic(FIXTURE_CONTENT.parent / RIVERSIDE, content)
    for leaflet in LEAFLETS:
        english = resolve(content, clinic, "en", leaflet).facts
        spanish = resolve(content, clinic, "es", leaflet).facts
        assert spanish.keys() == english.keys()
        assert english, leaflet
        text = text_of(spanish_pdf(built, leaflet))
        for fact_id, value in english.items():
            numbers = re.findall(r"\d+", value)
            assert re.findall(r"\d+", spanish[fact_id]) == numbers, fact_id
            assert spanish[fact_id] in text, (leaflet, spanish[fact_id])


def test_spanish_food_amounts_and_plan_read_as_spanish(built: Path) -> None:
    foods = text_of(spanish_pdf(built, "foods"))
    assert "unos 156 mg" in foods
    assert "1 onza (28 g)" in foods
    doses = text_of(spanish_pdf(built, "safe-doses"))
    assert "Total del día 200 mg" in doses  # the worked example, added up by the build
    assert "mg al día" not in doses.split("Su plan")[-1]  # no clinic-wide dose in the plan
    assert "De su clínica:" in text_of(spanish_pdf(built, "foods"))


def test_dates_follow_the_locale(built: Path) -> None:
    day = dt.date(2026, 10, 1)
    assert words_for("en", "US").date(day) == "October 1, 2026"
    assert words_for("en", "GB").date(day) == "1 October 2026"
    assert words_for("en", "150").date(day) == "1 October 2026"
    assert words_for("es", "US").date(day) == "1 de octubre de 2026"
    assert words_for("es", "150").date(day) == "1 de octubre de 2026"
    assert words_for("es", "US").number(2.5) == "2.5"
    assert words_for("es", "150").number(2.5) == "2,5"
    text = text_of(spanish_pdf(built, "warnings"))
    assert ("revisado por Ana Morales, MD el 2 de diciembre de 2026, traducción aún sin "
            "revisar; próxima revisión: 2 de diciembre de 2028.") in text
    assert "Texto actualizado el 2 de diciembre de 2026." in text


def test_an_unchecked_translation_says_so(built: Path) -> None:
    """The clinic signed the leaflet off, but no bilingual clinician has checked the
    Spanish: the review line says both, and never a bare "Revisado por"."""
    text = text_of(spanish_pdf(built, "foods"))
    assert ("Contenido revisado por Ana Morales, MD el 2 de diciembre de 2026, traducción "
            "aún sin revisar; próxima revisión: 2 de diciembre de 2028.") in text
    assert "Revisado por" not in text


def test_a_checked_translation_names_its_reviewer(project: Path) -> None:
    edit(project / "content/translations/es/language.yaml", "# reviewed_by: Dra. Nombre Apellido\n"
         "# reviewed_on: 2026-12-01", "reviewed_by: Dra. Lucía Reyes\nreviewed_on: 2026-11-20")
    assert build_riverside(project, "--lang", "es", "--leaflet", "foods") == 0
    text = text_of(project / "out/riverside-family/es/foods.pdf")
    assert "Traducción revisada por Dra. Lucía Reyes el 20 de noviembre de 2026." in text
    assert "Ningún profesional" not in text


# --- what is missing is an error, with its place -------------------------------


def test_an_untranslated_block_stops_the_build_with_its_place(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = project / "content/blocks/doses.yaml"
    edit(blocks, "blocks:\n", "blocks:\n  - id: new-tip\n    kind: paragraph\n"
                              "    text: Drink water with it.\n"
                              "    sources: [nih-ods-magnesium]\n\n")
    edit(project / "content/leaflets/safe-doses.yaml", "  - kidneys\n",
         "  - kidneys\n  - new-tip\n")
    assert build_riverside(project) == 1
    assert problems(capsys) == [
        f"{at(blocks, 'id: new-tip', value_of='id')}: block 'new-tip' is not translated into "
        "Español (es): add it to content/translations/es/blocks/"]
    assert not (project / "out").exists()
    assert main(["--content", str(project / "content"), "--clinic", "default",
                 "--leaflet", "safe-doses", "--out", str(project / "out")]) == 0


def test_a_translation_that_no_longer_fits_its_english_is_an_error(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / "content/blocks/doses.yaml",
         "      - Take the amount your doctor advises, and no more.\n",
         "      - Take the amount your doctor advises, and no more.\n"
         "      - Keep it away from children.\n")
    assert build_riverside(project, "--leaflet", "safe-doses") == 1
    [problem] = problems(capsys)
    assert re.fullmatch(
        r"content/translations/es/blocks/doses\.yaml:\d+:\d+: 'items' has 3 entries; the "
        r"English has 4\. Translate each one, in the same order", problem), problem


def test_an_untranslated_fixed_string_points_at_the_catalogue(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = project / "content/translations/es/interface.po"
    edit(catalogue, 'msgstr "A quién llamar"', 'msgstr ""')
    line = catalogue_line(catalogue, "Who to contact")
    assert build_riverside(project, "--leaflet", "foods") == 1
    assert problems(capsys) == [
        f"content/translations/es/interface.po:{line}:1: 'Who to contact' is not "
        "translated: write its es text in msgstr"]


def test_a_stray_brace_in_a_translation_is_an_error_not_a_crash(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = project / "content/translations/es/interface.po"
    edit(catalogue, 'msgstr "Texto actualizado el {date}."',
         'msgstr "Texto actualizado el {date}}."')
    line = catalogue_line(catalogue, "Last revised {date}.")
    assert build_riverside(project, "--leaflet", "foods") == 1
    assert problems(capsys) == [
        f"content/translations/es/interface.po:{line}:1: the translation of 'Last revised "
        "{date}.' has a '{' or '}' that is not part of a placeholder: remove it"]


def test_a_reading_level_typed_in_words_is_a_located_error(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    language = project / "content/translations/es/language.yaml"
    edit(language, "  limit: 70", "  limit: seventy")
    assert build_riverside(project) == 1
    assert problems(capsys) == [
        f"{at(language, value_of='limit')}: 'limit' must be a number, not 'seventy'"]


def test_a_clinic_note_needs_every_language(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / RIVERSIDE, "    es: Nuestra enfermera le puede ayudar a planear sus "
         "comidas. Pregunte en la recepción.\n", "")
    assert build_riverside(project) == 1
    note = at(project / RIVERSIDE, value_of="food-list")  # a mapping: its first key
    assert problems(capsys) == [
        f"{note}: 'notes food-list' has no 'es' text, and this clinic prints es: "
        "add a line 'es: ...'"]


def test_a_note_written_once_for_two_languages_is_an_error(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / RIVERSIDE, "  food-list:\n    en: Our practice nurse",
         "  food-list: Our practice nurse")
    edit(project / RIVERSIDE, "\n    es: Nuestra enfermera le puede ayudar a planear sus "
         "comidas. Pregunte en la recepción.", "")
    assert build_riverside(project) == 1
    assert problems(capsys) == [
        f"{at(project / RIVERSIDE, value_of='food-list')}: 'notes food-list' is written once, "
        "as English, but this clinic prints en, es: write it once per language, on lines "
        "starting 'en:', 'es:'"]


def test_a_spanish_only_clinic_may_not_keep_english_words(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    solo = project / "content/clinics/solo.yaml"
    solo.write_text(
        "id: solo\nname: Clínica Solo\nregion: us\npaper: letter\nlanguages: [es]\n"
        "notes:\n  food-list: Our nurse can help.\n", encoding="utf-8")
    assert main(["--content", str(project / "content"), "--clinic", "solo",
                 "--out", str(project / "out")]) == 1
    assert problems(capsys) == [
        f"{at(solo, value_of='food-list')}: 'notes food-list' is written once, as English, but "
        "this clinic prints es: write it once per language, on lines starting 'es:'"]


def test_a_translation_may_not_retype_a_number(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / "content/translations/es/facts.yaml", '"1 onza (28 g)"', '"1 onza (30 g)"')
    assert build_riverside(project) == 1
    [problem, *_] = problems(capsys)
    assert re.fullmatch(r"content/translations/es/facts\.yaml:\d+:\d+: '1 onza \(30 g\)' must "
                        r"have the same numbers as the English '1 oz \(28 g\)': only the words "
                        r"are translated", problem), problem


# --- the catalogue, and a third language ------------------------------------------


def test_the_catalogue_template_lists_every_fixed_string() -> None:
    """Run 'python build.py update-translations' when this fails.

    The one test that reads the project's own content/: messages.pot is made from the
    code and templates, not written by users, so it must match them."""
    with (PROJECT_ROOT / "content/translations/messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template == {m.id for m in extract_messages(PROJECT_ROOT) if m.id}


def test_a_third_language_needs_no_code(project: Path) -> None:
    """French, made by copying the Spanish folder: the words are Spanish, but the
    language, its dates and its page labels come from the folder's name and files."""
    french = project / "content/translations/fr"
    shutil.copytree(project / "content/translations/es", french)
    edit(french / "language.yaml", "name: Español", "name: Français")
    edit(french / "language.yaml", "formula: fernandez-huerta\n  limit: 70",
         "formula: flesch-reading-ease\n  limit: 0")
    edit(french / "interface.po", 'msgstr "Página {page} de {pages}"',
         'msgstr "Page {page} sur {pages}"')
    (project / "content/clinics/lyon.yaml").write_text(
        "id: lyon\nname: Cabinet Lyon\nregion: eu\npaper: a4\nlanguages: [fr]\n",
        encoding="utf-8")
    sign(project / "content", "lyon", "Dr Anne Roux", dt.date(2026, 10, 1), "foods")
    assert main(["--content", str(project / "content"), "--clinic", "lyon",
                 "--leaflet", "foods", "--out", str(project / "out")]) == 0
    pdf = project / "out/lyon/fr/foods.pdf"
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "fr"
    text = text_of(pdf)
    assert "1 octobre 2026" in text
    assert "Page 1 sur 3" in text
