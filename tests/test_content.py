"""The loader's cross-checks: every problem located, all of them in one pass."""

from pathlib import Path

import pytest

from handout.content.loader import load_content
from handout.core.errors import UserErrors

from .conftest import FIXTURE_CONTENT, at, edit, load_problems, start_of


def test_errors_name_the_file_relative_to_the_working_directory(content: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.chdir(content.parent)
    edit(content / "leaflets/foods.yaml", "budget_pages: 4", "budget_pages: 0")
    with pytest.raises(UserErrors) as caught:
        load_content(content)
    where = at(content / "leaflets/foods.yaml", value_of="budget_pages")
    assert where.startswith("content/leaflets/foods.yaml:")
    assert str(caught.value) == f"{where}: 'budget_pages' must be at least 1, not 0"


def test_shipped_content_loads() -> None:
    content = load_content(FIXTURE_CONTENT)
    assert sorted(content.leaflets) == ["foods", "safe-doses", "warnings",
                                        "when-to-see-a-doctor"]
    for block in content.blocks.values():
        assert block.sources, block.id


def test_unknown_field_suggests_the_right_one(content: Path) -> None:
    edit(content / "blocks/shared.yaml", "    heading: What is magnesium?",
         "    heading: What is magnesium?\n    txet: hello")
    where = at(content / "blocks/shared.yaml", value_of="txet", root=content)
    assert load_problems(content) == [f"{where}: unknown field 'txet'; did you mean 'text'?"]


def test_unknown_field_suggests_only_the_block_kinds_own_fields(content: Path) -> None:
    """A bullets block has no 'text' (a paragraph has): the message lists its own fields
    rather than suggesting one it cannot take."""
    edit(content / "blocks/foods.yaml", "    heading: Easy ways to eat more",
         "    heading: Easy ways to eat more\n    txet: hello")
    where = at(content / "blocks/foods.yaml", value_of="txet", root=content)
    assert load_problems(content) == [
        f"{where}: unknown field 'txet'; known fields: heading, id, intro, items, kind, "
        "note, picture, picture_alt, sources"]


def test_wrong_type_and_out_of_range(content: Path) -> None:
    edit(content / "leaflets/foods.yaml", "budget_pages: 4", "budget_pages: two")
    edit(content / "leaflets/warnings.yaml", "budget_pages: 4", "budget_pages: 5")
    foods = at(content / "leaflets/foods.yaml", value_of="budget_pages", root=content)
    warnings = at(content / "leaflets/warnings.yaml", value_of="budget_pages", root=content)
    assert load_problems(content) == [
        f"{foods}: 'budget_pages' must be a whole number, not 'two'",
        f"{warnings}: 'budget_pages' must be at most 4, not 5",
    ]


def test_missing_field(content: Path) -> None:
    edit(content / "leaflets/foods.yaml", "revised: 2026-12-02\n", "")
    leaflet = start_of(content / "leaflets/foods.yaml", root=content)
    assert load_problems(content) == [f"{leaflet}: missing required field 'revised'"]


def test_unknown_block_kind(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "kind: checklist", "kind: check-list")
    block = at(content / "blocks/doctor.yaml", "id: see-your-doctor-if", root=content)
    assert load_problems(content) == [
        f"{block}: unknown block kind 'check-list'; use one of: paragraph, "
        "bullets, checklist, callout, key-points, picture-row, table, write-in, fill-in, ideas",
    ]


def test_unknown_ids_with_suggestions(content: Path) -> None:
    edit(content / "blocks/doses.yaml", "{trial-weeks}, tell", "{trial-week}, tell")
    edit(content / "blocks/doses.yaml", "sources: [nih-ods-magnesium, web-003, web-004]",
         "sources: [nih-ods-magnesium, web-003, web-04]")
    edit(content / "leaflets/foods.yaml", "  - food-tips", "  - food-tip")
    doses = content / "blocks/doses.yaml"
    item = at(doses, "If your legs are no better after {trial-week}", root=content)
    source = at(doses, "web-04]", root=content)
    block = at(content / "leaflets/foods.yaml", "food-tip\n", root=content)
    assert load_problems(content) == [
        f"{item}: unknown fact id 'trial-week': did you mean 'trial-weeks'?",
        f"{source}: unknown source id 'web-04': did you mean 'web-004'?",
        f"{block}: unknown block id 'food-tip': did you mean 'food-tips'?",
    ]


def test_duplicate_ids(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "id: your-plan", "id: what-is-rls")
    edit(content / "facts.yaml", "id: food-chia-seeds", "id: food-almonds")
    doctor, facts = content / "blocks/doctor.yaml", content / "facts.yaml"
    block_id = "id: what-is-rls\n"
    fact_id = "id: food-almonds\n"
    assert load_problems(content) == [
        f"{at(doctor, block_id, 2, value_of='id', root=content)}: duplicate block id "
        f"'what-is-rls': it is also defined at {at(doctor, block_id, value_of='id', root=content)}",
        f"{at(content / 'blocks/foods.yaml', 'food-chia-seeds', root=content)}: unknown fact "
        "id 'food-chia-seeds': did you mean 'food-cashews'?",
        f"{at(facts, fact_id, 2, value_of='id', root=content)}: duplicate fact id "
        f"'food-almonds': it is also defined at {at(facts, fact_id, value_of='id', root=content)}",
        f"{at(content / 'leaflets/safe-doses.yaml', 'your-plan', root=content)}: unknown block "
        "id 'your-plan': add it to content/blocks/ first",
        f"{at(content / 'leaflets/when-to-see-a-doctor.yaml', 'your-plan', root=content)}: "
        "unknown block id 'your-plan': add it to content/blocks/ first",
    ]


def test_numbers_must_come_from_facts(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful", "Snack on 2 handfuls")
    edit(content / "leaflets/foods.yaml", "so try food", "so try 3 foods")
    item = at(content / "blocks/foods.yaml", "Snack on 2 handfuls", root=content)
    message = at(content / "leaflets/foods.yaml", "so try 3 foods", value_of="message",
                 root=content)
    assert load_problems(content) == [
        f"{item}: the number '2' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
        f"{message}: the number '3' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
    ]


def test_shop_names_are_never_printed(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful",
         "Buy from HoltraCeuticals. Snack on a small handful")
    item = at(content / "blocks/foods.yaml", "Buy from HoltraCeuticals", root=content)
    assert load_problems(content) == [
        f"{item}: 'HoltraCeuticals' is a shop or brand name and must never be printed: "
        "reword this",
    ]


def test_every_block_cites_a_source(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "    sources: [nhs-dvt]\n", "    sources: []\n")
    where = at(content / "blocks/doctor.yaml", "sources: []", value_of="sources",
               root=content)
    assert load_problems(content) == [f"{where}: 'sources' must not be empty"]


def test_all_problems_in_one_pass(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful", "Snack on 2 handfuls")
    edit(content / "leaflets/foods.yaml", "budget_pages: 4", "budget_pages: two")
    edit(content / "facts.yaml", "unit: weeks", "unit: weeks\n    colour: red")
    item = at(content / "blocks/foods.yaml", "Snack on 2 handfuls", root=content)
    colour = at(content / "facts.yaml", value_of="colour", root=content)
    budget = at(content / "leaflets/foods.yaml", value_of="budget_pages", root=content)
    assert load_problems(content) == [
        f"{item}: the number '2' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
        f"{colour}: unknown field 'colour'; known fields: about, by_region, id, label, "
        "note, serving, sources, unit, value",
        f"{budget}: 'budget_pages' must be a whole number, not 'two'",
    ]
