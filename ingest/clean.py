"""Remove what is not running text from each page: running headers/footers, page numbers, notes.

Decisions:
- A running header or footer is found by repetition, never by a hard-coded string: a line among
  the two highest or two lowest of a page whose text, with digits and roman numerals masked, and
  whose height on the page recur on at least `max(3, 25 %)` of the pages that carry text. The
  highest and lowest line of a page also goes when its height and (smaller than body) font size
  recur that often, whatever it says: a header that prints the title of the current part changes
  text from part to part. Lines at the page edge that only print a page number are dropped too.
- Printed page labels, when the PDF has no /PageLabels: the page number a header/footer line
  prints alone (« 12 », « Page 12 », « - xii - ») or at its end/start (« Corpus d'exemple — 12 »);
  a page without one continues the numbering of the page before (arabic or roman); pages before
  any printed number keep their physical number.
- Footnotes: the block of lines at the bottom of a page, set smaller than the body text, whose
  first line starts with a number. They are kept out of the running text and attached to their
  page (`CleanPage.footnotes`). A call that `ingest.pdf` could not tell by its smaller glyph is
  removed when it is the number of a note of that page glued to a word, a closing quote or
  bracket, a unit sign (« Md$32 ») or a four-digit year (« 20133 » → « 2013 »): a true number
  stays whole, since a call is never read inside a run of digits that is not a year followed by
  more digits.
- Page roles, judged by content, never by position alone: a page is left out of the passages
  only when it carries little running text. That is a blank page; a table of contents (a
  « Sommaire » / « Table des matières » title, or mostly dotted-leader lines ending in page
  numbers); and a cover or title page: a page that no page with running text precedes, that a
  page with running text follows, and that holds fewer than `COVER_MAX_WORDS` words set at the
  running-text size (its title, banner, authors and date are display type). A first page
  holding a title and then paragraphs is body text. Pages left out are kept for offsets, and
  `skipped_pages` says which and why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index.numerals import ROMAN_PATTERN, roman, roman_value
from ingest.normalize import normalize_line
from ingest.pdf import Document, Line, Page

COVER, TOC, BLANK, BODY = "cover", "toc", "blank", "body"
_ROLE_NAMES = {COVER: "couverture", TOC: "sommaire", BLANK: "page blanche"}
# A leading page with fewer words than this at the running-text size is a cover or title page.
COVER_MAX_WORDS = 15
# Lines within this many points of the body size are running text.
_RUNNING_SIZE_DELTA = 0.6
_MASK = re.compile(r"\d+|\b[ivxlcdmIVXLCDM]+\b")
_TOC_TITLE = re.compile(r"^(sommaire|table des matières|table des matieres)\b", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|\s{3,}).*?\d+$|\s\d{1,3}$")
_FOOTNOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")
_EDGE_LINES = 2
_ROMAN = ROMAN_PATTERN
_NUMBER_ALONE = re.compile(
    rf"^(?:page\s+)?[-–—]?\s*(\d{{1,4}}|{_ROMAN})\s*[-–—]?(?:\s*/\s*\d{{1,4}})?$", re.IGNORECASE
)
_NUMBER_AT_END = re.compile(rf"[\s|·•–—-]\s*(\d{{1,4}}|{_ROMAN})$")
_NUMBER_AT_START = re.compile(rf"^(\d{{1,4}}|{_ROMAN})\s*[|·•–—-]")
# What may follow a call: a space, punctuation or the end of the line.
_CALL_END = r"(?=[\s,.;:!?»)]|$)"
# A year a call can be glued to: four digits from 1800 to 2099, then the call's digits.
_YEAR = r"(?:18|19|20)\d\d"
# A note is set at most this fraction of the body size.
_NOTE_RATIO = 0.9


@dataclass
class CleanPage:
    """The running-text lines of one page, with its footnotes and role."""

    index: int
    label: str
    lines: list[Line]
    role: str = BODY
    footnotes: list[tuple[int, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    printed_label: str | None = None


def body_font_size(document: Document) -> float:
    """The font size that carries the most characters: the size of running text."""
    sizes: Counter[float] = Counter()
    for page in document.pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _mask(line: Line) -> tuple[str, int]:
    """A line's identity as a running header/footer: digits masked, height rounded."""
    return _MASK.sub("#", line.text.lower()).strip(), round(line.y / 4)


def _edge_lines(page: Page) -> list[Line]:
    """The highest and lowest lines of a page, where headers and footers sit."""
    ordered = sorted(page.lines, key=lambda line: -line.y)
    return ordered[:_EDGE_LINES] + ordered[-_EDGE_LINES:]


def _band(line: Line) -> tuple[str, int]:
    """A line's place as a running header/footer: height rounded and font size."""
    return f"@{line.size}", round(line.y / 4)


def _outermost(page: Page) -> list[Line]:
    """The highest and the lowest line of a page."""
    if not page.lines:
        return []
    return [max(page.lines, key=lambda line: line.y), min(page.lines, key=lambda line: line.y)]


def running_lines(document: Document, body_size: float) -> set[tuple[str, int]]:
    """Identities (masked text or small-font band) of header/footer lines repeated across pages."""
    counts: Counter[tuple[str, int]] = Counter()
    for page in document.pages:
        keys = {_mask(line) for line in _edge_lines(page)}
        keys |= {_band(line) for line in _outermost(page) if line.size < body_size}
        counts.update(keys)
    pages_with_text = sum(1 for page in document.pages if page.lines)
    threshold = max(3, round(0.25 * pages_with_text))
    return {key for key, count in counts.items() if count >= threshold}


