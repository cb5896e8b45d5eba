"""Turn pydantic's validation errors into located, plain-language ones.

A clinic admin reads these, so each says what is wrong in words, points at the
file, line and column, and where it can, suggests the field a typo meant.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from handout.content.blocks import BLOCK_KINDS, KINDS
from handout.content.yamlfile import KeyPath, YamlDocument, field_label
from handout.core.errors import UserError, quoted

M = TypeVar("M", bound=BaseModel)
PATTERN_HINTS = {
    "phone": "a phone number: digits, spaces, brackets, dots or dashes, like (555) 010-2000",
    "after_hours": "a phone number: digits, spaces, brackets, dots or dashes, like "
                   "(555) 010-2000",
    "website": "a web address starting with https://, like https://example.org",
    "primary": "a colour written as #rrggbb, like #1f4e79",
    "accent": "a colour written as #rrggbb, like #1f4e79",
    "emergency_number": "three digits, like 911",
    "languages": "a two-letter language code, like en",
}
"""What a value must look like, for fields checked by a pattern; ids otherwise."""


def validate(model: type[M], doc: YamlDocument, errors: list[UserError]) -> M | None:
    """Validate ``doc`` as ``model``; on failure add a located error per problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        report_problems(exc, model, doc, (), errors)
        return None


def report_problems(exc: ValidationError, root: Any, doc: YamlDocument, base: KeyPath,
            errors: list[UserError]) -> None:
    """Turn pydantic's errors into located, plain-language ones.

    ``root`` is the type validated at ``base`` (a model, or the block union);
    it is used to suggest the field a typo meant.
    """
    for problem in exc.errors():
        relative = _yaml_path(problem["loc"])
        key_path = (*base, *relative)
        within, below = _kind_of(problem["loc"], root, relative)
        message = _plain_message(problem, key_path,
                                 functools.partial(_fields_at, within, below[:-1]),
                                 doc.words.get(key_path))
        errors.append(UserError(doc.where(key_path), message))


def _kind_of(loc: tuple[Any, ...], root: Any, relative: KeyPath) -> tuple[Any, KeyPath]:
    """The model a problem is in, and its path inside it: a block's own kind where
    pydantic names it, so "did you mean" suggests only that kind's fields."""
    for i, part in enumerate(loc):
        if (i == 0 or isinstance(loc[i - 1], int)) and part in KINDS:
            return KINDS[part], _yaml_path(loc[i + 1:])
    return root, relative


def _yaml_path(loc: tuple[Any, ...]) -> KeyPath:
    """Drop what pydantic adds to a location that the YAML does not have."""
    path: list[str | int] = []
    for i, part in enumerate(loc):
        after_index = i == 0 or isinstance(loc[i - 1], int)
        if after_index and part in BLOCK_KINDS:
            continue  # the tag of a block's kind
        if isinstance(part, str) and part.startswith(("function-", "tuple[", "list[")):
            continue
        if part in ("int", "float") or (isinstance(part, str) and "[" in part):
            continue
        path.append(part)
    return tuple(path)


def _plain_message(problem: Any, key_path: KeyPath, known_fields: Callable[[], list[str]],
                   typed: str | None = None) -> str:
    """``typed`` is what the file says where YAML read a yes/no value or nothing."""
    kind = problem["type"]
    name = next((str(part) for part in reversed(key_path) if isinstance(part, str)), "file")
    label = field_label(key_path)
    shown = quoted(problem.get("input"))
    if typed is not None and kind in ("string_type", "string_pattern_mismatch"):
        if problem.get("input") is None:
            return (f"{label}: YAML reads {typed} as no value at all, not as text: write the "
                    "text, or remove the line")
        read_as = "true" if problem.get("input") else "false"
        return (f"{label}: YAML reads {typed} as the yes/no value {read_as}, not as text: write "
                f"it in quotes, like \"{typed}\"")
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        known = known_fields()
        hint = difflib.get_close_matches(name, known, n=1)
        if hint:
            return f"unknown field {quoted(name)}; did you mean '{hint[0]}'?"
        return f"unknown field {quoted(name)}; known fields: {', '.join(sorted(known))}"
    if kind == "union_tag_invalid":
        tag = quoted(problem["ctx"]["tag"])
        return f"unknown block kind {tag}; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "union_tag_not_found":
        return f"missing 'kind'; use one of: {', '.join(BLOCK_KINDS)}"
    if kind == "literal_error":
        return f"{label} must be {problem['ctx']['expected']}, not {shown}"
    if kind == "string_pattern_mismatch":
        shape = PATTERN_HINTS.get(name, "lower-case words joined by hyphens (like 'safe-doses')")
        return f"{label} must be {shape}, not {shown}"
    if kind == "finite_number":
        return f"{label} must be an ordinary number, not {shown}"
    if kind in ("float_parsing", "float_type"):
        return f"{label} must be a number, not {shown}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{label} must be a whole number, not {shown}"
    if kind in ("string_type",):
        return f"{label} must be text, not {shown}"
    if kind in ("list_type", "tuple_type"):
        return f"{label} must be a list, not {shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type") and not key_path:
        return ("the file must be a set of 'key: value' lines, like 'name: Oak Street "
                "Surgery', not a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{label} must be a set of 'key: value' lines, not {shown}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{label} must be a date written as YYYY-MM-DD, not {shown}"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = "at most" if kind == "less_than_equal" else "at least"
        limit = problem["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{label} must be {bound} {limit}, not {shown}"
    if kind == "value_error":
        return str(problem["ctx"]["error"])
    if kind == "too_short" and problem.get("ctx", {}).get("min_length") == 1:
        return f"{label} must not be empty"
    if kind == "string_too_short":
        return f"{label} must not be empty"
    if kind == "string_too_long":
        return (f"{label} is {len(problem['input'])} characters; the limit is "
                f"{problem['ctx']['max_length']}. Shorten it")
    return f"{label}: {problem['msg']}"


def _fields_at(root: Any, relative: KeyPath) -> list[str]:
    """The field names allowed at ``relative`` below ``root``, for "did you mean"."""
    current = root
    for part in relative:
        if isinstance(part, int):
            continue
        fields = _model_fields(current)
        if part in fields:
            current = fields[part].annotation
        else:
            mapping = [arg for arg in (current, *get_args(current)) if get_origin(arg) is dict]
            if not mapping:
                return []
            current = get_args(mapping[0])[1]  # a key of a dict, such as a region
    return sorted(_model_fields(current))


def _model_fields(annotation: Any) -> dict[str, Any]:
    """Fields of a model, or of every model inside ``list[...]``, ``X | None`` or a union."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return dict(annotation.model_fields)
    fields: dict[str, Any] = {}
    for arg in get_args(annotation):
        fields.update(_model_fields(arg))
    return fields
