"""What a search returns, and the errors it raises on bad input."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.records import Chunk, Report


class SearchError(Exception):
    """A search could not be run; the message is for the user, in French."""


class QueryError(SearchError):
    """The query or its options are invalid (empty, too long, unknown report or kind…)."""


@dataclass
class Result:
    """One ranked chunk with what the user interface shows about it."""

    chunk: Chunk
    report: Report
    score: float
    best_sentence: str
    matched_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready form (shared by the CLI --json output and the web API)."""
        chunk = self.chunk
        return {
            "id": chunk.id,
            "kind": chunk.kind,
            "report": {"id": self.report.id, "title": self.report.title, "year": self.report.year},
            "page": chunk.page_label,
            "page_end": chunk.page_label_end,
            "pdf_page": chunk.page,
            "section": " › ".join(chunk.section),
            "text": chunk.text,
            "score": round(float(self.score), 6),
            "number": chunk.number,
            "label": chunk.label,
            "best_sentence": self.best_sentence,
            "matched_terms": list(self.matched_terms),
        }


@dataclass
class SearchResponse:
    """The results of one query, the references understood in it, and how clearly the results
    answer it (search/relevance.py: "good", "weak" or "none"), with a spelling suggestion
    (« Vouliez-vous dire … ? ») when the question has words the corpus does not."""

    query: str
    results: list[Result]
    detected: dict
    relevance: str
    suggestion: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "query": self.query,
            "relevance": self.relevance,
            "suggestion": self.suggestion,
            "results": [result.to_dict() for result in self.results],
            "detected": dict(self.detected),
        }
