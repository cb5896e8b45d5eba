"""The preview's web server, bounded: how many requests at once, and for how long.

The standard library's threading server starts a thread for every connection
and keeps it as long as the browser keeps the connection open. A page open for
a day, a burst of a few hundred requests or a client that never finishes its
request would each hold threads without end; here every connection has a
timeout and the threads are counted.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUEST_TIMEOUT_S = 30.0
"""A connection silent this long is closed: a browser's idle keep-alive, or a client
that never finishes its request, would otherwise hold a thread for ever."""
MAX_THREADS = 32
"""Requests served at once (see PreviewServer)."""


class PreviewServer(ThreadingHTTPServer):
    """A thread per request, at most ``MAX_THREADS`` at once: a burst of requests waits
    its turn to be accepted instead of starting hundreds of threads that fight over
    the same pictures. Each open page holds one thread for its events."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(MAX_THREADS)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()  # Ctrl-C still reaches the main thread waiting here
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()
