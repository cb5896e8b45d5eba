"""The layout check after rendering: each problem it looks for, made on purpose."""

from __future__ import annotations

from handout.build.config import PROJECT_ROOT
from handout.render.pdf import PdfRenderer

PAGE = "<style>@page { size: 100mm 80mm; margin: 10mm; } body { font-size: 12pt; }</style>"


def problems(body: str) -> list[str]:
    html = f'<html lang="en"><title>t</title>{PAGE}<body>{body}</body></html>'
    renderer = PdfRenderer([PROJECT_ROOT / "styles"])
    return renderer.render(html, PROJECT_ROOT / "styles", "pdf/ua-1").fit.problems


def test_a_page_that_fits_has_no_problems() -> None:
    assert problems("<h2>Fine</h2><p>Short text.</p>") == []


def test_heading_left_at_the_bottom_of_a_page() -> None:
    filler = "<p style='margin: 0; height: 48mm'>Filler.</p>"
    body = f"{filler}<h2 style='margin: 0; break-after: auto'>Stranded</h2><p>Its text.</p>"
    assert problems(body) == [
        'heading "Stranded" is the last line of page 1; its text starts on the next page']


def test_box_that_must_stay_whole_splits() -> None:
    lines = "".join(f"<p>Line {n}</p>" for n in range(12))
    body = f'<aside class="callout" id="x-help" data-block="get-help-now">{lines}</aside>'
    assert problems(body) == [
        "block 'get-help-now' splits across pages 1 and 2; it must stay on one page"]


def test_text_running_off_the_page() -> None:
    body = f"<p>{'Pneumonoultramicroscopicsilicovolcanoconiosis' * 2}</p>"
    assert problems(body) == [
        'text "PneumonoultramicroscopicsilicovolcanoconiosisPneumonoultram…" runs past '
        "the right edge of its area on page 1"]


def test_footer_running_off_its_margin_box() -> None:
    style = ("<style>@page { @bottom-left { content: 'A very long footer that cannot wrap "
             "anywhere at all'; white-space: pre; width: 20mm; } }</style>")
    assert problems(style + "<p>Body.</p>") == [
        'text "A very long footer that cannot wrap anywhere at all" runs past the right edge '
        "of its area on page 1"]


def test_text_running_out_of_its_own_box() -> None:
    body = "<div style='width: 20mm'>Supercalifragilistic</div>"
    assert problems(body) == [
        'text "Supercalifragilistic" runs past the right edge of its area on page 1']


def test_list_item_left_alone_at_a_page_foot() -> None:
    items = "<li style='break-after: page'>One</li><li>Two</li><li>Three</li>"
    body = f'<section class="bullets" data-block="food-tips"><ul>{items}</ul></section>'
    assert problems(body) == [
        "a list in block 'food-tips' leaves one item alone on page 1; keep at least two "
        "of its items together on a page"]


def test_list_broken_two_and_two_is_fine() -> None:
    items = "<li>One</li><li style='break-after: page'>Two</li><li>Three</li><li>Four</li>"
    assert problems(f'<section data-block="food-tips"><ul>{items}</ul></section>') == []


def test_list_items_kept_in_twos_by_the_stylesheet() -> None:
    filler = "<p style='margin: 0; height: 40mm'>Filler.</p>"
    items = "".join(f"<li>Item {n}</li>" for n in range(5))
    sheet = (PROJECT_ROOT / "styles/leaflet.css").as_uri()
    body = (f'<link rel="stylesheet" href="{sheet}">{filler}'
            f'<section data-block="food-tips"><ul>{items}</ul></section>')
    assert problems(body) == []
