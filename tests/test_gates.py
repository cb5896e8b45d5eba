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
from handout.core.errors import UserErrors
from handout.gates.measures import Proof
from handout.gates.registry import run_gates
from handout.gates.report import Report
from handout.gates.report_html import report_table
from handout.render.page import resolve

from .conftest import CONTENT_ARGS, FIXTURE_CONTENT, at, edit, sign, snapshot, start_of

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the content, templates and styles that a test may break."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    for folder in ("templates", "styles"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    return root


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the shared build's output folder, for a check to reuse its layouts
    (as a check after a build does) and write its report into."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return out


def gate_check(root: Path | None, clinic: str = "riverside-family",
               leaflet: str = "safe-doses", editions: tuple[str, ...] = ("standard",),
               strict: bool = False, lang: str = "en", out_dir: Path | None = None) -> Report:
    """The gates on one leaflet of a project copy, or with no root on the frozen content
    itself (for a test that changes nothing). Layouts in ``out_dir`` are reused."""
    project = Project(root=root) if root else Project(content_dir=FIXTURE_CONTENT)
    return check(project, Selection(clinics=(clinic,), leaflets=(leaflet,), lang=lang,
                                    editions=editions, today=TODAY, strict=strict), out_dir)


def failures(report: Report, level: str = "fail") -> list[str]:
    return [f"{f.gate}: {f.error}" for f in report.findings if report.level(f) == level]


def relative(report: Report, root: Path, level: str = "fail") -> list[str]:
    return [line.replace(f"{root}/", "") for line in failures(report, level)]


