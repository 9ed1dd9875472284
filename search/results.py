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
        return {
            **record_dict(self.chunk, self.report),
            "score": round(float(self.score), 6),
            "best_sentence": self.best_sentence,
            "matched_terms": list(self.matched_terms),
        }


def record_dict(chunk: Chunk, report: Report) -> dict:
    """The fields of a chunk and its report that every JSON form of it shares."""
    return {
        "id": chunk.id,
        "kind": chunk.kind,
        "report": {"id": report.id, "title": report.title, "year": report.year},
        "page": chunk.page_label,
        "page_end": chunk.page_label_end,
        "pdf_page": chunk.page,
        "section": section_path(chunk),
        "text": chunk.text,
        "number": chunk.number,
        "label": chunk.label,
    }


def section_path(chunk: Chunk) -> str:
    """The section path of a chunk as shown and filtered on (« 5. Gouverner › 5.2 … »)."""
    return " › ".join(chunk.section)


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
