"""The block kinds: each is declared once, here, and everything else reads it.

A kind is its model class, whose ``printed`` names the text fields a patient
reads, in the order they print, with each field's shape. From that one
declaration the loader lists a block's words for the text rules and the
reading gate (``texts_of``), the page fills in its facts (``fill_in``), and a
translation is shaped and checked (``BlockWords``, ``words_of``). The template
is ``templates/blocks/<kind>.html.j2``.

Adding a kind: write its class below with ``printed``, add it to ``Block``,
and write its template.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field, create_model, field_validator, model_validator

from handout.content.fields import Expand, KeyPath, Printed
from handout.content.model import Id, Model, ShortText, SourceIds, Text
from handout.content.pictures import unknown_picture


class Captioned(Model):
    """One picture of a picture row, with what it shows and the words under it."""

    picture: str
    alt: ShortText
    """What the picture shows, for a screen reader."""
    caption: ShortText
    """What it means, printed under it."""

    @field_validator("picture")
    @classmethod
    def _known(cls, name: str) -> str:
        if problem := unknown_picture(name):
            raise ValueError(problem)
        return name


HEADING = Printed("heading", "one", short=True)
PICTURE_ALT = Printed("picture_alt", "one", short=True)


class BlockBase(Model):
    id: Id
    heading: ShortText | None = None
    picture: str | None = None
    """A picture beside the heading, by name (``content/pictures.py``)."""
    picture_alt: ShortText | None = None
    """What the picture shows, for a screen reader; needed with ``picture``."""
    sources: SourceIds
    note: Text | None = None
    """For the reviewer, never printed: why the block says what it says."""

    printed: ClassVar[tuple[Printed, ...]] = ()
    """The text fields this kind prints after its heading, in print order."""
    whole: ClassVar[bool] = False
    """A reader must see it on one page (a box, a table, a list to tick): the layout
    check fails a build that splits it."""

    @classmethod
    def text_fields(cls) -> tuple[Printed, ...]:
        return (HEADING, PICTURE_ALT, *cls.printed)

    def shown_pictures(self) -> tuple[str, ...]:
        """Every picture the block prints, by name: what the credit line, the health-
        literacy gate and a PDF's inputs count."""
        return (self.picture,) if self.picture else ()

    @field_validator("picture")
    @classmethod
    def _known_picture(cls, name: str | None) -> str | None:
        if name is not None and (problem := unknown_picture(name)):
            raise ValueError(problem)
        return name

    @model_validator(mode="after")
    def _picture_described(self) -> BlockBase:
        if (self.picture is None) != (self.picture_alt is None):
            raise ValueError("give 'picture' and 'picture_alt' (what it shows) together")
        return self


class Paragraph(BlockBase):
    kind: Literal["paragraph"]
    text: Text

    printed = (Printed("text", "one"),)


class Bullets(BlockBase):
    kind: Literal["bullets"]
    intro: Text | None = None
    items: Annotated[list[Text], Field(min_length=1)]

    printed = (Printed("intro", "one"), Printed("items", "list"))


class Checklist(BlockBase):
    kind: Literal["checklist"]
    intro: Text | None = None
    items: Annotated[list[Text], Field(min_length=1)]

    printed = (Printed("intro", "one"), Printed("items", "list"))
    whole = True


class Callout(BlockBase):
    """A boxed message. ``urgent`` is the "get help now" style."""

    kind: Literal["callout"]
    tone: Literal["info", "caution", "urgent"] = "info"
    text: Text | None = None
    items: list[Text] = Field(default_factory=list)

    printed = (Printed("items", "list"), Printed("text", "one"))
    whole = True

    @model_validator(mode="after")
    def _has_words(self) -> Callout:
        if self.text is None and not self.items:
            raise ValueError("a callout needs 'text', 'items' or both")
        return self


class KeyPoints(BlockBase):
    """The leaflet's few most important points, boxed just under its main message
    (PEMAT-P item 11: a summary of the key points)."""

    kind: Literal["key-points"]
    items: Annotated[list[Text], Field(min_length=1, max_length=3)]

    printed = (Printed("items", "list"),)
    whole = True


FactColumn = Literal["label", "serving", "value"]


class Table(BlockBase):
    """A table with a header row: written rows, or one row per fact."""

    kind: Literal["table"]
    caption: ShortText
    header: Annotated[list[ShortText], Field(min_length=2)]
    rows: list[list[Text]] = Field(default_factory=list)
    fact_rows: list[Id] = Field(default_factory=list)
    """One row per fact, its cells the fact's ``columns``: filled in for the region."""
    columns: list[FactColumn] = Field(default_factory=list)
    total: ShortText | None = None
    """With ``fact_rows``: the label of a last row that adds their values up. The
    build works the sum out, so a worked example never has a number typed in."""
    shape: Literal["table", "label"] = "table"
    """``label`` prints it boxed like a supplement's label, to show where to look."""
    marked: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    """Rows (from 1) to shade: the lines on a label that a reader should find."""

    printed = (Printed("caption", "one", short=True), Printed("header", "list", short=True),
               Printed("rows", "rows"), Printed("total", "one", short=True))
    # Not "whole": a table taller than the page (in large print) breaks between rows,
    # and its header row prints again on the next page.

    @model_validator(mode="after")
    def _rows_fit(self) -> Table:
        if bool(self.rows) == bool(self.fact_rows):
            raise ValueError("give either 'rows' or 'fact_rows', not both or neither")
        if self.total is not None and "value" not in self.columns:
            raise ValueError("'total' adds up the facts' values: list 'value' in 'columns'")
        width = len(self.header)
        if self.fact_rows and len(self.columns) != width:
            raise ValueError(f"'columns' must name {width} fact fields, one per header cell")
        for i, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"row {i} has {len(row)} cells; the header has {width}")
        count = len(self.rows or self.fact_rows)
        if any(row > count for row in self.marked):
            raise ValueError(f"'marked' names a row past the last; the table has {count} rows")
        return self


