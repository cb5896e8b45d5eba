"""The command line, in-process: exit codes, messages, and nothing written on error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handout.cli.main import main

from .conftest import (
    CONTENT_ARGS,
    FIXTURE_CONTENT,
    at,
    edit,
    line_of,
    snapshot,
    start_of,
    summary_counts,
)


def test_bad_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_unknown_leaflet_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *CONTENT_ARGS, "--leaflet", "food"]) == 2
    assert capsys.readouterr().err == ("build.py: error: unknown leaflet 'food'; choose from: "
                                       "foods, safe-doses, warnings, when-to-see-a-doctor\n")


def test_unknown_clinic_exits_2(capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE_CONTENT.parent)  # so the folder reads as a user sees it
    assert main(["check", *CONTENT_ARGS, "--clinic", "nope"]) == 2
    assert capsys.readouterr().err == ("build.py: error: no clinic 'nope' in content/clinics; "
                                       "choose from: default, riverside-family, "
                                       "uk-sleep-clinic\n")


def test_broken_yaml_exits_1_and_keeps_earlier_output(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["--content", str(content), "--out", str(out), "--leaflet", "foods",
                 "--clinic", "default"]) == 0
    before = snapshot(out)
    assert "default/en/foods.pdf" in before
    leaflet = content / "leaflets/foods.yaml"
    edit(leaflet, "title: Foods rich in magnesium", "title: [Foods rich in magnesium")
    capsys.readouterr()
    assert main(["--content", str(content), "--out", str(out)]) == 1
    got_colon = at(leaflet, ":", 2)  # the one after the next key, where ']' was expected
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n"
        f"  {got_colon}: YAML syntax: expected ',' or ']', but got ':', "
        f"while parsing a flow sequence that starts on line {line_of(leaflet, '[Foods')} "
        "(check quotes, brackets and indentation)\n")
    assert snapshot(out) == before


def test_over_budget_names_leaflet_and_pages_and_writes_nothing(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    edit(content / "leaflets/warnings.yaml", "budget_pages: 4", "budget_pages: 1")
    out = tmp_path / "out"
    assert main(["--content", str(content), "--out", str(out), "--leaflet", "warnings",
                 "--clinic", "default"]) == 1
    budget = at(content / "leaflets/warnings.yaml", value_of="budget_pages")
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n"
        f"  {budget}: leaflet 'warnings' for clinic 'default' "
        "(en, standard edition) has 3 pages; its budget is 1. Shorten it or move a block to "
        "another leaflet\n")
    assert not out.exists()


def test_clinic_by_path_and_summary(content: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    clinic = tmp_path / "elsewhere" / "uk.yaml"
    clinic.parent.mkdir()
    clinic.write_text("id: uk-test\nname: Test Surgery\nregion: uk\npaper: a4\n"
                      "languages: [en]\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [*CONTENT_ARGS, "--clinic", str(clinic), "--leaflet", "safe-doses",
            "--out", str(out)]
    assert main([*args, "--verbose"]) == 0
    summary = capsys.readouterr().out
    lines = summary.splitlines()
    assert lines[0].split() == ["output", "pages", "reading", "state"]
    assert re.fullmatch(r"uk-test/en/safe-doses +3/4 +\d\.\d / 8 +built", lines[2])
    assert summary_counts(summary) == (1, 0, 0)
    assert (out / "uk-test/en/safe-doses.pdf").is_file()
    assert (out / "uk-test/en/safe-doses.html").is_file()

    assert main(args) == 0  # the summary table alone
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["built   unchanged   failed   wall time",
                         "──────────────────────────────────────"]
    assert re.fullmatch(r"    0           1        0       \d\.\d s", lines[2])
    assert lines[3] == (f"quality gates passed; report: {out}/report.html; PDFs in {out}/")

    assert main([*args, "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*args, "--quiet", "--verbose"]) == 2
    assert capsys.readouterr().err == "build.py: error: choose --quiet or --verbose, not both\n"


def test_invalid_clinic_reported_with_content_errors(
        content: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)
    edit(content / "clinics/default.yaml", "region: us", "region: usa")
    edit(content / "clinics/default.yaml", "paper: letter", "papr: letter")
    assert main(["check", "--content", str(content)]) == 1
    clinic = content / "clinics/default.yaml"
    assert capsys.readouterr().err == (
        "3 problems found; no leaflet was written:\n"
        f"  {start_of(clinic)}: missing required field 'paper'\n"
        f"  {at(clinic, value_of='region')}: unknown region 'usa'; did you mean 'us'? The "
        "regions are the files in content/regions/: ca, eu, ie, uk, us\n"
        f"  {at(clinic, value_of='papr')}: unknown field 'papr'; did you mean 'paper'?\n")


def test_new_clinic_writes_a_file_that_builds(content: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-clinic", "oak-street", "--content", str(content)]) == 0
    assert capsys.readouterr().out == ("wrote content/clinics/oak-street.yaml: edit it, then "
                                       "run .venv/bin/python build.py --clinic oak-street\n")
    text = (content / "clinics/oak-street.yaml").read_text()
    assert "name: Oak Street\n" in text
    out = tmp_path / "out"
    assert main(["--content", str(content), "--clinic", "oak-street", "--leaflet", "foods",
                 "--out", str(out)]) == 0
    assert (out / "oak-street/en/foods.pdf").is_file()
    assert main(["new-clinic", "oak-street", "--content", str(content)]) == 1
    assert main(["new-clinic", "Oak Street", "--content", str(content)]) == 2
