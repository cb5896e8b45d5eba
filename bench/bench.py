"""Benchmark: this build against a naive one, on a synthetic network of clinics.

Run from the project folder:  .venv/bin/python bench/bench.py

It writes a synthetic content folder (the shipped blocks, facts and leaflets,
and N generated clinics) to a temporary folder, then times, as wall-clock
seconds of the real command line and as medians over repeated runs:

- a cold build (empty output folder, ``--force``);
- a no-op rebuild (nothing changed);
- a rebuild after one clinic file changed;
- the naive baseline: the ``weasyprint`` command run once per HTML file the
  build wrote, one after another, as a shell loop would.

and prints each against the cold build as a ratio, with the issue's targets.
Machines here are shared and noisy: read the medians and ratios, not single
runs. Peak memory per worker comes from the build's own summary line.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEASYPRINT = Path(sys.executable).parent / "weasyprint"
VARIANTS = [  # region, paper, primary, accent
    ("us", "letter", "#0b5d4b", "#8a3b12"),
    ("uk", "a4", "#4b2a7b", "#1d5a8c"),
    ("eu", "a4", "#1f4e79", "#7a4a00"),
]
MEMORY = re.compile(r"peak memory per render worker (\d+) MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=12,
                        help="generated clinics, each in English and Spanish (default 12: "
                             "12 x 2 languages x 4 leaflets = 96 PDFs)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build scenario")
    parser.add_argument("--baseline-repeat", type=int, default=1,
                        help="runs of the naive baseline (slow: about 2-3 s per file)")
    parser.add_argument("--jobs", type=int, help="passed to build.py --jobs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handout-bench-") as scratch:
        work = Path(scratch)
        content = make_content(work / "content", args.clinics)
        out = work / "output"
        build = [PYTHON, str(ROOT / "build.py"), "--content", str(content), "--out", str(out)]
        if args.jobs:
            build += ["--jobs", str(args.jobs)]
        results: dict[str, list[float]] = {"full": [], "no-op": [], "one clinic": []}
        memory: list[int] = []
        for run in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            seconds, output = timed([*build, "--force"])
            results["full"].append(seconds)
            memory.extend(int(m) for m in MEMORY.findall(output))
            results["no-op"].append(timed(build)[0])
            change_one_clinic(content, run)
            results["one clinic"].append(timed(build)[0])
            print(f"run {run + 1}: full {results['full'][-1]:.1f} s, no-op "
                  f"{results['no-op'][-1]:.2f} s, one clinic {results['one clinic'][-1]:.2f} s",
                  file=sys.stderr)
        htmls = sorted(p for p in out.rglob("*.html") if p.name != "report.html")
        results["naive"] = [naive(htmls, work / "naive") for _ in range(args.baseline_repeat)]
        print_table(results, args.clinics, len(htmls), memory)
    return 0


def make_content(content: Path, count: int) -> Path:
    """The shipped content with ``count`` generated clinics instead of the examples."""
    shutil.copytree(ROOT / "content", content)
    clinics = content / "clinics"
    for path in clinics.glob("*.yaml"):
        path.unlink()
    for n in range(1, count + 1):
        region, paper, primary, accent = VARIANTS[n % len(VARIANTS)]
        logo = ("logo:\n  file: riverside-family-logo.svg\n  alt:\n    en: Clinic logo\n"
                "    es: Logotipo de la clínica\n") if n % 2 else ""
        (clinics / f"clinic-{n:02d}.yaml").write_text(
            f"id: clinic-{n:02d}\nname: Bench Clinic {n}\nregion: {region}\npaper: {paper}\n"
            f"languages: [en, es]\n{logo}colors:\n  primary: \"{primary}\"\n"
            f"  accent: \"{accent}\"\nphone: (555) 010-{n:04d}\n"
            f"website: https://clinic-{n}.example.org\n"
            "notes:\n  food-list:\n    en: Our nurse can help you plan meals.\n"
            "    es: Nuestra enfermera le puede ayudar con sus comidas.\n", encoding="utf-8")
    return content


def change_one_clinic(content: Path, run: int) -> None:
    path = content / "clinics/clinic-01.yaml"
    text = re.sub(r"en: Our nurse .*", f"en: Our nurse can help you plan meals (visit "
                                       f"{'abcdefghij'[run % 10]}).", path.read_text())
    path.write_text(text, encoding="utf-8")


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds, done.stdout


def naive(htmls: list[Path], target: Path) -> float:
    """The ``weasyprint`` command once per HTML file, one after another."""
    target.mkdir(exist_ok=True)
    start = time.perf_counter()
    for n, html in enumerate(htmls):
        subprocess.run([str(WEASYPRINT), str(html), str(target / f"{n}.pdf")], check=True,
                       capture_output=True)
    return time.perf_counter() - start


def print_table(results: dict[str, list[float]], clinics: int, files: int,
                memory: list[int]) -> None:
    full = statistics.median(results["full"])
    targets = {
        "full": ("", None),
        "no-op": ("at most 0.05", lambda r: r <= 0.05),
        "one clinic": (f"about 1/{clinics} = {1 / clinics:.3f}, at most {2 / clinics:.3f}",
                       lambda r: r <= 2 / clinics),
        "naive": ("at least 5", lambda r: r >= 5),
    }
    print(f"\n{clinics} clinics x 2 languages x 4 leaflets = {files} PDFs, standard edition; "
          "medians of "
          f"{len(results['full'])} runs ({len(results['naive'])} for the naive baseline)\n")
    print(f"{'scenario':<12} {'median s':>9} {'runs (s)':<28} {'ratio to full':>13}  target")
    for name, runs in results.items():
        median = statistics.median(runs)
        ratio = median / full
        target, met = targets[name]
        verdict = "" if met is None else ("  met" if met(ratio) else "  NOT MET")
        shown = ", ".join(f"{r:.2f}" for r in runs)
        print(f"{name:<12} {median:>9.2f} {shown:<28} {ratio:>13.3f}  {target}{verdict}")
    if memory:
        peak = max(memory)
        print(f"\npeak memory per render worker: {peak} MB (target at most 300 MB"
              f"{', met' if peak <= 300 else ', NOT MET'})")


if __name__ == "__main__":
    sys.exit(main())
