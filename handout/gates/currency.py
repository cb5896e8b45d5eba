"""Currency: is the clinic's sign-off in date, and how old is the evidence?"""

from __future__ import annotations

from collections import defaultdict

from handout.content.clinic import overdue_warning, review_due
from handout.core.errors import Location, UserError
from handout.core.keys import LeafletKey
from handout.gates.base import Finding, Gate, GateContext, Verdict, unique

OLD_SOURCE_YEARS = 10
"""A source older than this is reported (not failed), to prompt a look for newer evidence."""


def _currency(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings = []
    clinics = {p.page.clinic.id: p for p in ctx.proofs}
    for clinic_id, proof in clinics.items():
        clinic, rows = proof.page.clinic, ctx.rows_of_clinic(clinic_id)
        due = review_due(clinic)
        status = "not reviewed" if due is None else f"due {due.isoformat()}"
        overdue = overdue_warning(clinic, ctx.today, proof.clinic_file)
        if overdue:
            status = f"overdue {due}"
            findings.append(Finding("review", "warn", UserError(None, overdue), rows))
        elif due is None:
            findings.append(Finding("review", "info", UserError(
                Location(proof.clinic_file),
                f"clinic '{clinic_id}' has not reviewed the leaflets; each says so. Add "
                "'reviewed_by' and 'reviewed_on' once a clinician has"), rows))
        for key in rows:
            verdict.cells[key] = status
    for proof in ctx.proofs:
        if proof.page.leaflet.clinical_review is None:
            findings.append(Finding("review", "info", UserError(
                ctx.place("leaflet", proof.page.id),
                f"leaflet '{proof.page.id}' has no clinical_review"), (proof.key,)))
    cited: dict[str, list[LeafletKey]] = defaultdict(list)
    for proof in ctx.proofs:
        for source_id in proof.page.source_ids:
            cited[source_id].append(proof.key)
    for source_id, keys in cited.items():
        source = ctx.content.sources[source_id]
        age = None if source.year is None else ctx.today.year - source.year
        if age is None:
            message = (f"source '{source_id}' has no year: add the year it was published or "
                       "last updated")
        elif age > OLD_SOURCE_YEARS:
            message = (f"source '{source_id}' is from {source.year}, {age} years ago: "
                       "look for newer evidence")
        else:
            continue
        findings.append(Finding("review", "info", UserError(ctx.place("source", source_id),
                                                            message), tuple(keys)))
    verdict.findings = unique(findings)
    return verdict


GATE = Gate("review", "Currency", _currency)
