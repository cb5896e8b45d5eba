"""Fill a leaflet in for one clinic: facts for its region, its sources, its dates.

The result is what the templates print, with every ``{fact-id}`` replaced by the
value for the clinic's region. Templates never look a fact up themselves, so
there is one place that decides what a number looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from handout.content.approval import Snapshot, snapshot
from handout.content.blocks import Block, Table, fill_in
from handout.content.clinic import review_due
from handout.content.facts import FactLookup, FactNotTranslated, citation, facts_for
from handout.content.i18n import (
    SOURCE_LANGUAGE,
    MissingMessage,
    Words,
    base_language,
    words_for,
)
from handout.content.loader import Content
from handout.content.model import Clinic, FactNotSet, Leaflet, Region, in_language
from handout.content.signoffs import SignOff, SignOffs
from handout.content.texts import ItemKind
from handout.content.translations import Translation
from handout.core.errors import Location, UserError, UserErrors, display_path


@dataclass(frozen=True)
class LeafletPage:
    """One leaflet as one clinic prints it in one language."""

    id: str
    lang: str
    words: Words
    """The leaflet's language: its fixed strings, dates and numbers."""
    clinic: Clinic
    leaflet: Leaflet
    blocks: tuple[Block, ...]
    notes: dict[str, str]
    """The clinic's own sentence after a block, by block id."""
    source_ids: tuple[str, ...]
    """Every source the leaflet cites, in order: its blocks' and its facts'."""
    citations: tuple[str, ...]
    facts: dict[str, str]
    """Each fact's value as this leaflet prints it, by fact id: for the consistency gate."""
    review_line: str
    review_short: str
    """The clinic's review status in a few words, for the running footer."""
    approved: Snapshot
    """What the patient reads, as a sign-off approves it."""
    signoff: SignOff | None = None
    """The latest sign-off of this leaflet in this language, whatever it approved."""
    signoff_at: Location | None = None
    """Where that sign-off is recorded."""

    @property
    def signed_off(self) -> bool:
        """Whether the latest sign-off approved exactly the words printed now."""
        return self.signoff is not None and self.signoff.digest == self.approved.digest()


def resolve(content: Content, clinic: Clinic, lang: str, leaflet_id: str,
            signoffs: SignOffs | None = None) -> LeafletPage:
    """Resolve ``leaflet_id`` for ``clinic`` in ``lang``; raise UserErrors if a fact has no
    value there or a word has no translation. The review line is true to ``signoffs``."""
    wording = wording_for(content, lang)
    errors: list[UserError] = list(wording.problems)
    leaflet = wording.leaflets.get(leaflet_id)
    if leaflet is None:
        errors.append(wording.missing("leaflet", leaflet_id, "leaflets/"))
        leaflet = content.leaflets[leaflet_id]
    words = wording.words(clinic.region)
    facts = facts_for(content, clinic, words)
    blocks: list[Block] = []
    for block_id in leaflet.blocks:
        if block_id in clinic.hide:
            continue
        block = wording.blocks.get(block_id)
        if block is None:
            errors.extend(wording.stale(block_id) or [wording.missing("block", block_id,
                                                                      "blocks/")])
            continue
        try:
            blocks.append(_resolve_block(block, facts))
        except FactNotSet as exc:
            errors.append(UserError(wording.place("block", block_id),
                                    f"fact '{exc}' has no value for region '{clinic.region}' "
                                    f"(clinic '{clinic.id}'): reword the block or give the "
                                    "fact a value for that region"))
        except FactNotTranslated as exc:
            errors.append(wording.missing("fact", exc.fact_id, "facts.yaml",
                                          f"the {exc.part} of fact"))
        except MissingMessage as exc:
            errors.extend(_missing_message(wording, words, exc))
    if errors:
        raise UserErrors(list(dict.fromkeys(errors)))
    source_ids: list[str] = []
    for block in blocks:
        source_ids.extend(block.sources)
    source_ids.extend(facts.used_sources)
    ordered = list(dict.fromkeys(source_ids))
    notes = {b.id: in_language(clinic.notes[b.id], base_language(lang)) for b in blocks
             if b.id in clinic.notes}
    citations = tuple(citation(content.sources[s]) for s in ordered
                      if content.sources[s].kind == "reference")
    approved = snapshot(leaflet.title, leaflet.message, blocks, facts.printed, citations,
                        clinic_words(clinic), notes)
    signoff = signoffs.latest(leaflet_id, lang) if signoffs else None
    page = LeafletPage(
        id=leaflet_id, lang=lang, words=words, clinic=clinic, leaflet=leaflet,
        blocks=tuple(blocks), notes=notes, source_ids=tuple(ordered), citations=citations,
        facts=dict(facts.printed), review_line="", review_short="", approved=approved,
        signoff=signoff, signoff_at=signoffs.place_of(signoff) if signoffs and signoff else None)
    try:
        return replace(page, review_line=review_line(page, wording.translation),
                       review_short=review_short(page, wording.translation))
    except MissingMessage as exc:
        raise UserErrors(_missing_message(wording, words, exc)) from None


def clinic_words(clinic: Clinic) -> dict[str, str | None]:
    """The clinic's contact words as the leaflet prints them: part of what is signed."""
    return {"name": clinic.name, "phone": clinic.phone, "after_hours": clinic.after_hours,
            "address": clinic.address, "website": clinic.website}


def _missing_message(wording: Wording, words: Words, exc: MissingMessage) -> list[UserError]:
    """A string the catalogue lacks; already said, with its line, if the catalogue
    has problems (an untranslated or broken entry is left out of it)."""
    return [] if wording.problems else [words.missing(str(exc))]


