"""What the leaflets added for readers: worked sums the build adds up, words a region
says its own way, numbers kept whole on a line, pictures, and the health-literacy
gate that checks the printed leaflet."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from handout.build.config import PROJECT_ROOT, Project, Selection
from handout.build.pipeline import check
from handout.content.blocks import PictureRow, Table
from handout.content.loader import load_content
from handout.content.model import Clinic
from handout.core.editions import PROOF_EDITION
from handout.gates.report import Report
from handout.render.html import inline, make_environment, render_leaflet
from handout.render.look import House
from handout.render.page import resolve

from .conftest import FIXTURE_CONTENT, at, edit, load_problems, start_of

TODAY = dt.date(2026, 12, 2)


def clinic(region: str) -> Clinic:
    return Clinic.model_validate({"id": "t", "name": "T", "region": region,
                                  "paper": "letter", "languages": ["en"]})


def table(region: str, block_id: str) -> Table:
    page = resolve(load_content(FIXTURE_CONTENT), clinic(region), "en", "foods")
    return next(b for b in page.blocks if isinstance(b, Table) and b.id == block_id)


def test_a_worked_example_total_is_the_sum_of_its_facts() -> None:
    content = load_content(FIXTURE_CONTENT)
    day = table("us", "a-day-of-food")
    summed = sum(content.facts[fact_id].value for fact_id in
                 content.blocks["a-day-of-food"].fact_rows)
    assert day.rows[-1] == ["Total for the day", "", f"about {summed} mg"]
    assert len(day.rows) == len(content.blocks["a-day-of-food"].fact_rows) + 1


def test_a_total_of_a_range_is_refused_where_it_is_asked_for(content: Path) -> None:
    path = content / "blocks/foods.yaml"
    edit(path, "      - food-pumpkin-seeds\n    columns", "      - trial-weeks\n    columns")
    where = at(path, "total: Total for the day", value_of="total", root=content)
    assert load_problems(content) == [
        f"{where}: table 'a-day-of-food' cannot add up its rows: every fact in 'fact_rows' "
        "must be one number (not a range), all in the same unit"]


def test_a_region_says_a_label_its_own_way() -> None:
    """One fact, one number, and each region's word for the food."""
    us = [row[0] for row in table("us", "food-list").rows]
    uk = [row[0] for row in table("uk", "food-list").rows]
    assert "Whole-wheat bread" in us and "Whole-wheat bread" not in uk
    assert "Wholemeal bread" in uk and "Wholemeal bread" not in us


def test_the_emergency_place_is_the_regions_own() -> None:
    content = load_content(FIXTURE_CONTENT)
    for region, place in (("us", "the nearest emergency room"), ("uk", "A&E at the nearest"),
                          ("eu", "the nearest hospital emergency department")):
        page = resolve(content, clinic(region), "en", "warnings")
        urgent = next(b for b in page.blocks if b.id == "get-help-now")
        assert place in urgent.text, region


def test_a_number_its_unit_and_a_phone_number_stay_on_one_line() -> None:
    assert str(inline("Take it 4 to 6 hours after, or call **1-800-222-1222**.")) == (
        'Take it <span class="nowrap">4 to 6 hours</span> after, or call '
        '<strong><span class="nowrap">1-800-222-1222</span></strong>.')
    assert str(inline("No <b>mark-up</b>, 350 mg")) == (
        'No &lt;b&gt;mark-up&lt;/b&gt;, <span class="nowrap">350 mg</span>')


def test_an_unknown_picture_is_refused_with_the_nearest_name(content: Path) -> None:
    path = content / "blocks/doses.yaml"
    edit(path, "    picture: doctor\n", "    picture: docter\n")
    where = at(path, "picture: docter", value_of="picture", root=content)
    assert load_problems(content) == [
        f"{where}: unknown picture 'docter': did you mean 'doctor'?"]


# --- the health-literacy gate ----------------------------------------------------


def literacy(content: Path, leaflet: str) -> list[str]:
    report: Report = check(Project(content_dir=content),
                           Selection(clinics=("default",), leaflets=(leaflet,), today=TODAY))
    return [str(f.error).replace(f"{content}/", "") for f in report.findings
            if f.gate == "health-literacy"]


def test_the_shipped_leaflets_pass_the_literacy_gate() -> None:
    for leaflet in ("foods", "safe-doses", "warnings", "when-to-see-a-doctor"):
        assert literacy(FIXTURE_CONTENT, leaflet) == [], leaflet


