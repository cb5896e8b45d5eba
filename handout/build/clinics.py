"""Find the clinics a build is for, load them, and list the leaflets to make."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from handout.build.config import Project, UsageError
from handout.content.clinic import load_clinic
from handout.content.loader import Content
from handout.content.model import Clinic
from handout.content.signoffs import SignOffs, is_signoffs_file, load_signoffs, signoffs_path
from handout.core.editions import DEFAULT_EDITIONS, EDITIONS, Edition
from handout.core.errors import Location, UserError, UserErrors, display_path, quoted
from handout.core.keys import LeafletKey


@dataclass(frozen=True)
class Job:
    """One leaflet to make for one clinic in one language."""

    clinic: Clinic
    clinic_file: Path
    lang: str
    leaflet: str
    signoffs: SignOffs | None = None
    """The clinic's sign-offs, read and checked."""

    @property
    def key(self) -> LeafletKey:
        return LeafletKey(self.clinic.id, self.lang, self.leaflet)


def editions_of(clinic: Clinic, chosen: tuple[str, ...]) -> list[Edition]:
    """The editions to build for ``clinic``. ``--edition`` (``chosen``) overrides, for
    every clinic, as a run for the print shop builds only what it names; without it,
    the standard leaflet and the editions the clinic file lists."""
    names = chosen or (*DEFAULT_EDITIONS, *clinic.editions)
    return [EDITIONS[name] for name in dict.fromkeys(names)]


def is_clinic_path(name: str) -> bool:
    """Whether ``--clinic`` names a file (``path/clinic.yaml``) rather than an id."""
    return name.endswith((".yaml", ".yml")) or "/" in name


def load_clinics(project: Project, wanted: tuple[str, ...], content: Content | None,
                 out_given: bool = False) -> list[tuple[Path, Clinic, SignOffs]]:
    """The clinics named (or every clinic in the content), each with its file and its
    sign-offs. A clinic file from elsewhere may not take a shipped clinic's id and so
    replace its leaflets in the default output folder (``out_given`` says it is
    another)."""
    folder = project.content / "clinics"
    available = {path.stem: path for path in sorted(folder.glob("*.yaml"))
                 if not is_signoffs_file(path)}
    if wanted:
        paths = [_clinic_path(name, available, folder) for name in wanted]
    else:
        paths = list(available.values())
    if not paths:
        raise UsageError(f"no clinic files in {display_path(folder)}")
    errors: list[UserError] = []
    clinics: list[tuple[Path, Clinic, SignOffs]] = []
    seen: dict[str, Path] = {}
    for path in dict.fromkeys(paths):
        try:
            clinic = load_clinic(path, content)
        except UserErrors as exc:
            errors.extend(exc.errors)
            continue
        if path.parent.resolve() == folder.resolve() and clinic.id != path.stem:
            errors.append(UserError(Location(path), f"clinic id '{clinic.id}' must match the "
                                                    f"file name: rename the file to "
                                                    f"{clinic.id}.yaml or change the id"))
        elif (not out_given and clinic.id in available
              and os.path.realpath(available[clinic.id]) != os.path.realpath(path)):
            errors.append(UserError(Location(path), (
                f"clinic id '{clinic.id}' is also the id of "
                f"{display_path(available[clinic.id])}, whose leaflets this build would "
                "replace in the output folder: change the id, or give --out another folder")))
        elif clinic.id in seen:
            errors.append(UserError(Location(path), f"clinic id '{clinic.id}' is also used by "
                                                    f"{display_path(seen[clinic.id])}"))
        seen.setdefault(clinic.id, path)
        try:
            signoffs = load_signoffs(signoffs_path(path, clinic.id))
        except UserErrors as exc:
            errors.extend(exc.errors)
            continue
        clinics.append((path, clinic, signoffs))
    if errors:
        raise UserErrors(errors)
    return clinics


def _clinic_path(name: str, available: dict[str, Path], folder: Path) -> Path:
    if is_clinic_path(name):
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"clinic file not found: {quoted(name)}")
        return path
    if name not in available:
        raise UsageError(f"no clinic {quoted(name)} in {display_path(folder)}; choose from: "
                         f"{', '.join(available) or 'none'}")
    return available[name]
