"""The command line: ``python build.py [check|serve|...] [options]``.

Exit codes (``build/attempt.py``): 0 success, 1 a problem in the content, a
clinic file or the output folder (every one listed, with file:line:column),
2 a bad command line, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

from babel import UnknownLocaleError
from babel.messages.pofile import PoFileError

from handout.build.attempt import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    FAILURES,
    Attempt,
    attempt_build,
)
from handout.build.config import Project, Selection
from handout.build.output import write_artifacts
from handout.build.pipeline import check, report_file
from handout.build.shards import merge_manifests, parse_shard
from handout.build.workers import default_jobs
from handout.cli.console import Terminal, Verbosity
from handout.cli.newclinic import NewClinicRefused, new_clinic
from handout.cli.patient import PLAN_OPTIONS, add_plan_options, run_patient
from handout.cli.signoff import review_command, sign_command
from handout.content.i18n import update_catalogues
from handout.core.editions import EDITIONS
from handout.core.errors import display_path, quoted
from handout.gates.report_html import REPORT_FILE, report_table


def main(argv: list[str] | None = None) -> int:
    _survive_any_terminal()
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the reason
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    # a patient's plan checks its own fields, and says which field is wrong
    plan_words = {*PLAN_OPTIONS, "by"} if args.command == "patient" else set()
    if problem := _control_in({k: v for k, v in vars(args).items() if k not in plan_words}):
        return _usage(problem)
    project = Project(content_dir=Path(args.content).absolute() if args.content else None)
    out_dir = Path(args.out) if args.out else project.root / "output"
    if args.crop_marks and "press" not in args.edition:
        return _usage("--crop-marks is for the press edition; add --edition press")
    if args.json and args.command not in ("check", "review"):
        return _usage("--json is for check and review: python build.py check --json")
    if args.yes and args.command != "sign":
        return _usage("--yes is for sign: python build.py sign --clinic ID "
                      "--by \"Dr Name, role\" --yes")
    if args.by is not None and args.command not in ("sign", "patient"):
        return _usage("--by is for sign and patient: python build.py sign --clinic ID "
                      "--by \"Dr Name, role\"")
    if args.port is not None and args.command != "serve":
        return _usage("--port is for serve: python build.py serve --port 8000")
    if args.port is not None and not 0 <= args.port <= 65535:
        return _usage(f"--port must be from 0 to 65535, not {args.port}")
    if args.command != "patient" and (given := _plan_option_given(args)):
        return _usage(f"--{given} is for patient: python build.py patient --clinic ID ...")
    if args.desk and args.command != "serve":
        return _usage("--desk is for serve: python build.py serve --desk")
    if args.quiet and args.verbose:
        return _usage("choose --quiet or --verbose, not both")
    if args.jobs is not None and args.jobs < 1:
        return _usage(f"--jobs must be 1 or more, not {args.jobs}")
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as exc:
        return _usage(str(exc))
    selection = Selection(tuple(args.clinic), tuple(args.leaflet), args.lang, args.strict,
                          editions=tuple(args.edition),
                          crop_marks=args.crop_marks, jobs=args.jobs or default_jobs(),
                          force=args.force, shard=shard, out_given=args.out is not None)
    if args.region is not None and args.command != "new-clinic":
        return _usage("--region is for new-clinic: python build.py new-clinic ID --region ca")
    if args.command == "new-clinic":
        return _new_clinic(args.names[0] if len(args.names) == 1 else None, args.region,
                           project)
    if args.command == "update-translations":
        return _update_translations(project)
    if args.command == "patient":
        try:
            return run_patient(args, project, project.root / "output")
        except KeyboardInterrupt:
            print("build.py: interrupted; no plan was printed", file=sys.stderr)
            return EXIT_INTERRUPTED
    terminal = Terminal(Verbosity.QUIET if args.quiet else
                        Verbosity.VERBOSE if args.verbose else Verbosity.NORMAL)
    previous = _stop_on_signals()
    try:
        if args.command == "merge-manifests":
            return _merge(args.names, out_dir)
        if args.command == "check":
            return _check(project, selection, out_dir, args.json)
        if args.command == "sign":
            return sign_command(project, selection, args.by, args.yes)
        if args.command == "review":
            return review_command(project, selection, out_dir, args.json)
        if args.command == "serve":
            from handout.preview.server import serve  # its imports only when serving

            return serve(project, selection, out_dir, terminal,
                         DEFAULT_PORT if args.port is None else args.port, desk=args.desk)
        return attempt_build(project, selection, out_dir, terminal).exit_code
    except KeyboardInterrupt as exc:
        print("build.py: interrupted; no partial file was written (every PDF in the output "
              "folder is complete)", file=sys.stderr)
        return 128 + exc.signum if isinstance(exc, Stopped) else EXIT_INTERRUPTED
    except FAILURES as exc:
        attempt = Attempt.failed(exc)
        terminal.problems(attempt)
        return attempt.exit_code
    finally:
        for signum, handler in previous.items():  # main() may run inside another program
            signal.signal(signum, handler)


DEFAULT_PORT = 8000


def _plan_option_given(args: argparse.Namespace) -> str | None:
    """The first of patient's own options given to another command, as typed."""
    return next((name.replace("_", "-") for name in PLAN_OPTIONS
                 if getattr(args, name) is not None), None)


def _control_in(options: dict[str, object]) -> str | None:
    """Why an option cannot be used, if it holds a control character (a NUL cannot
    be in any file name, and none belongs in an id); None if none does."""
    for name, given in options.items():
        for value in given if isinstance(given, list) else [given]:
            if isinstance(value, str) and any(unicodedata.category(c) == "Cc" for c in value):
                option = "a name" if name == "names" else "--" + name.replace("_", "-")
                return (f"{option} {quoted(value)} holds a control character, which no file "
                        "name or id may hold; type it again")
    return None


