"""The command line: ``python build.py [check] [options]``.

Exit codes: 0 success, 1 a problem in the content or a clinic file (every one
listed, with file:line:column), 2 a bad command line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.pofile import PoFileError

from .build import BuildResult, Project, Selection, UsageError, build, check, timed
from .editions import DEFAULT_EDITIONS, EDITIONS
from .errors import UserErrors, display_path
from .i18n import update_catalogues
from .output import OutputError, write_artifacts
from .report import REPORT_FILE, report_html, report_table
from .shards import merge_manifests, parse_shard
from .workers import default_jobs


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the reason
        return 0 if exc.code == 0 else 2
    project = Project(content_dir=Path(args.content) if args.content else None)
    out_dir = Path(args.out) if args.out else project.root / "output"
    if args.crop_marks and "press" not in args.edition:
        return _usage("--crop-marks is for the press edition; add --edition press")
    if args.json and args.command != "check":
        return _usage("--json is for check: python build.py check --json")
    if args.jobs is not None and args.jobs < 1:
        return _usage(f"--jobs must be 1 or more, not {args.jobs}")
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as exc:
        return _usage(str(exc))
    selection = Selection(tuple(args.clinic), tuple(args.leaflet), args.lang, args.strict,
                          editions=tuple(args.edition) or DEFAULT_EDITIONS,
                          crop_marks=args.crop_marks, jobs=args.jobs or default_jobs(),
                          force=args.force, shard=shard)
    if args.command == "new-clinic":
        return _new_clinic(args.names[0] if len(args.names) == 1 else None, project)
    if args.command == "update-translations":
        return _update_translations(project)
    try:
        if args.command == "merge-manifests":
            return _merge(args.names, out_dir)
        if args.command == "check":
            return _check(project, selection, out_dir, args.json)
        result, seconds = timed(lambda: build(project, selection, out_dir))
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build.py: interrupted; no partial file was written (every PDF in the output "
              "folder is complete)", file=sys.stderr)
        return 130
    except UserErrors as exc:
        count = len(exc.errors)
        print(f"{count} problem{'s' if count != 1 else ''} found; no leaflet was written:",
              file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    for finding in result.report.of_level("warn"):
        print(f"WARNING: {finding.error}", file=sys.stderr)
    _print_summary(result, seconds, out_dir)
    return 0


def _update_translations(project: Project) -> int:
    try:
        for path in update_catalogues(project.root, project.content):
            print(f"wrote {display_path(path)}")
    except (OSError, PoFileError, UnknownLocaleError, ValueError) as exc:
        print(f"build.py: error: {exc}; nothing after this was written", file=sys.stderr)
        return 1
    print("Translate every entry with an empty msgstr, then run: python build.py check")
    return 0


def _usage(message: str) -> int:
    print(f"build.py: error: {message}", file=sys.stderr)
    return 2


def _merge(folders: list[str], out_dir: Path) -> int:
    if not folders:
        return _usage("merge-manifests needs the output folders to join, like: "
                      "merge-manifests shard-1 shard-2 --out output")
    entries = merge_manifests([Path(folder) for folder in folders], out_dir)
    print(f"merged {len(entries)} PDFs from {len(folders)} folders into "
          f"{display_path(out_dir)}/")
    return 0


def _check(project: Project, selection: Selection, out_dir: Path, as_json: bool) -> int:
    """Run the gates, write the report, print the table (or JSON); 1 if a gate failed."""
    report = check(project, selection, out_dir)
    if as_json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(report_table(report))
        verdict = "passed" if report.passed else "FAILED"
        print(f"\nquality gates {verdict}; report: {display_path(out_dir / REPORT_FILE)}")
    html = report_html(report, project.templates, project.styles, selection.today)
    write_artifacts(out_dir, [], {REPORT_FILE: html.encode("utf-8")})
    return 0 if report.passed else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the patient leaflets as PDF files.",
    )
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "check", "new-clinic", "merge-manifests",
                                 "update-translations"],
                        help="build (the default) runs the quality gates and writes PDFs; "
                             "check runs the gates and writes output/report.html only; "
                             "new-clinic ID writes a commented clinic file; "
                             "merge-manifests DIR... joins shards' output into --out; "
                             "update-translations adds new fixed strings to each "
                             "language's catalogue")
    parser.add_argument("names", nargs="*", metavar="ID_OR_DIR",
                        help="with new-clinic: the new clinic's id; with merge-manifests: "
                             "the output folders of the shards")
    parser.add_argument("--clinic", action="append", default=[], metavar="ID_OR_PATH",
                        help="a clinic id from content/clinics, or a clinic file's path "
                             "(repeatable; default: every clinic)")
    parser.add_argument("--leaflet", action="append", default=[], metavar="ID",
                        help="a leaflet id (repeatable; default: all)")
    parser.add_argument("--lang", metavar="CODE", help="only this language")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: output/)")
    parser.add_argument("--edition", action="append", default=[], choices=list(EDITIONS),
                        help="which edition to build (repeatable; default: standard): "
                             + "; ".join(f"{e.name}: {e.summary}" for e in EDITIONS.values()))
    parser.add_argument("--crop-marks", action="store_true",
                        help="with --edition press: draw crop marks in the bleed")
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings, such as a clinic's review being overdue")
    parser.add_argument("--json", action="store_true",
                        help="with check: print the report as JSON, for CI")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="render in N worker processes (default: one per core)")
    parser.add_argument("--force", action="store_true",
                        help="render every PDF, even those whose inputs have not changed")
    parser.add_argument("--shard", metavar="K/N",
                        help="build only the K-th of N shares of the clinics and languages, "
                             "for N parallel jobs; join them with merge-manifests")
    parser.add_argument("--content", metavar="DIR", help=argparse.SUPPRESS)
    return parser


def _new_clinic(clinic_id: str | None, project: Project) -> int:
    """Write a commented clinic file that builds as it is."""
    if not clinic_id or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", clinic_id):
        return _usage("new-clinic needs an id of lower-case words joined by hyphens, like: "
                      "new-clinic oak-street-surgery")
    path = project.content / "clinics" / f"{clinic_id}.yaml"
    if path.exists():
        print(f"build.py: error: {display_path(path)} already exists; choose another id",
              file=sys.stderr)
        return 1
    template = (Path(__file__).parent / "new_clinic.yaml").read_text(encoding="utf-8")
    name = clinic_id.replace("-", " ").title()
    try:
        path.write_text(template.format(id=clinic_id, name_hint=name), encoding="utf-8")
    except OSError as exc:
        print(f"build.py: error: cannot write {display_path(path)}: {exc.strerror}",
              file=sys.stderr)
        return 1
    print(f"wrote {display_path(path)}: edit it, then run "
          f".venv/bin/python build.py --clinic {clinic_id}")
    return 0


def _print_summary(result: BuildResult, seconds: float, out_dir: Path) -> None:
    outputs = result.outputs
    width = max((len(output.label) for output in outputs), default=6)
    print(f"{'output':<{width}}  pages  reading")
    for output in outputs:
        score = output.reading or ""
        state = "  unchanged" if output.unchanged else ""
        print(f"{output.label:<{width}}  {output.pages}/{output.budget:<4} {score}{state}")
    for clinic, colours in result.press_colours.items():
        inks = "; ".join(f"{name} {hex_value} = {ink.percent()}"
                         for name, (hex_value, ink) in colours.items())
        print(f"press colours for {clinic}: {inks}")
    rendered = sum(1 for output in outputs if not output.unchanged)
    print(f"quality gates passed; report: {display_path(out_dir / REPORT_FILE)}")
    memory = (f"; peak memory per render worker {result.peak_worker_mb:.0f} MB"
              if rendered else "")
    print(f"built {rendered} PDF{'s' if rendered != 1 else ''}, {len(outputs) - rendered} "
          f"unchanged, in {seconds:.1f} s into {display_path(out_dir)}/{memory}")


if __name__ == "__main__":
    sys.exit(main())
