"""What a clinician approves when signing a leaflet off: the words a patient reads.

A ``Snapshot`` is one leaflet for one clinic in one language as a patient reads
it: its title and message, the printed text of every block with its facts filled
in, each fact's printed value, the sources printed and the clinic's own words.
Nothing cosmetic is in it (no edition, layout, colour, picture file or bold
mark), so a new edition or a stylesheet change leaves a sign-off standing while a
changed word, number or source voids it. Its digest is what a sign-off records;
the snapshot itself is stored beside it, so a later change can be shown word by
word without git.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from handout.content.blocks import BlockBase, Table, texts_of
from handout.content.model import Model

DIGEST_PREFIX = "sha256:"
CELL_SEPARATOR = " | "
"""Between the cells of a table row, which is compared as one line."""


class ApprovedBlock(Model):
    """One block as printed: each piece of its text (heading, item, table row) in order."""

    id: str
    text: list[str]


class Snapshot(Model):
    """Everything one leaflet puts in front of a patient, and nothing cosmetic."""

    title: str
    message: str
    blocks: list[ApprovedBlock]
    facts: dict[str, str]
    """Each fact's printed value, by fact id."""
    sources: list[str]
    """The citations printed under "Where this information comes from"."""
    clinic: dict[str, str]
    """The clinic's own contact words as printed: name, phone, address, website."""
    notes: dict[str, str]
    """The clinic's own sentence after a block, by block id."""

    def digest(self) -> str:
        """A SHA-256 of the snapshot in a canonical form: the same words give the same
        digest on any machine, whatever order the YAML listed them in."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return DIGEST_PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def block(self, block_id: str) -> ApprovedBlock | None:
        return next((block for block in self.blocks if block.id == block_id), None)


def plain(text: str) -> str:
    """Text as it reads: emphasis marks and line folding are how it looks, not what it
    says."""
    return " ".join(text.replace("**", "").split())


def approved_block(block: BlockBase) -> ApprovedBlock:
    """A resolved block's printed pieces; a table row's cells are joined into one line.
    A table's ``total`` is the label of its last row once resolved, so it is read there."""
    pieces: dict[tuple[str | int, ...], list[str]] = {}
    for key_path, text in texts_of(block):
        if isinstance(block, Table) and key_path == ("total",):
            continue
        row = key_path[:2] if _is_cell(block, key_path) else key_path
        pieces.setdefault(row, []).append(plain(text))
    return ApprovedBlock(
        id=block.id, text=[CELL_SEPARATOR.join(cells) for cells in pieces.values()]
    )


def _is_cell(block: BlockBase, key_path: tuple[str | int, ...]) -> bool:
    return any(field.name == key_path[0] and field.shape == "rows" for field in block.text_fields())


def snapshot(
    title: str,
    message: str,
    blocks: Iterable[BlockBase],
    facts: dict[str, str],
    sources: Iterable[str],
    clinic: dict[str, str | None],
    notes: dict[str, str],
) -> Snapshot:
    """The snapshot of a leaflet from its printed parts."""
    return Snapshot(
        title=plain(title),
        message=plain(message),
        blocks=[approved_block(block) for block in blocks],
        facts=dict(sorted(facts.items())),
        sources=list(sources),
        clinic={key: plain(value) for key, value in clinic.items() if value},
        notes={key: plain(value) for key, value in notes.items()},
    )