class Stopped(KeyboardInterrupt):
    """SIGTERM (a service manager, ``kill``) or SIGHUP (the terminal closed): stopped as
    Ctrl-C stops a build, with its message, and the shell's exit code for the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_on_signals() -> dict[int, Any]:
    """Stop on SIGTERM and SIGHUP as on Ctrl-C; the handlers they had before."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # a test calling main() from a thread: signals are the caller's

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}


def _survive_any_terminal() -> None:
    """A terminal that is not UTF-8 (``PYTHONIOENCODING=latin-1``, an old Windows
    console) gets "Espa\\xf1ol"-style escapes for what it cannot show, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = str(getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(errors="backslashreplace")


def _update_translations(project: Project) -> int:
    try:
        for path in update_catalogues(project.root, project.content):
            print(f"wrote {display_path(path)}")
    except (OSError, PoFileError, UnknownLocaleError, ValueError) as exc:
        return _error(f"{exc}; nothing after this was written", EXIT_PROBLEMS)
    print("Translate every entry with an empty msgstr, then run: python build.py check")
    return EXIT_OK


def _usage(message: str) -> int:
    return _error(message, EXIT_USAGE)


def _error(message: str, code: int) -> int:
    """Say why a command stopped, the way every command does, and give its exit code."""
    Terminal().problems(Attempt(None, (message,), code, 0.0, stopped=True))
    return code


def _merge(folders: list[str], out_dir: Path) -> int:
    if not folders:
        return _usage("merge-manifests needs the output folders to join, like: "
                      "merge-manifests shard-1 shard-2 --out output")
    entries = merge_manifests([Path(folder) for folder in folders], out_dir)
    print(f"merged {len(entries)} PDFs from {len(folders)} folders into "
          f"{display_path(out_dir)}/")
    return EXIT_OK


def _check(project: Project, selection: Selection, out_dir: Path, as_json: bool) -> int:
    """Run the gates, write the report, print the table (or JSON); 1 if a gate failed."""
    report = check(project, selection, out_dir)
    if as_json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(report_table(report))
        verdict = "passed" if report.passed else "FAILED"
        print(f"\nquality gates {verdict}; report: {display_path(out_dir / REPORT_FILE)}")
    write_artifacts(out_dir, [], report_file(report, project, selection.today))
    return EXIT_OK if report.passed else EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the patient leaflets as PDF files.",
    )
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "check", "serve", "patient", "sign", "review",
                                 "new-clinic",
                                 "merge-manifests", "update-translations"],
                        help="build (the default) runs the quality gates and writes PDFs; "
                             "check runs the gates and writes output/report.html only; "
                             "serve builds, then previews the leaflets in a browser and "
                             "rebuilds on every save; "
                             "patient prints one patient's plan and keeps nothing; "
                             "sign records that a clinician approved the words each leaflet "
                             "prints (--clinic, --by); "
                             "review shows what changed since the last sign-off, in "
                             "output/review/CLINIC.html; "
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
    parser.add_argument("--out", metavar="DIR", help="output folder (default: output/); with "
                                                     "patient: the PDF file, or - for "
                                                     "standard output")
    parser.add_argument("--edition", action="append", default=[], choices=list(EDITIONS),
                        help="which edition to build, for every clinic (repeatable; default: "
                             "standard and the editions each clinic file lists): "
                             + "; ".join(f"{e.name}: {e.summary}" for e in EDITIONS.values()))
    parser.add_argument("--crop-marks", action="store_true",
                        help="with --edition press: draw crop marks in the bleed")
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings, such as a clinic's review being overdue")
    parser.add_argument("--json", action="store_true",
                        help="with check or review: print the report as JSON, for CI")
    parser.add_argument("--by", metavar="NAME",
                        help="with sign: the clinician who reviewed the words, like "
                             "\"Dr Ana Morales, MD\"; with patient: the doctor or nurse "
                             "making the plan")
    parser.add_argument("--yes", action="store_true",
                        help="with sign: sign without asking, for scripts")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="render in N worker processes (default: one per core)")
    parser.add_argument("--force", action="store_true",
                        help="render every PDF, even those whose inputs have not changed")
    parser.add_argument("--shard", metavar="K/N",
                        help="build only the K-th of N shares of the clinics and languages, "
                             "for N parallel jobs; join them with merge-manifests")
    parser.add_argument("--port", type=int, metavar="N",
                        help=f"with serve: the port on 127.0.0.1 (default: {DEFAULT_PORT}; "
                             "0 picks a free one)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print only problems and warnings")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also list every PDF with its pages and reading score")
    parser.add_argument("--desk", action="store_true",
                        help="with serve: only the desk's page for one patient's plan "
                             "(/patient) and the built PDFs, for a reception computer")
    add_plan_options(parser)
    parser.add_argument("--region", metavar="CODE",
                        help="with new-clinic: the clinic's region (a file in "
                             "content/regions/; default: us)")
    parser.add_argument("--content", metavar="DIR", help=argparse.SUPPRESS)
    return parser


def _new_clinic(clinic_id: str | None, region: str | None, project: Project) -> int:
    try:
        path = new_clinic(clinic_id, region, project)
    except NewClinicRefused as exc:
        return _error(str(exc), EXIT_USAGE if exc.usage else EXIT_PROBLEMS)
    print(f"wrote {display_path(path)}: edit it, then run "
          f".venv/bin/python build.py --clinic {path.stem}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
