"""Benchmark: one patient's plan, cold from the command line and warm at the desk.

Run from the project folder:  .venv/bin/python bench/patient.py

Times, as wall-clock seconds and medians of 5 runs, a named adult's plan of two
leaflets (riverside-family, safe-doses and warnings, with a dose, form, timing,
follow-up date and the nurse's name):

- cold: ``build.py patient ... --out FILE`` as a fresh process each time;
- warm: the same plan posted to ``build.py serve --desk``'s form, after one
  plan has warmed the server (its first plan loads WeasyPrint; shown apart).

The plans go to a temporary folder that is removed at the end.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
FOLLOW_UP = (dt.date.today() + dt.timedelta(days=42)).isoformat()
PLAN = {"clinic": "riverside-family", "leaflet": ["safe-doses", "warnings"], "lang": "en",
        "edition": "standard", "age-group": "adult", "dose-mg": "200",
        "form": "magnesium citrate", "timing": "with your evening meal",
        "name": "Benchmark Patient", "follow-up": FOLLOW_UP, "by": "Nurse Bench"}


def cold(folder: Path) -> list[float]:
    command = [sys.executable, "build.py", "patient", "--out", str(folder / "plan.pdf")]
    for key, value in PLAN.items():
        for one in value if isinstance(value, list) else [value]:
            command += [f"--{key}", one]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def warm() -> tuple[float, list[float]]:
    server = subprocess.Popen([sys.executable, "build.py", "serve", "--desk", "--port", "0"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[1]
        page = urllib.request.urlopen(url).read().decode()
        match = re.search(r'name="token" value="([^"]+)"', page)
        assert match, page
        body = urlencode({**PLAN, "token": match.group(1)}, doseq=True).encode()

        def post() -> float:
            start = time.perf_counter()
            with urllib.request.urlopen(url, data=body) as response:
                assert response.read(5) == b"%PDF-"
            return time.perf_counter() - start

        first = post()
        return first, [post() for _ in range(RUNS)]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cold_times = cold(Path(folder))
    first, warm_times = warm()
    print(f"cold, build.py patient: median {statistics.median(cold_times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in cold_times)})")
    print(f"warm, serve --desk: median {statistics.median(warm_times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in warm_times)}); the server's first plan "
          f"{first:.2f} s")


if __name__ == "__main__":
    main()
