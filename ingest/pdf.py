"""Read a PDF page by page into lines that carry their font size, weight and position.

Decisions:
- Text comes from pypdf's plain extraction with a `visitor_text` callback, not from its layout
  mode. Measured on a two-column page: layout mode prints the left and right columns side by side
  on the same text line (they interleave), whereas plain mode follows the content stream, which
  draws one column after the other.
- Each line keeps the size of the font that carries most of its characters (scaled by the text
  and transformation matrices), whether that font is bold, and its baseline height: headings are
  recognised by size/weight, paragraphs by vertical gaps, footnotes by their small size.
- A digit-only fragment glued to the text before it and set in a smaller font (at most 85 % of
  its line's size: reportlab's and Word's superscripts are 58 to 80 %) is a footnote call
  (« territoires³ », « en 2013³ »): it is dropped here, so that words and numbers are never
  glued to call numbers.
- The printed page label comes from the PDF's /PageLabels when present; otherwise it is left
  empty here and read from the printed header/footer by `ingest.clean`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

# A superscript call is set at most this fraction of its line's size.
_SUPERSCRIPT_RATIO = 0.85


class PdfError(Exception):
    """A PDF that cannot be read; the message says why and what to do, in French."""


@dataclass
class Line:
    """One text line of a page, with the typography that tells its role."""

    text: str
    size: float
    bold: bool
    y: float
    x: float


@dataclass
class Page:
    """One physical page: 1-based index, printed label (« » when the PDF has none), its lines."""

    index: int
    label: str
    lines: list[Line]


@dataclass
class Document:
    """The extracted text of a PDF and its metadata."""

    pages: list[Page]
    title: str = ""
    creation_year: int | None = None
    has_page_labels: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fragment:
    text: str
    size: float
    bold: bool
    x: float
    y: float


def _fragment_size(font_size: float, cm: list[float], tm: list[float]) -> float:
    """The rendered font size: nominal size scaled by the text and page matrices."""
    scale_tm = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 or 1.0
    scale_cm = (cm[2] ** 2 + cm[3] ** 2) ** 0.5 or 1.0
    return round(font_size * scale_tm * scale_cm, 1)


def _collect_fragments(page: pypdf.PageObject) -> list[_Fragment]:
    """The text fragments of a page in content-stream order, with size, weight and position."""
    fragments: list[_Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text:
            return
        name = str(font.get("/BaseFont", "")) if font else ""
        fragments.append(
            _Fragment(
                text=text,
                size=_fragment_size(size, cm, tm),
                bold="bold" in name.lower() or "black" in name.lower(),
                x=tm[4] * cm[0] + cm[4],
                y=tm[5] * cm[3] + cm[5],
            )
        )

    page.extract_text(visitor_text=visit)
    return fragments


def _is_call(before: _Fragment, piece: _Fragment, line_size: float) -> bool:
    """Whether a fragment is a superscript footnote call: digits in a smaller font, glued to the
    text before them."""
    return (
        piece.text.isdigit()
        and piece.size <= line_size * _SUPERSCRIPT_RATIO
        and not before.text[-1:].isspace()
    )


def _line_from_pieces(pieces: list[_Fragment]) -> Line | None:
    """Assemble the fragments of one line, dropping superscript footnote calls."""
    weights: Counter[tuple[float, bool]] = Counter()
    for piece in pieces:
        weights[(piece.size, piece.bold)] += len(piece.text.strip())
    if not weights or weights.most_common(1)[0][1] == 0:
        return None
    size, bold = weights.most_common(1)[0][0]
    kept = pieces[:1] + [
        piece for before, piece in pairwise(pieces) if not _is_call(before, piece, size)
    ]
    text = "".join(p.text for p in kept).strip()
    if not text:
        return None
    first = next(p for p in pieces if p.text.strip())
    return Line(text=text, size=size, bold=bold, y=round(first.y, 1), x=round(first.x, 1))


def _lines_of(fragments: list[_Fragment]) -> list[Line]:
    """Split the fragment stream on newlines into lines."""
    lines: list[Line] = []
    pieces: list[_Fragment] = []
    for fragment in fragments:
        parts = fragment.text.split("\n")
        for i, part in enumerate(parts):
            if part:
                pieces.append(_Fragment(part, fragment.size, fragment.bold, fragment.x, fragment.y))
            if i < len(parts) - 1:
                line = _line_from_pieces(pieces)
                if line:
                    lines.append(line)
                pieces = []
    line = _line_from_pieces(pieces)
    if line:
        lines.append(line)
    return lines


def _open_reader(path: Path) -> pypdf.PdfReader:
    """Open a PDF, decrypting it with the empty password when that is enough."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(
                "fichier protégé par un mot de passe : enregistrez-en une copie sans protection "
                "puis relancez l'ingestion."
            )
        reader.pages  # noqa: B018 - forces the page tree to load, where damage shows up
    except PdfError:
        raise
    except FileNotDecryptedError as exc:
        raise PdfError(
            "fichier protégé par un mot de passe : enregistrez-en une copie sans protection "
            "puis relancez l'ingestion."
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfError(
            f"fichier illisible ou endommagé ({exc}) : vérifiez qu'il s'agit bien d'un PDF "
            "complet, ou téléchargez-le à nouveau."
        ) from exc
    return reader


def _year_of(date: object) -> int | None:
    """The year of a PDF date field, if it holds a plausible one."""
    match = re.search(r"(19|20)\d\d", str(date or ""))
    return int(match.group(0)) if match else None


def read_pdf(path: Path) -> Document:
    """Extract every page of a PDF into lines; raise PdfError with a French reason."""
    reader = _open_reader(path)
    try:
        count = len(reader.pages)
        if count == 0:
            raise PdfError("le PDF ne contient aucune page.")
        has_labels = "/PageLabels" in reader.trailer["/Root"]
        labels = reader.page_labels if has_labels else []
        pages = []
        for i, pdf_page in enumerate(reader.pages):
            lines = _lines_of(_collect_fragments(pdf_page))
            pages.append(Page(index=i + 1, label=labels[i] if has_labels else "", lines=lines))
        info = reader.metadata or {}
    except PdfError:
        raise
    except LimitReachedError as exc:
        raise PdfError(
            f"le PDF dépasse une limite de sécurité ({exc}) : fichier refusé (flux qui se "
            "décompresse démesurément, référence en boucle ou document anormal)."
        ) from exc
    except Exception as exc:  # pypdf raises many types on damaged streams; all mean the same here
        raise PdfError(
            f"contenu du PDF endommagé ({type(exc).__name__}: {exc}) : téléchargez-le à nouveau "
            "ou réenregistrez-le depuis un lecteur PDF."
        ) from exc
    if not any(page.lines for page in pages):
        raise PdfError(
            "aucune couche texte : passez-le d'abord à l'OCR, par exemple `ocrmypdf`."
        )
    metadata = {str(k).lstrip("/"): str(v) for k, v in info.items()}
    return Document(
        pages=pages,
        title=metadata.get("Title", "").strip(),
        creation_year=_year_of(metadata.get("CreationDate")),
        has_page_labels=has_labels,
        metadata=metadata,
    )
