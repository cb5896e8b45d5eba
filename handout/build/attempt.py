"""How one command went, for its exit code, the terminal and the live preview.

Every problem a person can fix ends a command the same way, whichever command it
was: this module maps each kind of failure to its exit code once. A ``Reporter``
shows a build as it runs and when it ends; the console is one (``cli``), and the
live preview takes one, so neither has to run the build itself.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from handout.build.config import Progress, Project, Selection, UsageError
from handout.build.output import OutputError
from handout.build.pipeline import build
from handout.build.results import BuildResult
from handout.build.workers import RenderPool
from handout.core.errors import UserErrors

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""A problem in the content, a clinic file or the output folder: every one is listed."""
EXIT_USAGE = 2
"""A bad command line."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports it."""

FAILURES = (UsageError, OutputError, UserErrors)
"""What a person can fix; anything else is a bug and keeps its traceback."""


@dataclass(frozen=True)
class Attempt:
    """How one build (or check, or merge) went."""

    result: BuildResult | None
    """None when it stopped on a problem and wrote nothing."""
    problems: tuple[str, ...]
    """Each problem as the build states it: ``file:line:column: what to do``."""
    exit_code: int
    seconds: float
    stopped: bool = False
    """It could not start or finish (a bad command line, an unwritable output
    folder): its one problem is not about the content."""

    @classmethod
    def failed(cls, exc: UsageError | OutputError | UserErrors, seconds: float = 0.0
               ) -> Attempt:
        """The attempt that ``exc`` ended."""
        if isinstance(exc, UserErrors):
            return cls(None, tuple(str(error) for error in exc.errors), EXIT_PROBLEMS, seconds)
        code = EXIT_USAGE if isinstance(exc, UsageError) else EXIT_PROBLEMS
        return cls(None, (str(exc),), code, seconds, stopped=True)


class Reporter(Protocol):
    """Shows a build to a person."""

    def progress(self) -> AbstractContextManager[Progress]:
        """Told the render workers' progress while the build runs."""
        ...

    def show(self, attempt: Attempt, out_dir: Path) -> None:
        """How the build went: its problems, or its summary."""
        ...

    def say(self, message: str) -> None:
        """A line of news (the preview's address, a file changed)."""
        ...


def attempt_build(project: Project, selection: Selection, out_dir: Path, reporter: Reporter,
                  pool: RenderPool | None = None) -> Attempt:
    """Build, showing progress, and show how it went. Never raises for a problem a
    person can fix: it is in the returned ``Attempt``."""
    start = time.perf_counter()
    with reporter.progress() as progress:
        try:
            result = build(project, selection, out_dir, pool, progress)
        except FAILURES as exc:
            attempt = Attempt.failed(exc, time.perf_counter() - start)
        else:
            attempt = Attempt(result, (), EXIT_OK, time.perf_counter() - start)
    reporter.show(attempt, out_dir)
    return attempt
