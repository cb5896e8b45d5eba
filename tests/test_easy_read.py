"""The Easy Read edition: its own text (``en-easy``), its layout and its gate.

One build renders the four Easy Read leaflets of one clinic, and the PDF tests
only read it. The gate's rules are tested on small edits of the content at the
function's depth, without rendering.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from handout.build.config import Project, Selection
from handout.build.pipeline import gather, resolve_all
from handout.cli.main import main
from handout.content.clinic import load_clinic
from handout.content.loader import Content, load_content
from handout.content.variants import folder_problem
from handout.core.editions import EDITIONS
from handout.core.errors import Location, UserErrors
from handout.core.keys import LeafletKey
from handout.gates.base import Layout, Section
from handout.gates.easy_read import measure_text, type_problems
from handout.gates.pages import _out_of_range
from handout.render.html import footer_text
from handout.render.page import LeafletPage, resolve

from .conftest import CONTENT_ARGS, FIXTURE_CONTENT, at, edit, made_once, shown
from .pdfs import page_texts, structure, text_runs

CLINIC = "riverside-family"
LEAFLETS = ("foods", "safe-doses", "warnings", "when-to-see-a-doctor")
EASY = EDITIONS["easy-read"]
EASY_BLOCKS = FIXTURE_CONTENT / "translations/en-easy/blocks"


@pytest.fixture(scope="module")
def easy_read(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four Easy Read leaflets of one clinic, built once."""
    def build(out: Path) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*CONTENT_ARGS, "--out", str(out), "--clinic", CLINIC, "--lang", "en",
                         "--edition", "easy-read", "--jobs", "2"]) == 0

    return made_once(tmp_path_factory, "easy-read", build) / CLINIC / "en"


def _page(content: Content, leaflet: str, clinic: str = CLINIC) -> LeafletPage:
    root = content.root
    return resolve(content, load_clinic(root / f"clinics/{clinic}.yaml", content), "en-easy",
                   leaflet)


def test_each_leaflet_is_its_own_pdf_of_4_to_8_pages(easy_read: Path) -> None:
    pages = {leaflet: len(PdfReader(easy_read / f"{leaflet}.easy-read.pdf").pages)
             for leaflet in LEAFLETS}
    assert all(4 <= count <= 8 for count in pages.values()), pages
    assert sorted(path.name for path in easy_read.glob("*.pdf")) == sorted(
        f"{leaflet}.easy-read.pdf" for leaflet in LEAFLETS)


def test_the_review_line_calls_easy_read_a_version_not_a_translation(easy_read: Path) -> None:
    """Easy Read is English written another way: "translation" would puzzle its reader."""
    text = " ".join(" ".join(page_texts(easy_read / "foods.easy-read.pdf")).split())
    assert "This version has not yet been checked by a health professional." in text
    assert "translation" not in text.lower()


def test_no_text_is_smaller_than_16_pt(easy_read: Path) -> None:
    for leaflet in LEAFLETS:
        sizes = {size for _, size in text_runs(easy_read / f"{leaflet}.easy-read.pdf")}
        assert min(sizes) >= 16, (leaflet, sorted(sizes)[:3])
        assert max(sizes) >= 24  # headings stand out from the 18 pt body


def test_printed_sentences_have_15_words_at_most(easy_read: Path) -> None:
    """Read off the PDF's text: the headings, the footer and the page numbers are
    taken out, and everything from the contact box on (contacts and citations are
    not Easy Read prose) is left out."""
    content = load_content(FIXTURE_CONTENT)
    for leaflet in LEAFLETS:
        page = _page(content, leaflet)
        breaks = [page.leaflet.title, "Hard words", *footer_text(page).split("\n"),
                  *(block.heading for block in page.blocks if block.heading)]
        text = " ".join(page_texts(easy_read / f"{leaflet}.easy-read.pdf"))
        text = re.sub(r"Page \d+ of \d+", "|", text.split("Who to contact")[0])
        for shown_text in sorted(breaks, key=len, reverse=True):
            text = text.replace(" ".join(shown_text.split()), "|")
        sentences = [s.split() for s in re.split(r"[.!?:|]", text) if s.strip()]
        assert len(sentences) > 40
        longest = max(sentences, key=len)
        assert len(longest) <= 15, (leaflet, " ".join(longest))