class WriteIn(BlockBase):
    """A table to fill in by hand: a header, and rows that are blank or start with
    a label ("Breakfast"). A tool a patient uses at home (PEMAT-P item 23)."""

    kind: Literal["write-in"]
    intro: Text | None = None
    caption: ShortText
    header: Annotated[list[ShortText], Field(min_length=2)]
    row_labels: list[ShortText] = Field(default_factory=list)
    """Rows whose first cell is printed; the other cells are left blank."""
    blank_rows: int = Field(default=0, ge=0, le=12)
    """Wholly blank rows after the labelled ones."""

    printed = (Printed("intro", "one"), Printed("caption", "one", short=True),
               Printed("header", "list", short=True), Printed("row_labels", "list", short=True))
    whole = True

    @model_validator(mode="after")
    def _has_rows(self) -> WriteIn:
        if not self.row_labels and not self.blank_rows:
            raise ValueError("give 'row_labels', 'blank_rows' or both")
        return self


class PictureRow(BlockBase):
    """Pictures in a row, each with a caption, that show what the words say: what a
    portion looks like, how to space two medicines, the signs to act on (CDC CCI
    item 4: a visual that carries the message)."""

    kind: Literal["picture-row"]
    intro: Text | None = None
    pictures: Annotated[list[Captioned], Field(min_length=1, max_length=6)]
    caption: ShortText
    """What the row shows as a whole, printed under it."""

    printed = (Printed("intro", "one"), Printed("pictures", "pictures"),
               Printed("caption", "one", short=True))
    whole = True

    def shown_pictures(self) -> tuple[str, ...]:
        return (*super().shown_pictures(), *(shown.picture for shown in self.pictures))


class Ideas(BlockBase):
    """Easy Read: one idea at a time, each a short sentence or two with its picture
    on the left, and a box that explains the few hard words (``hard_words``: a word,
    then what it means). ``tone`` boxes the section as a callout's tone does."""

    kind: Literal["ideas"]
    tone: Literal["plain", "info", "caution", "urgent"] = "plain"
    ideas: Annotated[list[Captioned], Field(min_length=1, max_length=8)]
    hard_words: list[Annotated[list[Text], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list)

    printed = (Printed("ideas", "pictures"), Printed("hard_words", "rows"))

    def shown_pictures(self) -> tuple[str, ...]:
        return (*super().shown_pictures(), *(idea.picture for idea in self.ideas))


PlanField = Literal["dose", "form", "timing", "follow-up", "by"]
"""What a line of the plan holds, filled in when a plan is printed for one patient
(``build.py patient``); every other copy leaves it to be written by hand."""


class FillLine(Model):
    """A write-on line of the patient's plan; ``fill`` names what is written there."""

    label: ShortText
    fill: PlanField


class FillIn(BlockBase):
    """Labelled blank lines for the clinician or patient to write on."""

    kind: Literal["fill-in"]
    intro: Text | None = None
    lines: Annotated[list[ShortText | FillLine], Field(min_length=1)]

    printed = (Printed("intro", "one"), Printed("lines", "lines", short=True))
    whole = True


Block = Annotated[
    Paragraph | Bullets | Checklist | Callout | KeyPoints | PictureRow | Table | WriteIn
    | FillIn | Ideas,
    Field(discriminator="kind"),
]
"""Every kind, told apart by its ``kind:``."""

KINDS: dict[str, type[BlockBase]] = {
    get_args(model.model_fields["kind"].annotation)[0]: model
    for model in get_args(get_args(Block)[0])
}
"""Each kind's name (its ``kind:``) to its class."""
BLOCK_KINDS = tuple(KINDS)


def template_of(kind: str) -> str:
    """The partial that prints a block of this kind."""
    return f"blocks/{kind}.html.j2"


def texts_of(block: BlockBase) -> Iterator[tuple[KeyPath, str]]:
    """Every piece of text a block prints, in print order, with its key path in the block."""
    for field in block.text_fields():
        yield from field.texts(getattr(block, field.name))


def fill_in(block: BlockBase, expand: Expand) -> dict[str, Any]:
    """The block's printed fields with their facts filled in, as a model update."""
    return {field.name: field.filled(value, expand) for field in block.text_fields()
            if (value := getattr(block, field.name)) is not None}


TRANSLATED_FIELDS: dict[str, Printed] = {
    field.name: field for model in KINDS.values() for field in model.text_fields()
}
"""Every text field any kind prints, by name: the fields a translation may give."""
_clashing = [field.name for model in KINDS.values() for field in model.text_fields()
             if TRANSLATED_FIELDS[field.name] != field]
if _clashing:  # a translation's field must mean one thing, whatever the block's kind
    raise TypeError(f"block kinds give the text field '{_clashing[0]}' different shapes")

_WORD_FIELDS: dict[str, Any] = {
    "id": (Id, ...),
    **{name: (field.word_type | None, None) for name, field in TRANSLATED_FIELDS.items()},
    "note": (Text | None, None),
}
BlockWords: type[Model] = create_model("BlockWords", __base__=Model, **_WORD_FIELDS)
"""A block's printed words in another language: the text fields its English has, and
nothing else (kind, sources and fact rows stay the English block's). Its fields are
every kind's printed fields; ``words_of`` says which a given block needs."""


def words_of(block: BlockBase) -> dict[str, Any]:
    """The block's text fields as a translation must give them: those it has words in."""
    return {field.name: words for field in block.text_fields()
            if (words := field.words(getattr(block, field.name))) not in (None, [], "")}
