"""Hostile input and a hostile runtime: nothing leaks, nothing is lost, no traceback."""

from __future__ import annotations

import errno
import fcntl
import http.server
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

import handout.build.output
from handout.build.config import PROJECT_ROOT
from handout.cli.main import main
from handout.render.pdf import PdfRenderer

from .conftest import CONTENT_ARGS, snapshot
from .pdfs import text_of
from .test_bad_input import CLINIC

SECRET = "TOP-SECRET-PATIENT-LIST"


def write_clinic(content: Path, text: str) -> None:
    (content / "clinics/oak-street.yaml").write_text(text, encoding="utf-8")


def build(content: Path, out: Path, *extra: str) -> int:
    return main(["--content", str(content), "--out", str(out), "--clinic", "oak-street",
                 *extra])


def test_markup_in_text_fields_prints_as_text(content: Path, tmp_path: Path) -> None:
    write_clinic(content, CLINIC.replace("name: Oak Street Surgery",
                                         "name: <script>alert(1)</script> & <b>Co</b>")
                 + "address: <img src=x onerror=alert(1)>\n"
                 + "notes:\n  your-plan: <a href='https://evil.example'>Click here</a>\n")
    assert build(content, tmp_path / "out") == 0
    pdf = tmp_path / "out/oak-street/en/safe-doses.pdf"
    text = text_of(pdf)
    assert "<script>alert(1)</script> & <b>Co</b>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<a href='https://evil.example'>Click here</a>" in text
    assert all("/Annots" not in page for page in PdfReader(pdf).pages)  # no link was made


def test_longest_allowed_name_still_fits(content: Path, tmp_path: Path) -> None:
    name = "The Oak Street and Riverside Family Practice and Restless Legs Sleep Clinic"
    name = (name + " Annex")[:80]
    write_clinic(content, CLINIC.replace("name: Oak Street Surgery", f"name: {name}"))
    assert build(content, tmp_path / "out", "--edition", "standard",
                 "--edition", "large-print") == 0


def test_unbreakable_name_wraps_instead_of_overflowing(content: Path, tmp_path: Path) -> None:
    """No space to break at: the name wraps mid-word; the layout check finds nothing."""
    write_clinic(content, CLINIC.replace("name: Oak Street Surgery",
                                         "name: " + "Oakstreetsurgery" * 5))
    assert build(content, tmp_path / "out", "--edition", "standard",
                 "--edition", "large-print") == 0


def test_output_folder_that_cannot_be_made(content: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    write_clinic(content, CLINIC)
    assert build(content, blocker / "leaflets") == 1
    assert capsys.readouterr().err == (
        f"build.py: error: cannot write to {blocker / 'leaflets'}: Not a directory. Check "
        "that the folder exists, is writable and has free space; earlier output is "
        "unchanged\n")


def test_a_write_that_fails_midway_keeps_every_old_file(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    write_clinic(content, CLINIC.replace("leaflets: [safe-doses]", "leaflets: []"))
    out = tmp_path / "out"
    assert build(content, out) == 0
    before = snapshot(out)
    real_stage = handout.build.output._stage
    calls = []

    def disk_fills_up(path: Path, data: bytes) -> tuple[Path, Path]:
        calls.append(path)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_stage(path, data)

    monkeypatch.setattr(handout.build.output, "_stage", disk_fills_up)
    write_clinic(content, CLINIC.replace("leaflets: [safe-doses]", "leaflets: []")
                 .replace("(555) 010-3000", "(555) 010-4000"))
    capsys.readouterr()
    assert build(content, out) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(out) == before


def test_a_second_build_waits_for_the_first_to_finish_writing(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_clinic(content, CLINIC)
    out = tmp_path / "out"
    out.mkdir()
    asking = threading.Event()
    real_flock = fcntl.flock

    def flock(handle: object, operation: int) -> None:
        if operation == fcntl.LOCK_EX:
            asking.set()
        real_flock(handle, operation)  # type: ignore[arg-type]

    monkeypatch.setattr(handout.build.output.fcntl, "flock", flock)
    result: list[int] = []
    with open(out / handout.build.output.LOCK, "a+b") as lock:
        real_flock(lock, fcntl.LOCK_EX)  # another build is writing
        worker = threading.Thread(target=lambda: result.append(build(content, out)))
        worker.start()
        assert asking.wait(timeout=60)
        time.sleep(0.3)
        assert worker.is_alive()  # still waiting for the lock
        assert not (out / "oak-street/en/safe-doses.pdf").exists()
        real_flock(lock, fcntl.LOCK_UN)
    worker.join(timeout=60)
    assert result == [0]
    assert (out / "oak-street/en/safe-doses.pdf").is_file()
    assert not list(out.rglob("*.tmp"))


def test_ctrl_c_in_the_middle_leaves_no_partial_file(tmp_path: Path) -> None:
    """Interrupt a real build at several moments; every PDF left is whole."""
    out = tmp_path / "out"
    (out / "default/en").mkdir(parents=True)
    earlier = b"%PDF-1.7 earlier build\n"
    (out / "default/en/foods.pdf").write_bytes(earlier)
    for delay in (0.3, 1.5, 2.5):
        process = subprocess.Popen(
            [sys.executable, "build.py", *CONTENT_ARGS, "--clinic", "default",
             "--out", str(out)],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err
        # -SIGINT: interrupted while Python itself was starting, before any code ran
        assert process.returncode in (0, 130, -signal.SIGINT), err
        if process.returncode == 130:
            assert err.startswith("build.py: interrupted;"), err
        assert not list(out.rglob("*.tmp"))
        foods = (out / "default/en/foods.pdf").read_bytes()
        assert foods == earlier or (foods.startswith(b"%PDF-") and foods.rstrip().endswith(
            b"%%EOF"))


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


def test_the_renderer_reads_nothing_outside_and_reaches_no_network(tmp_path: Path) -> None:
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "notes.txt").write_text(SECRET)
    (secret / "style.css").write_text(f'body::after {{ content: "{SECRET}"; }}')
    (secret / "pixel.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>')
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    web = f"http://127.0.0.1:{server.server_port}"
    private = secret.as_uri()
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{private}/style.css">
      <link rel="stylesheet" href="{web}/style.css">
      <link rel="attachment" href="{private}/notes.txt">
      <style>@import url("{private}/style.css"); @import url("{web}/a.css");
        p {{ background: url("{private}/pixel.svg"); }}</style></head>
      <body><p>Visible</p>
      <img src="{private}/pixel.svg" alt="x"><img src="{web}/x.png" alt="x">
      <a rel="attachment" href="{private}/notes.txt">notes</a>
      <object data="{private}/pixel.svg"></object><embed src="{private}/notes.txt">
      <iframe src="{private}/notes.txt"></iframe></body></html>"""
    try:
        result = PdfRenderer([PROJECT_ROOT / "styles"]).render(html, PROJECT_ROOT / "styles",
                                                               "pdf/ua-1")
    finally:
        server.shutdown()
    assert SECRET.encode() not in result.data
    assert b"/EmbeddedFile" not in result.data
    assert _CountingHandler.requests == []
    refused = [w for w in result.warnings if "outside the folders" in w
               or "only files inside the project" in w]
    assert len(refused) >= 6, result.warnings
