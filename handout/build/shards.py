"""Split a large build across machines, and join the pieces again.

``--shard K/N`` keeps every N-th clinic-and-language, so N jobs of any job
runner (a CI matrix, a batch scheduler) each build a fixed share with nothing
new to operate. A clinic's languages are the unit, not single leaflets, so a
booklet is always built whole, by one shard. ``merge-manifests`` copies each
shard's PDFs into one folder and joins their manifests, checking every file
against its recorded SHA-256 on the way.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from handout.build.cache import LAYOUT_CACHE
from handout.build.output import MANIFEST, Artifact, ManifestEntry, read_manifest, write_artifacts
from handout.core.editions import EDITIONS
from handout.core.errors import UserError, UserErrors, display_path, quoted
from handout.core.files import FileRefused, read_bounded
from handout.core.keys import OutputKey

SHARD = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` as (2, 4); ValueError with the reason otherwise."""
    match = SHARD.fullmatch(text.strip())
    if not match or int(match.group(1)) > int(match.group(2)):
        raise ValueError(f"--shard takes K/N with 1 <= K <= N, like 2/4, not '{text}'")
    return int(match.group(1)), int(match.group(2))


def in_shard(units: list[tuple[str, str]], shard: tuple[int, int]) -> set[tuple[str, str]]:
    """The (clinic, language) units shard K of N builds: every N-th, in sorted order."""
    number, count = shard
    return {unit for i, unit in enumerate(sorted(set(units))) if i % count == number - 1}


def merge_manifests(folders: list[Path], out_dir: Path) -> list[ManifestEntry]:
    """Copy every output listed in the folders' manifests into ``out_dir``."""
    errors: list[UserError] = []
    artifacts: dict[OutputKey, Artifact] = {}
    sources: dict[OutputKey, Path] = {}
    cache: dict[str, dict[str, object]] = {}
    for folder in folders:
        if not (folder / MANIFEST).is_file():
            errors.append(UserError(None, f"{display_path(folder)}: no {MANIFEST}; give the "
                                          "output folder of a build"))
            continue
        for entry in read_manifest(folder):
            artifact = _artifact(folder, entry, errors)
            if artifact is None:
                continue
            earlier = artifacts.get(entry.key)
            if earlier is not None and earlier.data != artifact.data:
                errors.append(UserError(None, (
                    f"{entry.path} differs between {display_path(sources[entry.key])} and "
                    f"{display_path(folder)}; build it in one shard only")))
                continue
            artifacts[entry.key] = artifact
            sources[entry.key] = folder
        _merge_cache(cache, folder / LAYOUT_CACHE)
    if errors:
        raise UserErrors(errors)
    _merge_cache(cache, out_dir / LAYOUT_CACHE)
    return write_artifacts(out_dir, list(artifacts.values()), {
        LAYOUT_CACHE: (json.dumps(cache, sort_keys=True) + "\n").encode("utf-8")})


ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LANGUAGE = re.compile(r"[a-z]{2}")
MAX_PDF_BYTES = 200_000_000
"""Far above any booklet; a bigger file is not one this tool wrote."""


def entry_problem(entry: ManifestEntry) -> str | None:
    """Why a manifest entry is not one a build writes, or None: a shard's manifest
    is read from another machine, so its names decide nothing about where files go."""
    edition = EDITIONS.get(entry.edition)
    if not (isinstance(entry.clinic, str) and ID.fullmatch(entry.clinic)):
        return f"its clinic {quoted(entry.clinic)} is not an id"
    if not (isinstance(entry.lang, str) and LANGUAGE.fullmatch(entry.lang)):
        return f"its lang {quoted(entry.lang)} is not a language code"
    if not (isinstance(entry.leaflet, str) and ID.fullmatch(entry.leaflet)):
        return f"its leaflet {quoted(entry.leaflet)} is not an id"
    if edition is None:
        return f"its edition {quoted(entry.edition)} is not one of {', '.join(EDITIONS)}"
    expected = f"{entry.clinic}/{entry.lang}/{edition.file_name(entry.leaflet)}"
    if entry.path != expected:
        return f"its path {quoted(entry.path)} should be {quoted(expected)}"
    return None


def _artifact(folder: Path, entry: ManifestEntry, errors: list[UserError]) -> Artifact | None:
    problem = entry_problem(entry)
    if problem is not None:
        errors.append(UserError(None, f"{display_path(folder / MANIFEST)}: an entry is not "
                                      f"one this tool writes: {problem}; build that shard "
                                      "again"))
        return None
    edition = EDITIONS[entry.edition]
    pdf_path = folder / entry.path
    try:
        pdf = read_bounded(pdf_path, MAX_PDF_BYTES, folder)
        html = (read_bounded(pdf_path.with_suffix(".html"), MAX_PDF_BYTES, folder).decode("utf-8")
                if edition.paged else None)  # the HTML a PDF was rendered from
    except FileRefused as exc:
        errors.append(UserError(None, f"{display_path(pdf_path)}: {exc.reason}; build that "
                                      "shard again"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        errors.append(UserError(None, f"{display_path(pdf_path)}: cannot read it "
                                      f"({reason}); build that shard again"))
        return None
    if hashlib.sha256(pdf).hexdigest() != entry.sha256:
        errors.append(UserError(None, f"{display_path(pdf_path)} does not match its manifest "
                                      "entry; build that shard again"))
        return None
    return Artifact(entry.clinic, entry.lang, entry.leaflet, entry.edition, edition.file_suffix,
                    pdf, html, entry.pages, entry.inputs, edition.extension)


def _merge_cache(cache: dict[str, dict[str, object]], path: Path) -> None:
    """Add a shard's layout cache (``{"layouts": {...}, "proofs": {...}}``) to ``cache``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for section, entries in raw.items():
            cache.setdefault(section, {}).update(entries)
    except (OSError, ValueError, TypeError, AttributeError):
        pass  # no cache: the merged outputs are rendered again on the next build
