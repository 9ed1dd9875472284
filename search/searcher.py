"""The Searcher: hybrid search over one index, safe to share between threads.

All data of a build is held in memory by an immutable `LoadedIndex`; the Searcher's `library`
(search/library.py) points to one at a time and swaps the pointer when a new build becomes
`current`, so a search in flight keeps the build it started with, and a `snapshot()` keeps one
build for a whole request. Reading a build (reports, chunks, recommendations, PDF paths,
reload) is the library's job; this module searches. Encoders serialise their own calls.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path

import numpy as np

from index.encoders import Encoder, load_encoder
from index.french import analyze, terms
from index.records import KINDS, RECOMMENDATION
from index.sentences import split_sentences
from index.store import (
    DB_NAME,
    IndexIncompatible,
    IndexReader,
    ingest_command,
    lexical_text,
    open_index,
)
from index.themes import read_themes
from search.fusion import (
    EXACT_REFERENCE_BOOST,
    FusionSettings,
    boost_references,
    collapse_duplicates,
    convex_fusion,
)
from search.glossary import Glossary, load_glossary
from search.library import Library, ReloadFailure, resolve_reports
from search.lineage import Lineage
from search.query import ENGLISH, FRENCH, ParsedQuery, parse_query
from search.relevance import NONE, judge
from search.rerank import Reranker
from search.results import QueryError, Result, SearchResponse
from search.spelling import Vocabulary, suggest

MAX_QUERY_CHARS = 1000
# FAISS's OpenMP threads for a process that searches (each __main__ sets it: process state).
# One query is one small matrix product: more threads only add spin-up and, on a busy 2-core
# machine, stalls of tens of ms; the web server's own threads give the parallelism.
FAISS_THREADS = 1
MAX_K = 100
KIND_FILTERS = ("all", *KINDS)
# Candidates taken from each list before fusion: deep enough that a chunk ranked well by one
# list and poorly by the other still meets itself.
CANDIDATE_DEPTH = 100
EXCERPT_CHARS = 300
# Chunks kept analysed in memory, least recently used dropped first: folding duplicates and
# highlighting re-read the same popular chunks query after query.
ANALYSIS_CACHE = 20_000


@dataclass(frozen=True)
class ChunkWords:
    """A chunk analysed once: the stems BM25 indexes, its sentences with their stems, and its
    terms as (stem, surface) in reading order."""

    stems: frozenset[str]
    sentences: tuple[tuple[str, frozenset[str]], ...]
    terms: tuple[tuple[str, str], ...]


class LoadedIndex:
    """One build, its encoder and the lookups derived from it (immutable once built)."""

    def __init__(self, reader: IndexReader, encoder: Encoder) -> None:
        self.reader = reader
        self.encoder = encoder
        self.encoder_name = str(reader.manifest.get("encoder", {}).get("name", ""))
        self.reports = {report.id: report for report in reader.reports()}
        self.chunks = reader.chunks()
        # Derived once per build so that a query never scans every chunk to find them.
        self.recommendation_rows = frozenset(
            row for row, chunk in enumerate(self.chunks) if chunk.kind == RECOMMENDATION
        )
        self.recommendations_by_number: dict[int, list[int]] = {}
        for row in sorted(self.recommendation_rows):
            self.recommendations_by_number.setdefault(self.chunks[row].number, []).append(row)
        self.words = lru_cache(maxsize=ANALYSIS_CACHE)(self._analyse)
        self._filters: dict[tuple[frozenset[str] | None, str], list[int]] = {}
        self.themes = read_themes(reader.path / DB_NAME)
        ordered = sorted(self.recommendation_rows)
        self.lineage = Lineage(
            self.chunks, ordered, reader.vectors([self.chunks[row].id for row in ordered]),
            reader.lexical, lambda row: self.words(row).terms, self.themes.of,
        )

    def _analyse(self, row: int) -> ChunkWords:
        chunk = self.chunks[row]
        text = chunk.text
        return ChunkWords(
            stems=frozenset(analyze(lexical_text(chunk))),
            sentences=tuple((text[start:end], frozenset(analyze(text[start:end])))
                            for start, end in split_sentences(text)),
            terms=tuple((term.stem, term.surface) for term in terms(text)),
        )

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The corpus's words, built on first use (spelling suggestions)."""
        return Vocabulary.of_texts(lexical_text(chunk) for chunk in self.chunks)

    def stems(self, row: int) -> frozenset[str]:
        """The stem set of a chunk (label, section and text)."""
        return self.words(row).stems

    def rows(self, report_ids: list[str] | None, kind: str) -> list[int] | None:
        """Rows allowed by a report and kind filter (None = every row), listed once per filter."""
        if report_ids is None and kind == "all":
            return None
        key = (None if report_ids is None else frozenset(report_ids), kind)
        found = self._filters.get(key)
        if found is None:
            found = [
                row for row, chunk in enumerate(self.chunks)
                if (key[0] is None or chunk.report_id in key[0]) and kind in ("all", chunk.kind)
            ]
            self._filters[key] = found
        return found

    def result(self, row: int, score: float, query_stems: set[str],
               query_vector: np.ndarray) -> Result:
        """The Result for a chunk, with its best sentence and highlighted words."""
        chunk = self.chunks[row]
        words = self.words(row)
        closeness = self.reader.sentences_of(row) @ query_vector
        return Result(
            chunk=chunk,
            report=self.reports[chunk.report_id],
            score=score,
            best_sentence=(best_sentence(words, query_stems, closeness.tolist())
                           or chunk.text[:EXCERPT_CHARS]),
            matched_terms=matched_terms(words, query_stems),
        )