def test_shipped_content_passes_every_gate(built_copy: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = built_copy
    assert main(["check", *CONTENT_ARGS, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert lines[0].split() == ["leaflet", "reading", "health-literacy", "sources", "facts",
                                "review", "pages", "access", "language", "easy-read"]
    assert len([line for line in lines if "/en/" in line and not line.startswith(" ")]) == 12
    assert "failed:" not in printed
    assert lines[-1] == f"quality gates passed; report: {out}/report.html"
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Every gate passed." in report
    assert report.count("<tr class=") == 16


def test_json_is_the_same_report_for_ci(built_copy: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *CONTENT_ARGS, "--json", "--out", str(built_copy),
                 "--leaflet", "warnings"]) == 0
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
    foods = project / "content/blocks/foods.yaml"
    leaflet = start_of(project / "content/leaflets/foods.yaml", root=project)
    note = at(clinic, "Supplementation", value_of="en", root=project)
    kidneys = at(foods, "For most people, yes.", value_of="text", root=project)
    limit = at(foods, "The adult limit of {limit-adult}", root=project)
    assert relative(report, project) == [
        f"reading: {leaflet}: riverside-family/en/foods scores 4.2 on "
        "Flesch-Kincaid grade; the limit is 4. Rewrite its hardest sentences, listed with "
        "their lines",
        f"reading: {note}: Flesch-Kincaid grade 39.2, one "
        "of the hardest sentences of riverside-family/en/foods (note on block 'food-list'): "
        "\"Supplementation with magnesium-containing preparations necessitates individualised "
        "pharmacological consultation.\"",
        f"reading: {kidneys}: Flesch-Kincaid grade 9.3, one of the "
        "hardest sentences of riverside-family/en/foods (block 'food-is-safe'): \"If you have "
        "kidney disease or a special diet, ask your doctor or dietitian before you change what "
        "you eat.\"",
        f"reading: {limit}: Flesch-Kincaid grade 8.4, one of the "
        "hardest sentences of riverside-family/en/foods (block 'foods-key-points'): "
        "\"The adult limit of 350 mg a day is only for supplements and medicines, not for "
        "food.\""]


def test_a_clinic_may_not_loosen_the_reading_limit(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    clinic = project / "content/clinics/uk-sleep-clinic.yaml"
    edit(clinic, "paper: a4\n", "paper: a4\nmax_reading_grade: 10\n")
    assert main(["check", "--content", str(project / "content"), "--out",
                 str(project / "out")]) == 1
    assert capsys.readouterr().err == (
        "1 problem found; no leaflet was written:\n"
        f"  {at(clinic, value_of='max_reading_grade')}: 'max_reading_grade' must be at most 8, "
        "not 10\n")


# --- provenance ------------------------------------------------------------------


def test_provenance_gate_warns_on_facts_no_block_prints(project: Path) -> None:
    edit(project / "content/facts.yaml", "facts:\n", "facts:\n  - id: spare-fact\n"
         "    value: 5\n    unit: mg\n    sources: [nih-ods-magnesium]\n")
    report = gate_check(project)
    assert report.passed
    fact = at(project / "content/facts.yaml", "id: spare-fact", value_of="id", root=project)
    assert relative(report, project, "warn") == [
        f"sources: {fact}: fact 'spare-fact' is defined but no block prints "
        "it: use it as {spare-fact} or remove it"]
    assert not gate_check(project, strict=True).passed


def test_a_block_citing_only_web_articles_stops_the_build(project: Path) -> None:
    """Web articles are background for the reviewer and never print, so such a block
    would reach the patient with no source: refused when the content loads."""
    doses = project / "content/blocks/doses.yaml"
    edit(doses, "    sources: [nih-ods-magnesium, web-003, web-004]\n",
         "    sources: [web-003, web-004]\n")
    with pytest.raises(UserErrors) as caught:
        gate_check(project)
    where = at(doses, "sources: [web-003, web-004]", value_of="sources", root=project)
    assert [str(e).replace(f"{project}/", "") for e in caught.value.errors] == [
        f"{where}: block 'forms-of-magnesium' cites only web articles (web-003, web-004); "
        "add an authoritative reference (kind: reference) from content/sources.yaml"]


def test_web_articles_are_counted_per_leaflet(built: Path) -> None:
    row = gate_check(None, leaflet="warnings", out_dir=built).rows[0]
    assert row.cells["sources"] == "9 (3 web)"


# --- consistency -----------------------------------------------------------------


def test_consistency_gate_fails_when_an_edition_hides_a_number(project: Path) -> None:
    with (project / "styles/large-print.css").open("a", encoding="utf-8") as css:
        css.write("\ntable { display: none; }\n")
    report = gate_check(project, editions=("standard", "large-print"))
    name = "leaflet 'safe-doses' for clinic 'riverside-family' (en, large-print edition)"
    leaflet = start_of(project / "content/leaflets/safe-doses.yaml", root=project)
    hidden = ["limit-child-4-8' (110 mg)", "limit-child-1-3' (65 mg)",
              "example-tablet-breakfast' (100 mg)", "example-tablet-dinner' (100 mg)"]
    assert relative(report, project) == [
        f"facts: {leaflet}: {name}: fact '{fact} is in the leaflet but not on its pages; "
        "check that no stylesheet hides it" for fact in hidden]


def test_consistency_gate_fails_when_a_fact_prints_two_values() -> None:
    """Two leaflets of one clinic that disagree, as a wrongly formatted translation would."""
    content = load_content(FIXTURE_CONTENT)
    path = FIXTURE_CONTENT / "clinics/riverside-family.yaml"
    clinic = load_clinic(path, content)
    pages = [resolve(content, clinic, "en", name) for name in ("safe-doses", "warnings")]
    pages[1] = dataclasses.replace(pages[1], facts={**pages[1].facts, "limit-adult": "3500 mg"})
    report = run_gates(content, [Proof(page, path, "<p>Words.</p>") for page in pages], [],
                       TODAY)
    fact = at(FIXTURE_CONTENT / "facts.yaml", "id: limit-adult\n", value_of="id")
    assert [line for line in failures(report) if line.startswith("facts:")] == [
        f"facts: {fact}: fact 'limit-adult' prints different values for clinic "
        "'riverside-family': safe-doses (en): 350 mg; warnings (en): 3500 mg. Take every "
        "value from the fact"]


# --- currency --------------------------------------------------------------------


def test_currency_gate_reports_old_sources_and_the_review_date(built: Path) -> None:
    report = gate_check(None, clinic="uk-sleep-clinic", out_dir=built)
    assert report.rows[0].cells["review"] == "signed 2026-12-02, due 2028-12-02"
    notes = failures(report, "info")
    sources = FIXTURE_CONTENT / "sources.yaml"
    evm = at(sources, "id: evm-2003\n", value_of="id")
    nih = at(sources, "id: nih-ods-magnesium\n", value_of="id")
    assert (f"review: {evm}: source 'evm-2003' is from 2003, 23 years ago: "
            "look for newer evidence") in notes
    assert (f"review: {nih}: source 'nih-ods-magnesium' has no year: add "
            "the year it was published or last updated") in notes
    assert report.passed


def sign_in_the_past(project: Path, clinic: str = "uk-sleep-clinic") -> Path:
    """Replace the clinic's sign-offs with ones made on 15 September 2023."""
    signoffs = project / f"content/clinics/{clinic}.signoffs.yaml"
    signoffs.unlink()
    sign(project / "content", clinic, "Dr Sam Patel", dt.date(2023, 9, 15))
    return signoffs


def test_currency_gate_warns_when_the_review_is_overdue(project: Path) -> None:
    signoffs = sign_in_the_past(project)
    report = gate_check(project, clinic="uk-sleep-clinic", strict=True)
    assert report.rows[0].cells["review"] == "overdue 2025-09-15"
    record = at(signoffs, "leaflet: safe-doses", root=project)
    assert [line.replace(f"{project}/", "") for line in failures(report)] == [
        f"review: {record}: clinic 'uk-sleep-clinic' was due for review on 2025-09-15: ask "
        "the clinician to review the leaflets and sign them again (python build.py sign "
        "--clinic uk-sleep-clinic --by NAME)"]


# --- page fit --------------------------------------------------------------------


def test_page_fit_gate_counts_pages_per_edition(project: Path) -> None:
    edit(project / "content/leaflets/safe-doses.yaml", "budget_pages: 4", "budget_pages: 1")
    report = gate_check(project, editions=("standard", "large-print"))
    assert report.rows[0].cells["pages"] == "3/1, large-print 5/2"
    budget = at(project / "content/leaflets/safe-doses.yaml", value_of="budget_pages",
                root=project)
    assert relative(report, project) == [
        f"pages: {budget}: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, standard edition) has 3 pages; its budget is 1. Shorten it "
        "or move a block to another leaflet",
        f"pages: {budget}: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, large-print edition) has 5 pages; its budget is 2. Shorten "
        "it or move a block to another leaflet"]


# --- accessibility ---------------------------------------------------------------


def test_accessibility_gate_fails_on_small_type_and_missing_alt_text(project: Path) -> None:
    edit(project / "styles/leaflet.css", "    font-size: 9pt;", "    font-size: 6pt;")
    edit(project / "templates/_leaflet_body.html.j2", 'alt="{{ logo_alt }}"', 'alt=""')
    report = gate_check(project)
    assert report.rows[0].cells["access"] == "7.7:1, alt 10/11, 6 pt"
    leaflet = start_of(project / "content/leaflets/safe-doses.yaml", root=project)
    assert relative(report, project) == [
        "access: riverside-family/en/safe-doses: 1 image without alternative text: in "
        "templates/, give each <img> an alt and each role=\"img\" an aria-label",
        f"access: {leaflet}: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, standard edition): \"Riverside Family Practice | Phone (555) "
        "010-2000\" is set in 6 pt; nothing in this edition may be smaller than 9 pt"]


def test_large_print_allows_nothing_under_16_pt(project: Path) -> None:
    edit(project / "styles/large-print.css", ".sources ol { font-size: 16pt;",
         ".sources ol { font-size: 14pt;")
    report = gate_check(project, editions=("large-print",))
    leaflet = start_of(project / "content/leaflets/safe-doses.yaml", root=project)
    assert [line.split(": \"")[0] for line in relative(report, project)] == [
        f"access: {leaflet}: leaflet 'safe-doses' for clinic "
        "'riverside-family' (en, large-print edition)"]
    assert "is set in 14 pt; nothing in this edition may be smaller than 16 pt" in (
        failures(report)[0])


# --- translation -----------------------------------------------------------------


def test_translation_gate_shows_coverage(built: Path) -> None:
    assert gate_check(None, out_dir=built).rows[0].cells["language"] == "en 12/12"


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
    assert (f"  {start_of(content / 'leaflets/warnings.yaml')}: default/en/warnings scores 5 on "
            "Flesch-Kincaid grade; the limit is 3. Rewrite its hardest sentences, listed with "
            "their lines\n") in err
    assert snapshot(out) == before


def test_table_puts_failures_first(project: Path) -> None:
    edit(project / "content/leaflets/warnings.yaml", "budget_pages: 4", "budget_pages: 1")
    sign_in_the_past(project)  # overdue: every UK row warns
    report = check(Project(root=project), Selection(clinics=("default", "uk-sleep-clinic"),
                                                    today=TODAY))
    table = report_table(report).splitlines()
    assert [line.split()[:2] for line in table[1:3]] == [["FAIL", "default/en/warnings"],
                                                         ["FAIL", "uk-sleep-clinic/en/warnings"]]
    assert [line.split()[0] for line in table[3:9]] == ["warn"] * 3 + ["ok"] * 3