@dataclass(frozen=True)
class Wording:
    """The content's words in one language, and how to say one is missing."""

    lang: str
    leaflets: dict[str, Leaflet]
    blocks: dict[str, Block]
    content: Content
    translation: Translation | None = None

    def words(self, region: Region) -> Words:
        territory = self.content.regions[region].territory
        if self.translation is None or self.translation.messages is None:
            return words_for(self.lang, territory)
        return words_for(self.lang, territory, self.translation.messages,
                         self.translation.catalogue())

    @property
    def problems(self) -> tuple[UserError, ...]:
        return () if self.translation is None else self.translation.problems

    def place(self, kind: ItemKind, item_id: str) -> Location | None:
        if self.translation is not None and (kind, item_id) in self.translation.places:
            return self.translation.places[(kind, item_id)]
        return self.content.place(kind, item_id)

    def stale(self, block_id: str) -> tuple[UserError, ...]:
        """Why a block's translation no longer fits its English, if it does not."""
        return () if self.translation is None else self.translation.stale.get(block_id, ())

    def missing(self, kind: ItemKind, item_id: str, where: str, what: str | None = None
                ) -> UserError:
        """No words in this language for an item: point at its English and the file to add."""
        assert self.translation is not None
        folder = display_path(self.translation.folder)
        return UserError(self.content.place(kind, item_id), (
            f"{what or kind} '{item_id}' is not translated into {self.translation.name} "
            f"({self.lang}): add it to {folder}/{where}"))


def wording_for(content: Content, lang: str) -> Wording:
    if lang == SOURCE_LANGUAGE:
        return Wording(lang, content.leaflets, content.blocks, content)
    translation = content.translations[lang]
    return Wording(lang, translation.leaflets, translation.blocks, content, translation)


def review_line(page: LeafletPage, translation: Translation | None = None) -> str:
    """Say truthfully who has checked the words, and when they changed. The footer says
    it too, but page-margin boxes are not tagged, so a screen reader reads it here."""
    words, clinic = page.words, page.clinic
    _, date = words._, words.date
    parts = [_("Last revised {date}.", date=date(page.leaflet.revised))]
    unchecked = _unchecked(translation)
    sign_off = clinic_sign_off(page, unchecked)
    if translation is not None:
        info = translation.info
        if info.reviewed_by and info.reviewed_on:
            parts.append(_("Translation checked by {name} on {date}.", name=info.reviewed_by,
                           date=date(info.reviewed_on)))
        elif not sign_off and translation.messages is None:  # Easy Read: not a translation
            parts.append(_("This version has not yet been checked by a health professional."))
        elif not sign_off:  # a sign-off over an unchecked translation says so itself
            parts.append(_("This translation has not yet been checked by a health "
                           "professional."))
    if sign_off:
        parts.append(f"{sign_off}.")
    elif page.signoff is not None:
        parts.append(_("This leaflet has changed since {clinic} last reviewed it on {date}. "
                       "Ask your own doctor or nurse about your care.", clinic=clinic.name,
                       date=date(page.signoff.date)))
    else:
        parts.append(_("{clinic} has not reviewed this leaflet. Ask your own doctor or nurse "
                       "about your care.", clinic=clinic.name))
    return " ".join(parts)


def review_short(page: LeafletPage, translation: Translation | None = None) -> str:
    """The clinic's review status in a few words, for the running footer."""
    _, name = page.words._, page.clinic.name
    if page.signoff is not None and not page.signed_off:
        return _("Changed since {clinic} last reviewed it", clinic=name)
    return (clinic_sign_off(page, _unchecked(translation))
            or _("Not yet reviewed by {clinic}", clinic=name))


def _unchecked(translation: Translation | None) -> bool:
    """A translation that no health professional has checked against the English."""
    return translation is not None and not (translation.info.reviewed_by
                                            and translation.info.reviewed_on)


def clinic_sign_off(page: LeafletPage, unchecked_translation: bool = False) -> str | None:
    """"Reviewed by ... on ...; next review ...", or None unless the latest sign-off
    approved the words printed now. Over a translation nobody has checked, it says
    so, and the footer never claims more than the body."""
    signoff, words = page.signoff, page.words
    if signoff is None or not page.signed_off:
        return None
    due = review_due(page.clinic, signoff.date)
    if unchecked_translation:
        return words._("Content reviewed by {name} on {date}, translation not yet checked; "
                       "next review {due}",
                       name=signoff.by, date=words.date(signoff.date), due=words.date(due))
    return words._("Reviewed by {name} on {date}; next review {due}", name=signoff.by,
                   date=words.date(signoff.date), due=words.date(due))


def _resolve_block(block: Block, facts: FactLookup) -> Block:
    update = fill_in(block, facts.expand)
    if isinstance(block, Table) and block.fact_rows:
        update["rows"] = _fact_rows(block, facts)
        update["fact_rows"] = []
    return block.model_copy(update=update)


def _fact_rows(table: Table, facts: FactLookup) -> list[list[str]]:
    """One row per fact; a row whose fact is not set for the region is left out. A
    total row, if asked for, adds up the values of the rows shown."""
    rows: list[list[str]] = []
    shown: list[str] = []
    for fact_id in table.fact_rows:
        try:
            rows.append([facts.field(fact_id, column) for column in table.columns])
        except FactNotSet:
            continue
        shown.append(fact_id)
    if table.total is not None:
        total = facts.total(shown)
        rows.append([facts.expand(table.total) if column == "label" else
                     total if column == "value" else "" for column in table.columns])
    return rows
