"""Read one YAML file safely, remembering where every value came from.

PyYAML's safe loader forgets line numbers once it builds Python objects. We walk
the node tree ourselves so every value keeps its line and column; that is what
lets a validation error say ``clinic.yaml:7:10`` instead of a Python path.
Duplicate keys, aliases (the "billion laughs" trick) and non-UTF-8 bytes are
refused here, before anything else looks at the data.

Parsing is libyaml's (PyYAML's C parser): ten times faster than PyYAML's own,
and it was most of a no-op build's work. libyaml resolves an alias into a node
seen twice; such a file, and any syntax error, is parsed again by the
pure-Python parser, which words the problem and refuses the alias where it is
written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from handout.core.errors import Location, UserError, UserErrors

MAX_BYTES = 1_000_000
"""Content files are a few kilobytes; anything near this is a mistake."""

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """The data of one file, and the location of each value in it."""

    path: Path
    data: Any
    locations: dict[KeyPath, Location] = field(default_factory=dict)

    def where(self, key_path: KeyPath) -> Location:
        """The location of a value, or of its nearest parent that exists."""
        for end in range(len(key_path), -1, -1):
            found = self.locations.get(tuple(key_path[:end]))
            if found is not None:
                return found
        return Location(self.path)


class _AliasRefused(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases: content never needs them."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def read_yaml(path: Path, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Load ``path``; raise UserErrors with a located message if it is unusable.
    ``max_bytes`` is for a file that grows by design (a clinic's sign-offs)."""
    location = Location(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserErrors([UserError(location, "file not found")]) from None
    except OSError as exc:
        raise UserErrors([UserError(location, f"cannot read the file ({exc.strerror})")]) from None
    if len(raw) > max_bytes:
        raise UserErrors([UserError(location, f"file is {len(raw):,} bytes; the limit is "
                                              f"{max_bytes:,}. Remove pasted material")])
    text = _decode(path, raw)
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        col = text.split("\n")[line - 1].index("\t") + 1
        raise UserErrors([UserError(Location(path, line, col),
                                    "tab character: indent with spaces only")])
    if yaml.__with_libyaml__:
        try:
            return _parse(path, text, yaml.CSafeLoader)
        except (yaml.YAMLError, _AliasRefused):
            pass  # parsed again below: the Python parser words the problem
    try:
        return _parse(path, text, _NoAliasLoader)
    except _AliasRefused as exc:
        where = Location(path, exc.mark.line + 1, exc.mark.column + 1)
        raise UserErrors([UserError(where, "aliases (*name) are not allowed: write the value "
                                           "out in full")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else location
        problem = exc.problem or "invalid YAML"
        started = exc.context_mark
        if exc.context and started and mark and started.line != mark.line:
            # An unclosed quote or bracket is reported where the file ends; the
            # place to fix is where it was opened.
            problem += f", {exc.context} that starts on line {started.line + 1}"
        raise UserErrors([UserError(where, f"YAML syntax: {problem} "
                                           "(check quotes, brackets and indentation)")]) from None
    except yaml.YAMLError as exc:
        raise UserErrors([UserError(location, f"YAML syntax: {exc}")]) from None


def _parse(path: Path, text: str, loader_class: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
           ) -> YamlDocument:
    """The document with every value's place; YAML errors are left to the caller."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is not None and _has_alias(node):
            raise _AliasRefused(node.start_mark)
        document = YamlDocument(path, None)
        errors: list[UserError] = []
        if node is not None:
            document.data = _build(node, (), document, loader, errors)
    finally:
        loader.dispose()
    if node is None:
        raise UserErrors([UserError(Location(path), "file is empty")])
    if errors:
        raise UserErrors(errors)
    return document


def _has_alias(root: Node) -> bool:
    """Whether a node appears twice in the tree: an alias, resolved by libyaml."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            todo.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)
    return False


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UserErrors([UserError(
            Location(path, line, column),
            "not UTF-8 text: save the file as UTF-8 in your editor",
        )]) from None


def _build(
    node: Node, key_path: KeyPath, doc: YamlDocument,
    loader: yaml.SafeLoader | yaml.CSafeLoader, errors: list[UserError],
) -> Any:
    here = _mark(doc, node)
    doc.locations[key_path] = here
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_at = _mark(doc, key_node)
            if not isinstance(key_node, ScalarNode):
                errors.append(UserError(key_at, "a key must be plain text"))
                continue
            key = str(key_node.value)
            if key in result:
                errors.append(UserError(key_at, f"duplicate key '{key}': keep only one"))
                continue
            result[key] = _build(value_node, (*key_path, key), doc, loader, errors)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, (*key_path, i), doc, loader, errors)
                for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        errors.append(UserError(here, f"unreadable value: {exc}"))
        return None


def _mark(doc: YamlDocument, node: Node) -> Location:
    return Location(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
