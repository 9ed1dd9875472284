"""Complete citations of an excerpt, French administrative style, as text, Markdown, BibTeX, RIS.

« Luc Belot, De la smart city au territoire d'intelligence(s), commanditaire : Premier ministre,
2017, proposition n° 6, pp. 8–9. » Pages are the printed numbers; the PDF page (the file's own
count) is only ever given inside the one sentence that explains the difference (`pdf_page_note`).
Every field is passed through `one_line` first: a title, a note or a question can carry no line
break or control character into an export.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.records import Chunk, Report

from .i18n import translate

# BibTeX's special characters and their escapes.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(ch) for ch in BIBTEX_ESCAPES))
# Characters that would turn plain text into Markdown (or raw HTML) markup.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
SPACES = re.compile(r"\s+")
# A name with brackets or three words or more is an organisation: BibTeX must not split it.
PERSON_NAME = re.compile(r"[^\s()]+(?: [^\s()]+)?")


def one_line(text: str) -> str:
    """`text` on one line: line breaks, tabs and control characters become one space,
    invisible format characters (bidi overrides, soft hyphens) are dropped. (Line and paragraph
    separators, U+2028/U+2029, are whitespace to `SPACES`.)"""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            kept.append(" ")
        elif category != "Cf":
            kept.append(ch)
    return SPACES.sub(" ", "".join(kept)).strip()


@dataclass(frozen=True)
class Reference:
    """What a citation of one excerpt says, every field on one line."""

    key: str
    report_id: str
    authors: tuple[str, ...]
    title: str
    commissioner: str
    year: int
    date: str
    label: str
    first_page: str
    last_page: str
    pdf_page: int
    pdf_page_end: int

    @classmethod
    def of(cls, chunk: Chunk, report: Report) -> Reference:
        """The reference of `chunk` in `report`."""
        return cls(
            key=re.sub(r"[^A-Za-z0-9_:-]", "", chunk.id),
            report_id=report.id,
            authors=tuple(one_line(a) for a in report.authors if one_line(a)),
            title=one_line(report.title),
            commissioner=one_line(report.commissioner),
            year=report.year,
            date=one_line(report.date),
            label=one_line(chunk.label),
            first_page=one_line(chunk.page_label),
            last_page=one_line(chunk.page_label_end or chunk.page_label),
            pdf_page=chunk.page,
            pdf_page_end=chunk.page_end or chunk.page,
        )

    @property
    def spans_pages(self) -> bool:
        """True when the excerpt runs over two printed pages or more."""
        return self.last_page != self.first_page


def page_span(first: str, last: str) -> str:
    """« p. 34 », or « pp. 34–35 » when the excerpt runs over several printed pages."""
    if last and last != first:
        return f"pp. {first}–{last}"
    return f"p. {first}"


def join_names(names: tuple[str, ...], lang: str) -> str:
    """« A », « A et B », « A, B et C »."""
    if len(names) <= 1:
        return names[0] if names else ""
    return f"{', '.join(names[:-1])} {translate('cite.and', lang)} {names[-1]}"


def citation_parts(ref: Reference, lang: str, title: str) -> list[str]:
    """The comma-separated parts of a citation, around `title` (the title as formatted)."""
    parts = [join_names(ref.authors, lang), title]
    if ref.commissioner:
        parts.append(translate("cite.commissioner", lang, name=ref.commissioner))
    parts.append(str(ref.year))
    if ref.label:
        parts.append(ref.label[:1].lower() + ref.label[1:])
    parts.append(page_span(ref.first_page, ref.last_page))
    return [part for part in parts if part]


def citation_text(ref: Reference, lang: str = "fr") -> str:
    """The citation as plain text, ending with a full stop."""
    return ", ".join(citation_parts(ref, lang, ref.title)) + "."


def escape_markdown(text: str) -> str:
    """Plain text safe inside Markdown: no markup, no raw HTML, no links."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def citation_markdown(ref: Reference, lang: str = "fr", url: str = "") -> str:
    """The citation as Markdown (title in italics), followed by its link when given."""
    title = f"*{escape_markdown(ref.title)}*"
    parts = [part if part == title else escape_markdown(part)
             for part in citation_parts(ref, lang, title)]
    text = ", ".join(parts) + "."
    return f"{text} <{url}>" if url else text


def pdf_page_note(ref: Reference, lang: str = "fr") -> str:
    """The one sentence that tells the printed page(s) from the PDF file's page(s)."""
    printed = page_span(ref.first_page, ref.last_page)
    if ref.pdf_page_end != ref.pdf_page:
        return translate(
            "cite.pdf_pages", lang, printed=printed, first=ref.pdf_page, last=ref.pdf_page_end
        )
    return translate("cite.pdf_page", lang, printed=printed, pdf=ref.pdf_page)


def bibtex_escape(text: str) -> str:
    """`text` safe inside a BibTeX field value."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES[m.group()], text)


def bibtex_name(name: str) -> str:
    """A person's name as is; an organisation in braces, so that BibTeX keeps it whole."""
    escaped = bibtex_escape(name)
    return escaped if PERSON_NAME.fullmatch(name) else "{" + escaped + "}"


def bibtex(ref: Reference, lang: str = "fr", url: str = "") -> str:
    """One @techreport entry."""
    note = "; ".join(filter(None, [ref.label, pdf_page_note(ref, lang)]))
    fields = [
        ("author", " and ".join(bibtex_name(a) for a in ref.authors)),
        ("title", "{" + bibtex_escape(ref.title) + "}"),
        ("institution", bibtex_escape(ref.commissioner)),
        ("type", bibtex_escape(translate("cite.report_type", lang))),
        ("year", str(ref.year)),
        ("pages", bibtex_escape(
            ref.first_page if not ref.spans_pages else f"{ref.first_page}--{ref.last_page}"
        )),
        ("note", bibtex_escape(note)),
        ("url", bibtex_escape(url)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@techreport{{{ref.key},\n{body}\n}}\n"


def ris(ref: Reference, lang: str = "fr", url: str = "") -> str:
    """One RIS record (TY RPRT … ER), CRLF line ends as the format asks."""
    lines = [("TY", "RPRT"), *[("AU", author) for author in ref.authors], ("TI", ref.title)]
    lines += [("PB", ref.commissioner), ("PY", str(ref.year))]
    if ref.date:
        lines.append(("DA", ref.date.replace("-", "/")))
    lines += [("SP", ref.first_page), ("EP", ref.last_page)]
    lines += [("N1", note) for note in (ref.label, pdf_page_note(ref, lang)) if note]
    lines += [("UR", url), ("ID", ref.key)]
    rendered = [f"{tag}  - {value}" for tag, value in lines if value]
    return "\r\n".join([*rendered, "ER  - ", ""])
