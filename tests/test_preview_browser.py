"""The live preview in a real browser: Debian's headless Chromium, driven by Selenium.

A practice manager's session, on a temporary copy of the project: open the
list of leaflets, open one, save a change to the clinic file and see it appear
without reloading, then save a mistake and see the build's located message,
with the last good preview one click away.

Chromium and ChromeDriver come from ``sh scripts/setup.sh --dev``. Without them
this test fails, saying so: it is never skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from .browser import chromium
from .conftest import edit, line_of, shown
from .pdfs import text_of

WAIT_S = 90
"""A generous ceiling for a shared, noisy machine; a rebuild takes a few seconds."""
SCREENSHOTS = os.environ.get("PREVIEW_SCREENSHOTS")
"""A folder to keep the screenshots in (they always go to the test's temporary folder)."""


@pytest.fixture
def preview_url(project: Path) -> Iterator[str]:
    """``build.py serve`` running on the copy, on a free port; its address."""
    yield from _serving(project, ["--clinic", "riverside-family", "--lang", "en", "--leaflet",
                                  "foods", "--leaflet", "warnings"], "Preview:")


@pytest.fixture
def desk_url(project: Path) -> Iterator[str]:
    """``build.py serve --desk`` running on the copy, on a free port; its page's address."""
    yield from _serving(project, ["--desk"], "Desk:")


def _serving(project: Path, options: list[str], banner: str) -> Iterator[str]:
    command = [sys.executable, "build.py", "serve", "--port", "0", *options]
    server = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(server.stdout or ()), daemon=True)
    reader.start()  # read all the while, so the server never blocks on a full pipe
    try:
        deadline = time.monotonic() + WAIT_S
        while not any(line.startswith(f"{banner} http://127.0.0.1:") for line in log):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("build.py serve did not start serving:\n" + "".join(log))
            time.sleep(0.1)
        yield next(line for line in log if line.startswith(banner)).split()[1]
    finally:
        server.terminate()  # as a service manager would: it stops cleanly, workers too
        code = server.wait(timeout=30)
        reader.join(timeout=5)
        print("build.py serve said:\n" + "".join(log))  # shown when the test fails
        assert code == 0


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    options, service = chromium(tmp_path / "chromium-profile", "the preview's browser test")
    downloads = tmp_path / "downloads"  # a PDF the desk returns is saved here
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True})
    browser = webdriver.Chrome(options=options, service=service)
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield browser
    finally:
        browser.quit()


def test_preview_follows_saves_and_shows_located_errors(
        project: Path, preview_url: str, browser: WebDriver, tmp_path: Path) -> None:
    wait = WebDriverWait(browser, WAIT_S)

    # the list: one card per leaflet, each with a picture of its first page
    browser.get(preview_url)
    titles = [card.text for card in browser.find_elements(By.CSS_SELECTOR, ".card .title")]
    assert titles == ["Foods rich in magnesium", "Magnesium supplements: warnings"]
    heading = browser.find_element(By.CSS_SELECTOR, ".clinic h2").text
    assert heading == "Riverside Family Practice riverside-family · English (en)"
    wait.until(lambda b: _pictures_loaded(b, ".card img") == 2)
    _screenshot(browser, tmp_path, "preview-index.png")

    # a leaflet, page by page, its words in the page, a link to its PDF
    browser.find_element(By.LINK_TEXT, "Foods rich in magnesium").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".sheet"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".sheet")) == 3
    wait.until(lambda b: _pictures_loaded(b, ".sheet img") == 3)
    assert "Ask at the front desk." in _words(browser)
    pdf = browser.find_element(By.PARTIAL_LINK_TEXT, "Open the PDF")
    assert pdf.text == "Open the PDF (3 pages)"
    assert pdf.get_attribute("href").endswith("/foods.pdf")
    browser.execute_script("window.notReloaded = true;")

    # a save appears by itself, in the same page (no reload)
    clinic = project / "content" / "clinics" / "riverside-family.yaml"
    edit(clinic, "Ask at the front desk.", "Ask Maria at the front desk.")
    wait.until(lambda b: "Ask Maria at the front desk." in _words(b))
    assert browser.execute_script("return window.notReloaded === true")
    wait.until(lambda b: _pictures_loaded(b, ".sheet img") == 3)
    _screenshot(browser, tmp_path, "preview-leaflet.png")

    # a mistake shows the build's own located message, and nothing else changes
    edit(clinic, "paper: letter", "paper letter")
    alert = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".problems"))[0]
    assert alert.find_element(By.TAG_NAME, "h2").text == "1 problem found, so nothing was rebuilt"
    broken = line_of(clinic, "paper letter")  # the scanner gives up where the next line starts
    assert [item.text for item in alert.find_elements(By.TAG_NAME, "li")] == [
        f"{shown(clinic, project)}:{broken + 1}:1: YAML syntax: could not find expected ':', "
        f"while scanning a simple key that starts on line {broken} (check quotes, brackets "
        "and indentation)"]
    assert browser.execute_script("return window.notReloaded === true")
    _screenshot(browser, tmp_path, "preview-error.png")

    # the last good preview is one click away
    sheets = browser.find_elements(By.CSS_SELECTOR, ".sheet")
    assert sheets and not any(sheet.is_displayed() for sheet in sheets)
    browser.find_element(By.CSS_SELECTOR, ".last-good > summary").click()
    assert all(sheet.is_displayed() for sheet in browser.find_elements(By.CSS_SELECTOR, ".sheet"))
    assert "Ask Maria at the front desk." in _words(browser)

    # mended, the problem goes and the leaflet is back
    edit(clinic, "paper letter", "paper: letter")
    wait.until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".problems"))
    assert browser.find_element(By.CSS_SELECTOR, ".state").text.startswith("Up to date")
    assert all(sheet.is_displayed() for sheet in browser.find_elements(By.CSS_SELECTOR, ".sheet"))


