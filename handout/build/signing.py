"""``build.py sign``: record that a clinician approved the words each leaflet prints.

Signing needs the words only, not a layout: editions and page breaks do not
void a sign-off. What is about to be approved is shown first, word by word
against the last sign-off (the terminal's form of the review page); the records
are then added to the end of each clinic's sign-off file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handout.build.review import Reviewed
from handout.content.approval import Snapshot
from handout.content.changes import marked
from handout.content.signoffs import SignOff, append_signoffs


def unsigned(reviewed: list[Reviewed], by: str, on: dt.date) -> list[Reviewed]:
    """The leaflets a sign-off by ``by`` on ``on`` would add to: all but those whose
    latest sign-off is already this one, of these words (so signing twice in a day
    adds nothing, and a script can run ``sign --yes`` again safely)."""
    return [
        r
        for r in reviewed
        if not (
            r.page.signed_off
            and r.page.signoff is not None
            and (r.page.signoff.by, r.page.signoff.date) == (by, on)
        )
    ]


def sign(reviewed: list[Reviewed], by: str, on: dt.date) -> dict[Path, int]:
    """Append a sign-off of each leaflet to its clinic's file; how many went into each."""
    grouped: dict[Path, tuple[str, list[SignOff]]] = {}
    for r in reviewed:
        assert r.job.signoffs is not None
        record = SignOff.of(r.key.leaflet, r.key.lang, by, on, r.page.approved)
        grouped.setdefault(r.job.signoffs.path, (r.key.clinic, []))[1].append(record)
    for path, (clinic_id, records) in grouped.items():
        append_signoffs(path, clinic_id, records)
    return {path: len(records) for path, (_, records) in grouped.items()}


def describe(r: Reviewed) -> list[str]:
    """What signing this leaflet approves: its changes since the last sign-off, marked
    ``[-removed-]{+added+}``; all of its words if it was never signed."""
    lines = [f"{r.key}: {r.said()}"]
    if r.page.signoff is None:
        return lines + _whole(r.page.approved)
    changes, new = r.changes, r.page.approved
    lines.extend(f"  {c.name}: {marked(c.old or '', c.new or '')}" for c in changes.leaflet)
    for change in changes.blocks:
        lines.append(f"  block '{change.name}' changed:")
        lines.extend(
            f"    {line}" for line in marked(change.old or "", change.new or "").split("\n")
        )
    for block_id in changes.added_blocks:
        lines.append(f"  block '{block_id}' added:")
        block = new.block(block_id)
        lines.extend(f"    {{+{text}+}}" for text in (block.text if block else []))
    lines.extend(f"  block '{i}' removed" for i in changes.removed_blocks)
    lines.extend(f"  block '{i}' moved" for i in changes.moved_blocks)
    for change in changes.facts:
        sources = "; ".join(r.fact_sources[change.name]) or "no source: the fact was removed"
        lines.append(
            f"  fact '{change.name}': {change.old or '(new)'} -> "
            f"{change.new or '(no longer printed)'} (sources: {sources})"
        )
    lines.extend(f"  source added: {s}" for s in changes.added_sources)
    lines.extend(f"  source removed: {s}" for s in changes.removed_sources)
    lines.extend(f"  clinic's {c.name}: {marked(c.old or '', c.new or '')}" for c in changes.clinic)
    return lines


def _whole(snapshot: Snapshot) -> list[str]:
    lines = [f"  title: {snapshot.title}", f"  main message: {snapshot.message}"]
    for block in snapshot.blocks:
        lines.append(f"  block '{block.id}':")
        lines.extend(f"    {text}" for text in block.text)
        if block.id in snapshot.notes:
            lines.append(f"    From your clinic: {snapshot.notes[block.id]}")
    lines.extend(f"  fact '{fact_id}': {value}" for fact_id, value in snapshot.facts.items())
    lines.extend(f"  source: {source}" for source in snapshot.sources)
    lines.extend(f"  clinic's {name}: {value}" for name, value in snapshot.clinic.items())
    return lines
