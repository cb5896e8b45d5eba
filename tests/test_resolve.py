"""Facts filled in per region; rows a region does not set are left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from handout.content.blocks import Table
from handout.content.loader import load_content
from handout.content.model import Clinic
from handout.core.errors import UserErrors
from handout.render.page import resolve

from .conftest import FIXTURE_CONTENT, edit


def clinic(region: str) -> Clinic:
    return Clinic(id="t", name="T", region=region, paper="a4", languages=["en"])  # type: ignore[arg-type]


@pytest.mark.parametrize(("region", "limit", "emergency"),
                         [("us", "350 mg", "911"), ("eu", "250 mg", "112"),
                          ("uk", "400 mg", "999")])
def test_each_region_prints_its_own_limit(region: str, limit: str, emergency: str) -> None:
    content = load_content(FIXTURE_CONTENT)
    page = resolve(content, clinic(region), "en", "safe-doses")
    blocks = {block.id: block for block in page.blocks}
    assert f"**{limit} a day**" in blocks["limit-is-a-ceiling"].text  # type: ignore[union-attr]
    assert f"Call {emergency} " in blocks["get-help-now"].text  # type: ignore[union-attr]


def test_rows_without_a_regional_value_are_left_out() -> None:
    content = load_content(FIXTURE_CONTENT)
    us = resolve(content, clinic("us"), "en", "safe-doses")
    uk = resolve(content, clinic("uk"), "en", "safe-doses")
    us_table = next(b for b in us.blocks if isinstance(b, Table))
    uk_table = next(b for b in uk.blocks if isinstance(b, Table))
    assert [row[1] for row in us_table.rows] == ["350 mg", "110 mg", "65 mg"]
    assert uk_table.rows == [["Adults", "400 mg"]]


def test_metric_servings_outside_the_us() -> None:
    content = load_content(FIXTURE_CONTENT)
    page = resolve(content, clinic("eu"), "en", "foods")
    table = next(b for b in page.blocks if isinstance(b, Table) and b.id == "food-list")
    assert table.rows[0] == ["Pumpkin seeds", "28 g", "about 156 mg"]


def test_text_needing_an_unset_fact_is_an_error(content: Path) -> None:
    edit(content / "blocks/doses.yaml", "Young children have much lower limits.",
         "Young children should take at most {limit-child-1-3}.")
    loaded = load_content(content)
    with pytest.raises(UserErrors) as caught:
        resolve(loaded, clinic("uk"), "en", "safe-doses")
    assert [e.message for e in caught.value.errors] == [
        "fact 'limit-child-1-3' has no value for region 'uk' (clinic 't'): reword the block "
        "or give the fact a value for that region"]


def test_sources_list_comes_from_blocks_and_facts() -> None:
    content = load_content(FIXTURE_CONTENT)
    page = resolve(content, clinic("uk"), "en", "safe-doses")
    assert "Vitamins and minerals: magnesium. NHS website." in page.citations
    assert all(c.endswith(".") for c in page.citations)
