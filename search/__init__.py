"""Hybrid search over a Territoires KB index: the Searcher and what it returns."""

from index.store import IndexIncompatible, IndexMissing
from search.results import QueryError, Result, SearchError, SearchResponse
from search.searcher import Searcher

__all__ = [
    "IndexIncompatible",
    "IndexMissing",
    "QueryError",
    "Result",
    "SearchError",
    "SearchResponse",
    "Searcher",
]
