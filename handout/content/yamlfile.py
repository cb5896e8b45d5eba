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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from handout.content.characters import character_problem, normalised, prints_blank
from handout.core.errors import Location, UserError, UserErrors, quoted
from handout.core.files import FileRefused, read_bounded

MAX_BYTES = 1_000_000
"""Content files are a few kilobytes; anything near this is a mistake."""
MAX_DEPTH = 20
"""Content nests four or five levels; deeper is a mistake, and far deeper would
exhaust the parser's stack."""
TOO_DEEP = (f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; the "
            "content never needs that many: check the brackets and indentation")

KeyPath = tuple[str | int, ...]
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters typed into the file that no YAML may hold (tabs are refused apart)."""


@dataclass
class YamlDocument:
    """The data of one file, and the location of each value in it."""

    path: Path
    data: Any
    locations: dict[KeyPath, Location] = field(default_factory=dict)
    words: dict[KeyPath, str] = field(default_factory=dict)
    """What was typed for a bare value YAML read as yes/no or nothing (``no``,
    ``off``, ``~``), so a message can say why ``no`` is not the text "no"."""

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


def read_yaml(path: Path, inside: Path | None = None, max_bytes: int = MAX_BYTES
              ) -> YamlDocument:
    """Load ``path``; raise UserErrors with a located message if it is unusable.
    The file must be an ordinary file reached without leaving ``inside`` (by
    default the folder it is in), as a clinic's logo must. ``max_bytes`` is for a
    file that grows by design (a clinic's sign-offs)."""
    location = Location(path)
    try:
        raw = read_bounded(path, max_bytes, path.parent if inside is None else inside)
    except FileRefused as exc:
        if exc.size is not None:
            raise UserErrors([UserError(location, f"file is {exc.size:,} bytes; the limit is "
                                                  f"{max_bytes:,}. Remove pasted material")]
                             ) from None
        raise UserErrors([UserError(location, f"this file {exc.reason}")]) from None
    except FileNotFoundError:
        raise UserErrors([UserError(location, "file not found")]) from None
    except OSError as exc:
        raise UserErrors([UserError(location, f"cannot read the file ({exc.strerror})")]) from None
    text = _decode(path, raw)
    control = RAW_CONTROL.search(text)
    if control:  # the parser would refuse it too, but without a line
        found = character_problem(control.group())
        assert found is not None
        raise UserErrors([UserError(place(path, text, control.start()), (
            f"this line holds {found[1]}; delete it (it may not show in your editor: retype "
            "the text around it)"))])
    if "\t" in text:
        raise UserErrors([UserError(place(path, text, text.index("\t")),
                                    "tab character: indent with spaces only")])
    if yaml.__with_libyaml__:
        try:
            return _parse(path, text, yaml.CSafeLoader)
        except (yaml.YAMLError, _AliasRefused):
            pass  # parsed again below: the Python parser words the problem
        except RecursionError:
            raise _too_deep(path, text) from None
    try:
        return _parse(path, text, _NoAliasLoader)
    except RecursionError:
        raise _too_deep(path, text) from None
    except _AliasRefused as exc:
        where = Location(path, exc.mark.line + 1, exc.mark.column + 1)
        raise UserErrors([UserError(where, "aliases (*name) are not allowed: write the value "
                                           "out in full")]) from None
    except yaml.YAMLError as exc:
        raise _syntax(path, exc) from None


def _syntax(path: Path, exc: yaml.YAMLError) -> UserErrors:
    """A YAML syntax error, located where the file needs fixing."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return UserErrors([UserError(Location(path), f"YAML syntax: {quoted(str(exc))}")])
    mark = exc.problem_mark or exc.context_mark
    where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = exc.problem or "invalid YAML"
    started = exc.context_mark
    if exc.context and started and mark and started.line != mark.line:
        # An unclosed quote or bracket is reported where the file ends; the
        # place to fix is where it was opened.
        problem += f", {exc.context} that starts on line {started.line + 1}"
    return UserErrors([UserError(where, f"YAML syntax: {problem} "
                                        "(check quotes, brackets and indentation)")])


def _too_deep(path: Path, text: str) -> UserErrors:
    """Where the nesting first goes past the limit, found from the parser's events
    (which need no recursion, as building the nodes does)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader if yaml.__with_libyaml__
                                else yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    mark = event.start_mark
                    return UserErrors([UserError(
                        Location(path, mark.line + 1, mark.column + 1), TOO_DEEP)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:  # a mistake before the nesting: that one first
        return _syntax(path, exc)
    return UserErrors([UserError(Location(path), TOO_DEEP)])


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
            document.data = _Builder(document, loader, text, errors).build(node, ())
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


class _Builder:
    """Python values from the nodes, each checked as it is made: a value that cannot
    be a Python value, or text that would print differently from how it is typed,
    is a located error here, before any model sees it."""

    def __init__(self, doc: YamlDocument, loader: yaml.SafeLoader | yaml.CSafeLoader,
                 text: str, errors: list[UserError]) -> None:
        self.doc, self.loader, self.text, self.errors = doc, loader, text, errors

    def build(self, node: Node, key_path: KeyPath) -> Any:
        doc, errors = self.doc, self.errors
        here = _mark(doc, node)
        doc.locations[key_path] = here
        if len(key_path) >= MAX_DEPTH and not isinstance(node, ScalarNode):
            errors.append(UserError(here, TOO_DEEP))
            return None
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_at = _mark(doc, key_node)
                if not isinstance(key_node, ScalarNode):
                    errors.append(UserError(key_at, "a key must be plain text"))
                    continue
                key = str(key_node.value)
                if key in result:
                    errors.append(UserError(key_at, f"duplicate key {quoted(key)}: keep only one"))
                    continue
                result[key] = self.build(value_node, (*key_path, key))
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item, (*key_path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, key_path, here)

    def _scalar(self, node: Node, key_path: KeyPath, here: Location) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.errors.append(UserError(here, _unreadable(node, key_path, exc)))
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
            self.errors.append(UserError(here, _unreadable(node, key_path, OverflowError())))
            return None
        if not isinstance(value, str):
            if not getattr(node, "style", None) and isinstance(value, bool | None):  # plain
                self.doc.words[key_path] = str(node.value)
            return value
        found = character_problem(value)
        if found is not None:
            index, what = found
            at = self._character_at(node, value[index]) or here
            self.errors.append(UserError(at, (
                f"{field_label(key_path)} holds {what}; delete it (it may not show in your "
                "editor: retype the text around it)")))
            return None
        if prints_blank(value):
            self.errors.append(UserError(here, (
                f"{field_label(key_path)} prints as blank: it holds only spaces and "
                "characters that print as nothing; write the words")))
            return None
        return normalised(value)

    def _character_at(self, node: Node, character: str) -> Location | None:
        """Where ``character`` is typed in ``node``'s text, if it is typed there (not
        written as an escape like ``\\u202e``)."""
        start, end = node.start_mark.index, node.end_mark.index
        offset = self.text.find(character, start, end)
        if offset < 0:
            return None
        return place(self.doc.path, self.text, offset)


def place(path: Path, text: str, offset: int) -> Location:
    """The line and column of the character at ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Location(path, text.count("\n", 0, offset) + 1, offset - line_start + 1)


def field_label(key_path: KeyPath) -> str:
    """How a message names a value: ``'phone'``, or ``'languages' item 2``."""
    name = next((str(part) for part in reversed(key_path) if isinstance(part, str)), "file")
    label = quoted(name)
    if key_path and isinstance(key_path[-1], int):
        label += f" item {key_path[-1] + 1}"
    return label


def _unreadable(node: Node, key_path: KeyPath, exc: Exception) -> str:
    """A value YAML recognises but Python cannot hold: an impossible date, a number
    with thousands of digits."""
    written = quoted(str(node.value))
    label = field_label(key_path)
    if node.tag.endswith(":timestamp"):
        return (f"{label} is not a real date: {written} ({exc}); write a date that exists, "
                "as YYYY-MM-DD")
    if node.tag.endswith((":int", ":float")):
        return (f"{label} is a number too long to use ({len(str(node.value)):,} "
                "characters); write it in at most a few digits")
    return f"{label} cannot be read: {written}"


def _mark(doc: YamlDocument, node: Node) -> Location:
    return Location(doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
