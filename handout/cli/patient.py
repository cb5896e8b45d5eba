"""``python build.py patient ...``: print one patient's plan to a file or to standard
output, and keep nothing.

The PDF goes where ``--out`` says and nowhere else: into a file (written whole
beside it, then renamed, so a failure leaves no half-written PDF) or, with
``--out -``, to standard output for a printer. Nothing the terminal shows says
who the plan is for or what it says.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handout.build.attempt import EXIT_OK, EXIT_USAGE, FAILURES, Attempt
from handout.build.config import Project
from handout.build.patient import print_plan, printer_for
from handout.cli.console import Terminal
from handout.content.plan import PlanRequest

PLAN_OPTIONS = ("age_group", "dose_mg", "times_a_day", "form", "timing", "name", "follow_up")
"""Options only ``patient`` takes (``argparse``'s names). ``--by``, who makes the plan, is
the main parser's, shared with ``sign``."""


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("patient (one patient's plan, printed and kept nowhere)")
    group.add_argument("--age-group", metavar="GROUP",
                       help="who the plan is for: adult, 9-13, 4-8, 1-3 or under-1")
    group.add_argument("--dose-mg", metavar="N", help="milligrams of magnesium in one dose")
    group.add_argument("--times-a-day", metavar="N", help="doses a day (default 1)")
    group.add_argument("--form", metavar="TEXT", help="what to take, like magnesium citrate")
    group.add_argument("--timing", metavar="TEXT", help="when to take it, in words")
    group.add_argument("--name", metavar="TEXT", help="the patient's name, printed on the plan")
    group.add_argument("--follow-up", metavar="YYYY-MM-DD", help="the day to come back")


def run_patient(args: argparse.Namespace, project: Project, default_out: Path) -> int:
    """Check the plan, make its PDF in memory, and send it where ``--out`` says."""
    if len(args.clinic) != 1:
        return _stop("patient needs one clinic: --clinic ID")
    if not args.out:
        return _stop("patient needs --out FILE.pdf, or --out - to send the PDF to standard "
                     "output; the plan is never written anywhere else")
    if len(args.edition) > 1:
        return _stop("patient prints one edition: --edition standard or --edition large-print")
    target = None if args.out == "-" else Path(args.out)
    if target is not None and (problem := _target_problem(target, default_out)):
        return _stop(problem)
    request = PlanRequest(args.clinic[0], tuple(args.leaflet), args.age_group, args.lang,
                          args.edition[0] if args.edition else "standard", args.dose_mg,
                          args.times_a_day, args.form, args.timing, args.name, args.follow_up,
                          args.by)
    printer = printer_for(project)
    terminal = Terminal()
    try:
        printed = print_plan(project, request, printer)
    except FAILURES as exc:
        attempt = Attempt.failed(exc)
        terminal.problems(attempt, "no plan was printed")
        return attempt.exit_code
    finally:
        printer.close()
    for notice in printed.notices:
        print(f"note: {notice}", file=sys.stderr)
    pages = f"{printed.pdf.pages}-page plan"
    if target is None:
        sys.stdout.buffer.write(printed.pdf.data)
        sys.stdout.buffer.flush()
        print(f"sent a {pages} to standard output; no copy was kept", file=sys.stderr)
    else:
        try:
            _write_whole(target, printed.pdf.data)
        except OSError as exc:
            return _stop(f"--out: cannot write {target}: {exc.strerror}; nothing was written",
                         code=1)
        print(f"wrote a {pages} to {target}; no other copy was kept", file=sys.stderr)
    return EXIT_OK


def _target_problem(target: Path, output: Path) -> str | None:
    if target.suffix.lower() != ".pdf":
        return f"--out must be a file name ending in .pdf, or -, not '{target}'"
    if target.absolute().resolve().is_relative_to(output.resolve()):
        return ("--out: a patient's plan is not kept with the built leaflets; give a file "
                "outside the output folder, or - to send it to standard output")
    if not target.parent.is_dir():
        return f"--out: the folder {target.parent} does not exist"
    return None


def _write_whole(target: Path, data: bytes) -> None:
    """Write beside ``target``, readable by this user only, then rename: a failure
    midway leaves no half-written PDF, and no temporary file behind."""
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _stop(message: str, code: int = EXIT_USAGE) -> int:
    Terminal().problems(Attempt(None, (message,), code, 0.0, stopped=True))
    return code
