"""Render in a pool of warm worker processes: each pays WeasyPrint's fixed costs once.

Importing WeasyPrint and setting up fonts takes a second or more; a small
leaflet then lays out in a fraction of that. So every worker keeps one
``PdfRenderer`` (and its font configuration) for its whole life, and leaflets
are spread over as many workers as there are cores. The workers are forked
from the build and import WeasyPrint themselves, while the build gathers the
content and scores the leaflets' words. A build whose inputs are all unchanged
(stamp.py) starts none; one that finds nothing stale lets them go once loaded.

A leaflet that makes WeasyPrint fail comes back as a failed ``RenderOutcome``
with the reason; the other leaflets carry on. Workers ignore Ctrl-C: the build
(the parent) handles it, cancels what has not started, and exits cleanly.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handout.build.output import no_interrupts
from handout.render.palette import svg_to_cmyk

if TYPE_CHECKING:
    from handout.render.pdf import PdfRenderer, RenderedPdf


@dataclass(frozen=True)
class RenderTask:
    html: str
    folder: Path
    """Where the HTML's relative links (a clinic's logo) resolve."""
    pdf_variant: str
    press: bool
    """Convert SVG colours to CMYK ink."""
    write: bool = True


@dataclass(frozen=True)
class RenderOutcome:
    pdf: RenderedPdf | None
    failure: str | None
    """Why the leaflet could not be rendered, when ``pdf`` is None."""
    worker_peak_mb: float


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class RenderPool:
    """``workers`` warm worker processes, or the build's own process when ``forked`` is
    false (``--jobs 1``). One forked worker still pays: it starts WeasyPrint while
    the build does its own work.

    A build forks its workers: they start at once with what the build has already
    imported. ``serve`` keeps one pool for every rebuild and starts it with
    ``start_method="forkserver"``, as forking a process that runs threads (the
    web server's) can copy a lock another thread holds."""

    def __init__(self, shared_folders: list[Path], workers: int, forked: bool,
                 start_method: str = "fork") -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._workers = workers
        if forked:
            self._executor = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(start_method),
                initializer=_start_worker, initargs=(shared_folders,))
        else:
            _start_worker(shared_folders, in_process=True)

    def warm(self) -> None:
        """Start every worker now, and wait until each has loaded WeasyPrint."""
        for future in self.prestart():
            future.result()

    def prestart(self) -> list[Future[float]]:
        """Start every worker loading WeasyPrint now, without waiting for them."""
        if self._executor is None:
            return []
        with no_interrupts():  # the first submit forks the workers: see start()
            return [self._executor.submit(_peak_mb) for _ in range(self._workers)]

    def start(self, tasks: list[RenderTask]) -> Iterator[RenderOutcome]:
        """Hand every task to the workers now; iterate for the outcomes, in order.
        The caller may do its own work in between, while the workers render."""
        if self._executor is None:
            return (_render(task) for task in tasks)
        # A Ctrl-C between two forks would leave a worker no one tells to stop,
        # holding the terminal's pipes open: it waits until every worker is started.
        with no_interrupts():
            futures = [self._executor.submit(_render, task) for task in tasks]
        return self._outcomes(futures)

    def _outcomes(self, futures: list[Future[RenderOutcome]]) -> Iterator[RenderOutcome]:
        try:
            for future in futures:
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield RenderOutcome(None, "a render worker stopped unexpectedly (out of "
                                              "memory?); try again with --jobs 1", 0.0)
        finally:
            for future in futures:
                future.cancel()

    def abandon(self) -> None:
        """Stop the workers at once, loaded or not, and close. A build refused before
        it rendered anything (a clinic file's mistake) would otherwise wait for every
        worker to finish loading WeasyPrint, about a second of two cores' time, only
        to let them go. SIGKILL, as a worker still starting has the build's own
        signal handlers; a killed pool reports itself broken and shuts down."""
        if self._executor is not None:
            for process in list(self._executor._processes.values()):
                process.kill()
        self.close()

    def close(self) -> None:
        global _renderer
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        _renderer = None  # let WeasyPrint's font configuration go while Python is whole

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_renderer: PdfRenderer | None = None


def _start_worker(shared_folders: list[Path], in_process: bool = False) -> None:
    global _renderer
    from handout.render.pdf import PdfRenderer  # WeasyPrint: once per worker, for its whole life

    if not in_process:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for signum in (signal.SIGTERM, signal.SIGHUP):  # the build's handlers are its own
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, set())  # forked with them held back
    _renderer = PdfRenderer(shared_folders)


RENDER_BUDGET_S = 60.0
"""A leaflet renders in well under a second; one that takes a minute never ends
(an image that draws without bound): it fails, and the others carry on."""


class RenderTimeout(Exception):
    """A render ran past its time budget."""


def _render(task: RenderTask) -> RenderOutcome:
    assert _renderer is not None
    try:
        with _time_budget(RENDER_BUDGET_S):
            pdf = _renderer.render(task.html, task.folder, task.pdf_variant,
                                   svg_to_cmyk if task.press else None, task.write)
        failure = None
    except RenderTimeout:
        pdf, failure = None, (f"it took more than {RENDER_BUDGET_S:.0f} s and was stopped; "
                              "look for a large or complicated logo or picture")
    except Exception as exc:  # reported against this leaflet; the others carry on
        pdf, failure = None, f"{type(exc).__name__}: {exc}"
    return RenderOutcome(pdf, failure, _peak_mb())


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise RenderTimeout in this thread after ``seconds``. A timer signal only
    reaches the main thread, where every worker renders; elsewhere (a render in a
    thread of the preview) there is no budget."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
