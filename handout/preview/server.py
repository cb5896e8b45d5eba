"""``python build.py serve``: the leaflets in a browser, rebuilt as their files are saved.

Built on the standard library's threading HTTP server, on 127.0.0.1 only: the
preview is for the person at this computer. Pages:

- ``/``: every leaflet of the last good build, with a picture of its first page;
- ``/leaflet/CLINIC/LANG/LEAFLET/EDITION``: the leaflet page by page as it will
  print, with a link to its PDF; ``/web/...``: a web page as built (``outputs.py``);
- ``/events``: server-sent events, so a page swaps in a new build without reloading;
- ``/patient``: the desk's form for one patient's plan (``desk.py``); with ``--desk``
  only it and the built PDFs, for a reception computer.

A build's problem tops every page in its own words (``file:line:column: ...``).
"""

from __future__ import annotations

import json
import re
import secrets
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from handout.build.attempt import EXIT_OK, Reporter
from handout.build.config import Project, Selection, UsageError
from handout.build.workers import RenderPool
from handout.core.editions import EDITIONS, SINGLE_FILES
from handout.core.errors import display_path
from handout.preview.connections import REQUEST_TIMEOUT_S, PreviewServer
from handout.preview.desk import MAX_BODY, DeskPage
from handout.preview.outputs import (
    WEB_PATH,
    WEB_POLICY,
    Replaced,
    built_bytes,
    language_name,
    page_picture,
    pdf_summary,
    web_summary,
)
from handout.preview.state import Leaflet, Preview, Snapshot
from handout.render.thumbnails import PdfSummary

HOST = "127.0.0.1"
LOCAL_NAMES = {HOST, "localhost"}
THUMBNAIL_PX = 240
PAGE_PX = 1200
"""Page pictures are drawn this wide and shown about 800 px wide: sharp on most screens."""
KEEPALIVE_S = 15.0
BOOT = secrets.token_hex(4)
"""Names this run of the server in event ids: a page left open across a restart
must not wait for the new run's count to pass its old one."""
LEAFLET_PATH = re.compile(r"/leaflet/([a-z0-9-]+)/([a-zA-Z-]+)/([a-z0-9-]+)/([a-z-]+)")
IMAGE_PATH = re.compile(r"/image/([0-9a-f]{64})/(\d+)-(\d+)\.png")
PDF_PATH = re.compile(r"/pdf/([0-9a-f]{64})/[^/]+\.pdf")


