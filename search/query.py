"""Query understanding: explicit references (report, recommendation number) and language.

« recommandation 12 », « proposition n°5 », « préconisation 3 » name a recommendation number;
« rapport 2018 », « rapport de 2021 », « the 2021 report », an alias the corpus manifest gives
the report (« Belot », « DGE »: `aliases` in corpus/reports.toml, recorded in the index) or three
words of a report's title name a report, and filter the search to it. A bare year does not: « in
Dakar in 2017 » asks about an event, not about the 2017 report. Only next to a recommendation
number (« Proposition 8 2018 ») do a bare year or two title words name the report, since a
number alone is ambiguous across reports. The series has one report per year, so names resolve
to a year and then to the indexed report(s) of that year — the same rule serves the official
reports and the bundled sample. The language (French or English) is decided from stop words
and diacritics, deterministically; it sets the fusion weights and, for English, which words
the French lexical index is asked about. The words that name a report or only state the
question's intent (search/intent.py) are not asked of BM25 either. Nothing here raises, whatever
the string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.french import STOP_WORDS, analyze, fold
from index.records import RECOMMENDATION, Report
from search.glossary import Glossary
from search.intent import seeks_recommendations, topic_text

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
    r"|\b(20\d\d)\s+(?:report|study|edition)\b"
)
# Consecutive title stems that name a report on their own, or next to a recommendation number.
TITLE_RUN = 3
TITLE_RUN_WITH_NUMBER = 2
ENGLISH_STOP_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "is", "are", "for", "on", "with", "how", "what",
        "which", "who", "why", "does", "do", "should", "can", "be", "by", "from", "this",
        "that", "these", "those", "it", "its", "an", "or", "not", "about", "their", "into",
        "between", "when", "where", "was", "were", "has", "have", "will", "would", "we",
        "they", "our", "there", "any", "all", "more", "most", "than", "them", "other",
        "at", "as", "if", "so", "such", "much", "many", "did", "been", "being", "had", "may",
        "might", "must", "shall", "could", "also", "only", "very", "each", "some", "whose",
        "whom", "while", "during", "before", "after", "then", "here", "both", "few", "my",
        "your", "his", "her", "him", "us", "you", "he", "she", "i", "up", "out", "over",
        "under", "just", "too", "same", "no", "own", "doing", "done",
    }
)
# « a » is the English article as often as the French verb: it says nothing about the language.
FRENCH_ONLY_STOP_WORDS = STOP_WORDS - ENGLISH_STOP_WORDS - {"a"}
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
    seeks_recommendations: bool = False
    has_words: bool = True
    expansions: list[str] = field(default_factory=list)

    def detected(self) -> dict:
        """The references shown back to the user (SearchResponse.detected)."""
        return {"reports": list(self.reports), "number": self.number, "kind": self.kind,
                "lang": self.lang, "seeks_recommendations": self.seeks_recommendations,
                "expansions": list(self.expansions)}


def detect_language(text: str) -> str:
    """"en" when English function words outnumber French signals, else "fr" (the default)."""
    words = [word.lower() for word in WORD.findall(text)]
    english = sum(1 for word in words if word in ENGLISH_STOP_WORDS)
    french = sum(1 for word in words if fold(word) in FRENCH_ONLY_STOP_WORDS)
    french += 2 * bool(DIACRITIC.search(text)) + 2 * bool(ELIDED.search(text))
    return ENGLISH if english > french else FRENCH


def alias_pattern(report: Report) -> re.Pattern[str] | None:
    """The folded aliases of a report as one whole-word pattern (None when it has none)."""
    aliases = [fold(alias).strip() for alias in report.aliases if fold(alias).strip()]
    if not aliases:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(alias) for alias in aliases) + r")\b")


def referenced_years(folded: str, numbered: bool, reports: list[Report]) -> set[int]:
    """Years of the reports a folded query names (bare years too when `numbered`)."""
    years = {int(first or second) for first, second in YEAR_REFERENCE.findall(folded)}
    for report in reports:
        pattern = alias_pattern(report)
        if pattern is not None and pattern.search(folded):
            years.add(report.year)
    if numbered:
        years |= {int(year) for year in YEAR.findall(folded)}
    return years


def without_references(folded: str, reports: list[Report]) -> str:
    """The folded query without the words that name a report (« rapport de 2018 », aliases)."""
    text = YEAR_REFERENCE.sub(" ", folded)
    for report in reports:
        pattern = alias_pattern(report)
        if pattern is not None:
            text = pattern.sub(" ", text)
    return text


def title_stems(title: str) -> list[str]:
    """The stems of a report title, without the « — subtitle » some titles carry."""
    return analyze(title.split(" — ")[0])


def runs(stems: list[str], length: int) -> set[tuple[str, ...]]:
    """Every run of `length` consecutive stems."""
    return {tuple(stems[i:i + length]) for i in range(len(stems) - length + 1)}


def named_by_title(stems: list[str], reports: list[Report], length: int) -> set[str]:
    """Reports whose title shares a run of `length` stems with the query that no other has."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for report in reports:
        for run in runs(title_stems(report.title), length):
            owners.setdefault(run, set()).add(report.id)
    return {
        next(iter(ids)) for run, ids in owners.items()
        if len(ids) == 1 and run in runs(stems, length)
    }


def referenced_reports(folded: str, stems: list[str], reports: list[Report],
                       numbered: bool) -> list[str]:
    """Ids of the indexed reports the query names (id, year, alias, title), in index order."""
    years = referenced_years(folded, numbered, reports)
    titled = named_by_title(stems, reports, TITLE_RUN_WITH_NUMBER if numbered else TITLE_RUN)
    return [
        report.id for report in reports
        if report.year in years or report.id in titled
        or re.search(rf"\b{re.escape(report.id)}\b", folded)
    ]


def lexical_stems(text: str, lang: str) -> list[str]:
    """The stems BM25 is asked about: English function words are not French topic words."""
    if lang == ENGLISH:
        text = WORD.sub(lambda word: " " if word.group(0).lower() in ENGLISH_STOP_WORDS
                        else word.group(0), text)
    return analyze(text)


def parse_query(text: str, reports: list[Report], glossary: Glossary | None = None
                ) -> ParsedQuery:
    """Understand a query against the indexed reports (and the glossary); never raises."""
    folded = fold(text)
    number_match = NUMBER_REFERENCE.search(folded)
    number = int(number_match.group(1)) if number_match else None
    lang = detect_language(text)
    named = referenced_reports(folded, analyze(text), reports, number is not None)
    topic = topic_text(without_references(folded, reports) if named else folded)
    expansions = glossary.expansions(topic) if glossary else []
    stems = lexical_stems(topic, lang)
    stems += [stem for stem in dict.fromkeys(analyze(" ".join(expansions))) if stem not in stems]
    return ParsedQuery(
        text=text,
        stems=stems,
        lang=lang,
        reports=named,
        number=number,
        kind=RECOMMENDATION if number is not None else None,
        seeks_recommendations=seeks_recommendations(folded),
        has_words=bool(analyze(text)),
        expansions=expansions,
    )