def best_sentence(words: ChunkWords, query_stems: set[str], closeness: list[float]) -> str:
    """The sentence sharing the most query stems, the closest in meaning among equals ("" when
    the chunk has no sentence).

    `closeness` holds the cosine of each sentence (`index.vectors.sentence_texts`) to the query:
    a paraphrase or an English question shares no word with its answer but still points to it.
    """
    if not words.sentences:
        return ""
    ranked = zip(words.sentences, closeness, strict=True)
    return max(ranked, key=lambda pair: (len(pair[0][1] & query_stems), pair[1]))[0][0]


def matched_terms(words: ChunkWords, query_stems: set[str]) -> list[str]:
    """Surface forms of the chunk's words whose stems are query stems, in order, once each."""
    return list(dict.fromkeys(surface for stem, surface in words.terms if stem in query_stems))


def lexical_candidates(scores: np.ndarray, rows: list[int] | None, depth: int
                       ) -> dict[int, float]:
    """The BM25 scores of the `lexical_top` rows."""
    return {row: float(scores[row]) for row in lexical_top(scores, rows, depth)}


def lexical_top(scores: np.ndarray, rows: list[int] | None, depth: int) -> list[int]:
    """Rows with a positive BM25 score, best first, restricted to `rows` when given."""
    if rows is not None:
        masked = np.zeros_like(scores)
        masked[rows] = scores[rows]
        scores = masked
    positive = np.flatnonzero(scores > 0)
    if positive.size > depth:
        positive = positive[np.argpartition(-scores[positive], depth - 1)[:depth]]
    return sorted(positive.tolist(), key=lambda row: (-scores[row], row))


