from pathlib import Path

import pytest
import yaml

from handout.build.config import PROJECT_ROOT
from handout.content.yamlfile import MAX_BYTES, read_yaml
from handout.core.errors import UserErrors


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
    assert problems(write(tmp_path, "name: [unclosed\nother: 1\n")) == [
        "f.yaml:2:6: YAML syntax: expected ',' or ']', but got ':', "
        "while parsing a flow sequence that starts on line 1 "
        "(check quotes, brackets and indentation)"
    ]


def test_tab_is_refused_with_its_position(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "name: A\n\tregion: us\n")) == [
        "f.yaml:2:1: tab character: indent with spaces only"
    ]


def test_duplicate_key(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "name: A\nregion: us\nname: B\n")) == [
        "f.yaml:3:1: duplicate key 'name': keep only one"
    ]


def test_aliases_are_refused(tmp_path: Path) -> None:
    text = 'a: &x ["lol", "lol"]\nb: [*x, *x]\n'
    assert problems(write(tmp_path, text)) == [
        "f.yaml:2:5: aliases (*name) are not allowed: write the value out in full"
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "# only a comment\n")) == ["f.yaml: file is empty"]


def test_not_utf8(tmp_path: Path) -> None:
    assert problems(write(tmp_path, b"name: caf\xe9\n")) == [
        "f.yaml:1:10: not UTF-8 text: save the file as UTF-8 in your editor"
    ]


def test_oversized_file(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "a: " + "x" * MAX_BYTES)) == [
        f"f.yaml: file is {MAX_BYTES + 3:,} bytes; the limit is {MAX_BYTES:,}. "
        "Remove pasted material"
    ]


def test_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "f.yaml") == ["f.yaml: file not found"]


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "content").rglob("*.yaml")),
                         ids=lambda path: path.relative_to(PROJECT_ROOT / "content").as_posix())
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
    assert problems(path) == ["f.yaml:3:6: aliases (*name) are not allowed: write the value "
                              "out in full"]
