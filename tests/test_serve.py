"""``build.py serve``'s command line; the preview itself is tested in a browser
(test_preview_browser.py)."""

from __future__ import annotations

import socket

import pytest

from handout.cli import main


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
])
def test_port_usage(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"build.py: error: {message}\n"
