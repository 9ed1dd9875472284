"""Turn a parsed report into the index's records: recommendation and passage chunks.

Ids are stable across re-indexing of an unchanged PDF: `<report>-r<number>` for recommendations,
`<report>-p<page>-<sha1 of the whitespace-normalised lower-cased text>[:10]` for passages.
Recommendations keep their whole text even when it is longer than the encoder's input (the
record is the unit users cite; the lexical index reads all of it); passages never are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

from index.records import PASSAGE, RECOMMENDATION, Chunk
from ingest.chunking import chunk_run
from ingest.clean import BODY
from ingest.parse import ParsedReport


def passage_id(report_id: str, page: int, text: str) -> str:
    """The stable id of a passage."""
    digest = hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:10]
    return f"{report_id}-p{page}-{digest}"


def _chunk(parsed: ParsedReport, start: int, end: int, block: int, **fields) -> Chunk:
    """A chunk spanning [start, end) of the document text, placed in the section of `block`."""
    doc = parsed.doc
    first, char_start = doc.locate(start)
    last, char_end = doc.locate(end)
    return Chunk(
        report_id=parsed.report.id,
        text=doc.text[start:end],
        page=first.index,
        page_end=last.index,
        page_label=first.label,
        page_label_end=last.label,
        section=parsed.structure.paths[block],
        part=parsed.structure.parts[block],
        char_start=char_start,
        char_end=char_end,
        **fields,
    )


def recommendation_chunks(parsed: ParsedReport) -> list[Chunk]:
    """One chunk per recommendation, its text without the label."""
    return [
        _chunk(parsed, rec.start, rec.end, rec.blocks[0], id=f"{parsed.report.id}-r{rec.number}",
               kind=RECOMMENDATION, number=rec.number, label=rec.label)
        for rec in parsed.recommendations
    ]


def _runs(parsed: ParsedReport) -> list[list[int]]:
    """Runs of consecutive body blocks sharing a section, between headings and recommendations."""
    excluded = set(parsed.structure.headings)
    for rec in parsed.recommendations:
        excluded.update(rec.blocks)
    runs: list[list[int]] = []
    previous_path = None
    for i, block in enumerate(parsed.doc.blocks):
        path = parsed.structure.paths[i]
        if i in excluded or block.role != BODY:
            previous_path = None
            continue
        if runs and previous_path == path and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
        previous_path = path
    return runs


def passage_chunks(
    parsed: ParsedReport, count_tokens: Callable[[str], int], max_tokens: int
) -> list[Chunk]:
    """The passages of a report, sized by the encoder's tokenizer."""
    doc = parsed.doc
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for run in _runs(parsed):
        paragraphs = [(doc.blocks[i].start, doc.blocks[i].end) for i in run]
        for span in chunk_run(doc.text, paragraphs, count_tokens, max_tokens):
            page, _ = doc.locate(span.start)
            chunk_id = passage_id(parsed.report.id, page.index, doc.text[span.start : span.end])
            if chunk_id in seen:  # the very same text twice on a page: one passage is enough
                continue
            seen.add(chunk_id)
            chunks.append(_chunk(parsed, span.start, span.end, run[0], id=chunk_id, kind=PASSAGE))
    return chunks


def report_chunks(
    parsed: ParsedReport, count_tokens: Callable[[str], int], max_tokens: int
) -> list[Chunk]:
    """All chunks of a report in reading order: passages and recommendations interleaved."""
    chunks = recommendation_chunks(parsed) + passage_chunks(parsed, count_tokens, max_tokens)
    return sorted(chunks, key=lambda chunk: (chunk.page, chunk.char_start))


def with_chunks(
    parsed: ParsedReport, count_tokens: Callable[[str], int], max_tokens: int
) -> ParsedReport:
    """The parsed report carrying its chunks (made in the worker, under the file's time limit)."""
    return replace(parsed, chunks=report_chunks(parsed, count_tokens, max_tokens))
