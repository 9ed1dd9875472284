"""Gold questions: read `tests/eval/questions/<report_id>.toml` and find their answers in an index.

A question names its answer by recommendation number (chunk id `<report_id>-r<N>`) or by a
verbatim phrase of the source text. Phrases are resolved at evaluation time against the indexed
chunks, so the gold set survives re-chunking: both sides are reduced to their folded words
(case, accents, quotes, apostrophes, spaces and ligatures no longer matter, and hyphenation
re-joined by the ingestion compares equal to the source).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.french import WORD, fold
from index.records import Chunk
from index.settings import ROOT

QUESTIONS_DIR = ROOT / "tests" / "eval" / "questions"
LANGS = ("fr", "en")
TYPES = ("fact", "concept", "ref")
SPLITS = ("tune", "heldout")
# A phrase no chunk contains whole still resolves to the chunk holding its longest part, but
# only if that part keeps at least this share of its words (and MIN_PART_WORDS): below that
# the "answer" would be a coincidence of common words.
MIN_PART_SHARE = 0.5
MIN_PART_WORDS = 3


class GoldError(Exception):
    """A gold file is unreadable or malformed; the message names the file and the question."""


@dataclass(frozen=True)
class Question:
    """One gold question as written by the text authors."""

    report_id: str
    q: str
    lang: str
    type: str
    split: str
    recommendation: int | None = None
    phrase: str | None = None
    source: str = ""

    @property
    def bucket(self) -> str:
        """The reported question type: "refs" (exact references), else its language."""
        return "refs" if self.type == "ref" else self.lang


@dataclass(frozen=True)
class Resolved:
    """A question with the ids of the chunks that answer it (any of them counts)."""

    question: Question
    relevant: frozenset[str]
    partial: bool = False


def match_key(text: str) -> str:
    """Folded words joined by single spaces: what phrase matching compares."""
    return " ".join(WORD.findall(fold(text)))


def load_questions(directory: Path = QUESTIONS_DIR) -> list[Question]:
    """Every question of every `<report_id>.toml` in `directory`, file by file in name order."""
    files = sorted(Path(directory).glob("*.toml"))
    if not files:
        raise GoldError(f"Aucun fichier de questions (*.toml) dans « {directory} ».")
    return [question for path in files for question in read_file(path)]


def read_file(path: Path) -> list[Question]:
    """The questions of one gold file; GoldError naming the file and question when malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GoldError(f"Fichier de questions illisible « {path} » : {exc}") from exc
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise GoldError(f"« {path} » ne contient aucune entrée [[question]].")
    return [parse_entry(entry, path.stem, f"{path.name}, question {number}")
            for number, entry in enumerate(entries, start=1)]


def parse_entry(entry: dict, report_id: str, source: str) -> Question:
    """One validated [[question]] table."""
    def fail(problem: str) -> GoldError:
        return GoldError(f"{source} : {problem}.")

    for key, allowed in (("lang", LANGS), ("type", TYPES), ("split", SPLITS)):
        if entry.get(key) not in allowed:
            raise fail(f"« {key} » vaut {entry.get(key)!r}, attendu : {' ou '.join(allowed)}")
    if not isinstance(entry.get("q"), str) or not entry["q"].strip():
        raise fail("la question « q » est vide ou absente")
    recommendation, phrase = entry.get("recommendation"), entry.get("phrase")
    if (recommendation is None) == (phrase is None):
        raise fail("il faut soit « recommendation = N », soit « phrase = \"…\" » (un seul)")
    if recommendation is not None and (isinstance(recommendation, bool)
                                       or not isinstance(recommendation, int)
                                       or recommendation < 1):
        raise fail(f"« recommendation » doit être un entier positif, pas {recommendation!r}")
    if phrase is not None and (not isinstance(phrase, str) or not match_key(phrase)):
        raise fail("« phrase » doit être un texte non vide")
    return Question(report_id=report_id, q=entry["q"].strip(), lang=entry["lang"],
                    type=entry["type"], split=entry["split"], recommendation=recommendation,
                    phrase=phrase, source=source)


def resolve(questions: list[Question], chunks: list[Chunk]
            ) -> tuple[list[Resolved], list[Question]]:
    """Questions with their answering chunk ids, and the questions nothing in the index answers."""
    ids = {chunk.id for chunk in chunks}
    keys: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        keys.setdefault(chunk.report_id, []).append((chunk.id, f" {match_key(chunk.text)} "))
    resolved, unresolved = [], []
    for question in questions:
        if question.recommendation is not None:
            wanted = f"{question.report_id}-r{question.recommendation}"
            found, partial = (frozenset({wanted}) if wanted in ids else frozenset()), False
        else:
            found, partial = chunks_with_phrase(question.phrase or "",
                                                keys.get(question.report_id, []))
        if found:
            resolved.append(Resolved(question, found, partial))
        else:
            unresolved.append(question)
    return resolved, unresolved


def chunks_with_phrase(phrase: str, keyed: list[tuple[str, str]]) -> tuple[frozenset[str], bool]:
    """Ids of the chunks holding the whole phrase, else those holding its longest part."""
    words = match_key(phrase).split()
    whole = frozenset(cid for cid, key in keyed if f" {' '.join(words)} " in key)
    if whole:
        return whole, False
    shortest = max(MIN_PART_WORDS, math.ceil(len(words) * MIN_PART_SHARE))
    for length in range(len(words) - 1, shortest - 1, -1):
        parts = {f" {' '.join(words[i:i + length])} " for i in range(len(words) - length + 1)}
        found = frozenset(cid for cid, key in keyed if any(part in key for part in parts))
        if found:
            return found, True
    return frozenset(), False