def check_query(query: object, k: object, kind: object) -> str:
    """The stripped query, or QueryError for an empty/too long query, bad k or unknown kind."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("La question est vide : tapez quelques mots à rechercher.")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"La question est trop longue ({len(query)} caractères ; {MAX_QUERY_CHARS} au plus)."
        )
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"Le nombre de résultats doit être un entier entre 1 et {MAX_K}.")
    if kind not in KIND_FILTERS:
        raise QueryError(
            f"Type de résultat inconnu : « {kind} ». Choix possibles : {', '.join(KIND_FILTERS)}."
        )
    return query.strip()


def lexical_coverage(loaded: LoadedIndex, stems: list[str], lexical: dict[int, float]
                     ) -> float:
    """Share of the query's stems, weighted by rarity (log(1 + N / df); a stem the corpus
    lacks weighs the most), that the best BM25 candidate holds."""
    if not lexical or not stems:
        return 0.0
    best = loaded.stems(max(lexical, key=lexical.__getitem__))
    size = len(loaded.chunks)
    held = total = 0.0
    for stem in set(stems):
        found = int(np.count_nonzero(loaded.reader.lexical.scores([stem]) > 0))
        weight = math.log(1.0 + size / max(found, 1))
        total += weight
        held += weight if stem in best else 0.0
    return held / total


def rerank(reranker: Reranker, query: str, kept: list[int], loaded: LoadedIndex,
           scores: dict[int, float]) -> tuple[list[int], dict[int, float]]:
    """The first `reranker.depth` rows in the order of the cross-encoder's scores (which become
    their scores), exact references still first; the rest keep their fused order below."""
    head, tail = kept[:reranker.depth], kept[reranker.depth:]
    judged = reranker.scores(query, [loaded.chunks[row].text for row in head])
    exact = {row for row in head if scores[row] >= EXACT_REFERENCE_BOOST}
    rescored = {**scores, **{row: float(value) for row, value in zip(head, judged, strict=True)}}
    order = sorted(head, key=lambda row: (row not in exact, -rescored[row], row))
    return order + tail, rescored


def exact_rows(loaded: LoadedIndex, parsed: ParsedQuery, allowed: list[int] | None,
               report_ids: list[str] | None) -> list[int]:
    """Rows of the recommendations the query names by number (in the named reports, if any)."""
    if parsed.number is None:
        return []
    permitted = None if allowed is None else set(allowed)
    return [
        row for row in loaded.recommendations_by_number.get(parsed.number, [])
        if (permitted is None or row in permitted)
        and (report_ids is None or loaded.chunks[row].report_id in report_ids)
    ]


class Searcher:
    """Hybrid (BM25 + vectors) search over an index directory; thread-safe. Its `library`
    reads the build it searches."""

    def __init__(self, index_dir: Path, loaded: LoadedIndex, model: str | None,
                 fusion: FusionSettings, glossary: Glossary | None = None,
                 reranker: Reranker | None = None,
                 reload_failure: ReloadFailure | None = None,
                 library: Library | None = None) -> None:
        self.index_dir = Path(index_dir)
        self._model = model
        self.library = library or Library(index_dir, loaded, partial(load, self.index_dir, model),
                                          reload_failure)
        self.fusion = fusion
        self.glossary = glossary or Glossary()
        self.reranker = reranker

    @classmethod
    def open(cls, index_dir: Path, model: str | None = None,
             fusion: FusionSettings | None = None, glossary: Glossary | None = None,
             reranker: Reranker | None = None) -> Searcher:
        """Open the live build (None: the index's own encoder, the default fusion weights,
        the glossary of corpus/glossary.toml, no reranking)."""
        return cls(index_dir, load(Path(index_dir), model), model,
                   fusion or FusionSettings(), glossary or load_glossary(),
                   reranker)

    def with_fusion(self, fusion: FusionSettings) -> Searcher:
        """A Searcher over the same loaded build with other fusion settings (no reload)."""
        return Searcher(self.index_dir, self.loaded, self._model, fusion, self.glossary,
                        self.reranker, library=self.library.snapshot())

    def with_reranker(self, reranker: Reranker | None) -> Searcher:
        """A Searcher over the same loaded build with another reranker (None: none)."""
        return Searcher(self.index_dir, self.loaded, self._model, self.fusion, self.glossary,
                        reranker, library=self.library.snapshot())

    def snapshot(self) -> Searcher:
        """A Searcher held on the build served right now: everything one request reads (several
        searches, the report list…) comes from that build even if a reload swaps builds."""
        return self.with_fusion(self.fusion)

    @property
    def loaded(self) -> LoadedIndex:
        """The build searches run on right now."""
        return self.library.loaded

    # ------------------------------------------------------------ search

    def search(self, query: str, k: int = 10, reports: list[str] | None = None,
               kind: str = "all") -> SearchResponse:
        """The k best chunks for a query, optionally within some reports and of one kind."""
        loaded = self.loaded
        return self.search_with(loaded, query, k, reports, kind, loaded.encoder.encode_query)

    def search_with(self, loaded: LoadedIndex, query: str, k: int, reports: list[str] | None,
                    kind: str, encode: Callable[[str], np.ndarray]) -> SearchResponse:
        """`search` on a given build with a given query encoder (the benchmark times both)."""
        query = check_query(query, k, kind)
        chosen = resolve_reports(reports, loaded.reports) if reports else None
        parsed = parse_query(query, list(loaded.reports.values()), self.glossary)
        suggestion = (suggest(query, loaded.vocabulary, self.glossary.terms())
                      if parsed.lang == FRENCH else None)
        if not parsed.has_words:
            return SearchResponse(query, [], parsed.detected(), NONE, suggestion)
        report_ids = chosen if chosen is not None else (parsed.reports or None)
        allowed = loaded.rows(report_ids, kind)
        vector = encode(query)
        lexical = lexical_candidates(loaded.reader.lexical.scores(parsed.stems), allowed,
                                     CANDIDATE_DEPTH)
        passages = dict(loaded.reader.dense(vector, CANDIDATE_DEPTH, allowed))
        sentences = dict(loaded.reader.dense_sentences(vector, CANDIDATE_DEPTH, allowed))
        fused = convex_fusion([lexical, passages, sentences],
                              self.fusion.weights(parsed.lang == ENGLISH))
        fusion = self.fusion
        seeking = parsed.seeks_recommendations or parsed.kind == RECOMMENDATION
        exact = exact_rows(loaded, parsed, allowed, report_ids)
        scores = boost_references(fused, exact, loaded.recommendation_rows,
                                  fusion.recommendation_boost if seeking else 1.0)
        relevance = judge(loaded.encoder_name, max(passages.values(), default=0.0),
                          max(sentences.values(), default=0.0), bool(exact),
                          lexical_coverage(loaded, parsed.stems, lexical))
        ranked = sorted(scores, key=lambda row: (-scores[row], row))
        reranker = self.reranker
        depth = max(k, reranker.depth) if reranker else k
        kept = collapse_duplicates(ranked, loaded.chunks.__getitem__, loaded.stems, depth)
        if reranker:
            kept, scores = rerank(reranker, query, kept, loaded, scores)
        query_stems = set(parsed.stems)
        results = [loaded.result(row, scores[row], query_stems, vector) for row in kept[:k]]
        return SearchResponse(query, results, parsed.detected(), relevance, suggestion)

    def compare(self, query: str, k: int = 3) -> dict[str, SearchResponse]:
        """The best results of each report for the same query, all from one build."""
        loaded = self.loaded
        check_query(query, k, "all")
        vector = loaded.encoder.encode_query(query)  # one question: encoded once, not per report
        return {rid: self.search_with(loaded, query, k, [rid], "all", lambda _: vector)
                for rid in loaded.reports}


def load(index_dir: Path, model: str | None) -> LoadedIndex:
    """Open the live build with its encoder, checking that `model` (if given) matches it."""
    reader = open_index(index_dir)
    recorded = reader.manifest.get("encoder", {})
    recorded_name = str(recorded.get("name", ""))
    if model is not None and model.strip() != recorded_name:
        raise IndexIncompatible(
            f"L'index « {index_dir} » a été construit avec le modèle « {recorded_name} », pas "
            f"« {model} ». Relancez avec --model {recorded_name}, ou reconstruisez l'index : "
            f"{ingest_command(index_dir, model)}"
        )
    encoder = load_encoder(recorded_name)
    if encoder.dim != reader.dim:
        raise IndexIncompatible(
            f"Le modèle « {recorded_name} » produit des vecteurs de dimension {encoder.dim}, "
            f"l'index « {index_dir} » en contient de dimension {reader.dim}. Reconstruisez-le : "
            f"{ingest_command(index_dir, recorded_name)}"
        )
    return LoadedIndex(reader, encoder)
