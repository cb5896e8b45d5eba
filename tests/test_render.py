"""Templates: text is escaped, a missing value fails, bold is the only mark-up."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from handout.build.config import PROJECT_ROOT
from handout.content.loader import load_content
from handout.content.model import Clinic
from handout.core.editions import EDITIONS
from handout.render.html import Look, inline, make_environment, render_leaflet
from handout.render.page import resolve
from handout.render.pdf import FolderFetcher, PdfRenderer

from .conftest import FIXTURE_CONTENT


def test_inline_escapes_html_and_allows_bold() -> None:
    assert str(inline("<script>x</script> **take care**")) == (
        "&lt;script&gt;x&lt;/script&gt; <strong>take care</strong>")


def test_clinic_name_is_printed_as_text_never_markup() -> None:
    content = load_content(FIXTURE_CONTENT)
    clinic = Clinic(id="x", name="<b>Evil</b> & Co", region="us", paper="letter",
                    languages=["en"])
    look = Look(EDITIONS["standard"], (), "", {"ink": "#000000"})
    html = render_leaflet(make_environment(PROJECT_ROOT / "templates"),
                          resolve(content, clinic, "en", "foods"), look)
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in html
    assert "<b>Evil</b>" not in html


def test_undefined_names_fail_loudly() -> None:
    env = make_environment(PROJECT_ROOT / "templates")
    with pytest.raises(UndefinedError):
        env.from_string("{{ dose }}").render()


def test_fetcher_refuses_files_outside_and_the_network(tmp_path: object) -> None:
    fetcher = FolderFetcher([PROJECT_ROOT / "styles"])
    with pytest.raises(ValueError, match="outside the folders the leaflets may use"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="only files inside the project may be used"):
        fetcher.fetch("https://example.org/logo.png")
    assert fetcher.fetch((PROJECT_ROOT / "styles/leaflet.css").as_uri()).read()


def test_a_missing_image_is_a_warning_the_build_sees() -> None:
    renderer = PdfRenderer([PROJECT_ROOT / "styles"])
    html = '<html lang="en"><title>t</title><img src="file:///etc/hostname" alt="x"></html>'
    result = renderer.render(html, PROJECT_ROOT / "styles", "pdf/ua-1")
    assert any("Failed to load image" in w for w in result.warnings), result.warnings