def test_every_section_has_a_figure_with_its_alternative_text(easy_read: Path) -> None:
    content = load_content(FIXTURE_CONTENT)
    for leaflet in LEAFLETS:
        figures = [str(node.get("/Alt", "")) for node in
                   structure(easy_read / f"{leaflet}.easy-read.pdf") if node["/S"] == "/Figure"]
        assert all(alt.strip() for alt in figures)
        page = _page(content, leaflet)
        for block in page.blocks:
            alts = [idea.alt for idea in getattr(block, "ideas", ())] + (
                [block.picture_alt] if block.picture_alt else [])
            assert alts and set(alts) <= set(figures), (leaflet, block.id)


def test_the_example_clinics_meet_every_rule_in_both_regions() -> None:
    content = load_content(FIXTURE_CONTENT)
    for clinic in (CLINIC, "uk-sleep-clinic"):
        for leaflet in LEAFLETS:
            measures = measure_text(content, _page(content, leaflet, clinic))
            assert measures.problems == ()
            assert measures.grade <= 3 and measures.longest <= 15


def test_numbers_come_from_the_facts_in_words_a_reader_knows() -> None:
    content = load_content(FIXTURE_CONTENT)
    us, uk = (_page(content, "safe-doses", clinic) for clinic in (CLINIC, "uk-sleep-clinic"))
    assert us.facts["limit-adult"] == "350 milligrams"
    assert uk.facts["limit-adult"] == "400 milligrams"
    assert us.facts["emergency-number"] == "911" and uk.facts["emergency-number"] == "999"


# --- the gate, on small bad edits of the content ---------------------------------


def test_a_long_sentence_is_found_with_its_line(content: Path) -> None:
    path = content / "translations/en-easy/blocks/foods.yaml"
    long = ("Eat a small handful of nuts or seeds as a snack each day of the week if "
            "you can.")
    edit(path, "caption: Eat a small handful of nuts or seeds as a snack.}", f"caption: {long}}}")
    problems = measure_text(load_content(content), _page(load_content(content), "foods"))
    assert [str(p) for p in problems.problems] == [
        f"{at(path, long)}: this sentence has 19 words; Easy Read allows 15 at most. Split "
        f"it: \"{long}\""]
    assert problems.longest == 19


def test_an_abbreviation_is_found_even_where_a_fact_prints_it(content: Path) -> None:
    facts = content / "translations/en-easy/facts.yaml"
    edit(facts, "  - id: limit-adult\n    unit: milligrams\n", "  - id: limit-adult\n")
    blocks = content / "translations/en-easy/blocks/foods.yaml"
    edit(blocks, "caption: Eat a small handful of nuts or seeds as a snack.}",
         "caption: \"Eat a small handful, e.g. of nuts or seeds as a snack.\"}")
    loaded = load_content(content)
    messages = [str(p) for p in measure_text(loaded, _page(loaded, "foods")).problems]
    limit = at(blocks, '"The limit of **{limit-adult}**')
    eg = at(blocks, '"Eat a small handful, e.g.')
    assert messages == [
        f"{limit}: 'mg' is "
        "an abbreviation: write the word out in Easy Read (\"The limit of **350 mg** a day "
        "is for pills. It is not for food.\")",
        f"{eg}: 'e.g.' is an abbreviation: write the "
        "word out in Easy Read (\"Eat a small handful, e.g. of nuts or seeds as a snack.\")"]


def test_a_section_without_a_picture_and_a_grade_above_3(content: Path) -> None:
    edit(content / "leaflets/foods.yaml", "  - what-magnesium-does\n", "")
    leaflet_blocks = ("  - foods-key-points\n  - daily-need\n  - food-tips\n  - food-is-safe\n"
                      "  - food-list\n  - portions\n  - a-day-of-food\n  - food-tracker\n")
    edit(content / "leaflets/foods.yaml", leaflet_blocks, "  - foods-key-points\n")
    path = content / "translations/en-easy/blocks/foods.yaml"
    hard = ("Magnesium supplementation necessitates consideration of individual "
            "physiological circumstances.")
    text = path.read_text(encoding="utf-8")
    start = text.index("    kind: ideas\n    heading: The main things to know")
    end = text.index("  - id: daily-need")
    path.write_text(text[:start] + f"""    kind: paragraph
    heading: The main things to know
    text: {hard} {{limit-adult}}.

""" + text[end:], encoding="utf-8")
    loaded = load_content(content)
    messages = [str(p) for p in measure_text(loaded, _page(loaded, "foods")).problems]
    easy_leaflet = content / "translations/en-easy/leaflets/foods.yaml"
    assert messages == [
        f"{at(path, 'foods-key-points')}: block 'foods-key-points' has no "
        "picture: every Easy Read section shows one (kind: ideas, a picture beside each idea)",
        f"{shown(easy_leaflet)}:1:1: leaflet 'foods' scores 11.9 on the Flesch-Kincaid "
        "grade; Easy Read allows 3 at most. Use shorter words and sentences; the hardest "
        f"is at {at(path, hard)}: \"{hard}\""]


