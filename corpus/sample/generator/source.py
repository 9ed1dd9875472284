"""Parse a sample source (markup of corpus/sample/FORMAT.md) into a list of typed blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ZONES = ("front", "synthese", "corps", "annexe")
COVER_KEYS = ("titre", "sous-titre", "destinataire", "auteurs", "date", "lieu")

NOTE_CALL = re.compile(r"\[\^(\w+)\]")
NOTE_DEFINITION = re.compile(r"^\[\^(\w+)\]:\s*(.*)$")
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$")
HEADING_NUMBER = re.compile(r"^((?:\d+\.)*\d+)\.?\s")
NUMBERED_BLOCK = re.compile(r"^!(rec|principe)\s+(\d+)\s*$")


class SourceError(ValueError):
    """A sample source does not follow corpus/sample/FORMAT.md."""


@dataclass(frozen=True)
class Heading:
    """A part (level 1), section (level 2) or subsection (level 3) title."""

    level: int
    title: str

    @property
    def number(self) -> str:
        """The number the author wrote before the title (« 1.2 »), or « » if unnumbered."""
        match = HEADING_NUMBER.match(self.title)
        return match.group(1) if match else ""

    @property
    def bare_title(self) -> str:
        """The title without its number, as a running header prints it."""
        return HEADING_NUMBER.sub("", self.title, count=1).strip()


@dataclass(frozen=True)
class Paragraph:
    """Running text; may contain footnote calls `[^n]`."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bullet list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Epigraph:
    """A quotation set in a box."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table; the first row is the header."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Numbered:
    """A recommendation (`kind` « rec ») or a guiding principle (`kind` « principe »)."""

    kind: str
    number: int
    text: str


@dataclass(frozen=True)
class Marker:
    """A structural directive: zone start, page break, sommaire, two-column start/end."""

    name: str


Block = Heading | Paragraph | Bullets | Epigraph | Table | Numbered | Marker


@dataclass
class Source:
    """A whole parsed sample report."""

    cover: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    def numbered(self, kind: str) -> list[Numbered]:
        """The recommendations (« rec ») or principles (« principe »), in source order."""
        return [b for b in self.blocks if isinstance(b, Numbered) and b.kind == kind]


def parse_file(path: Path) -> Source:
    """Parse the source file at `path`."""
    return parse_text(path.read_text(encoding="utf-8"), path.name)


def parse_text(text: str, name: str = "source") -> Source:
    """Parse source markup; raise SourceError (French message, with line number) if invalid."""
    parser = _Parser(name)
    lines = text.splitlines()
    for lineno, raw in enumerate(lines, start=1):
        parser.feed(lineno, raw.strip())
    parser.flush()
    if parser.columns_open:
        raise SourceError(f"{name}, ligne {len(lines)} : bloc @columns sans @endcolumns")
    _check_notes(parser.source, name)
    return parser.source


class _Parser:
    """Line-by-line reader: accumulates the lines of the block being read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.source = Source()
        self.pending: list[str] = []
        # "", "cover", "para", "bullets", "quote", "table", "rec" or "principe"
        self.kind = ""
        self.number = 0
        self.columns_open = False

    def fail(self, lineno: int, message: str) -> None:
        """Stop with a message that points at the faulty line."""
        raise SourceError(f"{self.name}, ligne {lineno} : {message}")

    def flush(self) -> None:
        """Close the block being read."""
        if self.kind and self.kind != "cover":
            self.source.blocks.append(_block(self.kind, self.pending, self.number))
        self.pending, self.kind = [], ""

    def feed(self, lineno: int, line: str) -> None:
        """Read one stripped line."""
        if not line:
            self.flush()
        elif self.kind == "cover":
            self.cover_field(lineno, line)
        elif self.kind in ("rec", "principe"):
            self.pending.append(line)  # a numbered block runs to the next blank line
        elif line.startswith("@"):
            self.flush()
            self.directive(lineno, line)
        elif definition := NOTE_DEFINITION.match(line):
            self.flush()
            self.note(lineno, *definition.groups())
        elif heading := HEADING.match(line):
            self.flush()
            self.source.blocks.append(Heading(len(heading.group(1)), heading.group(2)))
        elif numbered := NUMBERED_BLOCK.match(line):
            self.flush()
            self.kind, self.number = numbered.group(1), int(numbered.group(2))
        else:
            kind = _line_kind(line)
            if self.kind and kind != self.kind:
                self.flush()
            self.kind = kind
            self.pending.append(line)

    def cover_field(self, lineno: int, line: str) -> None:
        """A `key: value` line of the @cover block."""
        key, sep, value = line.partition(":")
        if not sep or key.strip() not in COVER_KEYS:
            self.fail(lineno, f"champ de couverture inconnu ou sans « : » : {line!r}")
        self.source.cover[key.strip()] = value.strip()

    def directive(self, lineno: int, line: str) -> None:
        """An `@directive` line."""
        directive = line[1:].split()[0] if len(line) > 1 else ""
        if directive == "cover":
            self.kind = "cover"
        elif directive in ("pagebreak", "sommaire", *ZONES):
            self.source.blocks.append(Marker(directive))
        elif directive in ("columns", "endcolumns"):
            if self.columns_open == (directive == "columns"):
                self.fail(lineno, f"@{directive} inattendu (pas de @columns imbriqués)")
            self.columns_open = directive == "columns"
            self.source.blocks.append(Marker(directive))
        else:
            self.fail(lineno, f"directive inconnue : {line!r}")

    def note(self, lineno: int, key: str, text: str) -> None:
        """A `[^key]: text` footnote definition."""
        if key in self.source.notes:
            self.fail(lineno, f"la note [^{key}] est définie deux fois")
        self.source.notes[key] = text


