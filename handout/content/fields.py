"""A block's printed text fields and their shapes: how each kind of field holds its
words, lists them for the text rules, fills facts into them, and takes another
language's words (``blocks.py`` declares which fields each block kind has).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from handout.content.model import FactNotSet, Model, ShortText, Text

Shape = Literal["one", "list", "rows", "lines", "pictures"]
"""How a text field holds its words: one text, a list of texts, rows of cells,
write-on lines (a text, or a label the patient's plan may fill), or pictures
(each with what it shows and its caption)."""
KeyPath = tuple[str | int, ...]
Expand = Callable[[str], str]
"""Fill a text's ``{fact-id}`` references in; raises FactNotSet where a fact has no value."""


@dataclass(frozen=True)
class Printed:
    """One text field a block prints."""

    name: str
    shape: Shape
    short: bool = False
    """Short text (a heading, a label, a cell of the header): at most 200 characters."""

    def texts(self, value: Any) -> Iterator[tuple[KeyPath, str]]:
        """Each piece of text in the field's value, with its key path in the field."""
        if value is None:
            return
        if self.shape == "one":
            yield (self.name,), value
        elif self.shape == "list":
            for j, item in enumerate(value):
                yield (self.name, j), item
        elif self.shape == "rows":
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    yield (self.name, r, c), cell
        elif self.shape == "pictures":
            for j, picture in enumerate(value):
                yield (self.name, j, "alt"), picture.alt
                yield (self.name, j, "caption"), picture.caption
        else:
            for j, line in enumerate(value):
                if isinstance(line, str):
                    yield (self.name, j), line
                else:
                    yield (self.name, j, "label"), line.label

    def filled(self, value: Any, expand: Expand) -> Any:
        """The value with its facts filled in. A row whose fact has no value in the
        clinic's region is left out (a table of limits by age, say); anywhere else
        such a fact is the caller's to report."""
        if self.shape == "one":
            return expand(value)
        if self.shape == "list":
            return [expand(item) for item in value]
        if self.shape == "rows":
            rows = []
            for row in value:
                try:
                    rows.append([expand(cell) for cell in row])
                except FactNotSet:
                    continue
            return rows
        if self.shape == "pictures":
            return [picture.model_copy(update={"alt": expand(picture.alt),
                                               "caption": expand(picture.caption)})
                    for picture in value]
        return [expand(line) if isinstance(line, str)
                else line.model_copy(update={"label": expand(line.label)}) for line in value]

    def words(self, value: Any) -> Any:
        """What a translation gives for this field: the same, with a write-on line's
        label only (the line's plan field stays the English one's)."""
        if self.shape == "lines" and value is not None:
            return [line if isinstance(line, str) else line.label for line in value]
        if self.shape == "pictures" and value is not None:
            return [{"alt": picture.alt, "caption": picture.caption} for picture in value]
        return value

    def translated(self, english: Any, words: Any) -> Any:
        """The English value with a translation's words put in."""
        if self.shape == "pictures":
            return [picture.model_copy(update={"alt": said.alt, "caption": said.caption})
                    for picture, said in zip(english, words, strict=True)]
        if self.shape != "lines":
            return words
        return [label if isinstance(line, str) else line.model_copy(update={"label": label})
                for line, label in zip(english, words, strict=True)]

    @property
    def counted(self) -> bool:
        """Whether a translation must have as many entries as the English."""
        return self.shape != "one"

    @property
    def word_type(self) -> Any:
        """The type a translation's YAML gives for this field."""
        text = ShortText if self.short else Text
        return {"one": text, "list": list[text], "rows": list[list[text]],  # type: ignore[valid-type]
                "lines": list[ShortText], "pictures": list[PictureWords]}[self.shape]


class PictureWords(Model):
    """A picture's words in another language."""

    alt: ShortText
    caption: ShortText
