"""The web edition in a real browser: Debian's headless Chromium, driven by Selenium.

Every web page of the frozen content (each clinic, language and leaflet) is
opened once, in one browser session, and checked as a phone user and a
screen-reader user would meet it: axe-core 4 with the WCAG 2.0, 2.1 and 2.2 A
and AA rules finds nothing; at 320 px wide nothing scrolls sideways; the stylesheet
hides no number the page holds (the consistency gate reads the page's words);
the first Tab reaches the skip link, which leads to the leaflet; and the
browser asks for nothing beyond the page itself. One page is then printed from the browser, as
a patient would print it.

axe-core is the version pinned in ``tests/axe/package-lock.json``; Chromium,
ChromeDriver and axe-core come from ``sh scripts/setup.sh --dev``. Without them
this test fails, saying so: it is never skipped.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from handout.render.web import web_layout

from .browser import chromium

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
NUMBER = re.compile(r"\d+")
PHONE_PX = 320
"""WCAG 1.4.10 Reflow: content at 320 CSS px needs no scrolling in two directions."""


@pytest.fixture(scope="module")
def web_pages(web_built: Path) -> list[Path]:
    """Every web page of the frozen content: 4 clinics' languages x 4 leaflets."""
    return sorted(web_built.glob("*/*/*.web.html"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options, service = chromium(tmp_path_factory.mktemp("chromium-profile"),
                                "the web edition's browser test")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = webdriver.Chrome(options=options, service=service)
    try:
        yield browser
    finally:
        browser.quit()


def test_every_web_page_passes_axe_fits_a_phone_and_fetches_nothing(
        web_pages: list[Path], browser: WebDriver) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing; install it with: sh scripts/setup.sh --dev")
    axe = AXE.read_text(encoding="utf-8")
    assert len(web_pages) == 16
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE_PX, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    found: dict[str, object] = {}
    for path in web_pages:
        name = "/".join(path.parts[-3:])
        browser.get_log("performance")  # forget the last page's requests
        browser.get(path.as_uri())
        fetched = _requests(browser)
        if fetched != [path.as_uri()]:
            found[f"{name}: requests"] = fetched
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > PHONE_PX or widths[1] != PHONE_PX:
            found[f"{name}: width at {PHONE_PX} px"] = widths
        shown = browser.execute_script("return document.body.innerText")
        if NUMBER.findall(shown) != NUMBER.findall(web_layout(path.read_text()).text):
            found[f"{name}: numbers the stylesheet hides"] = NUMBER.findall(shown)
        ActionChains(browser).send_keys(Keys.TAB).perform()
        skip = browser.switch_to.active_element
        target = (skip.get_attribute("href") or "").partition("#")[2]
        leads_to = browser.execute_script(
            "return document.getElementById(arguments[0])?.tagName", target)
        if "skip-link" not in (skip.get_attribute("class") or "") or leads_to != "MAIN":
            found[f"{name}: skip link"] = skip.get_attribute("outerHTML")
        browser.execute_script(axe)  # by the driver, as the page itself forbids scripts
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
            " resultTypes: ['violations']})"
            ".then(r => done({version: r.testEngine.version, rules: r.passes.length"
            " + r.incomplete.length + r.inapplicable.length + r.violations.length,"
            " violations: r.violations.map(v => [v.id, v.nodes.map(n => n.target)])}));",
            WCAG_AA)
        assert str(result["version"]).startswith("4.")
        print(f"{name}: axe-core {result['version']}, {result['rules']} WCAG A/AA rules, "
              f"{len(result['violations'])} violations")
        if result["violations"]:
            found[f"{name}: axe"] = result["violations"]
    assert found == {}


def test_a_web_page_prints_cleanly_from_the_browser(
        web_pages: list[Path], browser: WebDriver) -> None:
    """Print, as a patient would: the print stylesheet drops the skip link, and every
    page's footer carries the clinic, its phone and the review line, as the PDF's does."""
    page = next(path for path in web_pages if path.parts[-3:] == (
        "riverside-family", "en", "safe-doses.web.html"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get(page.as_uri())
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    reader = PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    texts = [sheet.extract_text() for sheet in reader.pages]
    assert len(texts) > 1
    assert all(f"Page {n} of {len(texts)}" in text for n, text in enumerate(texts, 1))
    assert all("Riverside Family Practice | Phone (555) 010-2000" in " ".join(text.split())
               for text in texts)
    assert all("Reviewed by Ana Morales, MD" in text for text in texts)
    assert "Skip to the leaflet" not in "".join(texts)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter


def _requests(browser: WebDriver) -> list[str]:
    """Every address the browser asked for since the log was last read, but the
    ``data:`` addresses of pictures set into the page."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith("data:"):
                urls.append(url)
    return urls
