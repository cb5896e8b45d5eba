"""The worker's stylesheet cache: the head's sheets move out in order, parsed once,
and a CSS error still fails every render that uses the sheet."""

from __future__ import annotations

from pathlib import Path

from weasyprint.text.fonts import FontConfiguration

from handout.render.pdf import FolderFetcher
from handout.render.stylesheets import StylesheetCache


def page(css_url: str, style: str) -> str:
    return (f'<html><head>\n<link rel="stylesheet" href="{css_url}">\n'
            f"<style>\n{style}</style>\n</head><body><p>Hello</p></body></html>")


def test_sheets_leave_the_head_in_order_and_are_parsed_once(tmp_path: Path) -> None:
    css = tmp_path / "leaflet.css"
    css.write_text("p { color: red; }\n")
    cache = StylesheetCache(FontConfiguration(), FolderFetcher([tmp_path]))
    body, sheets, warnings = cache.split(page(css.as_uri(), "p { color: blue; }\n"))
    assert body == "<html><head>\n</head><body><p>Hello</p></body></html>"
    assert len(sheets) == 2 and warnings == []
    again = cache.split(page(css.as_uri(), "p { color: blue; }\n"))[1]
    assert again[0] is sheets[0] and again[1] is sheets[1]
    css.write_text("p { color: green; }\n")  # an edit while serve runs
    assert cache.split(page(css.as_uri(), "p { color: blue; }\n"))[1][0] is not sheets[0]


def test_a_css_error_is_reported_on_every_use(tmp_path: Path) -> None:
    cache = StylesheetCache(FontConfiguration(), FolderFetcher([tmp_path]))
    css = tmp_path / "leaflet.css"
    css.write_text("p { colour: red; }\n")
    first = cache.split(page(css.as_uri(), ""))[2]
    assert first and "colour" in first[0]
    assert cache.split(page(css.as_uri(), ""))[2] == first


def test_a_sheet_outside_the_folders_leaves_the_head_whole(tmp_path: Path) -> None:
    cache = StylesheetCache(FontConfiguration(), FolderFetcher([tmp_path / "allowed"]))
    css = tmp_path / "elsewhere.css"
    css.write_text("p { color: red; }\n")
    html = page(css.as_uri(), "")
    assert cache.split(html) == (html, [], [])
