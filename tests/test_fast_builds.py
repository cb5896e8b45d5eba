"""Fast builds: the worker pool, incremental rebuilds, identical bytes, shards.

Speed itself is measured by bench/bench.py, not here: these tests check what
is rebuilt and what comes out, never how long it took.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handout.build.config import PROJECT_ROOT
from handout.build.workers import RenderPool, RenderTask
from handout.cli.main import main

from .conftest import CONTENT_ARGS, edit, snapshot, summary_counts


def build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, int, int]:
    """Run the build; return its summary's counts: built, unchanged, failed."""
    assert main(list(args)) == 0
    return summary_counts(capsys.readouterr().out)


def test_same_inputs_give_byte_identical_pdfs(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args = (*CONTENT_ARGS, "--clinic", "riverside-family", "--leaflet", "warnings",
            "--edition", "standard", "--edition", "press", "--force")
    build(capsys, *args, "--out", str(tmp_path / "a"))
    build(capsys, *args, "--out", str(tmp_path / "b"), "--jobs", "2")
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    pdfs = [name for name in first if name.endswith(".pdf")]
    assert pdfs == ["riverside-family/en/warnings.pdf", "riverside-family/en/warnings.press.pdf",
                    "riverside-family/es/warnings.pdf", "riverside-family/es/warnings.press.pdf"]
    assert all(first[name] == second[name] for name in pdfs)


def test_a_rebuild_renders_only_what_changed(content: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    args = ("--content", str(content), "--clinic", "default", "--clinic", "riverside-family",
            "--leaflet", "foods", "--out", str(out))
    assert build(capsys, *args) == (3, 0, 0)
    before = snapshot(out)
    assert build(capsys, *args) == (0, 3, 0)
    assert {k: v for k, v in snapshot(out).items() if k.endswith(".pdf")} == {
        k: v for k, v in before.items() if k.endswith(".pdf")}

    edit(content / "clinics/riverside-family.yaml", "Ask at the front desk.",
         "Ask at reception.")
    assert build(capsys, *args) == (1, 2, 0)
    after = snapshot(out)
    assert after["default/en/foods.pdf"] == before["default/en/foods.pdf"]
    assert after["riverside-family/en/foods.pdf"] != before["riverside-family/en/foods.pdf"]
    manifest = json.loads((out / "manifest.json").read_text())["outputs"]
    assert all(len(entry["inputs"]) == 64 for entry in manifest)

    # an English block changes the English leaflets only, not the Spanish one
    edit(content / "blocks/foods.yaml", "How much do you need?", "How much do you need a day?")
    assert build(capsys, *args) == (2, 1, 0)
    assert build(capsys, *args, "--force") == (3, 0, 0)


def test_a_damaged_pdf_is_rendered_again(built: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """On a copy of the shared build: first shown up to date, then damaged."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    args = (*CONTENT_ARGS, "--clinic", "default", "--leaflet", "warnings", "--out", str(out))
    assert build(capsys, *args) == (0, 1, 0)
    (out / "default/en/warnings.pdf").write_bytes(b"%PDF-1.7 truncated")
    assert build(capsys, *args) == (1, 0, 0)
    assert (out / "default/en/warnings.pdf").read_bytes().startswith(b"%PDF-1.7\n")


def test_one_failing_leaflet_does_not_stop_the_pool() -> None:
    html = (PROJECT_ROOT / "templates/blocks/paragraph.html.j2").parent
    good = RenderTask("<p>Hello</p>", html, "pdf/ua-1", press=False)
    bad = RenderTask("<p>Hello</p>", html, "pdf/no-such-variant", press=False)
    with RenderPool([PROJECT_ROOT / "styles"], 2, forked=True) as pool:
        outcomes = list(pool.start([good, bad, good]))
    assert [outcome.failure is None for outcome in outcomes] == [True, False, True]
    assert outcomes[1].failure is not None and "no-such-variant" in outcomes[1].failure
    assert outcomes[2].pdf is not None and outcomes[2].pdf.pages == 1


def test_shards_split_the_work_and_merge_into_one_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = (*CONTENT_ARGS, "--leaflet", "warnings", "--jobs", "1")
    build(capsys, *common, "--shard", "1/2", "--out", str(tmp_path / "s1"))
    build(capsys, *common, "--shard", "2/2", "--out", str(tmp_path / "s2"))
    shard_pdfs = [sorted(name for name in snapshot(tmp_path / s) if name.endswith(".pdf"))
                  for s in ("s1", "s2")]
    assert shard_pdfs == [["default/en/warnings.pdf", "riverside-family/es/warnings.pdf"],
                          ["riverside-family/en/warnings.pdf", "uk-sleep-clinic/en/warnings.pdf"]]
    merged = tmp_path / "all"
    assert main(["merge-manifests", str(tmp_path / "s1"), str(tmp_path / "s2"),
                 "--out", str(merged)]) == 0
    assert capsys.readouterr().out == f"merged 4 PDFs from 2 folders into {merged}/\n"
    manifest = json.loads((merged / "manifest.json").read_text())["outputs"]
    assert [entry["clinic"] for entry in manifest] == [
        "default", "riverside-family", "riverside-family", "uk-sleep-clinic"]
    assert snapshot(merged)["riverside-family/en/warnings.pdf"] == snapshot(
        tmp_path / "s2")["riverside-family/en/warnings.pdf"]
    # the merged folder is a build folder: nothing in it needs rendering again
    assert build(capsys, *CONTENT_ARGS, "--leaflet", "warnings", "--out", str(merged)) == (
        0, 4, 0)


def test_merge_refuses_a_tampered_shard(built: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Any build's output folder is a shard: a copy of the shared build is one."""
    shard = tmp_path / "s1"
    shutil.copytree(built, shard)
    (shard / "default/en/warnings.pdf").write_bytes(b"not the same")
    assert main(["merge-manifests", str(shard), str(tmp_path / "missing"),
                 "--out", str(tmp_path / "all")]) == 1
    assert capsys.readouterr().err == (
        "2 problems found; no leaflet was written:\n"
        f"  {tmp_path}/missing: no manifest.json; give the output folder of a build\n"
        f"  {shard}/default/en/warnings.pdf does not match its manifest entry; build that "
        "shard again\n")
    assert not (tmp_path / "all").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--jobs", "0"], "--jobs must be 1 or more, not 0"),
    (["--shard", "3/2"], "--shard takes K/N with 1 <= K <= N, like 2/4, not '3/2'"),
    (["--shard", "half"], "--shard takes K/N with 1 <= K <= N, like 2/4, not 'half'"),
    (["--json"], "--json is for check and review: python build.py check --json"),
    (["merge-manifests"], "merge-manifests needs the output folders to join, like: "
                          "merge-manifests shard-1 shard-2 --out output"),
])
def test_bad_fast_build_options_are_usage_errors(args: list[str], message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"build.py: error: {message}\n"


def test_a_build_with_every_input_unchanged_loads_nothing(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    args = ("--content", str(content), "--clinic", "default", "--leaflet", "foods",
            "--out", str(out))
    assert build(capsys, *args) == (1, 0, 0)

    def no_loading(*_: object, **__: object) -> None:
        raise AssertionError("the build loaded the content")

    with monkeypatch.context() as patched:  # the stamp answers: nothing is even loaded
        patched.setattr("handout.build.pipeline._assess", no_loading)
        assert build(capsys, *args, "--verbose") == (0, 1, 0)
        (out / "report.html").unlink()  # a file it wrote has gone: build as usual
        with pytest.raises(AssertionError, match="the build loaded the content"):
            main(list(args))
    assert build(capsys, *args) == (0, 1, 0)
    assert (out / "report.html").is_file()
    (out / "manifest.json").unlink()  # the manifest has gone: build as usual, and write it
    assert build(capsys, *args) == (1, 0, 0)
    assert (out / "manifest.json").is_file()

    edit(content / "clinics/default.yaml", "\n", "\n# a comment\n")  # a file changed
    assert build(capsys, *args) == (0, 1, 0)  # ... but no leaflet did
    monkeypatch.setattr("handout.build.pipeline._assess", no_loading)
    assert build(capsys, *args) == (0, 1, 0)
    with pytest.raises(AssertionError, match="the build loaded the content"):
        main([*args, "--lang", "en"])  # asked for something else


def test_a_clinic_file_in_a_missing_folder_is_a_clear_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CONTENT_ARGS, "--clinic", "clinicz/x.yaml"]) == 2
    assert capsys.readouterr().err == "build.py: error: clinic file not found: 'clinicz/x.yaml'\n"
