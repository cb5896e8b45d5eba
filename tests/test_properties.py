"""Property-based tests: any input either loads or gives located errors, never a traceback."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
