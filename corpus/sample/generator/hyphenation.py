"""Which words the layout broke across two lines of a paragraph (for the ground truth)."""

from __future__ import annotations

import re

from reportlab.platypus import Paragraph as RLParagraph

from . import source as src

UNLIGATE = str.maketrans({"\ufb01": "fi", "\ufb02": "fl"})
EDGE_PUNCTUATION = "«»“”\"()[],.;:!?…"
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def line_texts(paragraph: RLParagraph) -> list[str]:
    """The text of each line of a laid-out paragraph, ligatures spelled out."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        texts = [" ".join(words) for _, words in lines]
    else:
        texts = ["".join(getattr(frag, "text", "") for frag in line.words) for line in lines]
    return [text.translate(UNLIGATE) for text in texts]


def broken_words(paragraph: RLParagraph) -> list[str]:
    """Whole words split over a line end: « numé- / riques » → « numériques ».

    A compound word broken at its own hyphen (« c'est- / à-dire ») keeps that hyphen.
    """
    if not hasattr(paragraph, "blPara"):
        return []
    block = getattr(paragraph, "block", None)
    source_words = set(src.plain(source_text(block)).split()) if block is not None else set()
    lines = line_texts(paragraph)
    words = []
    for line, following in zip(lines, lines[1:], strict=False):
        head = line.split()[-1] if line.split() else ""
        tail = following.split()[0] if following.split() else ""
        if not head.endswith("-") or head.endswith("--") or not tail:
            continue
        kept = (head + tail).strip(EDGE_PUNCTUATION)
        if any(kept in word for word in source_words):
            words.append(kept)
        else:
            words.append(ELISION.sub("", (head[:-1] + tail).strip(EDGE_PUNCTUATION)))
    return words


def source_text(block: src.Block) -> str:
    """The running text of a block, as written in the source."""
    return " ".join(src.texts_of(src.Source(blocks=[block])))
