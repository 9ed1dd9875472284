"""Themes across editions: the catalogue (corpus/themes.toml), each recommendation's 1–3 themes,
and how a build stores them.

A recommendation is scored against every theme by two closenesses: the cosine of its vector to
the vector of the theme's text (label, description, key terms), and the share of the theme's key
terms found among its words (a term of several words counts when all its stems are there). Each
cosine is first centred on that theme's mean over the corpus' recommendations, so a theme whose
text happens to sit close to every recommendation does not win everywhere. The best theme is
always kept, the next two when their score reaches `threshold`. The weights come from
`[assignment]` in the catalogue, chosen on hand-labelled sample recommendations
(`python -m bench.recommendation_eval`, docs/recommendations.md). Overrides written in the
catalogue replace the automatic choice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.encoders import Encoder
from index.french import analyze
from index.records import RECOMMENDATION, Chunk
from index.settings import CORPUS_DIR

THEMES_PATH = CORPUS_DIR / "themes.toml"
MAX_THEMES = 3
AUTO = "auto"
OVERRIDE = "override"
THEME_FIELDS = ("id", "label_fr", "label_en", "description", "terms")
ASSIGNMENT_FIELDS = ("lexical_weight", "threshold")

THEMES_SQL = """
CREATE TABLE themes (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
);
CREATE TABLE chunk_themes (
    chunk_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    theme_id TEXT NOT NULL REFERENCES themes(id),
    score REAL NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (chunk_id, rank)
);
CREATE TABLE themes_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class ThemeError(ValueError):
    """The theme catalogue cannot be used; the message says what to fix, in French."""


@dataclass(frozen=True)
class Theme:
    """One theme of the field, shared by every edition."""

    id: str
    label_fr: str
    label_en: str
    description: str
    terms: tuple[str, ...]

    def text(self) -> str:
        """What the theme's vector encodes."""
        return f"{self.label_fr}. {self.description} {', '.join(self.terms)}."

    def label(self, lang: str) -> str:
        """The label in `lang` (French unless English is asked)."""
        return self.label_en if lang == "en" else self.label_fr


@dataclass(frozen=True)
class Assignment:
    """How scores become themes (see the module docstring)."""

    lexical_weight: float
    threshold: float


@dataclass(frozen=True)
class Catalogue:
    """The themes, the assignment weights and the hand-made overrides."""

    themes: tuple[Theme, ...]
    assignment: Assignment
    overrides: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """Fingerprint of everything that decides the themes (a change means a new build)."""
        data = {
            "themes": [asdict(theme) for theme in self.themes],
            "assignment": asdict(self.assignment),
            "overrides": {key: list(value) for key, value in sorted(self.overrides.items())},
        }
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class ThemeLink:
    """One theme given to a recommendation, with its score and where it comes from."""

    theme_id: str
    score: float
    source: str = AUTO


@dataclass(frozen=True)
class ThemeTable:
    """What a build stores: the catalogue's themes and each recommendation's themes, best
    first. A build written without themes reads back as an empty table."""

    themes: tuple[Theme, ...] = ()
    links: dict[str, tuple[ThemeLink, ...]] = field(default_factory=dict)
    digest: str = ""

    def of(self, chunk_id: str) -> tuple[str, ...]:
        """The theme ids of a recommendation, best first."""
        return tuple(link.theme_id for link in self.links.get(chunk_id, ()))

    def theme(self, theme_id: str) -> Theme | None:
        """A theme by id, or None."""
        return next((theme for theme in self.themes if theme.id == theme_id), None)


# ---------------------------------------------------------------- the catalogue


