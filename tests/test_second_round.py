"""Hostile input, second round (issue 23): what the bad-input catalogue cannot hold.

The catalogue (test_bad_input.py) runs refused clinic files through the command
line. These are the rest: a right-to-left name printed beside a number, files
the no-change check must not block on, paths and the lock, signals, the
terminal, and a render that would never end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import handout.build.workers
from handout.build.config import PROJECT_ROOT
from handout.cli.main import main
from handout.content.loader import load_content
from handout.content.model import Clinic
from handout.core.editions import EDITIONS
from handout.render.html import Look, footer_text, make_environment, render_leaflet
from handout.render.page import resolve

from .conftest import CONTENT_ARGS, FIXTURE_CONTENT, snapshot
from .test_bad_input import CLINIC, SVG_HEAD

HEBREW_NAME = "\u05de\u05e8\u05e4\u05d0\u05ea \u05d4\u05e2\u05de\u05e7 1"
"""A clinic name in a right-to-left script that ends in a digit: printed beside a
phone number without isolation, the number would be drawn inside the name."""


def build(content: Path, out: Path, *extra: str) -> int:
    return main(["--content", str(content), "--out", str(out), "--clinic", "oak-street",
                 "--jobs", "1", *extra])


def write_clinic(content: Path, text: str) -> None:
    (content / "clinics/oak-street.yaml").write_text(text, encoding="utf-8")


# --- class 1: every printed clinic field is isolated ------------------------------------


def test_every_printed_clinic_field_is_isolated() -> None:
    content = load_content(FIXTURE_CONTENT)
    clinic = Clinic(id="x", name=HEBREW_NAME, region="us", paper="letter", languages=["en"],
                    phone="(555) 010-3000", after_hours="(555) 010-3001",
                    address="\u05e8\u05d7\u05d5\u05d1 2", website="https://oak.example.org/a",
                    notes={"food-list": "\u05e9\u05dc\u05d5\u05dd"})
    look = Look(EDITIONS["standard"], (), "", {"ink": "#000000"})
    page = resolve(content, clinic, "en", "foods")
    html = render_leaflet(make_environment(PROJECT_ROOT / "templates"), page, look)
    for value in (HEBREW_NAME, "(555) 010-3000", "(555) 010-3001", "\u05e8\u05d7\u05d5\u05d1 2",
                  "https://oak.example.org/a", "\u05e9\u05dc\u05d5\u05dd"):
        assert f"<bdi>{value}</bdi>" in html, value
    assert re.findall(r"<p class=\"clinic-name\">(.*?)</p>", html) == [f"<bdi>{HEBREW_NAME}</bdi>"]
    # the footer is CSS text: the name and number between isolate marks (U+2068 ... U+2069)
    assert footer_text(page, isolate=True).split("\n")[0] == (
        f"\u2068{HEBREW_NAME}\u2069  |  Phone \u2068(555)\u00a0010-3000\u2069")
    assert "\\2068 " in html and "\\2069 " in html
    # the QR code is made from the very text that prints
    assert html.count("https://oak.example.org/a") == 3  # printed, aria-label, the QR's title


def test_clinic_text_is_normalised_to_one_spelling(content: Path) -> None:
    """"e" and a combining accent (as some editors save it) is "é", one character."""
    write_clinic(content, CLINIC.replace("Oak Street Surgery", "Cafe\u0301 Street Surgery"))
    from handout.content.clinic import load_clinic

    clinic = load_clinic(content / "clinics/oak-street.yaml", None)
    assert clinic.name == "Caf\u00e9 Street Surgery"


# --- class 3: bounded by construction -----------------------------------------------------


def test_a_pipe_or_a_folder_loop_in_the_content_does_not_stop_the_build(
        content: Path, tmp_path: Path) -> None:
    """The no-change check hashes everything under content/: a FIFO it opened would
    block for ever, and a link to '.' would make the walk endless."""
    os.mkfifo(content / "notes.txt")
    (content / "clinics/again").symlink_to(".")
    (content / "blocks/loop").symlink_to("..")
    write_clinic(content, CLINIC)
    started = time.perf_counter()
    assert build(content, tmp_path / "out") == 0
    assert build(content, tmp_path / "out") == 0  # and the no-change check after it
    assert time.perf_counter() - started < 60


def test_a_render_past_its_time_budget_fails_that_leaflet(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handout.build.workers, "RENDER_BUDGET_S", 0.001)
    write_clinic(content, CLINIC)
    monkeypatch.chdir(tmp_path)
    assert build(content, tmp_path / "out") == 1
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n  content/clinics/oak-street.yaml: "
        "leaflet 'safe-doses' for clinic 'oak-street' (en, standard edition): the renderer "
        "failed: it took more "
        "than 0 s and was stopped; look for a large or complicated logo or picture\n")
    assert not (tmp_path / "out").exists()


# --- class 5: paths and trust -------------------------------------------------------------


def test_the_logo_checked_is_the_logo_printed(content: Path, tmp_path: Path) -> None:
    """A percent sign is a character of the file name, never an escape: the renderer
    must not read 'logoA.svg' when the check read 'logo%41.svg'."""
    write_clinic(content, CLINIC + "logo:\n  file: logo%41.svg\n  alt: Oak Street Surgery\n")
    clinics = content / "clinics"
    (clinics / "logo%41.svg").write_bytes(SVG_HEAD + b'<rect width="10" height="10"/></svg>')
    (clinics / "logoA.svg").write_bytes(SVG_HEAD + b"<text>UNCHECKED-LOGO</text></svg>")
    assert build(content, tmp_path / "out") == 0
    html = (tmp_path / "out/oak-street/en/safe-doses.html").read_text(encoding="utf-8")
    assert 'src="logo%2541.svg"' in html
    assert b"UNCHECKED-LOGO" not in (tmp_path / "out/oak-street/en/safe-doses.pdf").read_bytes()


def test_a_clinic_from_elsewhere_may_not_replace_a_shipped_clinics_leaflets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --out the leaflets go to the project's output folder: a file named
    default.yaml from anywhere would overwrite the shipped default clinic's."""
    elsewhere = tmp_path / "elsewhere/default.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CLINIC.replace("id: oak-street", "id: default"), encoding="utf-8")
    output = PROJECT_ROOT / "output"
    before = snapshot(output) if output.is_dir() else None
    monkeypatch.chdir(tmp_path)
    assert main([*CONTENT_ARGS, "--clinic", str(elsewhere)]) == 1
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n  elsewhere/default.yaml: clinic id "
        f"'default' is also the id of {FIXTURE_CONTENT / 'clinics/default.yaml'}, whose "
        "leaflets this build would replace in the output folder: change the id, or give "
        "--out another folder\n")
    assert (snapshot(output) if output.is_dir() else None) == before
    assert main([*CONTENT_ARGS, "--clinic", str(elsewhere), "--out", str(tmp_path / "out"),
                 "--jobs", "1"]) == 0