def test_type_below_16_pt_and_a_page_count_out_of_range() -> None:
    place = Location(Path("content/translations/en-easy/leaflets/foods.yaml"), 1, 1)
    name = f"leaflet 'foods' for clinic '{CLINIC}' (en, easy-read edition)"
    key = LeafletKey(CLINIC, "en", "foods")
    section = Section(name, "foods", 3, 8, "")
    layout = Layout(EASY, name, place, (), (12.0, "Page 1 of 3"), {key: section})
    assert [str(p) for p in type_problems(layout)] == [
        f"{place}: {name}: \"Page 1 of 3\" is set in 12 pt; Easy Read text is 16 pt or larger"]
    assert [str(f.error) for f in _out_of_range(layout, section, key)] == [
        f"{place}: {name} has 3 pages; this edition's leaflets have 4 to 8. Give its ideas "
        "more room, or add what a reader needs to know"]


def test_a_block_that_prints_a_number_its_english_does_not_is_out_of_date(
        content: Path) -> None:
    path = content / "translations/en-easy/blocks/foods.yaml"
    edit(path, "caption: Eat a small handful of nuts or seeds as a snack.}",
         "caption: \"Eat a small handful of nuts, up to {limit-adult}.\"}")
    with pytest.raises(UserErrors) as caught:
        _page(load_content(content), "foods")
    english = content / "blocks/foods.yaml"
    assert [str(e) for e in caught.value.errors] == [
        f"{at(path, 'food-tips')}: block 'food-tips' prints {{limit-adult}}, which its English "
        f"block ({at(english, 'food-tips')}) does not: use only the English block's facts "
        "(none)"]


def test_a_block_with_no_easy_read_text_is_named_with_the_file_to_add_it_to(
        content: Path) -> None:
    path = content / "translations/en-easy/blocks/foods.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: portions")
    path.write_text(text[:start] + text[text.index("  - id: a-day-of-food"):],
                    encoding="utf-8")
    with pytest.raises(UserErrors) as caught:
        _page(load_content(content), "foods")
    assert [str(e) for e in caught.value.errors] == [
        f"{at(content / 'blocks/foods.yaml', 'portions')}: block 'portions' is not translated "
        f"into Easy Read English (en-easy): add it to {shown(content)}/translations/en-easy/"
        "blocks/"]


def test_easy_read_in_a_language_with_no_easy_read_text_says_what_to_do() -> None:
    project = Project(content_dir=FIXTURE_CONTENT)
    content, jobs = gather(project, Selection(clinics=(CLINIC,), leaflets=("foods",)))
    with pytest.raises(UserErrors) as caught:
        resolve_all(content, jobs, EASY)
    assert [str(e) for e in caught.value.errors] == [
        f"{shown(FIXTURE_CONTENT / 'clinics' / f'{CLINIC}.yaml')}: clinic '{CLINIC}' prints "
        "language 'es', which has no easy-read text: write content/translations/es-easy/, or "
        "build it in en only (--lang en)"]


@pytest.mark.parametrize(("folder", "message"), [
    ("en-simple", "'en-simple' is not a text variant: a variant is a language code and one of "
                  "easy, like en-easy; rename the folder"),
    ("english-easy", "'english-easy' is not a two-letter language code other than en, like "
                     "es; rename the folder"),
    ("en-easy", None),
])
def test_a_variant_folder_is_a_language_and_a_known_variant(folder: str,
                                                            message: str | None) -> None:
    problem = folder_problem(Path(folder))
    assert (problem.message if problem else None) == message
