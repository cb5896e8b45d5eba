"""Editions, checked by reading the PDFs: tags, type sizes, print-shop boxes, booklet pages."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from handout.cli.main import main
from handout.content.clinic import load_clinic
from handout.content.loader import load_content
from handout.content.signoffs import load_signoffs, signoffs_path
from handout.render.html import footer_text
from handout.render.page import resolve
from handout.render.palette import to_cmyk

from .conftest import CONTENT_ARGS, FIXTURE_CONTENT, at, edit, made_once
from .pdfs import colour_operators, page_texts, structure, text_of, text_runs

CLINIC = "riverside-family"
LEAFLETS = ("foods", "safe-doses", "warnings", "when-to-see-a-doctor")
MM = 72 / 25.4


@dataclass(frozen=True)
class EditionsBuild:
    folder: Path
    """The clinic's English PDFs and HTML, every edition."""
    printed: str
    """What the build printed."""


@pytest.fixture(scope="session")
def editions_build(built: Path, tmp_path_factory: pytest.TempPathFactory) -> EditionsBuild:
    """Every edition of every English leaflet for the clinic with a logo and a website,
    built once for all the tests here (the Spanish ones are the same pages in other
    words, and test_translations reads them). It builds on a copy of the shared build,
    as a later build would: the standard PDFs there are up to date, so only the other
    editions are rendered."""
    def build(folder: Path) -> None:
        shutil.copytree(built, folder / "output")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert main([*CONTENT_ARGS, "--out", str(folder / "output"), "--clinic", CLINIC,
                         "--lang", "en", "--edition", "standard", "--edition", "large-print",
                         "--edition", "press", "--edition", "booklet"]) == 0
        (folder / "printed.txt").write_text(printed.getvalue(), encoding="utf-8")

    folder = made_once(tmp_path_factory, "editions", build)
    return EditionsBuild(folder / "output" / CLINIC / "en",
                         (folder / "printed.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def editions(editions_build: EditionsBuild) -> Path:
    return editions_build.folder


def fine_print(leaflet: str) -> set[str]:
    """Text that is allowed below 12 pt: the source list, the page footer, page numbers."""
    content = load_content(FIXTURE_CONTENT)
    clinic = load_clinic(FIXTURE_CONTENT / f"clinics/{CLINIC}.yaml", content)
    signoffs = load_signoffs(signoffs_path(FIXTURE_CONTENT / f"clinics/{CLINIC}.yaml", CLINIC))
    page = resolve(content, clinic, "en", leaflet, signoffs)
    pieces = [*page.citations, *footer_text(page).split("\n"),
              "Where this information comes from", CREDIT_LINE]
    return {" ".join(piece.split()) for piece in pieces}


CREDIT_LINE = "Pictures: OpenMoji, the open-source emoji and icon project (CC BY-SA 4.0)."
"""The picture credit the licence asks for: fine print, like the source list."""


def is_fine_print(run: str, allowed: set[str]) -> bool:
    return bool(re.fullmatch(r"Page \d+ of \d+|\d+\.?", run)) or any(
        run in piece for piece in allowed)


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_standard_body_text_is_at_least_12pt(editions: Path, leaflet: str) -> None:
    allowed = fine_print(leaflet)
    runs = text_runs(editions / f"{leaflet}.pdf")
    body = [(text, size) for text, size in runs if not is_fine_print(text, allowed)]
    assert len(body) > 50
    small = [(text, size) for text, size in body if size < 12]
    assert small == []
    # the masthead repeats footer words, so it is checked by name
    assert ("Riverside Family Practice", 13.0) in runs
    assert min(size for _, size in runs) >= 9  # the fine print itself stays legible


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_large_print_has_nothing_below_16pt(editions: Path, leaflet: str) -> None:
    sizes = [size for _, size in text_runs(editions / f"{leaflet}.large-print.pdf")]
    assert min(sizes) >= 16
    assert max(sizes, key=sizes.count) == 18  # the body is 18 pt


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_standard_is_tagged_for_screen_readers(editions: Path, leaflet: str) -> None:
    path = editions / f"{leaflet}.pdf"
    root = PdfReader(path).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert PdfReader(path).metadata.title == load_content(  # type: ignore[union-attr]
        FIXTURE_CONTENT).leaflets[leaflet].title
    tags = structure(path)
    kinds = [str(tag["/S"]) for tag in tags]
    assert {"/H1", "/H2", "/L", "/LI", "/Figure"} <= set(kinds)
    assert kinds.count("/H1") == 1
    assert kinds.index("/H1") < kinds.index("/H2")
    for figure in (tag for tag in tags if tag["/S"] == "/Figure"):
        assert str(figure.get("/Alt", "")).strip(), figure


def test_tables_have_header_cells(editions: Path) -> None:
    kinds = [str(tag["/S"]) for tag in structure(editions / "foods.pdf")]
    assert kinds.count("/Table") == 4  # daily need, foods, the worked day, the tracker
    assert kinds.count("/TH") >= 5


def test_contact_and_review_line_are_in_the_tagged_text(editions: Path) -> None:
    """Page-margin boxes are untagged, so what a patient must read is also in the body."""
    html = (editions / "safe-doses.html").read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1]
    assert "(555) 010-2000" in body
    assert "Reviewed by Ana Morales, MD on December 2, 2026" in body


@pytest.mark.parametrize("edition", ["large-print", "press", "booklet"])
def test_an_edition_does_not_void_the_sign_off(editions: Path, edition: str) -> None:
    """A sign-off approves words, not a layout: every edition prints it."""
    name = "booklet" if edition == "booklet" else f"safe-doses.{edition}"
    text = text_of(editions / f"{name}.pdf")
    assert "Reviewed by Ana Morales, MD on December 2, 2026; next review December 2, 2028." in text


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_press_is_pdf_x4_with_bleed_and_cmyk_intent(editions: Path, leaflet: str) -> None:
    reader = PdfReader(editions / f"{leaflet}.press.pdf")
    xmp = reader.xmp_metadata.stream.get_data().decode()  # type: ignore[union-attr]
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data()[16:20] == b"CMYK"
    for page in reader.pages:
        trim, bleed = page.trimbox, page.bleedbox
        for outer, inner in ((bleed.left, trim.left), (bleed.bottom, trim.bottom)):
            assert float(inner) - float(outer) == pytest.approx(3 * MM, abs=0.01)
        for outer, inner in ((bleed.right, trim.right), (bleed.top, trim.top)):
            assert float(outer) - float(inner) == pytest.approx(3 * MM, abs=0.01)
        assert (float(trim.width), float(trim.height)) == pytest.approx((612, 792), abs=0.01)


def test_press_colours_are_all_ink(editions: Path) -> None:
    """No RGB operator anywhere, the SVG logo and the QR code included."""
    for leaflet in LEAFLETS:
        operators = colour_operators(editions / f"{leaflet}.press.pdf")
        assert operators <= {"cs", "CS", "scn", "SCN", "k", "K"}, leaflet
    html = (editions / "foods.press.html").read_text(encoding="utf-8")
    assert f"--primary: {to_cmyk('#0b5d4b').css()};" in html


def test_press_colours_are_converted_once_and_listed(editions_build: EditionsBuild) -> None:
    """Listed once for the clinic, however many leaflets and editions the build made."""
    listed = ("press colours for riverside-family: primary #0b5d4b = C 98 M 39 Y 80 K 38; "
              "accent #8a3b12 = C 30 M 84 Y 100 K 36")
    assert editions_build.printed.splitlines().count(listed) == 1


def test_greys_print_with_black_ink_only() -> None:
    assert to_cmyk("#1a1a1a").css() == "device-cmyk(0.00 0.00 0.00 0.90)"


def test_booklet_contents_match_the_pages(editions: Path) -> None:
    path = editions / "booklet.pdf"
    reader = PdfReader(path)
    labels = reader.page_labels
    assert labels == [str(n) for n in range(1, len(reader.pages) + 1)]
    pages = page_texts(path)
    content = load_content(FIXTURE_CONTENT)
    contents = pages[0]
    for leaflet in LEAFLETS:
        title = content.leaflets[leaflet].title
        listed = re.search(re.escape(title) + r"[ .]*?(\d+)", contents)
        assert listed is not None, title
        starts = [i for i, text in enumerate(pages) if i > 0 and title in text]
        first = starts[0]
        assert labels[first] == listed.group(1)
        assert first % 2 == 0, f"{title} starts on a left-hand page"  # index 0 is page 1
    for index, text in enumerate(pages[1:], start=2):
        assert f"Page {index} of {len(pages)}" in text


def test_booklet_reads_front_to_back_and_prints_shared_boxes_once(editions: Path) -> None:
    """The booklet opens with the doctor leaflet, has the contacts on its cover and
    the sources at its end, and a box two leaflets share prints in the first one,
    the later one giving the page it is on."""
    pages = page_texts(editions / "booklet.pdf")
    content = load_content(FIXTURE_CONTENT)
    ordered = sorted(content.leaflets, key=lambda name: content.leaflets[name].booklet_place)
    titles = [content.leaflets[name].title for name in ordered]
    listed = [pages[0].index(title) for title in titles]
    assert ordered[0] == "when-to-see-a-doctor" and listed == sorted(listed)
    assert [i for i, text in enumerate(pages) if "Who to contact" in text] == [0]
    sources_pages = [i for i, text in enumerate(pages)
                     if i > 0 and "Where this information comes from" in text]
    assert sources_pages == [len(pages) - 1]
    for heading, inside in (("Your plan", "Come back on:"),
                            ("Get help now", "feel faint, dizzy or confused")):
        printed = [i for i, text in enumerate(pages) if inside in text]
        assert len(printed) == 1, heading
        assert f"{heading}: see page {printed[0] + 1}." in " ".join(pages[printed[0] + 1:])
    blank = [text for text in pages if text.startswith("Notes ")]
    assert blank, "a leaflet that ends on a right-hand page is followed by a notes page"


def test_large_print_budget_is_doubled_and_named(content: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    edit(content / "leaflets/warnings.yaml", "budget_pages: 4", "budget_pages: 1")
    assert main(["--content", str(content), "--out", str(tmp_path / "out"), "--leaflet",
                 "warnings", "--clinic", "default", "--edition", "large-print"]) == 1
    budget = at(content / "leaflets/warnings.yaml", value_of="budget_pages")
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n"
        f"  {budget}: leaflet 'warnings' for clinic 'default' "
        "(en, large-print edition) has 6 pages; its budget is 2. Shorten it or move a block "
        "to another leaflet\n")
    assert not (tmp_path / "out").exists()