def test_a_lock_that_is_a_link_is_refused(content: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out, target = tmp_path / "out", tmp_path / "outside/created-by-the-build"
    out.mkdir()
    target.parent.mkdir()
    (out / ".build.lock").symlink_to(target)
    write_clinic(content, CLINIC)
    assert build(content, out) == 1
    assert capsys.readouterr().err == (
        f"build.py: error: {out / '.build.lock'} is a link; delete it (the build makes its "
        "own lock file): earlier output is unchanged\n")
    assert not target.exists()
    assert [p.name for p in out.iterdir()] == [".build.lock"]


@pytest.mark.parametrize(("entry", "problem"), [
    ({"clinic": "../../..", "path": "../../../escaped.pdf"},
     "its clinic '../../..' is not an id"),
    ({"path": "../escaped.pdf"},
     "its path '../escaped.pdf' should be 'oak-street/en/safe-doses.pdf'"),
    ({"edition": "poster"},
     "its edition 'poster' is not one of standard, large-print, press, easy-read, booklet, web"),
])
def test_merge_manifests_writes_nothing_a_shard_names_outside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        entry: dict[str, str], problem: str) -> None:
    shard = tmp_path / "shard"
    (shard / "oak-street/en").mkdir(parents=True)
    pdf = b"%PDF-1.7 shard\n"
    (shard / "oak-street/en/safe-doses.pdf").write_bytes(pdf)
    (shard / "oak-street/en/safe-doses.html").write_text("<html></html>")
    (tmp_path / "escaped.pdf").write_bytes(pdf)  # the same bytes, where '..' leads
    import hashlib

    listed = {"clinic": "oak-street", "lang": "en", "leaflet": "safe-doses",
              "edition": "standard", "path": "oak-street/en/safe-doses.pdf", "pages": 1,
              "bytes": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest(), **entry}
    (shard / "manifest.json").write_text(json.dumps({"outputs": [listed]}))
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    assert main(["merge-manifests", str(shard), "--out", str(tmp_path / "merged")]) == 1
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n  shard/manifest.json: an entry is not one "
        f"this tool writes: {problem}; build that shard again\n")
    assert snapshot(tmp_path) == before


# --- class 6: signals and staged files ----------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_a_build_as_ctrl_c_does(tmp_path: Path,
                                                        stop: signal.Signals) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "build.py", *CONTENT_ARGS, "--clinic", "default", "--out", str(out)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    while process.poll() is None and not children.read_text().strip():  # workers: it runs
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    if process.returncode != 0:  # it may have finished first on a quiet machine
        assert (process.returncode, err) == (128 + stop, (
            "build.py: interrupted; no partial file was written (every PDF in the output "
            "folder is complete)\n"))
    assert not list(out.rglob("*.tmp"))


def test_staged_files_a_killed_build_left_are_removed(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "oak-street/en").mkdir(parents=True)
    stale = [out / ".manifest.json.k2j4h_x1.tmp",
             out / "oak-street/en/.safe-doses.pdf.a8x_2kq0.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    kept = out / "oak-street/en/notes.tmp"  # not a name the build stages under
    kept.write_bytes(b"someone's file")
    write_clinic(content, CLINIC)
    assert build(content, out) == 0
    assert [path.exists() for path in stale] == [False, False]
    assert kept.read_bytes() == b"someone's file"


# --- class 4: a terminal that is not UTF-8 --------------------------------------------------


def test_a_terminal_that_is_not_utf8_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    """Spanish words, an em dash and '≥' in the summary: latin-1 has some, not all."""
    result = subprocess.run(
        [sys.executable, "build.py", *CONTENT_ARGS, "--clinic", "riverside-family",
         "--leaflet", "foods", "--out", str(tmp_path / "out"), "--verbose", "check"],
        cwd=PROJECT_ROOT, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert "the Espa\u00f1ol translation".encode("latin-1") in result.stdout  # ñ is latin-1
    assert b"92 \\u2265 70" in result.stdout  # '≥' is not: escaped


def test_a_next_review_past_the_year_9999_is_the_last_date_there_is() -> None:
    """A sign-off dated in 9999 must not end a build in a traceback: its review is
    due on the last day a date can hold."""
    from handout.content.clinic import add_months

    assert add_months(dt.date(9999, 6, 1), 24) == dt.date(9999, 12, 31)
    assert add_months(dt.date(9999, 6, 30), 5) == dt.date(9999, 11, 30)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 10, 1), 24) == dt.date(2028, 10, 1)
