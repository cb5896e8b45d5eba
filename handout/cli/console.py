"""What a build says in the terminal: a progress bar, its problems, a summary table.

``python build.py`` and ``python build.py serve`` both build through
``Terminal.build``, so a build reads the same in either. rich draws the bar and
the tables. The bar waits a second before it appears (a quick rebuild should
not flicker) and only on a terminal; in a CI log it would be noise. Problems go
to stderr, one located message a line, and the summary to stdout.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from handout.build.output import OutputError
from handout.build.pipeline import BuildResult, Project, Selection, UsageError, build
from handout.build.workers import RenderPool
from handout.core.errors import UserErrors, display_path
from handout.gates.report_html import REPORT_FILE

BAR_DELAY_S = 1.0


class Verbosity(IntEnum):
    QUIET = 0
    """Problems and warnings only."""
    NORMAL = 1
    """Also the summary table."""
    VERBOSE = 2
    """Also every PDF with its pages and reading score."""


@dataclass(frozen=True)
class Attempt:
    """How one build went, for the command's exit code and for the live preview."""

    result: BuildResult | None
    """None when the build stopped on a problem and wrote nothing."""
    problems: tuple[str, ...]
    """Each problem as the build states it: ``file:line:column: what to do``."""
    exit_code: int
    """0 built; 1 a problem in the content, clinic files or output folder; 2 usage."""
    seconds: float
    stopped: bool = False
    """The build could not start or finish (a bad command line, an unwritable output
    folder): its one problem is not about the content."""


class Terminal:
    """Prints builds for a person: ``verbosity`` says how much."""

    def __init__(self, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        self.verbosity = verbosity

    def build(self, project: Project, selection: Selection, out_dir: Path,
              pool: RenderPool | None = None) -> Attempt:
        """Build, showing progress; print the problems or the summary. Never raises
        for a problem a person can fix: it is in the returned ``Attempt``."""
        start = time.perf_counter()
        result = None
        problems: tuple[str, ...] = ()
        exit_code, stopped = 0, False
        with self._progress() as progress:
            try:
                result = build(project, selection, out_dir, pool, progress)
            except UsageError as exc:
                problems, exit_code, stopped = (str(exc),), 2, True
            except OutputError as exc:
                problems, exit_code, stopped = (str(exc),), 1, True
            except UserErrors as exc:
                problems, exit_code = tuple(str(error) for error in exc.errors), 1
        attempt = Attempt(result, problems, exit_code, time.perf_counter() - start, stopped)
        self._print(attempt, out_dir)
        return attempt

    def say(self, message: str) -> None:
        """A line of news (the preview's address, a file changed), unless quiet."""
        if self.verbosity > Verbosity.QUIET:
            print(message, flush=True)

    @contextmanager
    def _progress(self) -> Iterator[_Bar]:
        bar = _Bar(enabled=self.verbosity > Verbosity.QUIET and sys.stderr.isatty())
        try:
            yield bar
        finally:
            bar.close()

    def _print(self, attempt: Attempt, out_dir: Path) -> None:
        err = Console(file=sys.stderr, highlight=False, soft_wrap=True, emoji=False)
        if attempt.stopped:
            err.print(f"build.py: error: {attempt.problems[0]}", markup=False)
        elif attempt.problems:
            count = len(attempt.problems)
            err.print(f"{count} problem{'s' if count != 1 else ''} found; no leaflet was "
                      "written:", markup=False)
            for problem in attempt.problems:
                err.print(f"  {problem}", markup=False)
        result = attempt.result
        if result is not None:
            for warning in result.warnings:
                err.print(f"WARNING: {warning}", markup=False)
        if self.verbosity == Verbosity.QUIET or attempt.stopped:
            return
        out = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False)
        if result is not None and self.verbosity >= Verbosity.VERBOSE:
            out.print(_outputs_table(result))
        out.print(summary_table(attempt))
        if result is None:
            return
        for clinic, inks in result.press_colours.items():
            out.print(f"press colours for {clinic}: {inks}", markup=False)
        built = sum(1 for output in result.outputs if not output.unchanged)
        memory = (f"; peak memory per render worker {result.peak_worker_mb:.0f} MB"
                  if built else "")
        out.print(f"quality gates passed; report: {display_path(out_dir / REPORT_FILE)}; "
                  f"PDFs in {display_path(out_dir)}/{memory}", markup=False)


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
