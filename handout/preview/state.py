"""The live preview's state: build, watch the files, rebuild, and remember the last
good build.

A rebuild is an ordinary incremental build into the output folder, through the
same render workers every time (started once, so a save pays only for the
leaflets it changed). A build that finds a problem writes nothing, so the
output folder always holds the last good build: the preview shows its pages
with the problem above them. Each change of state bumps ``version``; the web
pages wait on it (``wait_newer``) to know when to refresh.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import threading
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watchfiles import DefaultFilter, watch

from handout.build.attempt import Attempt, Reporter, attempt_build
from handout.build.clinics import is_clinic_path
from handout.build.config import Project, Selection
from handout.build.output import ManifestEntry, read_manifest
from handout.build.workers import RenderPool
from handout.core.editions import EDITIONS, SINGLE_FILES
from handout.core.errors import display_path
from handout.core.keys import OutputKey


@dataclass(frozen=True)
class Leaflet:
    """One PDF or web page of the last good build, as the preview lists it."""

    entry: ManifestEntry

    @property
    def slug(self) -> str:
        entry = self.entry
        return f"{entry.clinic}/{entry.lang}/{entry.leaflet}/{entry.edition}"

    @property
    def web(self) -> bool:
        """A web page, shown as itself, rather than a PDF shown page by page."""
        return not EDITIONS[self.entry.edition].paged

    @property
    def href(self) -> str:
        """Where the preview serves the file itself."""
        entry = self.entry
        return f"/{'web' if self.web else 'pdf'}/{entry.sha256}/{entry.path.split('/')[-1]}"


@dataclass(frozen=True)
class Snapshot:
    """What the pages show: the last good build and the latest attempt's problems."""

    version: int
    leaflets: tuple[Leaflet, ...]
    good_at: dt.datetime | None
    """When the last good build finished (None: none yet in this session)."""
    problems: tuple[str, ...]
    """The latest build's problems, as the build states them; empty when it passed."""
    building: bool

    def find(self, slug: str) -> Leaflet | None:
        return next((leaflet for leaflet in self.leaflets if leaflet.slug == slug), None)


class Preview:
    """Builds on demand and on every save, one build at a time, and tells waiters."""

    def __init__(self, project: Project, selection: Selection, out_dir: Path,
                 reporter: Reporter, start_pool: Callable[[], RenderPool] | None) -> None:
        """``start_pool`` None: a desk, which never builds, so needs no workers."""
        self.project = project
        self.selection = selection
        self.out_dir = out_dir
        self.reporter = reporter
        self._start_pool = start_pool
        self.pool = start_pool() if start_pool else None
        self.building = threading.Lock()
        """Held for a whole rebuild: stopping waits for it, so no write is cut short."""
        self._changed = threading.Condition()
        self._snapshot = Snapshot(0, self._leaflets_on_disk(None), None, (), False)

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def wait_newer(self, version: int, timeout: float) -> Snapshot:
        """The snapshot once it is newer than ``version``, or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version > version, timeout)
            return self._snapshot

    def rebuild(self) -> None:
        """Build what is out of date (today's date, as a fresh ``build.py`` would).
        Never raises: a failure of any kind is shown in the page."""
        with self.building:
            self._publish(building=True)
            try:
                attempt = self._build()
            except Exception as exc:  # a bug must not stop the preview; say it and go on
                traceback.print_exc()
                self._publish(building=False, problems=(
                    f"internal error: {type(exc).__name__}: {exc}; please report it",))
                return
            self._show(attempt)

    def close(self) -> None:
        """Wait for a rebuild in progress to finish writing, then stop the workers."""
        with self.building:
            if self.pool is not None:
                self.pool.close()

    def _build(self) -> Attempt:
        assert self._start_pool is not None and self.pool is not None, "a desk never builds"
        selection = dataclasses.replace(self.selection, today=dt.date.today())
        try:
            return attempt_build(self.project, selection, self.out_dir, self.reporter, self.pool)
        except BrokenProcessPool:  # a worker died (out of memory?): start afresh, once
            self.pool.close()
            self.pool = self._start_pool()
            return attempt_build(self.project, selection, self.out_dir, self.reporter, self.pool)

    def _show(self, attempt: Attempt) -> None:
        if attempt.result is None:
            self._publish(building=False, problems=attempt.problems)
            return
        keys = {OutputKey(o.clinic, o.lang, o.name, o.edition.name)
                for o in attempt.result.outputs}
        self._publish(building=False, problems=(), leaflets=self._leaflets_on_disk(keys),
                      good_at=dt.datetime.now())

    def watched(self) -> list[Path]:
        """The content (clinic files and logos in it), templates, styles, and the
        folder of any clinic file named by path outside the content."""
        folders = [self.project.content, self.project.templates, self.project.styles]
        for name in self.selection.clinics:
            path = Path(name)
            if is_clinic_path(name) and path.is_file():
                folders.append(path.resolve().parent)
        return list(dict.fromkeys(folder.resolve() for folder in folders))

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after every save until ``stop`` is set. Editors that save by
        writing a temporary file and renaming it are seen as one change; the
        build's own writes (an output folder inside a watched one) are not."""
        try:
            for changes in watch(*self.watched(), stop_event=stop, debounce=800, step=100,
                                 raise_interrupt=False, watch_filter=_NotIn(self.out_dir)):
                names = sorted({display_path(Path(path)) for _, path in changes})
                self.reporter.say(f"changed: {', '.join(names)}")
                self.rebuild()
        except Exception as exc:  # the watcher itself failed: say so in the page
            traceback.print_exc()
            self._publish(problems=(f"the preview stopped watching the files ({exc}); "
                                    "restart build.py serve",))

    def _publish(self, **changes: Any) -> None:
        """A new snapshot, with ``changes`` to the fields of the last."""
        with self._changed:
            self._snapshot = dataclasses.replace(self._snapshot,
                                                 version=self._snapshot.version + 1, **changes)
            self._changed.notify_all()

    def _leaflets_on_disk(self, keys: Iterable[OutputKey] | None
                          ) -> tuple[Leaflet, ...]:
        """The manifest's PDFs that this preview builds: those of ``keys``, or before
        any build, those of the chosen languages and editions."""
        wanted = set(keys) if keys is not None else None
        entries = [entry for entry in read_manifest(self.out_dir)
                   if (self.out_dir / entry.path).is_file()
                   and (entry.key in wanted if wanted is not None else self._chosen(entry))]
        return tuple(Leaflet(entry) for entry in entries)

    def _chosen(self, entry: ManifestEntry) -> bool:
        selection = self.selection
        ids = [name for name in selection.clinics if not is_clinic_path(name)]
        return ((not ids or entry.clinic in ids)
                and (not selection.editions or entry.edition in selection.editions)
                and (selection.lang is None or entry.lang == selection.lang)
                and (not selection.leaflets or entry.leaflet in selection.leaflets
                     or entry.leaflet in SINGLE_FILES))


class _NotIn(DefaultFilter):
    """watchfiles' usual filter (editor swap files, caches), and nothing in ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = str(folder.resolve())

    def __call__(self, change: object, path: str) -> bool:
        inside = path == self._folder or path.startswith(self._folder + "/")
        return (not inside and not _special(path)
                and super().__call__(change, path))  # type: ignore[arg-type]


def _special(path: str) -> bool:
    """A named pipe, socket or device (stat never blocks on one): no build reads it,
    so saving one is no reason to rebuild. A file that is gone is a change."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