def _split_footnotes(lines: list[Line], body_size: float) -> tuple[list[Line], list[Line]]:
    """Split a page's lines into running text and the bottom block of footnotes."""
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].size >= body_size * _NOTE_RATIO:
            break
        if _FOOTNOTE_START.match(lines[i].text):
            cut = i
    if cut == len(lines):
        return lines, []
    return lines[:cut], lines[cut:]


def parse_footnotes(lines: list[Line]) -> list[tuple[int, str]]:
    """(number, text) of each note in a footnote block; continuation lines join their note."""
    notes: list[tuple[int, str]] = []
    for line in lines:
        match = _FOOTNOTE_START.match(line.text)
        if match:
            notes.append((int(match.group(1)), match.group(2).strip()))
        elif notes:
            number, text = notes[-1]
            joiner = "" if text.endswith("-") else " "
            notes[-1] = (number, f"{text[:-1] if joiner == '' else text}{joiner}{line.text}")
    return notes


def detach_calls(text: str, numbers: set[int]) -> str:
    """Remove the numbers of the page's notes glued to the end of a word, a closing quote, a unit
    (« territoires3 », « partagées »1 », « 400 Md$32 ») or a year (« en 20133 » → « en 2013 »)."""
    if not numbers:
        return text
    calls = "|".join(str(n) for n in sorted(numbers, reverse=True))
    text = re.sub(rf"(?<=[^\W\d_]|[»)$€%£])(?:{calls}){_CALL_END}", "", text)
    return re.sub(rf"\b({_YEAR})(?:{calls}){_CALL_END}", r"\1", text)


def page_role(lines: list[Line]) -> str:
    """Whether a page is blank, a table of contents, or body text (covers: `mark_covers`)."""
    if not lines:
        return BLANK
    if any(_TOC_TITLE.match(line.text) for line in lines[:3]):
        return TOC
    entries = sum(1 for line in lines if _TOC_ENTRY.search(line.text) and "..." in line.text)
    return TOC if entries >= max(3, len(lines) // 2) else BODY


def running_words(page: CleanPage, body_size: float) -> int:
    """The words of a page set at the size of the running text."""
    return sum(len(line.text.split()) for line in page.lines
               if abs(line.size - body_size) <= _RUNNING_SIZE_DELTA)


def mark_covers(pages: list[CleanPage], body_size: float) -> None:
    """Call cover the leading pages that hold (almost) no running text, when a page of running
    text follows them (a short document made only of such pages keeps them all)."""
    leading = []
    for page in pages:
        if page.role == BODY and running_words(page, body_size) >= COVER_MAX_WORDS:
            for cover in leading:
                cover.role = COVER
            return
        if page.role == BODY:
            leading.append(page)


def skipped_pages(pages: list[CleanPage]) -> list[tuple[int, str]]:
    """(page, reason) of every page left out of the passages: « couverture, 12 mots »."""
    return [(page.index, f"{_ROLE_NAMES[page.role]}, {_words(page)} mots")
            for page in pages if page.role != BODY]


def _words(page: CleanPage) -> int:
    return sum(len(line.text.split()) for line in page.lines)


def clean_page(page: Page, running: set[tuple[str, int]], body_size: float) -> CleanPage:
    """The running text of one page, its notes and role, with every line normalised."""
    edges = {id(line) for line in _edge_lines(page)}
    outermost = {id(line) for line in _outermost(page)}
    kept, removed = [], []
    for line in page.lines:
        is_running = (id(line) in edges and (
            _mask(line) in running or _NUMBER_ALONE.match(line.text.strip()) is not None
        )) or (id(line) in outermost and _band(line) in running)
        (removed if is_running else kept).append(line)
    body, note_lines = _split_footnotes(kept, body_size)
    footnotes = parse_footnotes([_normalized(line) for line in note_lines])
    numbers = {number for number, _ in footnotes}
    lines = [_normalized(line, numbers) for line in body]
    lines = [line for line in lines if line.text]
    return CleanPage(
        index=page.index,
        label=page.label,
        lines=lines,
        role=page_role(lines),
        footnotes=footnotes,
        removed=[line.text for line in removed],
        printed_label=_printed_label(sorted(removed, key=lambda line: line.y)),
    )


def _printed_label(lines: list[Line]) -> str | None:
    """The page number printed in a page's header/footer lines, footer first."""
    for line in lines:
        text = line.text.strip()
        for pattern in (_NUMBER_ALONE, _NUMBER_AT_END, _NUMBER_AT_START):
            match = pattern.search(text)
            if match:
                return match.group(1)
    return None


def _next_label(label: str) -> str:
    """The label that follows `label` in its numbering (12 → 13, xii → xiii)."""
    if label.isdigit():
        return str(int(label) + 1)
    following = roman(roman_value(label) + 1)
    return following.upper() if label.isupper() else following


def assign_printed_labels(pages: list[CleanPage]) -> None:
    """Give pages without /PageLabels the number printed on them, continuing across gaps."""
    previous = ""
    for page in pages:
        if not page.label:
            if page.printed_label:
                page.label = page.printed_label
            elif re.fullmatch(rf"\d+|{_ROMAN}", previous):
                page.label = _next_label(previous)
            else:
                page.label = str(page.index)
        previous = page.label


def _normalized(line: Line, calls: set[int] | None = None) -> Line:
    """A copy of a line with normalised characters and without footnote calls."""
    text = detach_calls(normalize_line(line.text), calls or set())
    return Line(text=text, size=line.size, bold=line.bold, y=line.y, x=line.x)


def clean_document(document: Document) -> list[CleanPage]:
    """Every page of a document with headers, footers and footnotes taken out."""
    body_size = body_font_size(document)
    running = running_lines(document, body_size)
    pages = [clean_page(page, running, body_size) for page in document.pages]
    mark_covers(pages, body_size)
    assign_printed_labels(pages)
    return pages
