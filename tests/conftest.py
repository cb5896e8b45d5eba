"""Shared fixtures and helpers.

Every test builds from ``tests/fixtures/content``, a frozen copy of the shipped
content, never from the project's own ``content/``: a clinic, block or sentence
that a user adds to or rewords in ``content/`` changes no test result. A test
that edits content gets its own copy (``content``). Templates and styles are
code, so they still come from the project.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handout.build.config import PROJECT_ROOT, Project, Selection
from handout.cli.main import main
from handout.cli.signoff import sign_command
from handout.content.loader import load_content
from handout.core.errors import UserErrors

FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"
"""The frozen content every test reads. Read-only: a test that edits content
uses the ``content`` fixture's copy."""

CONTENT_ARGS = ("--content", str(FIXTURE_CONTENT))
"""The command-line options that point a build at the frozen content."""


@pytest.fixture(scope="session", autouse=True)
def _fixture_content_stays_frozen() -> Iterator[None]:
    """Fail the run if a test wrote into the frozen content: later tests would then
    depend on the order the tests ran in."""
    before = snapshot(FIXTURE_CONTENT)
    yield
    assert snapshot(FIXTURE_CONTENT) == before, f"a test changed {FIXTURE_CONTENT}"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the frozen content folder that a test may edit, as ``tmp_path/content``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


PROJECT_CODE = ("build.py", "handout", "templates", "styles")
"""The project's code, which ``project`` copies; the content comes from the frozen fixture."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temporary copy of the project, to edit as a practice manager would."""
    root = tmp_path / "project"
    root.mkdir()
    for name in PROJECT_CODE:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    return root



def made_once(tmp_path_factory: pytest.TempPathFactory, name: str,
              make: Callable[[Path], None]) -> Path:
    """A folder that ``make`` fills once per test run, for tests that only read it.

    With pytest-xdist each worker process has its own session fixtures, so a
    session fixture alone would redo an expensive build in every worker. The
    workers share the run's temporary folder: the first to get here makes the
    folder while holding a lock, the others wait for it and reuse it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # left by a worker that failed
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one full build of the frozen content (every clinic and
    language, standard edition), shared by every test that only reads the PDFs."""
    def build(out: Path) -> None:
        assert main([*CONTENT_ARGS, "--out", str(out)]) == 0

    return made_once(tmp_path_factory, "built", build)


