"""Render the first page of each edition to PNG for the README gallery, and the
web edition's page as a phone shows it (Debian's Chromium, 320 px wide).

Run after a build of every edition:
    .venv/bin/python build.py --clinic riverside-family --edition standard \\
        --edition large-print --edition press --edition booklet --edition web
    .venv/bin/python build.py --clinic riverside-family --lang en --edition easy-read
    .venv/bin/python scripts/gallery.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handout.render.thumbnails import page_png  # noqa: E402 (after the project is on the path)

SOURCE = ROOT / "output" / "riverside-family" / "en"
PAGES = {
    "standard": ("safe-doses.pdf", 0),
    "large-print": ("safe-doses.large-print.pdf", 0),
    "press": ("safe-doses.press.pdf", 0),
    "booklet-cover": ("booklet.pdf", 0),
    "easy-read": ("safe-doses.easy-read.pdf", 1),  # "Get help now", as a reader finds it
}
WIDTH_PX = 360
WEB_PAGE = "safe-doses.web.html"
PHONE_PX = (320, 1100)
"""The narrowest phone WCAG reflows for, and its first screens."""


def main() -> int:
    target = ROOT / "docs" / "gallery"
    target.mkdir(parents=True, exist_ok=True)
    for name, (file_name, index) in PAGES.items():
        path = SOURCE / file_name
        if not path.is_file():
            print(f"gallery: {path} is missing; build every edition first", file=sys.stderr)
            return 1
        (target / f"{name}.png").write_bytes(page_png(path.read_bytes(), index, WIDTH_PX))
        print(f"wrote docs/gallery/{name}.png")
    return _phone_picture(SOURCE / WEB_PAGE, target / "web-phone.png")


def _phone_picture(page: Path, picture: Path) -> int:
    chromium = shutil.which("chromium")
    if not page.is_file() or not chromium:
        print(f"gallery: {page} or chromium is missing; build the web edition and run "
              "sh scripts/setup.sh --dev", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--user-data-dir={profile}",
                        f"--window-size={PHONE_PX[0]},{PHONE_PX[1]}",
                        f"--screenshot={picture}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {picture.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