def load_catalogue(path: Path = THEMES_PATH) -> Catalogue:
    """Read and check a theme catalogue; ThemeError names the file and what to fix."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThemeError(f"Catalogue des thèmes illisible : {path} ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path} n'est pas un fichier TOML valide : {exc}.") from exc
    themes = tuple(parse_theme(entry, path) for entry in data.get("theme", []))
    if not themes:
        raise ThemeError(f"{path} ne décrit aucun thème : ajoutez des sections [[theme]].")
    ids = [theme.id for theme in themes]
    duplicates = sorted({theme_id for theme_id in ids if ids.count(theme_id) > 1})
    if duplicates:
        raise ThemeError(f"{path} : identifiant de thème en double : {', '.join(duplicates)}.")
    return Catalogue(themes, parse_assignment(data.get("assignment", {}), path),
                     parse_overrides(data.get("overrides", {}), set(ids), path))


def parse_theme(entry: object, path: Path) -> Theme:
    """One [[theme]] table, every field present and of the right type."""
    if not isinstance(entry, dict):
        raise ThemeError(f"{path} : chaque [[theme]] doit être une table.")
    missing = [name for name in THEME_FIELDS if name not in entry]
    if missing:
        raise ThemeError(f"{path} : le thème « {entry.get('id', '?')} » n'a pas de "
                         f"{', '.join(missing)}.")
    terms = entry["terms"]
    texts = [entry[name] for name in THEME_FIELDS[:-1]]
    if (not all(isinstance(text, str) and text.strip() for text in texts)
            or not isinstance(terms, list) or not terms
            or not all(isinstance(term, str) and term.strip() for term in terms)):
        raise ThemeError(f"{path} : le thème « {entry['id']} » doit avoir des textes non vides "
                         "et une liste « terms » de mots-clés.")
    return Theme(*(text.strip() for text in texts), tuple(term.strip() for term in terms))


def parse_assignment(entry: object, path: Path) -> Assignment:
    """The [assignment] table: two numbers."""
    if not isinstance(entry, dict) or any(
            not isinstance(entry.get(name), int | float) or isinstance(entry.get(name), bool)
            for name in ASSIGNMENT_FIELDS):
        raise ThemeError(f"{path} : la table [assignment] doit donner les nombres "
                         f"{', '.join(ASSIGNMENT_FIELDS)}.")
    return Assignment(*(float(entry[name]) for name in ASSIGNMENT_FIELDS))


def parse_overrides(entry: object, known: set[str], path: Path) -> dict[str, tuple[str, ...]]:
    """The [overrides] table: recommendation id = 1 to MAX_THEMES known theme ids."""
    if not isinstance(entry, dict):
        raise ThemeError(f"{path} : [overrides] doit être une table « id = [thèmes] ».")
    overrides = {}
    for chunk_id, theme_ids in entry.items():
        if (not isinstance(theme_ids, list) or not 1 <= len(theme_ids) <= MAX_THEMES
                or not all(isinstance(theme_id, str) for theme_id in theme_ids)):
            raise ThemeError(f"{path} : [overrides] « {chunk_id} » doit lister de 1 à "
                             f"{MAX_THEMES} identifiants de thèmes.")
        unknown = sorted(set(theme_ids) - known)
        if unknown:
            raise ThemeError(f"{path} : [overrides] « {chunk_id} » cite un thème inconnu : "
                             f"{', '.join(unknown)}. Thèmes connus : {', '.join(sorted(known))}.")
        overrides[chunk_id] = tuple(theme_ids)
    return overrides


# ---------------------------------------------------------------- assignment


def term_stems(theme: Theme) -> list[frozenset[str]]:
    """The stems of each key term (terms made only of stop words are dropped)."""
    return [stems for stems in (frozenset(analyze(term)) for term in theme.terms) if stems]


def theme_scores(themes: Sequence[Theme], texts: Sequence[str], vectors: np.ndarray,
                 theme_vectors: np.ndarray, lexical_weight: float) -> np.ndarray:
    """Score of each text (rows) for each theme (columns): centred cosine plus the weighted
    share of the theme's key terms found in the text."""
    closeness = np.asarray(vectors, dtype=np.float32) @ np.asarray(theme_vectors).T
    if len(texts):
        closeness = closeness - closeness.mean(axis=0, keepdims=True)
    stems = [frozenset(analyze(text)) for text in texts]
    keys = [term_stems(theme) for theme in themes]
    found = np.array([[sum(term <= words for term in terms) / max(len(terms), 1)
                       for terms in keys] for words in stems], dtype=np.float32)
    return closeness + lexical_weight * found.reshape(closeness.shape)


