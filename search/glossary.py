"""The field's glossary (corpus/glossary.toml): acronyms and synonyms, for query expansion.

Each entry is one notion written several ways (« RSSI », « responsable de la sécurité des
systèmes d'information », « CISO »). A question naming one of them is also searched for the
others (`Glossary.expansions`), so « RSSI » finds the passages that spell it out and « digital
twin » the French « jumeau numérique ». Terms match as whole words, with case, accents,
apostrophes and hyphens ignored. The same entries are shown on the glossary page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from index.french import WORD, fold
from index.settings import CORPUS_DIR

GLOSSARY_PATH = CORPUS_DIR / "glossary.toml"


class GlossaryError(Exception):
    """The glossary file is unreadable or malformed; the message names the file and entry."""


def key(text: str) -> str:
    """Folded words joined by single spaces, padded: what term matching compares."""
    return f" {' '.join(WORD.findall(fold(text)))} "


@dataclass(frozen=True)
class Entry:
    """One notion: the ways it is written (the first is its heading) and its definition."""

    terms: tuple[str, ...]
    definition: str
    keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(key(term) for term in self.terms))

    @property
    def heading(self) -> str:
        """The name the glossary page lists the entry under."""
        return self.terms[0]

    def to_dict(self) -> dict:
        """JSON-ready form (the /api/glossary items)."""
        return {"term": self.heading, "synonyms": list(self.terms[1:]),
                "definition": self.definition}


@dataclass(frozen=True)
class Glossary:
    """The glossary's entries, in file order."""

    entries: tuple[Entry, ...] = ()

    def expansions(self, text: str) -> list[str]:
        """The other terms of every entry the text names, in entry order, each once."""
        padded = key(text)
        found: list[str] = []
        for entry in self.entries:
            named = [term for term, term_key in zip(entry.terms, entry.keys, strict=True)
                     if term_key in padded]
            if named:
                found += [term for term in entry.terms
                          if term not in named and term not in found]
        return found

    def terms(self) -> list[str]:
        """Every term of every entry."""
        return [term for entry in self.entries for term in entry.terms]

    def to_dict(self) -> dict:
        """JSON-ready form of the whole glossary."""
        return {"entries": [entry.to_dict() for entry in self.entries]}


def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary of a TOML file; GlossaryError naming the file and the entry if malformed."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GlossaryError(f"Glossaire illisible « {path} » : {exc}") from exc
    entries = []
    for number, item in enumerate(data.get("entry", []), start=1):
        terms, definition = item.get("terms"), item.get("definition", "")
        if (not isinstance(terms, list) or not terms
                or not all(isinstance(term, str) and key(term).strip() for term in terms)
                or not isinstance(definition, str)):
            raise GlossaryError(f"{path}, entrée {number} : « terms » doit être une liste de "
                                f"textes non vides et « definition » un texte.")
        entries.append(Entry(tuple(term.strip() for term in terms), definition.strip()))
    return Glossary(tuple(entries))