def test_a_long_sentence_is_found_where_it_was_written(content: Path) -> None:
    path = content / "blocks/doses.yaml"
    edit(path, "      Young children have much lower limits.",
         "      Young children, who are very small and grow fast and may not tell you how "
         "they feel, have much lower limits.")
    where = at(path, "Young children, who", value_of="text", root=content)
    assert literacy(content, "safe-doses") == [
        f"{where}: default/en/safe-doses: a sentence of 21 words (block "
        "'children-lower-limit'); keep each to 20 words or fewer: \"Young children, who are "
        "very small and grow fast and may not tell you how they feel, have much lower "
        "limits.\""]


def test_key_points_must_come_first_and_speak_to_you(content: Path) -> None:
    leaflet = content / "leaflets/warnings.yaml"
    edit(leaflet, "  - warnings-key-points\n  - get-help-now\n",
         "  - get-help-now\n  - warnings-key-points\n")
    assert literacy(content, "warnings") == [
        f"{start_of(leaflet, root=content)}: default/en/warnings: the first block must be the "
        "key points (a block of kind key-points), right after the main message"]


def test_a_glossary_word_must_be_explained_where_it_is_first_used(content: Path) -> None:
    path = content / "blocks/doctor.yaml"
    edit(path, "It measures ferritin, the iron your body has stored, and",
         "It measures ferritin, and")
    where = at(path, "It measures ferritin, and", root=content)
    assert literacy(content, "when-to-see-a-doctor") == [
        f"{where}: default/en/when-to-see-a-doctor: 'ferritin' is used before it is explained; "
        "explain it in the same sentence (with words like \"iron your body has stored\"), or "
        "reword: \"It measures ferritin, and transferrin saturation, how much iron your blood "
        "is carrying.\""]


def test_a_route_with_no_number_prints_each_regions_own_words() -> None:
    """A fact whose value is null in every region still prints its label: who to
    contact the same day about a clot is a route, not a number."""
    content = load_content(FIXTURE_CONTENT)
    for region, route in (("us", "Contact your doctor's office, or an urgent care center"),
                          ("uk", "Contact your GP surgery for an urgent appointment, or "
                                 "call NHS 111."),
                          ("eu", "Contact your doctor, or an out-of-hours doctor")):
        page = resolve(content, clinic(region), "en", "when-to-see-a-doctor")
        clot = next(b for b in page.blocks if b.id == "leg-clot-signs")
        assert route in " ".join(clot.text.split()), region


def test_a_label_shaped_table_shades_the_rows_it_names(content: Path) -> None:
    path = content / "blocks/doses.yaml"
    edit(path, "    columns: [label, value]\n    sources: [nih-ods-magnesium, efsa-ul, evm-2003]",
         "    columns: [label, value]\n    shape: label\n    marked: [1]\n"
         "    sources: [nih-ods-magnesium, efsa-ul, evm-2003]")
    page = resolve(load_content(content), clinic("us"), "en", "safe-doses")
    html = render_leaflet(make_environment(PROJECT_ROOT / "templates"), page,
                          House.of(PROJECT_ROOT / "styles").look(page.clinic, PROOF_EDITION))
    section = html.split('data-block="limits-table"', 1)[1].split("</section>", 1)[0]
    assert section.count('<tr class="marked">') == 1
    assert 'class="block table as-label"' in html


def test_a_marked_row_past_the_last_is_refused(content: Path) -> None:
    path = content / "blocks/doses.yaml"
    edit(path, "    columns: [label, value]\n    sources: [nih-ods-magnesium, efsa-ul, evm-2003]",
         "    columns: [label, value]\n    marked: [4]\n"
         "    sources: [nih-ods-magnesium, efsa-ul, evm-2003]")
    where = at(path, "id: limits-table", root=content)
    assert load_problems(content) == [
        f"{where}: 'marked' names a row past the last; the table has 3 rows"]


def test_pictures_in_a_picture_row_are_credited_like_any_other() -> None:
    """The credit the licence asks for, the gate's picture count and a PDF's inputs
    all read a block's shown pictures, a picture row's own among them."""
    page = resolve(load_content(FIXTURE_CONTENT), clinic("us"), "en", "when-to-see-a-doctor")
    rows_only = tuple(block if isinstance(block, PictureRow)
                      else block.model_copy(update={"picture": None, "picture_alt": None})
                      for block in page.blocks)
    assert any(isinstance(block, PictureRow) for block in rows_only)
    html = render_leaflet(make_environment(PROJECT_ROOT / "templates"),
                          dataclasses.replace(page, blocks=rows_only),
                          House.of(PROJECT_ROOT / "styles").look(page.clinic, PROOF_EDITION))
    assert "Pictures: OpenMoji, the open-source emoji and icon project (CC BY-SA 4.0)." in html
