"""A clinic's sign-offs: who approved which words of which leaflet, and when.

They live next to the clinic file, in ``<clinic id>.signoffs.yaml``, one record
per leaflet and language signed. The file is only ever added to (``build.py
sign`` appends at its end), and it is meant to be committed, so git history is
the audit trail. Each record stores the words it approved and their digest: a
digest that does not match its words, or a record dated before the one above
it, means the file was edited by hand, and the build refuses it with its line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import StringConstraints, ValidationError

from handout.content.approval import DIGEST_PREFIX, Snapshot
from handout.content.model import Id, Language, Model, ShortText
from handout.content.validation import report_problems
from handout.content.yamlfile import YamlDocument, read_yaml
from handout.core.errors import Location, UserError, UserErrors, display_path

SUFFIX = ".signoffs.yaml"
MAX_BYTES = 32_000_000
"""A record holds a leaflet's words (a few kilobytes): room for years of sign-offs."""
HEADER = """\
# Sign-offs for clinic '{clinic}': who approved the words of each leaflet, and when.
# Written by `python build.py sign`, which only adds at the end. Do not edit: a
# record whose words, reviewer or date no longer match its digest and seal is
# refused. Commit this file, so that git history is the audit trail.
"""
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class SignOff(Model):
    """One leaflet in one language, approved by a clinician on a day."""

    leaflet: Id
    lang: Language
    by: ShortText
    date: dt.date
    digest: Digest
    """The digest of ``approved``: what the words printed now must match."""
    seal: Digest
    """A digest of who signed which leaflet when, and of ``digest``: a name or a date
    changed by hand no longer matches it."""
    approved: Snapshot
    """The words approved: what ``review`` compares today's words with."""

    @classmethod
    def of(cls, leaflet: str, lang: str, by: str, date: dt.date, approved: Snapshot) -> SignOff:
        """The record of ``by`` approving ``approved`` on ``date``, sealed."""
        digest = approved.digest()
        return cls(
            leaflet=leaflet,
            lang=lang,
            by=by,
            date=date,
            digest=digest,
            seal=seal_of(leaflet, lang, by, date, digest),
            approved=approved,
        )

    def sealed(self) -> bool:
        return self.seal == seal_of(self.leaflet, self.lang, self.by, self.date, self.digest)