@pytest.fixture(scope="session")
def web_built(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``built`` with every web page of the frozen content added (``--edition web``,
    which renders no PDF), shared by the tests that only read them."""
    def build(out: Path) -> None:
        shutil.copytree(built, out)
        assert main([*CONTENT_ARGS, "--edition", "web", "--out", str(out), "--quiet"]) == 0

    return made_once(tmp_path_factory, "web-built", build)


def sign(content: Path, clinic: str, by: str, on: dt.date, *leaflets: str,
         lang: str | None = None) -> None:
    """Sign a clinic's leaflets off as ``build.py sign --yes`` does, on the day ``on``
    (a sign-off made in the past, for a test of an overdue review)."""
    selection = Selection(clinics=(clinic,), leaflets=leaflets, lang=lang, today=on)
    with contextlib.redirect_stdout(io.StringIO()):
        assert sign_command(Project(content_dir=content), selection, by, yes=True) == 0


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to show a failed build changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


SUMMARY_ROW = re.compile(r"^ *(\d+) +(\d+) +(\d+) +\d+\.\d s$", re.MULTILINE)


def summary_counts(out: str) -> tuple[int, int, int]:
    """The counts in a build's summary table: built, unchanged, failed."""
    rows = SUMMARY_ROW.findall(out)
    assert len(rows) == 1, f"no single summary row in:\n{out}"
    built, unchanged, failed = rows[0]
    return int(built), int(unchanged), int(failed)


# --- where a message points ---------------------------------------------------------
#
# Error messages start with the place they are about, "path:line:column" (1-based, as
# handout.core.errors.Location prints them). The tests compare whole messages, but work
# the place out from the file the build read, so that rewording the fixture (or a
# test's own input) moves the expected place with it instead of breaking the test.
#
# The YAML reader (handout/content/yamlfile.py) places a value where its node starts:
# a scalar at its first character (a quote, or the '>' of a folded text), a list item
# at the item, a flow list at its '[', a nested mapping at its first key. A duplicate
# key is placed at the key, and a whole document at its first key.


def shown(path: Path, root: Path | None = None) -> str:
    """``path`` as messages print it: relative to ``root`` (by default the working
    directory, as the build prints paths) when inside it, else as given."""
    base = Path.cwd() if root is None else root
    try:  # the folder resolved, not the file: a link is shown by its own name
        return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
    except ValueError:
        return str(path)


def at(path: Path, needle: str | bytes | None = None, occurrence: int = 1, *,
       value_of: str | None = None, root: Path | None = None) -> str:
    """Where a message about ``needle`` in ``path`` points: "path:line:column".

    ``at(path, "yuor-plan")`` is the first character of the ``occurrence``-th
    ``needle`` (a list item, a key, an alias, a tab). A bytes needle is found in the
    raw bytes and its column counted in bytes, as the UTF-8 check reports it.

    ``at(path, "{limit-adults}", value_of="text")`` is where the reader places the
    value of the key ``text:`` that holds the needle: the key is looked for on the
    needle's line, then on the lines above it (a folded text starts on its key's
    line), and the value starts at the first character after ``text: `` (or, for a
    nested mapping or list, at the first thing on the next line). Without a needle,
    ``at(path, value_of="phone")`` is the value of the first ``phone:`` key in the file.
    """
    if isinstance(needle, bytes):
        assert value_of is None, "value_of needs a text needle"
        data = path.read_bytes()
        index = _nth(data, needle, occurrence, path)
        line = data.count(b"\n", 0, index) + 1
        column = index - (data.rfind(b"\n", 0, index) + 1) + 1
        return f"{shown(path, root)}:{line}:{column}"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if needle is None:
        assert value_of is not None, "give a needle, a key (value_of) or both"
        start = _key_line(lines, value_of, range(len(lines)), path)
    else:
        index = _nth(text, needle, occurrence, path)
        start = text.count("\n", 0, index)
        if value_of is None:
            column = index - (text.rfind("\n", 0, index) + 1) + 1
            return f"{shown(path, root)}:{start + 1}:{column}"
        start = _key_line(lines, value_of, range(start, -1, -1), path)
    key = _key_pattern(value_of).search(lines[start])
    assert key is not None
    rest = lines[start][key.end():]
    if rest.strip() and not rest.lstrip().startswith("#"):
        column = key.end() + len(rest) - len(rest.lstrip()) + 1
        return f"{shown(path, root)}:{start + 1}:{column}"
    following = _first_content_line(lines, start + 1, path)
    column = len(lines[following]) - len(lines[following].lstrip()) + 1
    return f"{shown(path, root)}:{following + 1}:{column}"


def start_of(path: Path, root: Path | None = None) -> str:
    """Where a message about a whole document points: its first key (after any
    comments), where the reader places the top-level mapping."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = _first_content_line(lines, 0, path)
    column = len(lines[first]) - len(lines[first].lstrip()) + 1
    return f"{shown(path, root)}:{first + 1}:{column}"


def end_of(path: Path, root: Path | None = None) -> str:
    """Where the parser reports an unexpected end of the file (an unclosed quote):
    just past its last character."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return f"{shown(path, root)}:{len(lines)}:{len(lines[-1]) + 1}"


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th ``needle``, for messages that name a
    line in their words ("a flow sequence that starts on line 1")."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, _nth(text, needle, occurrence, path)) + 1


def _nth(haystack: str | bytes, needle: str | bytes, occurrence: int, path: Path) -> int:
    index = -1
    for _ in range(occurrence):
        index = haystack.find(needle, index + 1)  # type: ignore[arg-type]
        assert index >= 0, f"{needle!r} is not in {path} {occurrence} times"
    return index


def _key_pattern(key: str) -> re.Pattern[str]:
    """``key:`` written as a key: at the line start, after a list's '- ', or inside a
    flow mapping; followed by a space or the end of the line."""
    return re.compile(rf"(?:^|[\s{{,])({re.escape(key)}):(?= |$)")


def _key_line(lines: list[str], key: str, order: range, path: Path) -> int:
    pattern = _key_pattern(key)
    for number in order:
        if pattern.search(lines[number]):
            return number
    raise AssertionError(f"no key {key!r} in {path} where looked for")


def _first_content_line(lines: list[str], start: int, path: Path) -> int:
    for number in range(start, len(lines)):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return number
    raise AssertionError(f"nothing but blank lines and comments in {path} after line {start}")


def load_problems(content: Path) -> list[str]:
    """Every problem the content loader finds, with paths relative to the content folder."""
    with pytest.raises(UserErrors) as caught:
        load_content(content)
    return [str(e).replace(f"{content}/", "") for e in caught.value.errors]
