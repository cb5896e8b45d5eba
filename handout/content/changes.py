"""What changed between the words a clinician signed off and the words printed now.

The review gate names the changed blocks and facts, ``review`` shows them side
by side with the changed words marked, and ``sign`` shows the same before it
asks. All three read this one comparison of two snapshots.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from handout.content.approval import Snapshot

Op = Literal["same", "del", "ins"]
TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """One part whose words differ: a block, a fact, a clinic note, the title."""

    name: str
    """The block or fact id, the note's block id, "title" or a contact field."""
    old: str | None
    """None when the part is new."""
    new: str | None
    """None when the part was removed."""


@dataclass(frozen=True)
class Changes:
    """Everything that differs from the last sign-off (``old`` None: never signed)."""

    signed: bool
    """Whether there was a sign-off to compare with."""
    leaflet: list[Change] = field(default_factory=list)
    blocks: list[Change] = field(default_factory=list)
    """Blocks in both whose words changed."""
    added_blocks: list[str] = field(default_factory=list)
    removed_blocks: list[str] = field(default_factory=list)
    moved_blocks: list[str] = field(default_factory=list)
    facts: list[Change] = field(default_factory=list)
    added_sources: list[str] = field(default_factory=list)
    removed_sources: list[str] = field(default_factory=list)
    clinic: list[Change] = field(default_factory=list)
    """The clinic's notes and contact words."""

    @property
    def any(self) -> bool:
        return not self.signed or any(
            (
                self.leaflet,
                self.blocks,
                self.added_blocks,
                self.removed_blocks,
                self.moved_blocks,
                self.facts,
                self.added_sources,
                self.removed_sources,
                self.clinic,
            )
        )

    def named(self) -> str:
        """The changed blocks and facts in a few words, for a warning."""
        parts = []
        blocks = [c.name for c in self.blocks] + self.added_blocks + self.removed_blocks
        if blocks:
            parts.append(_listed("block", blocks))
        if self.moved_blocks:
            parts.append(_listed("moved block", self.moved_blocks))
        if self.facts:
            parts.append(_listed("fact", [c.name for c in self.facts]))
        if self.added_sources or self.removed_sources:
            parts.append(
                f"sources ({len(self.added_sources)} added, {len(self.removed_sources)} removed)"
            )
        if self.leaflet:
            parts.append(" and ".join(c.name for c in self.leaflet))
        if self.clinic:
            parts.append(_listed("clinic words", [c.name for c in self.clinic], plural=""))
        return "; ".join(parts)


def _listed(kind: str, names: list[str], plural: str = "s") -> str:
    shown = ", ".join(f"'{name}'" for name in names)
    return f"{kind}{plural if len(names) > 1 else ''} {shown}"


def compare(old: Snapshot | None, new: Snapshot) -> Changes:
    """What differs in ``new`` from the signed-off ``old``."""
    if old is None:
        return Changes(
            signed=False,
            added_blocks=[b.id for b in new.blocks],
            facts=[Change(k, None, v) for k, v in new.facts.items()],
            added_sources=list(new.sources),
        )
    old_ids = [b.id for b in old.blocks]
    new_ids = [b.id for b in new.blocks]
    common = [i for i in new_ids if i in old_ids]
    return Changes(
        signed=True,
        leaflet=[
            Change(name, a, b)
            for name, a, b in (
                ("title", old.title, new.title),
                ("main message", old.message, new.message),
            )
            if a != b
        ],
        blocks=[
            Change(i, _text(old, i), _text(new, i))
            for i in common
            if _text(old, i) != _text(new, i)
        ],
        added_blocks=[i for i in new_ids if i not in old_ids],
        removed_blocks=[i for i in old_ids if i not in new_ids],
        moved_blocks=_moved([i for i in old_ids if i in common], common),
        facts=_changed(old.facts, new.facts),
        added_sources=[s for s in new.sources if s not in old.sources],
        removed_sources=[s for s in old.sources if s not in new.sources],
        clinic=(
            _changed(old.clinic, new.clinic)
            + [Change(f"note on '{c.name}'", c.old, c.new) for c in _changed(old.notes, new.notes)]
        ),
    )


def _text(snapshot: Snapshot, block_id: str) -> str:
    block = snapshot.block(block_id)
    assert block is not None
    return "\n".join(block.text)


def _moved(before: list[str], after: list[str]) -> list[str]:
    """The blocks that changed place: those outside the longest run kept in order."""
    kept: set[str] = set()
    for match in difflib.SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
        kept.update(after[match.b : match.b + match.size])
    return [i for i in after if i not in kept]


def _changed(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    names = [*old, *(k for k in new if k not in old)]
    return [Change(k, old.get(k), new.get(k)) for k in names if old.get(k) != new.get(k)]


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """``old`` turned into ``new`` word by word: the words kept, removed and added."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    pieces: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(after[j1:j2])))
    return pieces


def marked(old: str, new: str) -> str:
    """The word diff as text, the way ``git diff --word-diff`` marks it:
    ``[-removed-]{+added+}``."""
    return "".join(
        text if op == "same" else f"[-{text}-]" if op == "del" else f"{{+{text}+}}"
        for op, text in word_diff(old, new)
    )
