"""``build.py sign`` and ``build.py review``: what they print, and the question sign asks.

Both read the words only (no layout), so they take a second, not a build.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from handout.build.attempt import EXIT_OK, EXIT_PROBLEMS
from handout.build.config import Project, Selection, UsageError
from handout.build.output import write_artifacts
from handout.build.review import as_json, collect, review_files, summary
from handout.build.signing import describe, sign, unsigned
from handout.core.errors import Location, UserError, UserErrors, display_path

MAX_NAME = 200


def sign_command(
    project: Project,
    selection: Selection,
    by: str | None,
    yes: bool,
    ask: Callable[[str], str] = input,
) -> int:
    """Show what would be signed, ask (unless ``yes``), then append the sign-offs."""
    if not selection.clinics:
        raise UsageError(
            "sign needs --clinic ID: a sign-off is for one clinic's leaflets, "
            'like: sign --clinic riverside-family --by "Dr Ana Morales, MD"'
        )
    name = " ".join((by or "").split())
    if not name:
        raise UsageError(
            'sign needs --by "Name, role": the clinician who reviewed the '
            'words, like --by "Dr Ana Morales, MD"'
        )
    if len(name) > MAX_NAME:
        raise UsageError(f"--by is {len(name)} characters; the limit is {MAX_NAME}")
    _, reviewed = collect(project, selection)
    on = selection.today
    todo = unsigned(reviewed, name, on)
    if not todo:
        print(
            f"Nothing to sign: every chosen leaflet is already signed off by {name} on "
            f"{on.isoformat()}, as it prints."
        )
        return EXIT_OK
    for r in todo:
        last = r.job.signoffs.records[-1].date if r.job.signoffs and r.job.signoffs.records else on
        if last > on:
            assert r.job.signoffs is not None
            raise UserErrors(
                [
                    UserError(
                        Location(r.job.signoffs.path),
                        (
                            f"today, {on.isoformat()}, is before the last sign-off in this file "
                            f"({last.isoformat()}): check the computer's date; nothing was signed"
                        ),
                    )
                ]
            )
    for r in todo:
        print("\n".join(describe(r)))
    clinics = ", ".join(dict.fromkeys(r.key.clinic for r in todo))
    print(f"\nThe same, side by side: python build.py review --clinic {clinics}")
    question = (
        f"Sign {len(todo)} leaflet{'s' if len(todo) != 1 else ''} of {clinics} as "
        f"reviewed by {name} on {on.isoformat()}? [y/N] "
    )
    if not yes:
        try:
            answer = ask(question)
        except EOFError:
            print()
            raise UsageError(
                "sign asks before it signs, and nothing answered: add --yes to "
                "sign without asking (nothing was signed)"
            ) from None
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was signed.")
            return EXIT_PROBLEMS
    for path, count in sign(todo, name, on).items():
        print(f"signed {count} leaflet{'s' if count != 1 else ''}: added to {display_path(path)}")
    print(f"Build to print the review lines: python build.py --clinic {clinics}")
    return EXIT_OK


def review_command(project: Project, selection: Selection, out_dir: Path, as_data: bool) -> int:
    """Write ``output/review/<clinic>.html`` and print a summary, or the data as JSON."""
    _, reviewed = collect(project, selection)
    files = review_files(reviewed, project.templates, selection.today.isoformat())
    write_artifacts(out_dir, [], files)
    if as_data:
        print(json.dumps(as_json(reviewed), indent=2, ensure_ascii=False))
        return EXIT_OK
    print("\n".join(summary(reviewed)))
    for name in files:
        print(f"review page: {display_path(out_dir / name)}")
    return EXIT_OK