def pick_themes(scores: np.ndarray, themes: Sequence[Theme], assignment: Assignment
                ) -> list[tuple[ThemeLink, ...]]:
    """For each row of scores, the best theme and up to two more that pass the thresholds."""
    picked = []
    for row in np.asarray(scores):
        order = np.argsort(-row, kind="stable")
        chosen = [order[0]] + [column for column in order[1:MAX_THEMES]
                               if row[column] >= assignment.threshold]
        picked.append(tuple(ThemeLink(themes[c].id, round(float(row[c]), 6)) for c in chosen))
    return picked


def assign_themes(catalogue: Catalogue, chunks: Sequence[Chunk], vectors: np.ndarray,
                  encoder: Encoder) -> ThemeTable:
    """The themes of every recommendation among `chunks` (`vectors[i]` is chunk i's vector);
    the catalogue's overrides win."""
    rows = [row for row, chunk in enumerate(chunks) if chunk.kind == RECOMMENDATION]
    links: dict[str, tuple[ThemeLink, ...]] = {}
    if rows:
        themes = catalogue.themes
        theme_vectors = encoder.encode_passages([theme.text() for theme in themes])
        scores = theme_scores(themes, [chunks[row].text for row in rows],
                              np.asarray(vectors)[rows], theme_vectors,
                              catalogue.assignment.lexical_weight)
        picked = pick_themes(scores, themes, catalogue.assignment)
        links = {chunks[row].id: chosen for row, chosen in zip(rows, picked, strict=True)}
        for chunk_id, theme_ids in catalogue.overrides.items():
            if chunk_id in links:
                links[chunk_id] = tuple(ThemeLink(theme_id, 1.0, OVERRIDE)
                                        for theme_id in theme_ids)
    return ThemeTable(catalogue.themes, links, catalogue.digest)


# ---------------------------------------------------------------- storage


def write_themes(database: Path, table: ThemeTable) -> None:
    """Add the theme tables to a build's SQLite file (before the build is published)."""
    connection = sqlite3.connect(database)
    try:
        connection.executescript(THEMES_SQL)
        with connection:
            connection.executemany(
                "INSERT INTO themes(position, id, data) VALUES (?, ?, ?)",
                [(i, theme.id, json.dumps(asdict(theme), ensure_ascii=False))
                 for i, theme in enumerate(table.themes)],
            )
            connection.executemany(
                "INSERT INTO chunk_themes(chunk_id, rank, theme_id, score, source) "
                "VALUES (?, ?, ?, ?, ?)",
                [(chunk_id, rank, link.theme_id, link.score, link.source)
                 for chunk_id, chosen in table.links.items()
                 for rank, link in enumerate(chosen)],
            )
            connection.execute("INSERT INTO themes_meta(key, value) VALUES ('digest', ?)",
                               (table.digest,))
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def read_themes(database: Path) -> ThemeTable:
    """The theme tables of a published build (empty when it was written without them)."""
    connection = sqlite3.connect(f"{Path(database).as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "themes" not in tables:
            return ThemeTable()
        themes = tuple(theme_from_json(data) for (data,) in
                       connection.execute("SELECT data FROM themes ORDER BY position"))
        links: dict[str, list[ThemeLink]] = {}
        for chunk_id, theme_id, score, source in connection.execute(
                "SELECT chunk_id, theme_id, score, source FROM chunk_themes "
                "ORDER BY chunk_id, rank"):
            links.setdefault(chunk_id, []).append(ThemeLink(theme_id, score, source))
        (digest,) = connection.execute(
            "SELECT value FROM themes_meta WHERE key = 'digest'").fetchone()
    finally:
        connection.close()
    return ThemeTable(themes, {key: tuple(value) for key, value in links.items()}, digest)


def theme_from_json(data: str) -> Theme:
    """A Theme from its stored JSON."""
    values = json.loads(data)
    values["terms"] = tuple(values["terms"])
    return Theme(**values)
