"""Property-based tests: any input either loads or gives located errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handout.content.characters import _kind, character_problem
from handout.content.clinic import load_clinic
from handout.content.loader import load_content
from handout.content.yamlfile import read_yaml
from handout.core.errors import UserErrors

from .conftest import FIXTURE_CONTENT

CONTENT = load_content(FIXTURE_CONTENT)
FIELDS = ["id", "name", "region", "paper", "languages", "leaflets", "logo", "colors", "phone",
          "after_hours", "address", "website", "emergency_number", "reviewed_by",
          "reviewed_on", "review_every_months", "notes", "hide", "recommended_dose"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["us", "uk", "eu", "en", "letter", "a4", "#1f4e79",
                                     "logo.svg", "../x", "2026-01-01", "get-help-now"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), inner,
                    max_size=4)), max_leaves=12)
CLINICS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS))
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def assert_located(exc: UserErrors, path: Path) -> None:
    assert exc.errors
    for error in exc.errors:
        assert error.location is not None and error.location.path == path, error
        assert str(error).startswith(str(path)), error


@SETTINGS
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_load_or_fail_with_a_location(data: bytes) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "clinic.yaml"
        path.write_bytes(data)
        try:
            read_yaml(path)
        except UserErrors as exc:
            assert_located(exc, path)


@SETTINGS
@given(CLINICS)
def test_any_clinic_mapping_loads_or_fails_with_a_location(clinic: dict[str, object]) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "clinic.yaml"
        path.write_text(yaml.safe_dump(clinic, allow_unicode=True), encoding="utf-8")
        try:
            load_clinic(path, CONTENT)
        except UserErrors as exc:
            assert_located(exc, path)


# --- what used to end in a traceback: dates, nesting, NULs, huge numbers ------------------

DATES = st.builds(lambda y, m, d, time: f"{y:04d}-{m:02d}-{d:02d}{time}",
                  st.integers(0, 99_999), st.integers(0, 13), st.integers(0, 32),
                  st.sampled_from(["", " 25:00:00", " 12:00:00", "T23:59:60Z"]))
NESTING = st.integers(0, 3000).flatmap(lambda n: st.sampled_from(
    ["[" * n + "]" * n, "{a: " * n + "1" + "}" * n]))
HOSTILE_TEXT = st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["\x00", "\x1b[2J", "Oak \u202e0003", "\u200b\u200b", "\u3164", "\ud800", "no", "~"])
NUMBERS = st.integers(1, 6000).map(lambda n: "9" * n) | st.sampled_from(
    ["1.0e+400", "-1.0e+400", ".nan", "0x" + "f" * 5000, "0b1", "1_000"])
HOSTILE_FIELDS = ["name", "reviewed_on", "review_every_months", "hide", "address", "logo"]


def written(field: str, value: str) -> str:
    """A line of a clinic file: text written in double quotes with JSON's escapes
    (YAML's too), anything else as it is."""
    if field in ("name", "address"):
        return f"{field}: {json.dumps(value)}\n"
    if field == "logo":
        return f"logo:\n  file: {json.dumps(value)}\n  alt: Logo\n"
    return f"{field}: {value}\n"


@SETTINGS
@given(st.dictionaries(st.sampled_from(HOSTILE_FIELDS),
                       st.one_of(DATES, NESTING, HOSTILE_TEXT, NUMBERS), min_size=1))
def test_hostile_values_load_or_fail_with_a_located_printable_message(
        values: dict[str, str]) -> None:
    text = "id: clinic\nregion: us\npaper: letter\nlanguages: [en]\n" + "".join(
        written(field, value) for field, value in values.items())
    if "reviewed_on" in values:
        text += "reviewed_by: Dr Lee\n"
    with TemporaryDirectory() as folder:
        path = Path(folder) / "clinic.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            load_clinic(path, CONTENT)
        except UserErrors as exc:
            assert_located(exc, path)
            for error in exc.errors:  # nothing that could redraw a terminal
                assert str(error).isprintable(), str(error)
                assert len(error.message) < 1000, error.message


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_the_printable_shortcut_refuses_exactly_what_the_full_check_refuses(text: str) -> None:
    """``character_problem`` skips its character-by-character check for printable text;
    any text at all gets the answer the full check gives."""
    first = next(((i, c) for i, c in enumerate(text) if _kind(c)), None)
    problem = character_problem(text)
    assert (problem is None) == (first is None)
    if first is not None and problem is not None:
        assert problem[0] == first[0]
