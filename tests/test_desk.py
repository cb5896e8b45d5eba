"""One patient's plan is stored nowhere: after a command-line run and after a run of
the desk's form, the patient's name is in no file of the output folder, the project
or the temporary folder, and in no line the command or the server printed; the
output folder is byte-identical. And the desk's form guards its input: POST only
with the run's token, the Host check, a body size limit, no caching of the PDF.

Each run is a real process on a copy of the project, with its own temporary
folder (``TMPDIR``), so what it leaves behind is its own.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import snapshot
from .pdfs import text_of

NAME = "Wilhelmina Zorbaugh-Quist"
"""A name that appears nowhere else, to search for."""
WAIT_S = 90


def _holding(folder: Path, needle: str) -> list[str]:
    """Every file under ``folder`` whose name or bytes hold ``needle``."""
    found = []
    for path in folder.rglob("*"):
        if needle in path.name or (path.is_file() and needle.encode() in path.read_bytes()):
            found.append(str(path))
    return found


@pytest.fixture
def desk_project(project: Path, built: Path, tmp_path: Path) -> Path:
    """The project copy with a built output folder, and an empty temporary folder."""
    shutil.copytree(built, project / "output")
    (tmp_path / "tmpdir").mkdir()
    return project


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmp_path / "tmpdir"), "PYTHONUNBUFFERED": "1"}


def test_a_plan_from_the_command_line_is_stored_nowhere(desk_project: Path,
                                                        tmp_path: Path) -> None:
    before = snapshot(desk_project / "output")
    printed = tmp_path / "printed"
    printed.mkdir()
    plan = printed / "plan.pdf"
    command = [sys.executable, "build.py", "patient", "--clinic", "riverside-family",
               "--leaflet", "safe-doses", "--age-group", "adult", "--dose-mg", "200",
               "--name", NAME, "--by", "Nurse Okafor"]
    to_file = subprocess.run([*command, "--out", str(plan)], cwd=desk_project,
                             env=_env(tmp_path), capture_output=True, check=False)
    to_stdout = subprocess.run([*command, "--out", "-"], cwd=desk_project, env=_env(tmp_path),
                               capture_output=True, check=False)
    assert (to_file.returncode, to_stdout.returncode) == (0, 0), to_file.stderr + to_stdout.stderr
    assert NAME in text_of(plan)
    (printed / "stdout.pdf").write_bytes(to_stdout.stdout)
    assert NAME in text_of(printed / "stdout.pdf")
    assert to_file.stdout == b""
    for said in (to_file.stderr, to_stdout.stderr):
        assert NAME.encode() not in said
    assert list((tmp_path / "tmpdir").iterdir()) == []
    assert snapshot(desk_project / "output") == before
    assert _holding(desk_project, NAME) == []


@dataclass
class DeskServer:
    url: str
    port: int
    log: list[str]
    process: subprocess.Popen[str]

    def request(self, method: str, path: str, body: bytes = b"",
                headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers={
            "Host": f"127.0.0.1:{self.port}", **(headers or {})})
        return connection.getresponse()

    def token(self) -> str:
        page = self.request("GET", "/patient").read().decode()
        match = re.search(r'name="token" value="([^"]+)"', page)
        assert match, page
        return match.group(1)

    def post(self, fields: dict[str, str | list[str]],
             headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        body = urlencode(fields, doseq=True).encode()
        return self.request("POST", "/patient", body, {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=30)


@pytest.fixture
def desk(desk_project: Path, tmp_path: Path) -> Iterator[DeskServer]:
    """``build.py serve --desk`` on the copy, on a free port."""
    process = subprocess.Popen([sys.executable, "build.py", "serve", "--desk", "--port", "0"],
                               cwd=desk_project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=_env(tmp_path))
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stdout or ()), daemon=True)
    reader.start()
    deadline = time.monotonic() + WAIT_S
    while not any(line.startswith("Desk: http://127.0.0.1:") for line in log):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("build.py serve --desk did not start:\n" + "".join(log))
        time.sleep(0.1)
    url = next(line for line in log if line.startswith("Desk:")).split()[1]
    server = DeskServer(url, int(url.split(":")[2].split("/")[0]), log, process)
    try:
        yield server
    finally:
        if process.poll() is None:
            server.stop()
        reader.join(timeout=5)


PLAN_FIELDS: dict[str, str | list[str]] = {
    "clinic": "riverside-family", "leaflet": ["safe-doses", "warnings"], "lang": "en",
    "edition": "standard", "age-group": "adult", "dose-mg": "200", "times-a-day": "",
    "form": "magnesium citrate", "timing": "with your evening meal", "name": NAME,
    "follow-up": "", "by": "Nurse Okafor"}


def test_a_plan_from_the_desk_is_stored_nowhere(desk: DeskServer, desk_project: Path,
                                                tmp_path: Path) -> None:
    before = snapshot(desk_project / "output")
    response = desk.post({**PLAN_FIELDS, "token": desk.token()})
    pdf = response.read()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Cache-Control") == "no-store"
    (tmp_path / "plan.pdf").write_bytes(pdf)
    assert NAME in text_of(tmp_path / "plan.pdf")
    # a plan refused on the form keeps the name in the page sent back, and nowhere else
    refused = desk.post({**PLAN_FIELDS, "dose-mg": "351", "token": desk.token()})
    assert refused.status == 400 and NAME in refused.read().decode()
    assert _holding(tmp_path / "tmpdir", NAME) == []
    assert desk.stop() == 0
    assert NAME not in "".join(desk.log)
    assert list((tmp_path / "tmpdir").iterdir()) == []  # WeasyPrint's fonts folder too
    assert snapshot(desk_project / "output") == before
    assert _holding(desk_project, NAME) == []


def test_the_desk_refuses_what_it_must(desk: DeskServer) -> None:
    token = desk.token()
    no_token = desk.post(PLAN_FIELDS)
    assert (no_token.status, no_token.read()) == (403, (
        b"This form is out of date, or came from elsewhere. Open /patient again and fill "
        b"it in.\n"))
    assert desk.post({**PLAN_FIELDS, "token": token[::-1]}).status == 403
    foreign = desk.post({**PLAN_FIELDS, "token": token}, {"Host": "desk.example.org"})
    assert (foreign.status, foreign.read()) == (
        403, b"Open the preview at http://127.0.0.1 or http://localhost\n")
    big = desk.request("POST", "/patient", b"token=" + b"x" * 20_000,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert (big.status, big.read()) == (413, b"A plan's form is at most 16384 bytes.\n")
    # a clinic is chosen from the list, never named by a path to some other file
    other = desk.post({**PLAN_FIELDS, "clinic": "/etc/hostname.yaml", "token": token})
    assert other.status == 400
    assert ('<p class="field-error" id="clinic-error"><strong>Error:</strong> choose one of '
            'the clinics listed</p>') in other.read().decode()
    # only the desk and the built PDFs: no editing preview
    home = desk.request("GET", "/")
    assert (home.status, home.getheader("Location")) == (303, "/patient")
    assert desk.request("GET", "/leaflet/riverside-family/en/foods/standard").status == 404
    assert desk.request("GET", "/events").status == 404
    page = desk.request("GET", "/patient").read().decode()
    blank = re.search(r'href="(/pdf/[0-9a-f]{64}/foods\.pdf)"', page)
    assert blank, page
    pdf = desk.request("GET", blank.group(1))
    assert (pdf.status, pdf.read()[:5]) == (200, b"%PDF-")
    assert NAME not in "".join(desk.log)


def test_the_forms_errors_sit_beside_their_fields(desk: DeskServer) -> None:
    response = desk.post({**PLAN_FIELDS, "dose-mg": "351", "follow-up": "2027-02-30",
                          "token": desk.token()})
    page = response.read().decode()
    assert response.status == 400
    assert "<title>Error: Print a patient's plan</title>" in page
    assert ('aria-describedby="dose-mg-hint dose-mg-error" aria-invalid="true"' in page)
    error = re.search(r'<p class="field-error" id="dose-mg-error"><strong>Error:</strong> '
                      r'([^<]+)</p>', page)
    assert error and error.group(1) == (
        "a dose of 351 mg a day is over the US limit for adults of 350 mg a day from "
        "supplements (Magnesium: fact sheet for health professionals. US National Institutes "
        "of Health, Office of Dietary Supplements.). Lower it to 350 mg a day or less; a "
        "higher dose is the doctor&#39;s to write by hand")
    assert '<a href="#follow-up">Come back on</a>: &#39;2027-02-30&#39; is not a date' in page
    assert 'value="magnesium citrate"' in page  # what was typed stays, to correct
