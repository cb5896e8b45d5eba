"""The web edition, a clinic's ``editions`` list, and the line that names the formats.

The pages are checked here by their HTML and what the build did with them
(manifest, staging, no-op rebuilds, the gates, the preview); how a browser and
axe-core find them is ``test_web_browser.py``. No test here renders a PDF: the
web pages are added to the shared build (``web_built``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from handout.build.clinics import editions_of
from handout.build.config import PROJECT_ROOT, Project, Selection
from handout.build.output import read_manifest
from handout.build.pipeline import build
from handout.content.clinic import load_clinic
from handout.content.loader import Content, load_content
from handout.core.editions import EDITIONS, OUTPUT_ENDINGS
from handout.core.errors import UserErrors
from handout.preview.connections import PreviewServer
from handout.preview.server import _Handler, _Site
from handout.preview.state import Leaflet, Snapshot
from handout.render.html import formats_line, make_environment, render_leaflet
from handout.render.look import House
from handout.render.page import LeafletPage, resolve
from handout.render.web import web_layout

from .conftest import FIXTURE_CONTENT, edit, line_of, shown


@pytest.fixture(scope="module")
def fixture_content() -> Content:
    return load_content(FIXTURE_CONTENT)


def test_a_web_page_is_an_edition_like_the_others() -> None:
    web = EDITIONS["web"]
    assert (web.paged, web.extension, web.variant) == (False, "html", "web")
    assert web.file_name("foods") == "foods.web.html"
    assert EDITIONS["large-print"].file_name("foods") == "foods.large-print.pdf"
    assert OUTPUT_ENDINGS == (".pdf", ".large-print.pdf", ".press.pdf", ".easy-read.pdf",
                              ".web.html")
    assert {name for name, edition in EDITIONS.items() if edition.offered_as} == {
        "large-print", "easy-read", "web"}


def _page(content: Content, clinic_id: str, lang: str, editions: list[str]) -> LeafletPage:
    clinic = load_clinic(FIXTURE_CONTENT / "clinics" / f"{clinic_id}.yaml", content)
    clinic = clinic.model_copy(update={"editions": editions})
    return resolve(content, clinic, lang, "foods")


@pytest.mark.parametrize(("clinic", "lang", "editions", "line"), [
    ("riverside-family", "en", ["web", "large-print"],
     "You can get this leaflet in large print or as a web page. Ask us."),
    ("riverside-family", "es", ["large-print", "web"],
     "Puede recibir este folleto en letra grande o como página web. Pregúntenos."),
    ("uk-sleep-clinic", "en", ["web"], "You can get this leaflet as a web page. Ask us."),
    ("riverside-family", "en", ["press", "booklet"], ""),  # not formats for patients
    ("default", "en", [], ""),
])
def test_the_formats_line_names_what_the_clinic_offers(
        fixture_content: Content, clinic: str, lang: str, editions: list[str],
        line: str) -> None:
    assert formats_line(_page(fixture_content, clinic, lang, editions)) == line


def test_the_formats_line_is_under_the_contacts_and_a_web_page_links_them(
        fixture_content: Content) -> None:
    page = _page(fixture_content, "riverside-family", "en", ["large-print", "web"])
    env, house = make_environment(PROJECT_ROOT / "templates"), House.of(PROJECT_ROOT / "styles")
    folder = FIXTURE_CONTENT / "clinics"
    printed = render_leaflet(env, page, house.look(page.clinic, EDITIONS["standard"]))
    web = render_leaflet(env, page, house.look(page.clinic, EDITIONS["web"], folder=folder))
    for html in (printed, web):
        start = html.index('<section class="contact"')
        contact = html[start:html.index("</section>", start)]
        assert contact.endswith('<p class="formats">You can get this leaflet in large print '
                                "or as a web page. Ask us.</p>\n  ")
    assert '<a href="tel:5550102000"><bdi>(555) 010-2000</bdi></a>' in web
    assert ('<a href="https://riverside-family.example.org/leaflets"><bdi>'
            "https://riverside-family.example.org/leaflets</bdi></a>") in web
    assert "<a href" not in printed.replace('<a href="#', "")


def test_the_formats_line_names_easy_read_in_the_way_each_region_lists(
        fixture_content: Content) -> None:
    """US English puts a comma before "or", UK English does not (CLDR); the formats
    come in the editions' order, whatever the clinic file's."""
    every = ["web", "easy-read", "large-print"]
    us = _page(fixture_content, "riverside-family", "en", every)
    uk = _page(fixture_content, "uk-sleep-clinic", "en", every)
    assert formats_line(us, EDITIONS) == (
        "You can get this leaflet in large print, in Easy Read, or as a web page. Ask us.")
    assert formats_line(uk, EDITIONS) == (
        "You can get this leaflet in large print, in Easy Read or as a web page. Ask us.")


def test_the_command_line_overrides_the_clinics_editions(fixture_content: Content) -> None:
    clinic = load_clinic(FIXTURE_CONTENT / "clinics" / "default.yaml", fixture_content)
    offering = clinic.model_copy(update={"editions": ["web", "large-print", "standard"]})
    assert [e.name for e in editions_of(clinic, ())] == ["standard"]
    assert [e.name for e in editions_of(offering, ())] == ["standard", "web", "large-print"]
    assert [e.name for e in editions_of(offering, ("press",))] == ["press"]


def test_an_unknown_edition_in_a_clinic_file_is_located_with_the_nearest(
        content: Path) -> None:
    path = content / "clinics" / "default.yaml"
    edit(path, "languages: [en]", "languages: [en]\neditions:\n  - large_print\n  - web\n"
                                  "  - braille")
    with pytest.raises(UserErrors) as caught:
        load_clinic(path, None)
    where = shown(path)
    assert [str(error) for error in caught.value.errors] == [
        f"{where}:{line_of(path, 'large_print')}:5: unknown edition 'large_print': did you "
        "mean 'large-print'?",
        f"{where}:{line_of(path, 'braille')}:5: unknown edition 'braille': choose from: "
        "standard, large-print, press, easy-read, booklet, web"]


def test_a_page_that_would_fetch_anything_is_a_layout_problem() -> None:
    page = ('<html><head><style>p { background: url("https://x.example/a.png") }</style>'
            '<link rel="stylesheet" href="a.css"></head><body><p onclick="go()">3 mm</p>'
            '<img src="file:///etc/logo.svg" alt=""><img src="data:image/png;base64,AA" alt="">'
            '<a href="https://clinic.example">site</a><svg><title>QR 42</title></svg></body>'
            '</html>')
    fit = web_layout(page)
    assert fit.text == "3 mm site"
    assert fit.problems == [
        "the web page would fetch url(https://x.example/a.png); it must fetch nothing: set the "
        "file into the page, or leave it out",
        "the web page has a <link> element; a self-contained page has none: take it out of "
        "the template",
        "the web page has a script in <p onclick>; take it out of the template",
        "the web page would fetch <img src=\"file:///etc/logo.svg\">; it must fetch nothing: "
        "set the file into the page, or leave it out"]


def test_every_web_page_is_built_whole_and_listed(web_built: Path) -> None:
    entries = [entry for entry in read_manifest(web_built) if entry.edition == "web"]
    assert len(entries) == 16  # 4 clinics' languages x 4 leaflets
    assert any(entry.edition == "standard" for entry in read_manifest(web_built))
    for entry in entries:
        page = web_built / entry.path
        data = page.read_bytes()
        assert entry.path == f"{entry.clinic}/{entry.lang}/{entry.leaflet}.web.html"
        assert (entry.pages, entry.bytes) == (1, len(data))
        assert entry.sha256 == hashlib.sha256(data).hexdigest()
        html = data.decode("utf-8")
        assert web_layout(html).problems == []
        assert f'<html lang="{entry.lang}"' in html
        assert "file:" not in html and "<link" not in html and "<script" not in html
        assert html.count("<main ") == html.count("<h1 ") == 1
    assert not list(web_built.glob("*/*/*.web.pdf"))
    riverside = (web_built / "riverside-family/es/safe-doses.web.html").read_text()
    words = web_layout(riverside).text
    assert "revisado por Ana Morales, MD el 2 de diciembre de 2026" in words
    assert "Where this information comes from" not in words
    assert "350 mg" in words and "Ir al folleto" in words
    assert 'src="data:image/svg+xml;base64,' in riverside  # the logo and pictures, set in


def test_an_unchanged_web_page_is_not_made_again(web_built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(web_built, out)
    selection = Selection(clinics=("riverside-family",), lang="en", editions=("web",))
    project = Project(content_dir=FIXTURE_CONTENT)
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*.web.html")}
    result = build(project, dataclasses.replace(selection, force=False), out)
    assert [(o.name, o.unchanged) for o in result.outputs] == [
        (name, True) for name in ("foods", "safe-doses", "warnings", "when-to-see-a-doctor")]
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*.web.html")} == before


def test_a_web_page_that_hides_a_fact_fails_and_nothing_is_written(
        project: Path, tmp_path: Path) -> None:
    """The consistency gate reads the web page's words as it reads a PDF's pages."""
    edit(project / "templates" / "web.html.j2", '{% include "_leaflet_body.html.j2" %}',
         '<main id="{{ page.id }}-main"><h1>{{ page.leaflet.title }}</h1></main>')
    out = tmp_path / "out"
    selection = Selection(clinics=("default",), leaflets=("foods",), editions=("web",))
    with pytest.raises(UserErrors) as caught:
        build(Project(root=project), selection, out)
    leaflet = project / "content" / "leaflets" / "foods.yaml"
    assert (f"{shown(leaflet)}:1:1: leaflet 'foods' for clinic 'default' (en, web edition): "
            "fact 'need-women' (320 mg) is in the leaflet but not on its pages; check that no "
            "stylesheet hides it") in [str(error) for error in caught.value.errors]
    assert not out.exists()


@pytest.fixture
def preview(web_built: Path) -> Iterator[tuple[str, http.client.HTTPConnection]]:
    """The preview's web server, in this process, over the shared build with its web
    pages: its list page, and a connection to ask it for more."""
    leaflets = tuple(Leaflet(entry) for entry in read_manifest(web_built)
                     if entry.clinic == "riverside-family" and entry.lang == "en")
    snapshot = Snapshot(1, leaflets, None, (), False)
    state = SimpleNamespace(snapshot=snapshot, out_dir=web_built, selection=Selection())
    server = PreviewServer(("127.0.0.1", 0), _Handler)
    server.site = _Site(state, Project(content_dir=FIXTURE_CONTENT),  # type: ignore[attr-defined,arg-type]
                        desk_only=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", "/")
    index = connection.getresponse().read().decode()
    yield index, connection
    connection.close()
    server.shutdown()
    server.server_close()


def test_the_preview_lists_the_web_page_beside_the_pdfs(
        preview: tuple[str, http.client.HTTPConnection], web_built: Path) -> None:
    index, connection = preview
    cards = re.findall(r'<li class="card( web)?">\s*<a href="([^"]+)"', index)
    assert [kind for kind, _ in cards] == ["", " web"] * 4  # each PDF, then its web page
    assert cards[0][1] == "/leaflet/riverside-family/en/foods/standard"
    web = cards[1][1]
    titles = re.findall(r'<span class="title">([^<]*)</span>', index)
    assert titles[:2] == ["Foods rich in magnesium"] * 2  # the PDF, then the web page
    assert re.fullmatch(r"/web/[0-9a-f]{64}/foods\.web\.html", web)
    connection.request("GET", web)
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Content-Security-Policy", "").startswith("default-src 'none';")
    assert body == (web_built / "riverside-family/en/foods.web.html").read_bytes()
