"""The quality gates: each one shown failing on a small fixture, with its exact message,
and the shipped content passing them all.

Gate rules that are enforced when the content loads (a block without a known
source, a typed-in number, low contrast, a language not written) are in the
bad-input catalogue, tests/test_bad_input.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from handout.build.config import PROJECT_ROOT, Project, Selection
from handout.build.pipeline import check
from handout.cli.main import main
from handout.content.clinic import load_clinic
from handout.content.loader import load_content
from handout.gates.measures import Proof
from handout.gates.registry import run_gates
from handout.gates.report import Report
from handout.gates.report_html import report_table
from handout.render.page import resolve

from .conftest import edit, snapshot

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the content, templates and styles that a test may break."""
    root = tmp_path / "project"
    for folder in ("content", "templates", "styles"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    return root


def gate_check(root: Path, clinic: str = "riverside-family", leaflet: str = "safe-doses",
               editions: tuple[str, ...] = ("standard",), strict: bool = False,
               lang: str = "en") -> Report:
    return check(Project(root=root), Selection(clinics=(clinic,), leaflets=(leaflet,),
                                               lang=lang, editions=editions, today=TODAY,
                                               strict=strict))


def failures(report: Report, level: str = "fail") -> list[str]:
    return [f"{f.gate}: {f.error}".replace(f"{PROJECT_ROOT}/", "")
            for f in report.findings if report.level(f) == level]


def relative(report: Report, root: Path, level: str = "fail") -> list[str]:
    return [line.replace(f"{root}/", "") for line in failures(report, level)]


def test_shipped_content_passes_every_gate(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["check", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert lines[0].split() == ["leaflet", "reading", "sources", "facts", "review", "pages",
                                "access", "language"]
    assert len([line for line in lines if "/en/" in line and not line.startswith(" ")]) == 12
    assert "failed:" not in printed
    assert lines[-1] == f"quality gates passed; report: {out}/report.html"
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Every gate passed." in report
    assert report.count("<tr class=") == 16


def test_json_is_the_same_report_for_ci(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", "--out", str(tmp_path), "--leaflet", "warnings"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert [row["leaflet"] for row in report["rows"]] == [
        "riverside-family/es/warnings", "default/en/warnings", "riverside-family/en/warnings",
        "uk-sleep-clinic/en/warnings"]
    assert set(report["rows"][0]["cells"]) == set(report["gates"])
    assert all(row["reading"] <= 8 for row in report["rows"] if "/en/" in row["leaflet"])
    assert all(row["reading"] >= 70 for row in report["rows"] if "/es/" in row["leaflet"])
    assert {f["level"] for f in report["findings"]} <= {"warn", "info"}


# --- reading level ---------------------------------------------------------------


def test_reading_gate_lists_the_hardest_sentences_with_their_lines(project: Path) -> None:
    clinic = project / "content/clinics/riverside-family.yaml"
    edit(clinic, "review_every_months: 24", "review_every_months: 24\nmax_reading_grade: 4")
    edit(clinic, "en: Our practice nurse can help you plan meals. Ask at the front desk.",
         "en: Supplementation with magnesium-containing preparations necessitates "
         "individualised pharmacological consultation.")
    report = gate_check(project, leaflet="foods")
    assert relative(report, project) == [
        "reading: content/leaflets/foods.yaml:1:1: riverside-family/en/foods scores 5.1 on "
        "Flesch-Kincaid grade; the limit is 4. Rewrite its hardest sentences, listed with "
        "their lines",
        "reading: content/clinics/riverside-family.yaml:39:9: Flesch-Kincaid grade 39.2, one "
        "of the hardest sentences of riverside-family/en/foods (note on block 'food-list'): "
        "\"Supplementation with magnesium-containing preparations necessitates individualised "
        "pharmacological consultation.\"",
        "reading: content/blocks/foods.yaml:48:11: Flesch-Kincaid grade 10.2, one of the "
        "hardest sentences of riverside-family/en/foods (block 'food-is-safe'): \"If you have "
        "kidney disease, or you follow a special diet, ask your doctor or dietitian before you "
        "change what you eat.\"",
        "reading: content/blocks/foods.yaml:62:9: Flesch-Kincaid grade 8.4, one of the "
        "hardest sentences of riverside-family/en/foods (block 'what-lowers-magnesium'): "
        "\"Some bowel diseases, and diabetes that is not well controlled.\""]


def test_a_clinic_may_not_loosen_the_reading_limit(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    clinic = project / "content/clinics/uk-sleep-clinic.yaml"
    edit(clinic, "reviewed_on: 2026-09-15", "reviewed_on: 2026-09-15\nmax_reading_grade: 10")
    assert main(["check", "--content", str(project / "content"), "--out",
                 str(project / "out")]) == 1
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n"
        f"  {clinic}:18:20: 'max_reading_grade' must be at most 8, not 10\n")


# --- provenance ------------------------------------------------------------------


def test_provenance_gate_warns_on_unused_facts_and_web_only_blocks(project: Path) -> None:
    edit(project / "content/facts.yaml", "facts:\n", "facts:\n  - id: spare-fact\n"
         "    value: 5\n    unit: mg\n    sources: [nih-ods-magnesium]\n")
    edit(project / "content/blocks/doses.yaml",
         "    sources: [web-003, web-004, nih-ods-magnesium]", "    sources: [web-003, web-004]")
    report = gate_check(project)
    assert report.passed
    assert relative(report, project, "warn") == [
        "sources: content/blocks/doses.yaml:48:9: block 'forms-of-magnesium' cites only web "
        "articles (web-003, web-004); add an authoritative reference from content/sources.yaml",
        "sources: content/facts.yaml:13:9: fact 'spare-fact' is defined but no block prints "
        "it: use it as {spare-fact} or remove it"]
    assert not gate_check(project, strict=True).passed


def test_web_articles_are_counted_per_leaflet(project: Path) -> None:
    row = gate_check(project, leaflet="warnings").rows[0]
    assert row.cells["sources"] == "7 (3 web)"


# --- consistency -----------------------------------------------------------------


def test_consistency_gate_fails_when_an_edition_hides_a_number(project: Path) -> None:
    with (project / "styles/large-print.css").open("a", encoding="utf-8") as css:
        css.write("\ntable { display: none; }\n")
    report = gate_check(project, editions=("standard", "large-print"))
    name = "leaflet 'safe-doses' for clinic 'riverside-family' (en, large-print edition)"
    assert relative(report, project) == [
        f"facts: content/leaflets/safe-doses.yaml:1:1: {name}: fact 'limit-child-4-8' (110 mg) "
        "is in the leaflet but not on its pages; check that no stylesheet hides it",
        f"facts: content/leaflets/safe-doses.yaml:1:1: {name}: fact 'limit-child-1-3' (65 mg) "
        "is in the leaflet but not on its pages; check that no stylesheet hides it"]


def test_consistency_gate_fails_when_a_fact_prints_two_values() -> None:
    """Two leaflets of one clinic that disagree, as a wrongly formatted translation would."""
    content = load_content(PROJECT_ROOT / "content")
    path = PROJECT_ROOT / "content/clinics/riverside-family.yaml"
    clinic = load_clinic(path, content)
    pages = [resolve(content, clinic, "en", name) for name in ("safe-doses", "warnings")]
    pages[1] = dataclasses.replace(pages[1], facts={**pages[1].facts, "limit-adult": "3500 mg"})
    report = run_gates(content, [Proof(page, path, "<p>Words.</p>") for page in pages], [],
                       TODAY)
    assert failures(report) == [
        "facts: content/facts.yaml:15:9: fact 'limit-adult' prints different values for clinic "
        "'riverside-family': safe-doses (en): 350 mg; warnings (en): 3500 mg. Take every "
        "value from the fact"]


# --- currency --------------------------------------------------------------------


def test_currency_gate_reports_old_sources_and_the_review_date(project: Path) -> None:
    report = gate_check(project, clinic="uk-sleep-clinic")
    assert report.rows[0].cells["review"] == "due 2028-09-15"
    notes = relative(report, project, "info")
    assert ("review: content/sources.yaml:94:9: source 'evm-2003' is from 2003, 23 years ago: "
            "look for newer evidence") in notes
    assert ("review: content/sources.yaml:76:9: source 'nih-ods-magnesium' has no year: add "
            "the year it was published or last updated") in notes
    assert report.passed


def test_currency_gate_warns_when_the_review_is_overdue(project: Path) -> None:
    edit(project / "content/clinics/uk-sleep-clinic.yaml", "reviewed_on: 2026-09-15",
         "reviewed_on: 2023-09-15")
    report = gate_check(project, clinic="uk-sleep-clinic", strict=True)
    assert report.rows[0].cells["review"] == "overdue 2025-09-15"
    assert [line.replace(f"{project}/", "") for line in failures(report)] == [
        "review: content/clinics/uk-sleep-clinic.yaml: clinic 'uk-sleep-clinic' was due for "
        "review on 2025-09-15: ask the clinician to review the leaflets and update "
        "'reviewed_on'"]


# --- page fit --------------------------------------------------------------------


def test_page_fit_gate_counts_pages_per_edition(project: Path) -> None:
    edit(project / "content/leaflets/safe-doses.yaml", "budget_pages: 2", "budget_pages: 1")
    report = gate_check(project, editions=("standard", "large-print"))
    assert report.rows[0].cells["pages"] == "2/1, large-print 4/2"
    assert relative(report, project) == [
        "pages: content/leaflets/safe-doses.yaml:3:15: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, standard edition) has 2 pages; its budget is 1. Shorten it "
        "or move a block to another leaflet",
        "pages: content/leaflets/safe-doses.yaml:3:15: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, large-print edition) has 4 pages; its budget is 2. Shorten "
        "it or move a block to another leaflet"]


# --- accessibility ---------------------------------------------------------------


def test_accessibility_gate_fails_on_small_type_and_missing_alt_text(project: Path) -> None:
    edit(project / "styles/leaflet.css", "    font-size: 9pt;", "    font-size: 6pt;")
    edit(project / "templates/_leaflet_body.html.j2", 'alt="{{ logo_alt }}"', 'alt=""')
    report = gate_check(project)
    assert report.rows[0].cells["access"] == "7.7:1, alt 1/2, 6 pt"
    assert relative(report, project) == [
        "access: riverside-family/en/safe-doses: 1 image without alternative text: in "
        "templates/, give each <img> an alt and each role=\"img\" an aria-label",
        "access: content/leaflets/safe-doses.yaml:1:1: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, standard edition): \"Riverside Family Practice | Phone (555) "
        "010-2000\" is set in 6 pt; nothing in this edition may be smaller than 9 pt"]


def test_large_print_allows_nothing_under_16_pt(project: Path) -> None:
    edit(project / "styles/large-print.css", ".sources ol { font-size: 16pt;",
         ".sources ol { font-size: 14pt;")
    report = gate_check(project, editions=("large-print",))
    assert [line.split(": \"")[0] for line in relative(report, project)] == [
        "access: content/leaflets/safe-doses.yaml:1:1: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, large-print edition)"]
    assert "is set in 14 pt; nothing in this edition may be smaller than 16 pt" in (
        failures(report)[0])


# --- translation -----------------------------------------------------------------


def test_translation_gate_shows_coverage(project: Path) -> None:
    assert gate_check(project).rows[0].cells["language"] == "en 9/9"


# --- the build runs the same gates -----------------------------------------------


def test_a_failing_gate_stops_the_build_and_keeps_earlier_output(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    args = ["--content", str(content), "--clinic", "default", "--leaflet", "warnings",
            "--out", str(out)]
    assert main(args) == 0
    before = snapshot(out)
    assert "report.html" in before
    edit(content / "clinics/default.yaml", "languages: [en]", "languages: [en]\n"
         "max_reading_grade: 3")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("4 problems found; no leaflet was written:\n")
    assert (f"  {content}/leaflets/warnings.yaml:1:1: default/en/warnings scores 4.7 on "
            "Flesch-Kincaid grade; the limit is 3. Rewrite its hardest sentences, listed with "
            "their lines\n") in err
    assert snapshot(out) == before


def test_table_puts_failures_first(project: Path) -> None:
    edit(project / "content/leaflets/warnings.yaml", "budget_pages: 2", "budget_pages: 1")
    report = check(Project(root=project), Selection(clinics=("default",), today=TODAY))
    table = report_table(report).splitlines()
    assert table[1].split()[:2] == ["FAIL", "default/en/warnings"]
    assert [line.split()[0] for line in table[2:5]] == ["warn", "ok", "ok"]
