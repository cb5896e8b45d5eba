"""What a command says in the terminal: a progress bar, its problems, a summary table.

``Terminal`` is the reporter that ``python build.py`` and ``python build.py
serve`` both hand the build, so a build reads the same in either. rich draws the bar and
the tables. The bar waits a second before it appears (a quick rebuild should
not flicker) and only on a terminal; in a CI log it would be noise. Problems go
to stderr, one located message a line, and the summary to stdout.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from handout.build.attempt import Attempt
from handout.build.results import BuildResult
from handout.core.errors import display_path
from handout.gates.report_html import REPORT_FILE

BAR_DELAY_S = 1.0


class Verbosity(IntEnum):
    QUIET = 0
    """Problems and warnings only."""
    NORMAL = 1
    """Also the summary table."""
    VERBOSE = 2
    """Also every PDF with its pages and reading score."""


class Terminal:
    """Prints builds for a person: ``verbosity`` says how much."""

    def __init__(self, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        self.verbosity = verbosity

    def say(self, message: str) -> None:
        """A line of news (the preview's address, a file changed), unless quiet."""
        if self.verbosity > Verbosity.QUIET:
            print(message, flush=True)

    @contextmanager
    def progress(self) -> Iterator[_Bar]:
        """A progress bar, after a second, on a terminal only."""
        bar = _Bar(enabled=self.verbosity > Verbosity.QUIET and sys.stderr.isatty())
        try:
            yield bar
        finally:
            bar.close()

    def problems(self, attempt: Attempt, nothing: str = "no leaflet was written") -> None:
        """Why a command stopped, on stderr: the one reason, or every problem found
        and what was therefore not made (``nothing``)."""
        err = _console(sys.stderr)
        if attempt.stopped:
            err.print(f"build.py: error: {attempt.problems[0]}", markup=False)
        elif attempt.problems:
            count = len(attempt.problems)
            err.print(f"{count} problem{'s' if count != 1 else ''} found; {nothing}:",
                      markup=False)
            for problem in attempt.problems:
                err.print(f"  {problem}", markup=False)

    def show(self, attempt: Attempt, out_dir: Path) -> None:
        """How a build went: its problems and warnings on stderr, its summary on stdout."""
        self.problems(attempt)
        err = _console(sys.stderr)
        result = attempt.result
        if result is not None:
            for warning in result.warnings:
                err.print(f"WARNING: {warning}", markup=False)
        if self.verbosity == Verbosity.QUIET or attempt.stopped:
            return
        out = _console(sys.stdout)
        if result is not None and self.verbosity >= Verbosity.VERBOSE:
            out.print(_outputs_table(result))
        out.print(summary_table(attempt))
        if result is None:
            return
        for clinic, inks in result.press_colours.items():
            out.print(f"press colours for {clinic}: {inks}", markup=False)
        memory = (f"; peak memory per render worker {result.peak_worker_mb:.0f} MB"
                  if result.peak_worker_mb else "")  # no worker ran: nothing, or web pages only
        out.print(f"quality gates passed; report: {display_path(out_dir / REPORT_FILE)}; "
                  f"PDFs in {display_path(out_dir)}/{memory}", markup=False)


def _console(stream: TextIO) -> Console:
    """Plain text: no colour guessed from the words, no emoji codes, no wrapping."""
    return Console(file=stream, highlight=False, soft_wrap=True, emoji=False)


def summary_table(attempt: Attempt) -> Table:
    """Built, skipped as unchanged, failed, wall time: one row. A failed build
    counts its problems, and writes nothing."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("built", "unchanged", "failed", "wall time"):
        table.add_column(column, justify="right")
    outputs = attempt.result.outputs if attempt.result else []
    built = sum(1 for output in outputs if not output.unchanged)
    table.add_row(str(built), str(len(outputs) - built), str(len(attempt.problems)),
                  f"{attempt.seconds:.1f} s")
    return table


def _outputs_table(result: BuildResult) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("output", "pages", "reading", "state"):
        table.add_column(column)
    for output in result.outputs:
        table.add_row(output.label, f"{output.pages}/{output.budget}", output.reading or "",
                      "unchanged" if output.unchanged else "built")
    return table


class _Bar:
    """A rich progress bar that shows itself only once the build has run for
    ``BAR_DELAY_S``; it is told the render workers' progress."""

    def __init__(self, enabled: bool) -> None:
        self._lock = threading.Lock()
        self._closed = False
        self._shown = False
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=Console(file=sys.stderr), transient=True)
        self._task = self._progress.add_task("checking the content", total=None)
        self._timer = threading.Timer(BAR_DELAY_S, self._show) if enabled else None
        if self._timer:
            self._timer.daemon = True
            self._timer.start()

    def __call__(self, done: int, total: int) -> None:
        self._progress.update(self._task, description="rendering PDFs", completed=done,
                              total=total)

    def _show(self) -> None:
        with self._lock:
            if not self._closed:
                self._progress.start()
                self._shown = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer:
                self._timer.cancel()
            if self._shown:
                self._progress.stop()