def test_the_desk_form_prints_a_plan_with_the_keyboard_alone(
        desk_url: str, browser: WebDriver, tmp_path: Path) -> None:
    """A nurse at the desk, keyboard only: every field is reached with Tab in order and
    has its label; a mistake comes back beside its field; the plan comes back as a PDF."""
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(desk_url)
    assert browser.title == "Print a patient's plan"

    def tab_to(field_id: str, *keys: str) -> None:
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        assert active.get_attribute("id") == field_id
        label = browser.find_element(By.CSS_SELECTOR, f'label[for="{field_id}"]')
        assert label.text  # a screen reader names the field by it
        if keys:
            ActionChains(browser).send_keys(*keys).perform()

    tab_to("clinic", "Riverside")  # a select: typing chooses the option
    tab_to("leaflet-foods")
    tab_to("leaflet-safe-doses", Keys.SPACE)
    tab_to("leaflet-warnings")
    tab_to("leaflet-when-to-see-a-doctor")
    tab_to("lang")
    tab_to("edition")
    tab_to("age-group")  # left unchosen: the first mistake
    tab_to("dose-mg", "200")
    tab_to("times-a-day")
    tab_to("form", "magnesium citrate")
    tab_to("timing", "with your evening meal")
    tab_to("name", "Wilhelmina Zorbaugh-Quist", Keys.ENTER)

    error = wait.until(lambda b: b.find_elements(By.ID, "age-group-error"))[0]
    assert error.text == ("Error: choose who the plan is for: adult, 9-13, 4-8, 1-3, under-1")
    select = browser.find_element(By.ID, "age-group")
    assert select.get_attribute("aria-invalid") == "true"
    assert "age-group-error" in (select.get_attribute("aria-describedby") or "").split()
    summary = browser.find_element(By.CSS_SELECTOR, ".problems")
    assert summary.get_attribute("role") == "alert"
    assert browser.find_element(By.ID, "name").get_attribute("value") == (
        "Wilhelmina Zorbaugh-Quist")  # what was typed stays

    # Tab from the top to the age group, choose adults, and print
    browser.find_element(By.TAG_NAME, "body").click()  # start again from the page's top
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    ActionChains(browser).send_keys(Keys.TAB).perform()  # the problem list's link
    while browser.switch_to.active_element.get_attribute("id") != "age-group":
        ActionChains(browser).send_keys(Keys.TAB).perform()
    ActionChains(browser).send_keys("Adults").perform()
    while browser.switch_to.active_element.tag_name != "button":  # Tab on to the button
        ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.text == "Print the plan (PDF)"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    pdfs = tmp_path / "downloads"
    wait.until(lambda b: [p for p in pdfs.glob("*.pdf")] if pdfs.is_dir() else [])
    plan = next(pdfs.glob("*.pdf"))
    text = text_of(plan)
    assert "For: Wilhelmina Zorbaugh-Quist" in text
    assert "How much: 200 mg of magnesium, once a day" in text
    assert "Magnesium supplements: how much is safe?" in text


def _words(browser: WebDriver) -> str:
    """The invisible text laid over the page pictures, as one string."""
    return str(browser.execute_script(
        "return [...document.querySelectorAll('.words span')].map(s => s.textContent)"
        ".join(' ')"))


def _pictures_loaded(browser: WebDriver, selector: str) -> int:
    return int(browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".filter(img => img.complete && img.naturalWidth > 0).length", selector))


def _screenshot(browser: WebDriver, tmp_path: Path, name: str) -> None:
    time.sleep(0.2)  # let the swapped-in page paint before the picture
    browser.save_screenshot(str(tmp_path / name))
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy2(tmp_path / name, Path(SCREENSHOTS) / name)
