"""Currency: does each sign-off cover the words printed, is it in date, and how old is
the evidence?"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from handout.content.changes import compare
from handout.content.clinic import overdue_warning, review_due
from handout.core.errors import Location, UserError
from handout.core.keys import LeafletKey
from handout.gates.base import Finding, Gate, GateContext, Verdict, unique
from handout.gates.measures import Proof

OLD_SOURCE_YEARS = 10
"""A source older than this is reported (not failed), to prompt a look for newer evidence."""


def _currency(ctx: GateContext) -> Verdict:
    verdict = Verdict()
    findings = _sign_offs(ctx, verdict)
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


def _sign_offs(ctx: GateContext, verdict: Verdict) -> list[Finding]:
    """Each leaflet's sign-off: true to its words, changed since, overdue, or missing."""
    findings: list[Finding] = []
    unsigned: dict[str, list[Proof]] = defaultdict(list)
    overdue: dict[str, list[tuple[dt.date, Proof]]] = defaultdict(list)
    for proof in ctx.proofs:
        page, key = proof.page, proof.key
        signoff = page.signoff
        if signoff is None:
            unsigned[page.clinic.id].append(proof)
            verdict.cells[key] = "not signed off"
            continue
        place = proof.page.signoff_at
        if not page.signed_off:
            verdict.cells[key] = f"changed since {signoff.date.isoformat()}"
            changed = compare(signoff.approved, page.approved).named()
            findings.append(Finding("review", "warn", UserError(place, (
                f"leaflet '{page.id}' ({page.lang}) for clinic '{page.clinic.id}' has "
                f"changed since signed off by {signoff.by} on {signoff.date.isoformat()}: "
                f"{changed}. It says so until it is signed again: run python build.py "
                f"review --clinic {page.clinic.id}, then python build.py sign --clinic "
                f"{page.clinic.id} --by NAME")), (key,)))
            continue
        due = review_due(page.clinic, signoff.date)
        verdict.cells[key] = f"signed {signoff.date.isoformat()}, due {due.isoformat()}"
        if overdue_warning(page.clinic, signoff.date, ctx.today):
            verdict.cells[key] = f"overdue {due.isoformat()}"
            overdue[page.clinic.id].append((signoff.date, proof))
    for dated in overdue.values():
        first, proof = min(dated, key=lambda pair: pair[0])
        message = overdue_warning(proof.page.clinic, first, ctx.today)
        assert message is not None
        findings.append(Finding("review", "warn", UserError(proof.page.signoff_at, message),
                                tuple(p.key for _, p in dated)))
    for clinic_id, proofs in unsigned.items():
        names = ", ".join(f"{p.page.id} ({p.page.lang})" for p in proofs)
        findings.append(Finding("review", "info", UserError(Location(proofs[0].clinic_file), (
            f"clinic '{clinic_id}' has not signed off {names}; each says so. Once a "
            f"clinician has read python build.py review --clinic {clinic_id}, sign with "
            f"python build.py sign --clinic {clinic_id} --by NAME")),
            tuple(p.key for p in proofs)))
    return findings


GATE = Gate("review", "Currency", _currency)
