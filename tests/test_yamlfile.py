from pathlib import Path

import pytest
import yaml

from handout.content.yamlfile import MAX_BYTES, read_yaml
from handout.core.errors import UserErrors

from .conftest import FIXTURE_CONTENT, at, line_of


def problems(path: Path) -> list[str]:
    with pytest.raises(UserErrors) as caught:
        read_yaml(path)
    return [str(e).replace(str(path), "f.yaml") for e in caught.value.errors]


def write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "f.yaml"
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_values_keep_their_locations(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "name: A\nitems:\n  - one\n  - two\n"))
    assert doc.data == {"name": "A", "items": ["one", "two"]}
    assert (doc.where(("items", 1)).line, doc.where(("items", 1)).column) == (4, 5)
    assert doc.where(("items", 7, "deep")).line == 3  # falls back to the nearest parent


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "name: [unclosed\nother: 1\n")
    got_colon = at(path, ":", 2, root=tmp_path)  # the next key's, where ']' was expected
    assert problems(path) == [
        f"{got_colon}: YAML syntax: expected ',' or ']', but got ':', "
        f"while parsing a flow sequence that starts on line {line_of(path, '[unclosed')} "
        "(check quotes, brackets and indentation)"
    ]


def test_tab_is_refused_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "name: A\n\tregion: us\n")
    tab = at(path, "\t", root=tmp_path)
    assert problems(path) == [f"{tab}: tab character: indent with spaces only"]


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path, "name: A\nregion: us\nname: B\n")
    assert problems(path) == [
        f"{at(path, 'name:', 2, root=tmp_path)}: duplicate key 'name': keep only one"
    ]


def test_aliases_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'a: &x ["lol", "lol"]\nb: [*x, *x]\n')
    assert problems(path) == [
        f"{at(path, '*x', root=tmp_path)}: aliases (*name) are not allowed: write the value "
        "out in full"
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "# only a comment\n")) == ["f.yaml: file is empty"]


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b"name: caf\xe9\n")
    latin1 = at(path, b"\xe9", root=tmp_path)  # counted in bytes, as the check reports it
    assert problems(path) == [f"{latin1}: not UTF-8 text: save the file as UTF-8 in your editor"]


def test_oversized_file(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "a: " + "x" * MAX_BYTES)) == [
        f"f.yaml: file is {MAX_BYTES + 3:,} bytes; the limit is {MAX_BYTES:,}. "
        "Remove pasted material"
    ]


def test_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "f.yaml") == ["f.yaml: file not found"]


@pytest.mark.parametrize("path", sorted(FIXTURE_CONTENT.rglob("*.yaml")),
                         ids=lambda path: path.relative_to(FIXTURE_CONTENT).as_posix())
def test_libyaml_and_the_python_parser_agree(path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path (libyaml) gives every value and every location the slow one does."""
    assert yaml.__with_libyaml__
    fast = read_yaml(path)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    slow = read_yaml(path)
    assert fast.data == slow.data
    assert fast.locations == slow.locations


def test_a_nested_alias_is_refused_where_it_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, "a: &x [1, 2]\nb:\n  c: *x\n")
    assert problems(path) == [f"{at(path, '*x', root=tmp_path)}: aliases (*name) are not "
                              "allowed: write the value out in full"]
