"""The brief a reader hands on: the excerpts picked, in order, each with its question and note.

`parse_brief` reads the URL below into items; `resolve` turns them into a `Brief` the exports print.

One URL shape for every export (`/export`, `/export.md`, `/export.docx`, `/export.bib`,
`/export.ris`), in the query string of a GET:

    ids=ID1,ID2,ID3          the excerpts, in the reader's order (1 to 100; a repeated id keeps
                             its first place; empty entries are skipped)
    question=Q1&question=Q1&question=Q2
                             optional, repeated once per id, in the same order: the question
                             each excerpt was picked under ("" for none; at most 1 000
                             characters, like a search)
    note=…&note=&note=…      optional, repeated once per id, in the same order: the reader's
                             note on each excerpt ("" for none; at most 500 characters)
    q=Q                      optional: the question of every excerpt that has none of its own
                             (the links of the first version of the panel)

Example: /export.md?ids=exemple-2021-r1,exemple-2018-r4&question=Élu+référent&question=Plateformes
&note=À+citer+en+premier&note=

A `question` or `note` list whose length differs from the ids is refused (422), as are more than
MAX_EXPORT_IDS ids. Questions and notes are put on one line (`one_line`) before any export.
"""

from __future__ import annotations

from dataclasses import dataclass

from search import Searcher
from search.searcher import MAX_QUERY_CHARS

from .cards import chunk_card
from .citation import Reference, citation_markdown, citation_text, one_line, pdf_page_note
from .i18n import translate
from .params import MAX_EXPORT_IDS

MAX_NOTE_CHARS = 500


class BriefError(ValueError):
    """A brief the URL describes wrongly; `param` names the query parameter to fix."""

    def __init__(self, param: str) -> None:
        super().__init__(param)
        self.param = param


@dataclass(frozen=True)
class BriefItem:
    """One picked excerpt: its id, the question it was picked under, the reader's note."""

    id: str
    question: str = ""
    note: str = ""


def aligned(values: list[str] | None, count: int, param: str) -> list[str]:
    """`values` (one per id), or as many empty strings when the parameter is absent."""
    if not values:
        return [""] * count
    if len(values) != count:
        raise BriefError(param)
    return [one_line(value) for value in values]


def parse_brief(
    ids: str, questions: list[str] | None = None, notes: list[str] | None = None, q: str = ""
) -> list[BriefItem]:
    """The items of a brief URL, in order (BriefError names the parameter to fix)."""
    parts = [part.strip() for part in ids.split(",")]
    if not 1 <= sum(1 for part in parts if part) <= MAX_EXPORT_IDS:
        raise BriefError("ids")
    item_questions = aligned(questions, len(parts), "question")
    item_notes = aligned(notes, len(parts), "note")
    if any(len(note) > MAX_NOTE_CHARS for note in item_notes):
        raise BriefError("note")
    if any(len(question) > MAX_QUERY_CHARS for question in item_questions):
        raise BriefError("question")
    default = one_line(q)
    items: dict[str, BriefItem] = {}
    for chunk_id, question, note in zip(parts, item_questions, item_notes, strict=True):
        if chunk_id:
            items.setdefault(chunk_id, BriefItem(chunk_id, question or default, note))
    return list(items.values())


def by_question(items: list[BriefItem]) -> list[tuple[str, list[BriefItem]]]:
    """The items grouped by question, questions in the order they first appear."""
    groups: dict[str, list[BriefItem]] = {}
    for item in items:
        groups.setdefault(item.question, []).append(item)
    return list(groups.items())


class UnknownExcerpt(KeyError):
    """An id of the brief that is no excerpt of the index."""


@dataclass(frozen=True)
class Excerpt:
    """One excerpt of a resolved brief, with everything an export prints of it."""

    n: int
    item: BriefItem
    card: dict
    ref: Reference
    heading: str
    citation: str
    citation_md: str
    pages_note: str
    permalink: str
    viewer: str
    pdf: str


@dataclass(frozen=True)
class Brief:
    """A resolved brief: excerpts grouped by question, export date, language, sample flag."""

    groups: list[tuple[str, list[Excerpt]]]
    today: str
    lang: str
    sample: bool

    @property
    def excerpts(self) -> list[Excerpt]:
        """Every excerpt, in the order the export prints them."""
        return [excerpt for _, excerpts in self.groups for excerpt in excerpts]


def heading(card: dict, lang: str) -> str:
    """« Proposition 9 — <report title> (2018) »: what the excerpt is and where it is from."""
    what = card["label"] or card["section"] or translate(f"card.{card['kind']}", lang)
    return one_line(f"{what} — {card['report']['title']} ({card['report']['year']})")


def labelled(key: str, lang: str) -> str:
    """A field label followed by the language's colon: « Note : », "Note:"."""
    return translate("export.labelled", lang, label=translate(key, lang))


def question_title(question: str, lang: str) -> str:
    """The heading of one question's group."""
    if not question:
        return translate("export.no_question", lang)
    return translate("export.question_heading", lang, q=question)


def resolve(
    searcher: Searcher, items: list[BriefItem], base_url: str, lang: str, today: str
) -> Brief:
    """The brief of `items`: grouped by question, numbered, cited, linked from `base_url`."""
    groups = []
    n = 0
    for question, group in by_question(items):
        excerpts = []
        for item in group:
            chunk = searcher.library.chunk(item.id)
            if chunk is None:
                raise UnknownExcerpt(item.id)
            report = searcher.library.report(chunk.report_id)
            card = chunk_card(chunk, report, lang)
            ref = Reference.of(chunk, report)
            n += 1
            excerpts.append(Excerpt(
                n=n,
                item=item,
                card=card,
                ref=ref,
                heading=heading(card, lang),
                citation=citation_text(ref, lang),
                citation_md=citation_markdown(ref, lang),
                pages_note=pdf_page_note(ref, lang),
                permalink=base_url + card["permalink"],
                viewer=base_url + card["viewer_url"],
                pdf=base_url + card["pdf_url"],
            ))
        groups.append((question, excerpts))
    sample = any(searcher.library.report(e.ref.report_id).sample for _, g in groups for e in g)
    return Brief(groups, today, lang, sample)