def _line_kind(line: str) -> str:
    """Which block a content line belongs to, from its first characters."""
    if line.startswith("- "):
        return "bullets"
    if line.startswith(">"):
        return "quote"
    if line.startswith("|"):
        return "table"
    return "para"


def _block(kind: str, lines: list[str], number: int) -> Block:
    """Build the block of `kind` from its source lines."""
    if kind == "bullets":
        return Bullets(tuple(line[2:].strip() for line in lines))
    if kind == "quote":
        return Epigraph(" ".join(line.lstrip(">").strip() for line in lines))
    if kind == "table":
        rows = [line.strip("|").split("|") for line in lines]
        # Markdown-style separator rows (|---|---|) carry no content.
        rows = [r for r in rows if not all(set(c.strip()) <= set("-: ") for c in r)]
        return Table(tuple(tuple(c.strip() for c in row) for row in rows))
    if kind in ("rec", "principe"):
        return Numbered(kind, number, " ".join(lines))
    return Paragraph(" ".join(lines))


def _check_notes(source: Source, name: str) -> None:
    """Every footnote call has a definition and every definition is called."""
    called = {key for text in texts_of(source) for key in NOTE_CALL.findall(text)}
    missing = sorted(called - source.notes.keys())
    unused = sorted(source.notes.keys() - called)
    if missing:
        raise SourceError(f"{name} : notes appelées mais non définies : {', '.join(missing)}")
    if unused:
        raise SourceError(f"{name} : notes définies mais jamais appelées : {', '.join(unused)}")


def texts_of(source: Source) -> list[str]:
    """Every piece of running text of the source, in order (where footnote calls may sit)."""
    texts: list[str] = []
    for block in source.blocks:
        if isinstance(block, Paragraph | Epigraph | Numbered):
            texts.append(block.text)
        elif isinstance(block, Bullets):
            texts.extend(block.items)
        elif isinstance(block, Table):
            texts.extend(cell for row in block.rows for cell in row)
        elif isinstance(block, Heading):
            texts.append(block.title)
    return texts


def calls_of(source: Source) -> list[tuple[str, str]]:
    """(key, the words before it, calls removed) of every footnote call, in source order."""
    calls = []
    for text in texts_of(source):
        for match in NOTE_CALL.finditer(text):
            calls.append((match.group(1), " ".join(plain(text[: match.start()]).split()[-3:])))
    return calls


def plain(text: str) -> str:
    """Source text as a reader sees it once the footnote calls are removed."""
    return " ".join(NOTE_CALL.sub("", text).split())
