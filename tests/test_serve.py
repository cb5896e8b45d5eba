"""``build.py serve``'s command line; the preview itself is tested in a browser
(test_preview_browser.py)."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from handout.build.config import Project, Selection
from handout.cli.main import main
from handout.preview.connections import MAX_THREADS, PreviewServer
from handout.preview.server import _Handler, _Site
from handout.preview.state import Snapshot, _NotIn

from .conftest import FIXTURE_CONTENT


def test_a_port_in_use_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"build.py: error: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another port with --port, or 0 for any free one\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "8000"], "--port is for serve: python build.py serve --port 8000"),
    (["serve", "--port", "70000"], "--port must be from 0 to 65535, not 70000"),
    (["serve", "--force"], "serve builds what changed, for every chosen clinic: drop --force"),
])
def test_port_usage(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"build.py: error: {message}\n"


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[Callable[..., tuple[int, str]]]:
    """The preview's web server, in this process, showing a build that failed on a
    line holding HTML; returns a function to GET a path (status, body)."""
    problem = "content/clinics/x.yaml:3:7: 'name' must be text, not '<script>alert(1)</script>'"
    snapshot = Snapshot(4, (), None, (problem,), False)
    preview = SimpleNamespace(snapshot=snapshot, out_dir=tmp_path, selection=Selection())
    server = PreviewServer(("127.0.0.1", 0), _Handler)
    project = Project(content_dir=FIXTURE_CONTENT)
    server.site = _Site(preview, project, desk_only=False)  # type: ignore[attr-defined,arg-type]
    # polled often, so that shutting it down takes a moment rather than half a second
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()

    def get(path: str, host: str = "127.0.0.1") -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1],
                                                timeout=10)
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()

    get.port = server.server_address[1]  # type: ignore[attr-defined]
    yield get
    server.shutdown()
    server.server_close()


def test_a_failed_build_is_shown_in_its_own_words_and_escaped(
        pages: Callable[..., tuple[int, str]]) -> None:
    status, body = pages("/")
    assert status == 200
    assert ("<li><code>content/clinics/x.yaml:3:7: &#39;name&#39; must be text, not "
            "&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;</code></li>") in body
    assert "<h2 id=\"problems-title\">1 problem found, so nothing was rebuilt</h2>" in body
    assert "No leaflet has been built yet. Fix the problem above and save." in body


def test_only_this_computer_and_only_the_build_are_served(
        pages: Callable[..., tuple[int, str]]) -> None:
    assert pages("/", host="evil.example:8000") == (
        403, "Open the preview at http://127.0.0.1 or http://localhost\n")
    assert pages("/", host="localhost:8000")[0] == 200
    missing = "Not in the last good build. Go back to the list: /\n"
    assert pages(f"/image/{'a' * 64}/0-240.png") == (404, missing)
    assert pages(f"/pdf/{'a' * 64}/foods.pdf") == (404, missing)
    assert pages("/../../etc/passwd") == (404, missing)
    status, body = pages("/leaflet/riverside-family/en/foods/standard")
    assert status == 404
    assert "<code>riverside-family/en/foods/standard</code> was not built." in body


def test_an_idle_connection_is_closed(pages: Callable[..., tuple[int, str]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser's idle keep-alive, or a client that sends half a request, would
    otherwise hold one of the server's threads for ever."""
    monkeypatch.setattr(_Handler, "timeout", 0.3)
    status, _ = pages("/")  # learn the port from a request that works
    assert status == 200
    port = pages.port  # type: ignore[attr-defined]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
        idle.sendall(b"GET / HTTP/1.1\r\n")  # and never the rest
        started = time.monotonic()
        assert idle.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 5


def test_a_burst_of_requests_is_served_by_a_bounded_number_of_threads(
        pages: Callable[..., tuple[int, str]]) -> None:
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            serving = sum("process_request_thread" in t.name for t in threading.enumerate())
            peak = max(peak, serving)
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=200) as clients:
        statuses = list(clients.map(lambda _: pages("/")[0], range(200)))
    done.set()
    sampler.join()
    assert statuses == [200] * 200
    assert 1 <= peak <= MAX_THREADS
    assert time.monotonic() - started < 30


def test_the_watcher_ignores_pipes_and_sockets(tmp_path: Path) -> None:
    """A named pipe saved into content/ is read by no build: no reason to rebuild."""
    watched = _NotIn(tmp_path / "out")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "clinic.yaml").write_text("id: x\n")
    assert not watched(None, str(tmp_path / "pipe.yaml"))
    assert watched(None, str(tmp_path / "clinic.yaml"))
    assert watched(None, str(tmp_path / "deleted.yaml"))  # gone: a change to rebuild for
    assert not watched(None, str(tmp_path / "out/oak/en/foods.pdf"))
