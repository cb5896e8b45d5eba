"""Sign-offs bound to the words they approved: ``sign``, the review line, the review
gate and ``review``, each shown on riverside-family signed anew in a copy of the
frozen content."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from handout.cli.main import main
from handout.content.approval import ApprovedBlock, Snapshot
from handout.content.changes import compare, marked, word_diff
from handout.content.clinic import add_months
from handout.content.i18n import words_for

from .conftest import at, edit, start_of
from .conftest import sign as sign_on
from .pdfs import text_of

CLINIC = "riverside-family"
BY = "Dr Rosa Diaz, MD"
TODAY = dt.date.today()
EN, ES = words_for("en", "US"), words_for("es", "US")
NIH = (
    "Magnesium: fact sheet for health professionals. US National Institutes of Health, "
    "Office of Dietary Supplements."
)
SIGNED_EN = f"Reviewed by {BY} on {EN.date(TODAY)}; next review {EN.date(add_months(TODAY, 24))}."
SIGNED_ES = (
    f"Contenido revisado por {BY} el {ES.date(TODAY)}, traducción aún sin revisar; "
    f"próxima revisión: {ES.date(add_months(TODAY, 24))}."
)
"""The fixture's Spanish is not checked by a bilingual clinician, so its sign-off says
that the review covered the content, not the translation."""
CHANGED_EN = (
    f"This leaflet has changed since Riverside Family Practice last reviewed it on "
    f"{EN.date(TODAY)}. Ask your own doctor or nurse about your care."
)
LEAFLETS = ("foods", "safe-doses", "warnings", "when-to-see-a-doctor")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Path:
    """A copy of the content whose riverside-family is signed off afresh, by ``sign --yes``
    run in the copy's parent folder (so messages name ``content/...``)."""
    monkeypatch.chdir(tmp_path)
    (content / f"clinics/{CLINIC}.signoffs.yaml").unlink()
    code, out, _ = run(
        capsys, "sign", "--content", str(content), "--clinic", CLINIC, "--by", BY, "--yes"
    )
    assert code == 0
    assert out.startswith(
        f"{CLINIC}/en/foods: never signed off: all of it is new\n  title: Foods rich in magnesium\n"
    )
    assert out.endswith(
        f"\nThe same, side by side: python build.py review --clinic {CLINIC}\n"
        f"signed 8 leaflets: added to content/clinics/{CLINIC}.signoffs.yaml\n"
        f"Build to print the review lines: python build.py --clinic {CLINIC}\n"
    )
    return content


def options(content: Path, *more: str) -> list[str]:
    """The options of a command on riverside-family in ``content``, output in ``out``."""
    return ["--content", str(content), "--clinic", CLINIC, "--out", "out", *more]


def signoffs_file(content: Path) -> Path:
    return content / f"clinics/{CLINIC}.signoffs.yaml"


def harm_to_hurt(content: Path) -> None:
    """One word of the block 'kidneys', which only safe-doses prints."""
    edit(content / "blocks/doses.yaml", "blood and harm you.", "blood and hurt you.")


