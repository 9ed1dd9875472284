"""Gold questions: read `*.toml` gold files (the repository's `tests/eval/questions/`) and
find their answers in an index.

Gold set v2: a question lists every passage or recommendation that answers it, each graded
2 (answers it fully) or 1 (answers part of it). An answer names a recommendation by number
(chunk id `<report>-r<N>`) or a passage by a verbatim phrase of the source text, never a chunk
id: phrases are resolved at evaluation time against the indexed chunks, so the gold set
survives re-chunking. Both sides are reduced to their folded words (case, accents, quotes,
apostrophes, spaces and ligatures no longer matter, and hyphenation re-joined by the ingestion
compares equal to the source).

A file named after a report (`exemple-2021.toml`) gives that report to answers that name none;
a question of the v1 format (one `phrase` or `recommendation`, tests/eval/v1/) is one answer of
grade 2.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.french import WORD, fold
from index.records import Chunk

# The gold questions of the repository, from its root (the commands' default, `--questions`).
QUESTIONS_DIR = Path("tests/eval/questions")
LANGS = ("fr", "en")
TYPES = ("fact", "concept", "ref")
SPLITS = ("tune", "heldout")
GRADES = (1, 2)
FULL = 2
# A phrase no chunk contains whole still resolves to the chunk holding its longest part, but
# only if that part keeps at least this share of its words (and MIN_PART_WORDS): below that
# the "answer" would be a coincidence of common words.
MIN_PART_SHARE = 0.5
MIN_PART_WORDS = 3


class GoldError(Exception):
    """A gold file is unreadable or malformed; the message names the file and the question."""


@dataclass(frozen=True)
class Answer:
    """One passage or recommendation that answers a question, with its grade."""

    report_id: str
    grade: int
    recommendation: int | None = None
    phrase: str | None = None

    def describe(self) -> str:
        """How the answer is named, for messages."""
        named = (f"recommandation {self.recommendation}" if self.recommendation is not None
                 else f"« {self.phrase} »")
        return f"{self.report_id} : {named}"


@dataclass(frozen=True)
class Question:
    """One gold question as written by the text authors."""

    q: str
    lang: str
    type: str
    split: str
    answers: tuple[Answer, ...]
    source: str = ""

    @property
    def bucket(self) -> str:
        """The reported question type: "refs" (exact references), else its language."""
        return "refs" if self.type == "ref" else self.lang

    @property
    def reports(self) -> frozenset[str]:
        """The reports holding an answer."""
        return frozenset(answer.report_id for answer in self.answers)


@dataclass(frozen=True)
class Resolved:
    """A question with, per answer found in the index, the chunk ids holding it and its grade."""

    question: Question
    answers: tuple[tuple[frozenset[str], int], ...]
    partial: bool = False

    @property
    def relevant(self) -> dict[str, int]:
        """Every answering chunk id with its best grade."""
        grades: dict[str, int] = {}
        for ids, grade in self.answers:
            for chunk_id in ids:
                grades[chunk_id] = max(grade, grades.get(chunk_id, 0))
        return grades


def match_key(text: str) -> str:
    """Folded words joined by single spaces: what phrase matching compares."""
    return " ".join(WORD.findall(fold(text)))


def load_questions(directory: Path) -> list[Question]:
    """Every question of every `*.toml` in `directory` (or of one file), file by file in name
    order."""
    directory = Path(directory)
    files = [directory] if directory.is_file() else sorted(directory.glob("*.toml"))
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


def parse_answer(item: object, home: str, fail) -> Answer:
    """One validated answer (`report` defaults to the file's report)."""
    if not isinstance(item, dict):
        raise fail(f"réponse illisible : {item!r}")
    report_id = item.get("report", home)
    if not isinstance(report_id, str) or not report_id:
        raise fail("chaque réponse doit nommer son rapport (« report = \"exemple-2021\" »)")
    recommendation, phrase = item.get("recommendation"), item.get("phrase")
    if (recommendation is None) == (phrase is None):
        raise fail("il faut soit « recommendation = N », soit « phrase = \"…\" » (un seul)")
    if recommendation is not None and (isinstance(recommendation, bool)
                                       or not isinstance(recommendation, int)
                                       or recommendation < 1):
        raise fail(f"« recommendation » doit être un entier positif, pas {recommendation!r}")
    if phrase is not None and (not isinstance(phrase, str) or not match_key(phrase)):
        raise fail("« phrase » doit être un texte non vide")
    grade = item.get("grade", FULL)
    if grade not in GRADES or isinstance(grade, bool):
        raise fail(f"« grade » vaut {grade!r}, attendu : 2 (répond) ou 1 (répond en partie)")
    return Answer(report_id=report_id, grade=grade, recommendation=recommendation,
                  phrase=phrase)


def parse_entry(entry: dict, home: str, source: str) -> Question:
    """One validated [[question]] table (v2 `answers = [...]`, or one v1 answer)."""
    def fail(problem: str) -> GoldError:
        return GoldError(f"{source} : {problem}.")

    for key, allowed in (("lang", LANGS), ("type", TYPES), ("split", SPLITS)):
        if entry.get(key) not in allowed:
            raise fail(f"« {key} » vaut {entry.get(key)!r}, attendu : {' ou '.join(allowed)}")
    if not isinstance(entry.get("q"), str) or not entry["q"].strip():
        raise fail("la question « q » est vide ou absente")
    listed = entry.get("answers")
    if listed is None:
        listed = [{key: entry[key] for key in ("recommendation", "phrase") if key in entry}]
    elif "recommendation" in entry or "phrase" in entry:
        raise fail("« answers » et « phrase »/« recommendation » ne vont pas ensemble")
    if not isinstance(listed, list) or not listed:
        raise fail("« answers » doit être une liste non vide")
    answers = tuple(parse_answer(item, home, fail) for item in listed)
    if not any(answer.grade == FULL for answer in answers):
        raise fail("au moins une réponse doit être complète (grade = 2)")
    return Question(q=entry["q"].strip(), lang=entry["lang"], type=entry["type"],
                    split=entry["split"], answers=answers, source=source)


def resolve(questions: list[Question], chunks: list[Chunk]
            ) -> tuple[list[Resolved], list[tuple[Question, Answer]]]:
    """Questions with the chunks of each answer, and the answers nothing in the index holds.

    A question keeps the answers that were found; one with none found is left out.
    """
    ids = {chunk.id for chunk in chunks}
    keys: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        keys.setdefault(chunk.report_id, []).append((chunk.id, f" {match_key(chunk.text)} "))
    resolved, unresolved = [], []
    for question in questions:
        found_answers, partial = [], False
        for answer in question.answers:
            if answer.recommendation is not None:
                wanted = f"{answer.report_id}-r{answer.recommendation}"
                found, cut = (frozenset({wanted}) if wanted in ids else frozenset()), False
            else:
                found, cut = chunks_with_phrase(answer.phrase or "",
                                                keys.get(answer.report_id, []))
            if found:
                found_answers.append((found, answer.grade))
                partial = partial or cut
            else:
                unresolved.append((question, answer))
        if found_answers:
            resolved.append(Resolved(question, tuple(found_answers), partial))
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