def serve(project: Project, selection: Selection, out_dir: Path, reporter: Reporter,
          port: int, desk: bool = False) -> int:
    """Build, then serve the preview and rebuild on every save until Ctrl-C; with
    ``desk``, serve only the desk's page and the built PDFs, and build nothing."""
    if selection.force or selection.shard:
        raise UsageError("serve builds what changed, for every chosen clinic: drop "
                         f"{'--force' if selection.force else '--shard'}")
    try:
        server = PreviewServer((HOST, port), _Handler)
    except OSError as exc:
        raise UsageError(f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another "
                         "port with --port, or 0 for any free one") from exc
    server.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager or a test
    preview = None
    try:
        # kept for every rebuild; forkserver, as the web server runs threads (RenderPool)
        preview = Preview(project, selection, out_dir, reporter, None if desk else lambda:
                          _warm_pool(project, selection.jobs))
        server.site = _Site(preview, project, desk)  # type: ignore[attr-defined]
        address = f"http://{HOST}:{server.server_address[1]}"
        if desk:  # printed even with --quiet: with --port 0 it is the only way to find it
            print(f"Desk: {address}/patient (Ctrl-C to stop)", flush=True)
        else:
            preview.rebuild()
            threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
            print(f"Preview: {address}/ (Ctrl-C to stop); watching "
                  f"{', '.join(display_path(p) for p in preview.watched())}", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        reporter.say("stopped; the output folder holds the last good build")
    finally:
        stop.set()
        server.server_close()
        if preview is not None:
            preview.close()
            server.site.desk.close()  # type: ignore[attr-defined]
    return EXIT_OK


def _warm_pool(project: Project, workers: int) -> RenderPool:
    pool = RenderPool(project.render_folders, workers, forked=True, start_method="forkserver")
    pool.warm()
    return pool


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: stop serving and let the render workers go, not orphan them."""
    raise KeyboardInterrupt


class _Site:
    """Turns the preview's state into pages, pictures and PDFs."""

    def __init__(self, preview: Preview, project: Project, desk_only: bool) -> None:
        self.preview = preview
        self.env = Environment(loader=FileSystemLoader(project.templates / "preview"),
                               autoescape=select_autoescape(["j2"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.stylesheet = project.templates / "preview" / "preview.css"
        self.desk_only = desk_only
        self.desk = DeskPage(project, preview.selection.clinics, self.env,
                             self.stylesheet.read_text(encoding="utf-8"), language_name)

    def index(self, snapshot: Snapshot) -> str:
        groups: dict[tuple[str, str], list[tuple[Leaflet, PdfSummary]]] = {}
        editions = list(EDITIONS)
        in_order = sorted(snapshot.leaflets, key=lambda leaflet: (
            leaflet.entry.clinic, leaflet.entry.lang, leaflet.entry.leaflet in SINGLE_FILES,
            leaflet.entry.leaflet, editions.index(leaflet.entry.edition)))
        for leaflet in in_order:
            entry = leaflet.entry
            groups.setdefault((entry.clinic, entry.lang), []).append(
                (leaflet, self.summary(leaflet, with_text=False)))
        return self._page("index.html.j2", snapshot, groups=[
            {"clinic": items[0][1].author or clinic, "clinic_id": clinic,
             "language": language_name(lang), "lang": lang, "items": items}
            for (clinic, lang), items in groups.items()])

    def leaflet(self, snapshot: Snapshot, leaflet: Leaflet) -> str:
        return self._page("leaflet.html.j2", snapshot, leaflet=leaflet,
                          summary=self.summary(leaflet), page_px=PAGE_PX,
                          language=language_name(leaflet.entry.lang))

    def missing(self, snapshot: Snapshot, slug: str) -> str:
        return self._page("missing.html.j2", snapshot, slug=slug)

    def _page(self, template: str, snapshot: Snapshot, **context: Any) -> str:
        return self.env.get_template(template).render(
            snapshot=snapshot, stylesheet=self.stylesheet.read_text(encoding="utf-8"), boot=BOOT,
            thumbnail_px=THUMBNAIL_PX, **context)

    def summary(self, leaflet: Leaflet, with_text: bool = True) -> PdfSummary:
        if not EDITIONS[leaflet.entry.edition].paged:  # a web page: no pages to draw
            return web_summary(self.pdf_path(leaflet), leaflet.entry.sha256)
        return pdf_summary(self.pdf_path(leaflet), leaflet.entry.sha256, with_text)

    def pdf_path(self, leaflet: Leaflet) -> Path:
        return self.preview.out_dir / leaflet.entry.path

    def by_digest(self, digest: str) -> Leaflet | None:
        return next((leaflet for leaflet in self.preview.snapshot.leaflets
                     if leaflet.entry.sha256 == digest), None)

    def picture(self, leaflet: Leaflet, index: int, width: int) -> bytes | None:
        if (index >= leaflet.entry.pages or width not in (THUMBNAIL_PX, PAGE_PX)
                or not EDITIONS[leaflet.entry.edition].paged):
            return None
        return page_picture(self.pdf_path(leaflet), leaflet.entry.sha256, index, width)


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT_S

    @property
    def site(self) -> _Site:
        return self.server.site  # type: ignore[attr-defined,no-any-return]

    def _foreign_host(self) -> bool:
        """Another site's page reaching this server through a DNS name of its own."""
        if self.headers.get("Host", "").rsplit(":", 1)[0] in LOCAL_NAMES:
            return False
        self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                   b"Open the preview at http://127.0.0.1 or http://localhost\n")
        return True

    def do_POST(self) -> None:
        """Only the desk's form is posted; nothing of it reaches the log."""
        self.close_connection = True  # never read an unread body as the next request
        if self._foreign_host():
            return
        if urlsplit(self.path).path != "/patient":
            self._not_found()
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:  # refused unread
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length.isdigit() else
                       HTTPStatus.LENGTH_REQUIRED, "text/plain; charset=utf-8",
                       f"A plan's form is at most {MAX_BODY} bytes.\n".encode())
            return
        try:
            answer = self.site.desk.submit(self.rfile.read(int(length)),
                                           self.site.preview.snapshot.leaflets)
            self._send(answer.status, answer.kind, answer.body, headers=answer.headers)
        except Exception as exc:  # the type only: its message could quote the plan
            self.log_error("POST /patient: %s", type(exc).__name__)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                       b"The plan could not be printed; nothing was kept. Try again.\n")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        snapshot = self.site.preview.snapshot
        if self._foreign_host():
            return
        try:
            if url.path == "/patient":
                self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                           self.site.desk.form(snapshot.leaflets).encode())
            elif self.site.desk_only and not PDF_PATH.fullmatch(url.path):
                self._send(HTTPStatus.SEE_OTHER if url.path == "/" else HTTPStatus.NOT_FOUND,
                           "text/plain; charset=utf-8", b"This desk prints plans: /patient\n",
                           headers={"Location": "/patient"} if url.path == "/" else {})
            elif url.path == "/":
                self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                           self.site.index(snapshot).encode())
            elif url.path == "/events":
                self._events(url.query)
            elif match := LEAFLET_PATH.fullmatch(url.path):
                self._leaflet(snapshot, "/".join(match.groups()))
            elif match := IMAGE_PATH.fullmatch(url.path):
                self._image(match[1], int(match[2]), int(match[3]))
            elif match := PDF_PATH.fullmatch(url.path) or WEB_PATH.fullmatch(url.path):
                self._pdf(match[1])
            else:
                self._not_found()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went away (a page was left or reloaded), or stopped reading
        except Replaced:  # between a rebuild's writing and its telling: ask again
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8",
                       b'<!DOCTYPE html><meta http-equiv="refresh" content="1">'
                       b"<p>Updating after a save&hellip;</p>\n", retry=True)
        except Exception as exc:  # any other: the server stays up, and the page says why
            self.log_error("%s %s: %s: %s", self.command, url.path, type(exc).__name__, exc)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", (
                f"The preview could not show this: {type(exc).__name__}: {exc}\n").encode())

    def _leaflet(self, snapshot: Snapshot, slug: str) -> None:
        leaflet = snapshot.find(slug)
        if leaflet is None:
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8",
                       self.site.missing(snapshot, slug).encode())
        else:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                       self.site.leaflet(snapshot, leaflet).encode())

    def _image(self, digest: str, index: int, width: int) -> None:
        leaflet = self.site.by_digest(digest)
        png = self.site.picture(leaflet, index, width) if leaflet else None
        if png is None:
            self._not_found()
        else:  # the address names the PDF's contents, so it never goes stale
            self._send(HTTPStatus.OK, "image/png", png, cache="max-age=31536000, immutable")

    def _pdf(self, digest: str) -> None:
        """A PDF, or a web page under the policy its own page sets."""
        leaflet = self.site.by_digest(digest)
        if leaflet is None:
            self._not_found()
        elif EDITIONS[leaflet.entry.edition].paged:
            self._send(HTTPStatus.OK, "application/pdf",
                       built_bytes(self.site.pdf_path(leaflet), digest))
        else:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", built_bytes(
                self.site.pdf_path(leaflet), digest), headers={"Content-Security-Policy":
                                                               WEB_POLICY})

    def _events(self, query: str) -> None:
        """Server-sent events: ``build`` each time the preview's state changes after
        the version the page was made from."""
        # "BOOT.version": the page's own, or the last event's when the browser reconnects
        token = self.headers.get("Last-Event-ID") or (parse_qs(query).get("since") or [""])[0]
        boot, _, version = token.partition(".")
        seen = int(version) if boot == BOOT and version.isdigit() else 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        while True:
            snapshot = self.site.preview.wait_newer(seen, KEEPALIVE_S)
            if snapshot.version > seen:
                seen = snapshot.version
                data = json.dumps({"building": snapshot.building,
                                   "problems": len(snapshot.problems)})
                self.wfile.write(f"id: {BOOT}.{seen}\nevent: build\ndata: {data}\n\n"
                                 .encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                   b"Not in the last good build. Go back to the list: /\n")

    def _send(self, status: HTTPStatus, kind: str, body: bytes, cache: str = "no-store",
              retry: bool = False, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if retry:
            self.send_header("Retry-After", "1")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not news to a practice manager; errors still reach stderr."""

    def log_error(self, format: str, *args: Any) -> None:
        """http.server's own refusals quote the request: only their code is said."""
        if format.startswith("Request timed out"):
            return  # an idle connection closed: routine, not news
        said = f"refused a request ({args[0]})" if format.startswith("code ") else format % args
        print(f"preview: {said}", file=sys.stderr)
