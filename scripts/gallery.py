"""Render the first page of each edition to PNG for the README gallery.

Run after a build of every edition:
    .venv/bin/python build.py --clinic riverside-family --edition standard \\
        --edition large-print --edition press --edition booklet
    .venv/bin/python build.py --clinic riverside-family --lang en --edition easy-read
    .venv/bin/python scripts/gallery.py
"""

from __future__ import annotations

import sys
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