def test_sign_then_build_prints_the_reviewer_and_the_date(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--content", str(signed), "--clinic", CLINIC, "--out", "out")
    assert code == 0
    assert "has changed since" not in err
    for leaflet in LEAFLETS:
        assert SIGNED_EN in text_of(Path(f"out/{CLINIC}/en/{leaflet}.pdf")), leaflet
        assert SIGNED_ES in text_of(Path(f"out/{CLINIC}/es/{leaflet}.pdf")), leaflet


def test_one_changed_word_voids_only_the_leaflets_that_print_it(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harm_to_hurt(signed)
    record = at(signoffs_file(signed), "leaflet: safe-doses\n  lang: en")
    warning = (
        f"{record}: leaflet 'safe-doses' (en) for clinic '{CLINIC}' has changed since "
        f"signed off by {BY} on {TODAY.isoformat()}: block 'kidneys'. It says so until "
        f"it is signed again: run python build.py review --clinic {CLINIC}, then python "
        f"build.py sign --clinic {CLINIC} --by NAME"
    )
    build = options(signed, "--leaflet", "safe-doses", "--leaflet", "foods")
    code, _, err = run(capsys, *build)
    assert code == 0  # a build still builds: the leaflet says it changed
    assert f"WARNING: {warning}\n" in err
    safe_doses = text_of(Path(f"out/{CLINIC}/en/safe-doses.pdf"))
    assert CHANGED_EN in safe_doses
    assert "Changed since Riverside Family Practice last reviewed it" in safe_doses  # footer
    assert "Reviewed by" not in safe_doses
    assert SIGNED_EN in text_of(Path(f"out/{CLINIC}/en/foods.pdf"))
    assert SIGNED_ES in text_of(Path(f"out/{CLINIC}/es/safe-doses.pdf"))  # its words stand
    code, out, _ = run(capsys, "check", *build, "--strict")
    assert code == 1
    assert f"  review: {warning}\n" in out
    code, _, err = run(capsys, *build, "--strict")
    assert (code, err.splitlines()[1]) == (1, f"  {warning} (--strict)")


def test_a_changed_translation_says_so_in_its_language(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(signed / "translations/es/blocks/doses.yaml", "hacerle daño", "dañarle")
    code, _, _ = run(capsys, *options(signed, "--leaflet", "safe-doses", "--lang", "es"))
    assert code == 0
    text = text_of(Path(f"out/{CLINIC}/es/safe-doses.pdf"))
    assert (
        f"Esta hoja ha cambiado desde que Riverside Family Practice la revisó el "
        f"{ES.date(TODAY)}. Pregunte a su médico o enfermera sobre su cuidado."
    ) in text
    assert "Ha cambiado desde que Riverside Family Practice la revisó" in text


def test_review_shows_the_old_and_the_new_word(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harm_to_hurt(signed)
    code, out, _ = run(capsys, "review", *options(signed))
    assert (code, out) == (
        0,
        (
            f"{CLINIC}: 7 of 8 leaflets signed off as they print; 1 to review\n"
            f"  en/safe-doses: changed since signed off by {BY} on {TODAY.isoformat()}: block "
            "'kidneys'\n"
            f"review page: out/review/{CLINIC}.html\n"
        ),
    )
    page = Path(f"out/review/{CLINIC}.html").read_text(encoding="utf-8")
    assert "<del>harm</del>" in page
    assert "<ins>hurt</ins>" in page
    assert page.count("<del>") == page.count("<ins>") == 1
    assert f'<a href="../{CLINIC}/en/safe-doses.pdf">{CLINIC}/en/safe-doses.pdf</a>' in page
    code, out, _ = run(capsys, "review", "--json", *options(signed))
    item = next(i for i in json.loads(out)["leaflets"] if i["leaflet"].endswith("en/safe-doses"))
    assert item["status"] == "changed"
    [block] = item["changes"]["blocks"]
    assert block["name"] == "kidneys"
    assert marked(block["old"], block["new"]).endswith(
        "build up in your blood and [-harm-]{+hurt+} you. Do not take magnesium supplements, "
        "antacids or laxatives with magnesium unless your kidney doctor tells you to."
    )


def test_review_shows_a_changed_fact_old_to_new_with_its_sources(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(signed / "facts.yaml", "      us:\n        value: 350", "      us:\n        value: 360")
    code, out, _ = run(
        capsys, "review", "--json", *options(signed, "--lang", "en", "--leaflet", "safe-doses")
    )
    assert code == 0
    [item] = json.loads(out)["leaflets"]
    assert item["changes"]["facts"] == [
        {"name": "limit-adult", "old": "350 mg", "new": "360 mg", "sources": [NIH]}
    ]
    assert [b["name"] for b in item["changes"]["blocks"]] == [
        "doses-key-points",
        "limit-is-a-ceiling",
        "limits-table",
        "adding-up-example",
    ]
    page = Path(f"out/review/{CLINIC}.html").read_text(encoding="utf-8")
    assert (
        '<tr><th scope="row">limit-adult</th><td><del>350 mg</del></td><td><ins>360 '
        f"mg</ins></td><td>{NIH}</td></tr>"
    ) in page


def test_the_sign_off_file_only_grows(signed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = signoffs_file(signed)
    first = path.read_bytes()
    harm_to_hurt(signed)
    sign = ["sign", "--content", str(signed), "--clinic", CLINIC, "--by", BY, "--yes"]
    code, out, _ = run(capsys, *sign)
    assert code == 0
    assert out.startswith(
        f"{CLINIC}/en/safe-doses: changed since signed off by {BY} on {TODAY.isoformat()}: "
        "block 'kidneys'\n  block 'kidneys' changed:\n    If you have kidney disease\n"
    )
    assert "and [-harm-]{+hurt+} you." in out
    assert "Sign 1 leaflet" not in out  # --yes asks nothing
    second = path.read_bytes()
    assert second.startswith(first) and len(second) > len(first)
    assert second.count(b"\n- leaflet: ") == first.count(b"\n- leaflet: ") + 1
    code, out, _ = run(capsys, *sign)  # the same words, reviewer and day: nothing to add
    assert (code, out) == (
        0,
        f"Nothing to sign: every chosen leaflet is already signed off "
        f"by {BY} on {TODAY.isoformat()}, as it prints.\n",
    )
    assert path.read_bytes() == second


def test_a_hand_edited_digest_is_found_with_its_line(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signoffs_file(signed)
    text = path.read_text(encoding="utf-8")
    digest = text.split("digest: ", 1)[1].split("\n", 1)[0]
    forged = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    path.write_text(text.replace(digest, forged, 1), encoding="utf-8")
    before = path.read_bytes()
    problem = (
        f"{at(path, forged)}: the sign-off of 'foods' (en) by {BY} on "
        f"{TODAY.isoformat()} has a digest that does not match the words stored with it: "
        "the record was edited by hand. Sign-offs are never edited; restore the file from "
        f"git (git checkout -- content/clinics/{CLINIC}.signoffs.yaml) and sign again "
        "with 'python build.py sign'"
    )
    code, _, err = run(capsys, "--content", str(signed), "--clinic", CLINIC, "--out", "out")
    assert (code, err) == (1, f"1 problem found; no leaflet was written:\n  {problem}\n")
    code, _, err = run(
        capsys, "sign", "--content", str(signed), "--clinic", CLINIC, "--by", BY, "--yes"
    )
    assert (code, err) == (1, f"1 problem found; no leaflet was written:\n  {problem}\n")
    assert path.read_bytes() == before  # nothing is added to a file that was tampered with


def test_hand_edited_words_are_found_at_their_digest(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signoffs_file(signed)
    edit(path, "    title: Foods rich in magnesium", "    title: Foods rich in iron")
    code, _, err = run(capsys, "check", "--content", str(signed), "--clinic", CLINIC)
    assert code == 1
    assert err == (
        "1 problem found; no leaflet was written:\n"
        f"  {at(path, 'sha256:')}: the sign-off of 'foods' (en) by {BY} on "
        f"{TODAY.isoformat()} has a digest that does not match the words stored "
        "with it: the record was edited by hand. Sign-offs are never edited; "
        "restore the file from git (git checkout -- "
        f"content/clinics/{CLINIC}.signoffs.yaml) and sign again with 'python "
        "build.py sign'\n"
    )


def test_a_hand_edited_reviewer_or_date_breaks_the_seal(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signoffs_file(signed)
    edit(path, f"  by: {BY}\n", "  by: Dr Someone Else\n")
    code, _, err = run(capsys, "check", *options(signed))
    assert (code, err) == (
        1,
        "1 problem found; no leaflet was written:\n"
        f"  {at(path, 'sha256:', 2)}: the sign-off of 'foods' (en) by Dr Someone Else on "
        f"{TODAY.isoformat()} has a seal that does not match its leaflet, language, reviewer, "
        "date or digest: the record was edited by hand. Sign-offs are never edited; restore "
        f"the file from git (git checkout -- content/clinics/{CLINIC}.signoffs.yaml) and sign "
        "again with 'python build.py sign'\n",
    )


def test_a_malformed_sign_off_file_is_located(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signoffs_file(signed)
    original = path.read_text(encoding="utf-8")
    edit(path, f"  by: {BY}\n", "")
    code, _, err = run(capsys, "check", "--content", str(signed), "--clinic", CLINIC)
    assert (code, err) == (
        1,
        "1 problem found; no leaflet was written:\n"
        f"  {at(path, 'leaflet: foods')}: missing required field 'by'\n",
    )
    path.write_text(original, encoding="utf-8")
    later = TODAY + dt.timedelta(days=1)
    sign_on(signed, CLINIC, "Dr Later", later, "foods", lang="en")
    header, first = path.read_text(encoding="utf-8").split("- leaflet:", 1)
    earlier, last = first.rsplit("- leaflet:", 1)
    path.write_text(f"{header}- leaflet:{last}- leaflet:{earlier}", encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", str(signed), "--clinic", CLINIC)
    assert (code, err) == (  # a record moved up the file
        1,
        (
            "1 problem found; no leaflet was written:\n"
            f"  {at(path, TODAY.isoformat())}: the sign-off of 'foods' (en) by {BY} "
            f"on {TODAY.isoformat()} is dated before the sign-off above it "
            f"({later.isoformat()}): sign-offs are only ever added at the end of the file; "
            f"restore the file from git (git checkout -- content/clinics/{CLINIC}.signoffs.yaml) "
            "and sign again with 'python build.py sign'\n"
        ),
    )
    path.write_text(original, encoding="utf-8")
    code, _, err = run(capsys, "sign", *options(signed, "--by", BY, "--yes"))
    assert (code, err) == (0, "")  # nothing to add today
    sign_on(signed, CLINIC, "Dr Later", later, "foods", lang="en")
    code, _, err = run(capsys, "sign", *options(signed, "--by", "Dr Earlier", "--yes"))
    assert (code, err) == (
        1,
        "1 problem found; no leaflet was written:\n"
        f"  content/clinics/{CLINIC}.signoffs.yaml: today, {TODAY.isoformat()}, is before the "
        f"last sign-off in this file ({later.isoformat()}): check the computer's date; "
        "nothing was signed\n",
    )
    path.write_text("leaflet: foods\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "--content", str(signed), "--clinic", CLINIC)
    assert (code, err) == (
        1,
        (
            f"1 problem found; no leaflet was written:\n  {start_of(path)}: this file must be a "
            "list of sign-offs, each starting with '- leaflet:', as 'python build.py sign' writes "
            f"it: restore it from git (git checkout -- content/clinics/{CLINIC}.signoffs.yaml)\n"
        ),
    )


def test_sign_shows_what_it_approves_and_asks(
    signed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = signed
    path = signoffs_file(content)
    before = path.read_bytes()
    harm_to_hurt(content)
    sign = ["sign", "--content", str(content), "--clinic", CLINIC, "--by", BY]
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, _ = run(capsys, *sign)
    assert code == 1
    assert out.endswith(
        f"Sign 1 leaflet of {CLINIC} as reviewed by {BY} on "
        f"{TODAY.isoformat()}? [y/N] Nothing was signed.\n"
    )  # a piped answer is not echoed
    assert "  block 'kidneys' changed:\n" in out
    assert path.read_bytes() == before
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, *sign)
    assert (code, err) == (
        2,
        "build.py: error: sign asks before it signs, and nothing "
        "answered: add --yes to sign without asking (nothing was "
        "signed)\n",
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, _ = run(capsys, *sign)
    assert code == 0
    assert out.endswith(
        f"signed 1 leaflet: added to content/clinics/{CLINIC}.signoffs.yaml\n"
        f"Build to print the review lines: python build.py --clinic {CLINIC}\n"
    )
    assert path.read_bytes().startswith(before)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sign", "--by", BY],
            "sign needs --clinic ID: a sign-off is for one clinic's leaflets, "
            'like: sign --clinic riverside-family --by "Dr Ana Morales, MD"',
        ),
        (
            ["sign", "--clinic", CLINIC],
            'sign needs --by "Name, role": the clinician who reviewed '
            'the words, like --by "Dr Ana Morales, MD"',
        ),
        (
            ["sign", "--clinic", CLINIC, "--by", "x" * 201],
            "--by is 201 characters; the limit is 200",
        ),
        (
            ["sign", "--clinic", "nope", "--by", BY],
            "no clinic 'nope' in content/clinics; choose from: default, riverside-family, "
            "uk-sleep-clinic",
        ),
        (
            ["review", "--clinic", CLINIC, "--leaflet", "food"],
            "unknown leaflet 'food'; choose from: foods, safe-doses, warnings, "
            "when-to-see-a-doctor",
        ),
        (
            ["--by", BY],
            '--by is for sign and patient: python build.py sign --clinic ID --by "Dr Name, role"',
        ),
        (
            ["--yes"],
            '--yes is for sign: python build.py sign --clinic ID --by "Dr Name, role" --yes',
        ),
    ],
)
def test_sign_and_review_usage_errors(
    content: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    before = signoffs_file(content).read_bytes()
    code, _, err = run(capsys, *args, "--content", str(content))
    assert (code, err) == (2, f"build.py: error: {message}\n")
    assert signoffs_file(content).read_bytes() == before


def test_nothing_cosmetic_voids_a_sign_off(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Bold marks, line folding and the revised date are how the words look and when
    they were filed, not what they say."""
    monkeypatch.chdir(tmp_path)
    doses = content / "blocks/doses.yaml"
    edit(doses, "harm you. **Do not take", "harm you.\n      Do not take")
    edit(doses, "kidney doctor tells you to.**", "kidney doctor tells you to.")
    edit(content / "leaflets/safe-doses.yaml", "revised: 2026-12-02", "revised: 2026-12-03")
    code, out, _ = run(capsys, "review", "--content", str(content), "--clinic", CLINIC)
    assert (code, out.splitlines()[0]) == (
        0,
        f"{CLINIC}: 8 of 8 leaflets signed off as they print; 0 to review",
    )


def test_without_a_sign_off_review_shows_the_whole_leaflet_as_new(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    signoffs_file(content).unlink()
    code, out, _ = run(
        capsys, "review", "--json", *options(content, "--lang", "es", "--leaflet", "foods")
    )
    assert code == 0
    [item] = json.loads(out)["leaflets"]
    assert (item["status"], item["signed_off"]) == ("new", None)
    assert item["translation"] == (
        "Español: not yet checked against the English by a "
        "bilingual clinician (the leaflet says so)"
    )
    assert [b["id"] for b in item["changes"]["added_blocks"]] == [
        "foods-key-points",
        "what-magnesium-does",
        "daily-need",
        "food-tips",
        "food-is-safe",
        "food-list",
        "portions",
        "a-day-of-food",
        "food-tracker",
    ]
    assert item["changes"]["added_sources"][0] == NIH
    html = Path(f"out/review/{CLINIC}.html").read_text(encoding="utf-8")
    assert "<h3>Blocks in the leaflet (all new)</h3>" in html
    assert "never signed off" in html


def test_a_typed_review_in_a_leaflet_is_refused(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaflet = content / "leaflets/foods.yaml"
    edit(leaflet, "budget_pages: 4", "budget_pages: 4\nclinical_review: {by: Dr A, on: 2026-01-01}")
    code, _, err = run(capsys, "check", "--content", str(content), "--clinic", "default")
    assert (code, err) == (
        1,
        (
            f"1 problem found; no leaflet was written:\n  {at(leaflet, '{by: Dr A')}: "
            "'clinical_review' is no longer read: a review is now recorded with the words it "
            "approved, in the clinic's sign-off file. Remove it, and have the clinician run: "
            'python build.py sign --clinic ID --by "NAME" --leaflet foods\n'
        ),
    )


def test_changes_name_blocks_added_removed_and_moved() -> None:
    def snap(*blocks: tuple[str, str], sources: tuple[str, ...] = ("A.",)) -> Snapshot:
        return Snapshot(
            title="T",
            message="M",
            facts={},
            sources=list(sources),
            clinic={},
            notes={},
            blocks=[ApprovedBlock(id=i, text=[t]) for i, t in blocks],
        )

    old = snap(("a", "one"), ("b", "two"), ("c", "three"), ("d", "four"))
    new = snap(("c", "three"), ("a", "one"), ("b", "TWO"), ("e", "five"), sources=("A.", "B."))
    changes = compare(old, new)
    assert [c.name for c in changes.blocks] == ["b"]
    assert (changes.added_blocks, changes.removed_blocks, changes.moved_blocks) == (
        ["e"],
        ["d"],
        ["c"],
    )
    assert (changes.added_sources, changes.removed_sources) == (["B."], [])
    assert changes.named() == (
        "blocks 'b', 'e', 'd'; moved block 'c'; sources (1 added, 0 removed)"
    )
    assert not compare(old, old).any
    assert word_diff("take it with food", "take it after food") == [
        ("same", "take it "),
        ("del", "with"),
        ("ins", "after"),
        ("same", " food"),
    ]
