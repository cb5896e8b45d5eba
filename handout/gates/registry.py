"""The quality gates: what a clinician checks by hand before signing a leaflet off.

Each gate is declared once, in its own module, as a ``Gate``; ``GATES`` lists
them in the order a reviewer reads them, which is the report's column order.
Adding a gate: write its module with a ``GATE``, and add it here.

Some rules are enforced earlier, when the content loads, because nothing can be
built without them: every block cites a known source, every number comes from
``facts.yaml``, a clinic's colours reach 4.5:1 and its languages are written.
The gates report the measurements behind them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from handout.content.loader import Content
from handout.gates import (
    access,
    consistency,
    currency,
    easy_read,
    language,
    literacy,
    pages,
    provenance,
    reading,
)
from handout.gates.base import Finding, Gate, GateContext, Layout
from handout.gates.measures import Proof, measure_proof, reading_scale
from handout.gates.report import Report, Row

GATES: tuple[Gate, ...] = (reading.GATE, literacy.GATE, provenance.GATE, consistency.GATE,
                           currency.GATE, pages.GATE, access.GATE, language.GATE,
                           easy_read.GATE)


def run_gates(content: Content, proofs: list[Proof], layouts: list[Layout],
              today: dt.date, strict: bool = False) -> Report:
    """Measure every leaflet of a build against every gate."""
    proofs = [proof if proof.measures else replace(proof, measures=measure_proof(content, proof))
              for proof in proofs]
    context = GateContext(content, proofs, layouts, today)
    verdicts = {gate.id: gate.run(context) for gate in GATES}
    rows = []
    for proof in proofs:
        assert proof.measures is not None
        cells = {gate: verdict.cells[proof.key] for gate, verdict in verdicts.items()
                 if proof.key in verdict.cells}
        rows.append(Row(proof.key, cells, proof.measures.reading,
                        reading_scale(content, proof.page), proof.measures.hardest))
    findings: list[Finding] = [f for verdict in verdicts.values() for f in verdict.findings]
    editions = tuple(dict.fromkeys(layout.edition.name for layout in layouts))
    return Report(rows, findings, editions, {gate.id: gate.heading for gate in GATES}, strict)
