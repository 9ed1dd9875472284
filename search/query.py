"""Query understanding: explicit references (report, recommendation number) and language.

« recommandation 12 », « proposition n°5 », « préconisation 3 » name a recommendation number;
« rapport 2018 », « rapport de 2021 », « Belot », « DGE » name a report. The series has one
report per year, so names resolve to a year and then to the indexed report(s) of that year —
the same rule serves the official reports and the bundled sample. The language (French or
English) is decided from stop words and diacritics, deterministically, and sets how much the
French lexical index may weigh. Nothing here raises, whatever the string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.french import STOP_WORDS, analyze, fold
from index.records import RECOMMENDATION, Report

FRENCH = "fr"
ENGLISH = "en"

# Words that introduce a numbered recommendation, in French and English (folded forms).
RECOMMENDATION_WORDS = (
    r"(?:recommandations?|recommendations?|propositions?|proposals?|preconisations?)"
)
NUMBER_REFERENCE = re.compile(
    rf"\b{RECOMMENDATION_WORDS}\s*(?:n\s*[°º]?\s*|no\.?\s*|numero\s*|number\s*|#\s*)?(\d{{1,3}})\b"
)
YEAR = re.compile(r"\b(20\d\d)\b")
YEAR_REFERENCE = re.compile(
    r"\b(?:rapport|etude|report|study|edition)\s+(?:de\s+|du\s+|of\s+|en\s+|in\s+)?(20\d\d)\b"
)
# Names of the series' reports, by the year of their edition.
REPORT_ALIASES = {
    "belot": 2017,
    "meae": 2018,
    "affaires etrangeres": 2018,
    "dge": 2021,
    "direction generale des entreprises": 2021,
}
ALIAS = re.compile(r"\b(" + "|".join(re.escape(alias) for alias in REPORT_ALIASES) + r")\b")

ENGLISH_STOP_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "is", "are", "for", "on", "with", "how", "what",
        "which", "who", "why", "does", "do", "should", "can", "be", "by", "from", "this",
        "that", "these", "those", "it", "its", "an", "or", "not", "about", "their", "into",
        "between", "when", "where", "was", "were", "has", "have", "will", "would", "we",
        "they", "our", "there", "any", "all", "more", "most", "than", "them", "other",
    }
)
FRENCH_ONLY_STOP_WORDS = STOP_WORDS - ENGLISH_STOP_WORDS
DIACRITIC = re.compile(r"[àâäçéèêëîïôöùûüÿœæ]", re.IGNORECASE)
ELIDED = re.compile(r"\b(?:l|d|qu|j|n|s|c)['’]\w", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ParsedQuery:
    """What the search understood from the user's words."""

    text: str
    stems: list[str]
    lang: str
    reports: list[str] = field(default_factory=list)
    number: int | None = None
    kind: str | None = None

    def detected(self) -> dict:
        """The references shown back to the user (SearchResponse.detected)."""
        return {"reports": list(self.reports), "number": self.number, "kind": self.kind,
                "lang": self.lang}


def detect_language(text: str) -> str:
    """"en" when English function words outnumber French signals, else "fr" (the default)."""
    words = [word.lower() for word in WORD.findall(text)]
    english = sum(1 for word in words if word in ENGLISH_STOP_WORDS)
    french = sum(1 for word in words if fold(word) in FRENCH_ONLY_STOP_WORDS)
    french += 2 * bool(DIACRITIC.search(text)) + 2 * bool(ELIDED.search(text))
    return ENGLISH if english > french else FRENCH


def referenced_years(folded: str) -> set[int]:
    """Report years named in a folded query (« rapport de 2021 », « Belot », bare years)."""
    years = {int(year) for year in YEAR_REFERENCE.findall(folded)}
    years |= {REPORT_ALIASES[alias] for alias in ALIAS.findall(folded)}
    years |= {int(year) for year in YEAR.findall(folded)}
    return years


def referenced_reports(folded: str, reports: list[Report]) -> list[str]:
    """Ids of the indexed reports the query names, by id, year or alias, in index order."""
    years = referenced_years(folded)
    return [
        report.id for report in reports
        if report.year in years or re.search(rf"\b{re.escape(report.id)}\b", folded)
    ]


def parse_query(text: str, reports: list[Report]) -> ParsedQuery:
    """Understand a query against the indexed reports; never raises."""
    folded = fold(text)
    number_match = NUMBER_REFERENCE.search(folded)
    number = int(number_match.group(1)) if number_match else None
    mentions_recommendation = re.search(rf"\b{RECOMMENDATION_WORDS}\b", folded) is not None
    return ParsedQuery(
        text=text,
        stems=analyze(text),
        lang=detect_language(text),
        reports=referenced_reports(folded, reports),
        number=number,
        kind=RECOMMENDATION if number is not None or mentions_recommendation else None,
    )
