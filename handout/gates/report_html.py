"""Show the quality gates' report: a table in the terminal, a page in the browser.

The terminal table is for whoever ran the build; ``report.html`` is for the
clinician who signs the leaflets off, so it is self-contained (its stylesheet
is inlined), prints on one sheet per few leaflets, and links every failing
cell to the finding that explains it and the file to change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handout.gates.base import LEVELS, Level
from handout.gates.report import Report, Row, location_url
from handout.render.html import make_environment

REPORT_FILE = "report.html"
MARKS = {"fail": "✗ ", "warn": "! ", "info": "", "ok": ""}
STATUS = {"fail": "FAIL", "warn": "warn", "info": "ok", "ok": "ok"}
LISTED: tuple[tuple[Level, str], ...] = (("fail", "failed"), ("warn", "warning"))
"""The findings the table lists under it, each under its title; notes are only counted."""


def report_table(report: Report) -> str:
    """The gates as a plain-text table, failures first, then what failed and why."""
    header = ["", "leaflet", *report.headings]
    lines = [[STATUS[report.row_level(row)], str(row.key),
              *(MARKS[report.cell_level(row, gate)] + row.cells.get(gate, "")
                for gate in report.headings)]
             for row in report.sorted_rows()]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
           for cells in [header, *lines]]
    for level, title in LISTED:
        found = report.of_level(level)
        if found:
            plural = "s" if level == "warn" and len(found) != 1 else ""
            out.append("")
            out.append(f"{len(found)} {title}{plural}:")
            out.extend(f"  {finding.gate}: {finding.error}" for finding in found)
    notes = report.of_level("info")
    if notes:
        out.append("")
        out.append(f"{len(notes)} note{'s' if len(notes) != 1 else ''} for the reviewer "
                   "(old or undated sources, reviews): see the report")
    return "\n".join(out)


def report_html(report: Report, templates: Path, styles: Path,
                today: dt.date | None = None) -> str:
    """The report as one self-contained HTML page."""
    env = make_environment(templates)
    findings = [f for level in LEVELS for f in report.of_level(level)]
    anchors = {id(finding): f"finding-{n}" for n, finding in enumerate(findings, start=1)}
    return env.get_template("report.html.j2").render(
        report=report,
        gates=report.headings,
        rows=report.sorted_rows(),
        findings=findings,
        anchor=lambda finding: anchors[id(finding)],
        link=lambda row, gate: _first_link(report, row, gate, anchors),
        status=STATUS,
        url=location_url,
        css=(styles / "report.css").read_text(encoding="utf-8"),
        today=(today or dt.date.today()).isoformat(),
    )


def _first_link(report: Report, row: Row, gate: str, anchors: dict[int, str]) -> str | None:
    """The anchor of the first failure or warning behind a cell, or None if it passed."""
    level = report.cell_level(row, gate)
    for finding in report.findings:
        if finding.gate == gate and row.key in finding.rows and report.level(finding) == level:
            return anchors[id(finding)]
    return None
