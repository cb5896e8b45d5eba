"""The loader's cross-checks: every problem located, all of them in one pass."""

from pathlib import Path

import pytest

from handout.content.loader import load_content
from handout.core.errors import UserErrors

from .conftest import edit


def problems(content: Path) -> list[str]:
    with pytest.raises(UserErrors) as caught:
        load_content(content)
    return [str(e).replace(f"{content}/", "") for e in caught.value.errors]


def test_errors_name_the_file_relative_to_the_working_directory(content: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.chdir(content.parent)
    edit(content / "leaflets/foods.yaml", "budget_pages: 2", "budget_pages: 0")
    with pytest.raises(UserErrors) as caught:
        load_content(content)
    assert str(caught.value) == ("content/leaflets/foods.yaml:3:15: 'budget_pages' must be "
                                 "at least 1, not 0")


def test_shipped_content_loads() -> None:
    from handout.build.pipeline import PROJECT_ROOT

    content = load_content(PROJECT_ROOT / "content")
    assert sorted(content.leaflets) == ["foods", "safe-doses", "warnings",
                                        "when-to-see-a-doctor"]
    for block in content.blocks.values():
        assert block.sources, block.id


def test_unknown_field_suggests_the_right_one(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "    heading: Easy ways to eat more",
         "    heading: Easy ways to eat more\n    txet: hello")
    assert problems(content) == ["blocks/foods.yaml:37:11: unknown field 'txet'; "
                                 "did you mean 'text'?"]


def test_wrong_type_and_out_of_range(content: Path) -> None:
    edit(content / "leaflets/foods.yaml", "budget_pages: 2", "budget_pages: two")
    edit(content / "leaflets/warnings.yaml", "budget_pages: 2", "budget_pages: 5")
    assert problems(content) == [
        "leaflets/foods.yaml:3:15: 'budget_pages' must be a whole number, not 'two'",
        "leaflets/warnings.yaml:3:15: 'budget_pages' must be at most 2, not 5",
    ]


def test_missing_field(content: Path) -> None:
    edit(content / "leaflets/foods.yaml", "revised: 2026-11-21\n", "")
    assert problems(content) == ["leaflets/foods.yaml:1:1: missing required field 'revised'"]


def test_unknown_block_kind(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "kind: checklist", "kind: check-list")
    assert problems(content) == [
        "blocks/doctor.yaml:14:5: unknown block kind 'check-list'; use one of: paragraph, "
        "bullets, checklist, callout, table, fill-in",
    ]


def test_unknown_ids_with_suggestions(content: Path) -> None:
    edit(content / "blocks/doses.yaml", "{trial-weeks}, tell", "{trial-week}, tell")
    edit(content / "blocks/doses.yaml", "sources: [web-003, web-004, nih-ods-magnesium]",
         "sources: [web-003, web-04, nih-ods-magnesium]")
    edit(content / "leaflets/foods.yaml", "  - food-tips", "  - food-tip")
    assert problems(content) == [
        "blocks/doses.yaml:45:9: unknown fact id 'trial-week': did you mean 'trial-weeks'?",
        "blocks/doses.yaml:55:24: unknown source id 'web-04': did you mean 'web-004'?",
        "leaflets/foods.yaml:9:5: unknown block id 'food-tip': did you mean 'food-tips'?",
    ]


def test_duplicate_ids(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "id: your-plan", "id: what-is-rls")
    edit(content / "facts.yaml", "id: food-chia-seeds", "id: food-almonds")
    assert problems(content) == [
        "blocks/doctor.yaml:39:9: duplicate block id 'what-is-rls': it is also defined at "
        "blocks/doctor.yaml:4:9",
        "blocks/foods.yaml:20:9: unknown fact id 'food-chia-seeds': did you mean "
        "'food-cashews'?",
        "facts.yaml:114:9: duplicate fact id 'food-almonds': it is also defined at "
        "facts.yaml:106:9",
        "leaflets/safe-doses.yaml:14:5: unknown block id 'your-plan': "
        "add it to content/blocks/ first",
        "leaflets/when-to-see-a-doctor.yaml:11:5: unknown block id 'your-plan': "
        "add it to content/blocks/ first",
    ]


def test_numbers_must_come_from_facts(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful", "Snack on 2 handfuls")
    edit(content / "leaflets/foods.yaml", "so try food", "so try 3 foods")
    assert problems(content) == [
        "blocks/foods.yaml:38:9: the number '2' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
        "leaflets/foods.yaml:2:10: the number '3' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
    ]


def test_shop_names_are_never_printed(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful",
         "Buy from HoltraCeuticals. Snack on a small handful")
    assert problems(content) == [
        "blocks/foods.yaml:38:9: 'HoltraCeuticals' is a shop or brand name and must never "
        "be printed: reword this",
    ]


def test_every_block_cites_a_source(content: Path) -> None:
    edit(content / "blocks/doctor.yaml", "    sources: [nih-ods-magnesium, web-000]\n",
         "    sources: []\n")
    assert problems(content) == [
        "blocks/doctor.yaml:49:14: 'sources' must not be empty",
    ]


def test_all_problems_in_one_pass(content: Path) -> None:
    edit(content / "blocks/foods.yaml", "Snack on a small handful", "Snack on 2 handfuls")
    edit(content / "leaflets/foods.yaml", "budget_pages: 2", "budget_pages: two")
    edit(content / "facts.yaml", "unit: weeks", "unit: weeks\n    colour: red")
    assert problems(content) == [
        "blocks/foods.yaml:38:9: the number '2' is typed into the text: add it to "
        "content/facts.yaml and write {fact-id} here",
        "facts.yaml:198:13: unknown field 'colour'; known fields: about, by_region, id, label, "
        "note, serving, sources, unit, value",
        "leaflets/foods.yaml:3:15: 'budget_pages' must be a whole number, not 'two'",
    ]
