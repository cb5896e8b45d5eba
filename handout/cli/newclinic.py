"""``build.py new-clinic ID [--region CODE]``: a commented clinic file that builds as it is.

The file is filled in from the content, so it can never list a region, a number
or a block id that does not exist: the regions to choose from, the region's
paper and emergency number, and every block a note can follow, by leaflet.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from handout.build.config import Project
from handout.content.clinic import SAFETY_BLOCKS
from handout.content.facts import EMERGENCY_FACT
from handout.content.loader import Content, load_content
from handout.content.regions import unknown_region
from handout.core.errors import UserErrors, display_path

TEMPLATE = Path(__file__).parent / "new_clinic.yaml"
DEFAULT_REGION = "us"


class NewClinicRefused(Exception):
    """Why no file was written, in the words the admin reads; ``usage`` for a bad
    command line (exit 2) rather than a problem in the content or on disk (exit 1)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def new_clinic(clinic_id: str | None, region: str | None, project: Project) -> Path:
    """Write ``content/clinics/<clinic_id>.yaml``; return its path."""
    if not clinic_id or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", clinic_id):
        raise NewClinicRefused("new-clinic needs an id of lower-case words joined by "
                               "hyphens, like: new-clinic oak-street-surgery", usage=True)
    path = project.content / "clinics" / f"{clinic_id}.yaml"
    if path.exists():
        raise NewClinicRefused(f"{display_path(path)} already exists; choose another id")
    try:
        content = load_content(project.content)
    except UserErrors as exc:
        raise NewClinicRefused(f"the content has problems, so no clinic file was written "
                               f"(run python build.py check): {exc.errors[0]}") from None
    code = region or DEFAULT_REGION
    if code not in content.regions:
        raise NewClinicRefused(f"--region: {unknown_region(code, content.regions)}",
                               usage=True)
    text = clinic_file_text(content, clinic_id, code)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewClinicRefused(f"cannot write {display_path(path)}: {exc.strerror}") from None
    return path


def clinic_file_text(content: Content, clinic_id: str, code: str) -> str:
    """The commented clinic file for ``clinic_id`` in region ``code``."""
    region = content.regions[code]
    emergency = content.facts[EMERGENCY_FACT].by_region or {}
    number = emergency[code].value if code in emergency else None
    regions = ", ".join(f"{c} ({r.name})" for c, r in sorted(content.regions.items()))
    return TEMPLATE.read_text(encoding="utf-8").format(
        id=clinic_id, name_hint=clinic_id.replace("-", " ").title(), region=code,
        paper=region.paper, regions=_comment(f"One of: {regions}.", "# "),
        emergency=number, region_name=region.name, blocks=block_list(content))


def block_list(content: Content) -> str:
    """Every block a note can follow, by leaflet, as comment lines; a block that
    carries a safety warning is marked, as it may take a note but not be hidden."""
    lines = []
    for leaflet_id, leaflet in sorted(content.leaflets.items()):
        ids = ", ".join(b + ("*" if b in SAFETY_BLOCKS else "") for b in leaflet.blocks)
        lines.append(_comment(f"{leaflet_id}: {ids}", "#   ", "#     "))
    return "\n".join(lines)


def _comment(text: str, first: str, rest: str | None = None) -> str:
    return "\n".join(textwrap.wrap(text, 88, initial_indent=first,
                                   subsequent_indent=rest or first, break_on_hyphens=False))
