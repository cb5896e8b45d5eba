"""Debian's headless Chromium for the browser tests, set up one way for all of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1100,1400")
"""Quiet (nothing fetched in the background) and the same size on every machine."""


def chromium(profile: Path, why: str) -> tuple[webdriver.ChromeOptions, Service]:
    """Options and a driver service for Chromium with its own profile in ``profile``;
    the test fails, saying ``why`` the browser is needed, if it is not installed."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        pytest.fail(f"Debian's chromium and chromium-driver are needed for {why}; install "
                    "them with: sh scripts/setup.sh --dev")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return options, Service(executable_path=driver)