def seal_of(leaflet: str, lang: str, by: str, date: dt.date, digest: str) -> str:
    """A SHA-256 of a record's every field but its words (which ``digest`` covers)."""
    fields = json.dumps([leaflet, lang, by, date.isoformat(), digest], ensure_ascii=False)
    return DIGEST_PREFIX + hashlib.sha256(fields.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignOffs:
    """A clinic's sign-off file, read and checked: every record in the order signed."""

    path: Path
    records: tuple[SignOff, ...] = ()
    places: dict[int, Location] = field(default_factory=dict)
    """Where each record starts, by its position."""

    def latest(self, leaflet: str, lang: str) -> SignOff | None:
        """The last sign-off of this leaflet in this language, if it was ever signed."""
        return next(
            (r for r in reversed(self.records) if r.leaflet == leaflet and r.lang == lang), None
        )

    def place_of(self, record: SignOff) -> Location:
        index = next(i for i, r in enumerate(self.records) if r is record)
        return self.places.get(index, Location(self.path))


MOVED_FIELDS = ("reviewed_by", "reviewed_on", "clinical_review")
"""Where a review used to be typed by hand; now a sign-off records it with its words."""


def moved_fields(doc: YamlDocument, sign: str) -> tuple[list[UserError], YamlDocument]:
    """An error for each hand-typed review in a clinic or leaflet file, and the file
    without them, so the rest of it is still checked. ``sign`` is the command to run."""
    if not isinstance(doc.data, dict):
        return [], doc
    found = [key for key in MOVED_FIELDS if key in doc.data]
    errors = [
        UserError(
            doc.where((key,)),
            (
                f"'{key}' is no longer read: a review is now recorded with the words it approved, "
                f"in the clinic's sign-off file. Remove it, and have the clinician run: {sign}"
            ),
        )
        for key in found
    ]
    kept = {key: value for key, value in doc.data.items() if key not in found}
    return errors, YamlDocument(doc.path, kept, doc.locations, doc.words)


def signoffs_path(clinic_file: Path, clinic_id: str) -> Path:
    return clinic_file.parent / f"{clinic_id}{SUFFIX}"


def is_signoffs_file(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def load_signoffs(path: Path) -> SignOffs:
    """The sign-offs in ``path`` (none if there is no file); raise UserErrors, each with
    its line, for a record that is malformed or was edited by hand."""
    if not path.exists():
        return SignOffs(path)
    doc = read_yaml(path, max_bytes=MAX_BYTES)
    if not isinstance(doc.data, list):
        raise UserErrors(
            [
                UserError(
                    doc.where(()),
                    (
                        "this file must be a list of sign-offs, each starting with "
                        "'- leaflet:', as 'python build.py sign' writes it: restore it from "
                        "git (git checkout -- "
                        f"{display_path(path)})"
                    ),
                )
            ]
        )
    errors: list[UserError] = []
    records: list[SignOff] = []
    places: dict[int, Location] = {}
    for i, raw in enumerate(doc.data):
        try:
            record = SignOff.model_validate(raw)
        except ValidationError as exc:
            report_problems(exc, SignOff, doc, (i,), errors)
            continue
        errors.extend(_tampering(record, records, doc, i))
        places[len(records)] = doc.where((i,))
        records.append(record)
    if errors:
        raise UserErrors(errors)
    return SignOffs(path, tuple(records), places)


def _tampering(
    record: SignOff, earlier: list[SignOff], doc: YamlDocument, i: int
) -> list[UserError]:
    """Signs that a record was edited by hand rather than added by ``sign``."""
    about = f"the sign-off of '{record.leaflet}' ({record.lang}) by {record.by} on {record.date}"
    restore = (
        f"restore the file from git (git checkout -- {display_path(doc.path)}) and "
        "sign again with 'python build.py sign'"
    )
    if record.approved.digest() != record.digest:
        return [
            UserError(
                doc.where((i, "digest")),
                (
                    f"{about} has a digest that does not match the words stored with it: "
                    f"the record was edited by hand. Sign-offs are never edited; {restore}"
                ),
            )
        ]
    if not record.sealed():
        return [
            UserError(
                doc.where((i, "seal")),
                (
                    f"{about} has a seal that does not match its leaflet, language, reviewer, "
                    f"date or digest: the record was edited by hand. Sign-offs are never "
                    f"edited; {restore}"
                ),
            )
        ]
    if earlier and record.date < earlier[-1].date:
        return [
            UserError(
                doc.where((i, "date")),
                (
                    f"{about} is dated before the sign-off above it ({earlier[-1].date}): "
                    f"sign-offs are only ever added at the end of the file; {restore}"
                ),
            )
        ]
    return []


def record_yaml(records: list[SignOff]) -> str:
    """Records as ``sign`` appends them: the same records always give the same text."""
    data = [record.model_dump(mode="json") for record in records]
    for item, record in zip(data, records, strict=True):
        item["date"] = record.date  # a YAML date, not a quoted string
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )


class _Dumper(yaml.SafeDumper):
    """Writes every value out in full: the reader refuses aliases (``*id001``)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def append_signoffs(path: Path, clinic_id: str, records: list[SignOff]) -> None:
    """Add ``records`` at the end of the file (creating it with its header), never
    rewriting a byte already there; held under a lock against a second ``sign``."""
    text = record_yaml(records).encode("utf-8")
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            handle.write(HEADER.format(clinic=clinic_id).encode("utf-8"))
        else:
            handle.seek(end - 1)
            if handle.read(1) != b"\n":
                handle.write(b"\n")  # append mode writes at the end whatever the seek
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
