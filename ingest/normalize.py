"""Character-level normalisation of extracted lines: ligatures, quotes, spaces, bullets.

Decisions: French guillemets « » are the one quotation form (“ ” „ become « », and the glyphs
― ‖ that some PDF fonts emit for “ ” are read as « »); typographic apostrophes become ' so that
« l’État » and « l'État » search alike; every no-break/thin space becomes a plain space; soft
hyphens vanish; a bullet glyph at the start of a line becomes « • ».
"""

from __future__ import annotations

import re

_CHARACTERS = str.maketrans(
    {
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬀ": "ff",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "“": "«",
        "”": "»",
        "„": "«",
        "―": "«",
        "‖": "»",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u200b": "",
        "\u00ad": "",
        "\ufeff": "",
        "\t": " ",
    }
)
# Bullet glyphs, including the private-use ones Symbol/Wingdings fonts leave behind.
_BULLET = re.compile(r"^\s*[•◦▪▫●○■□►▸➢➤✓✔\uf0a7\uf0b7\uf0d8\uf0fc\uf076*]\s*")
_DASH_BULLET = re.compile(r"^\s*[-–—]\s+(?=\S)")
_SPACES = re.compile(r" {2,}")
_OPEN_GUILLEMET = re.compile(r"«\s*")
_CLOSE_GUILLEMET = re.compile(r"\s*»")

BULLET = "• "


def normalize_line(text: str) -> str:
    """One extracted line with ligatures, quotes, spaces and bullets in their single form."""
    text = text.translate(_CHARACTERS)
    text = _OPEN_GUILLEMET.sub("« ", text)
    text = _CLOSE_GUILLEMET.sub(" »", text)
    text = _BULLET.sub(BULLET, text)
    text = _DASH_BULLET.sub(BULLET, text)
    return _SPACES.sub(" ", text).strip()


def is_bullet(text: str) -> bool:
    """Whether a normalised line opens a list item."""
    return text.startswith(BULLET)
