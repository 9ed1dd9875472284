"""Find the numbered recommendations of a report with the label patterns of its manifest entry.

Decisions: a pattern (a regular expression from `Report.patterns`, group 1 = the number) is
matched at the start of a block only, case-sensitively, so cross-references written inside running
text (« voir la proposition n° 5 ») and guiding principles (« Principe n° 2 ») never count. The
label is the matched text up to the number (« Recommandation n° 12 »); the text is the rest of the
block after the separator (« : », « – »), or, when the label stands alone on its line, the next
block. A block that runs on across a page break keeps its whole text. A number found twice keeps
its first occurrence and yields a warning, as does a count that differs from
`expected_recommendations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.reflow import DocumentText

_SEPARATOR = re.compile(r"^[\s:–—.-]*")


@dataclass
class Recommendation:
    """One numbered recommendation: its number, printed label and text span in the document."""

    number: int
    label: str
    start: int
    end: int
    blocks: tuple[int, ...]


class LabelMatcher:
    """The compiled recommendation patterns of one report."""

    def __init__(self, patterns: tuple[str, ...] | list[str]) -> None:
        self.patterns = [re.compile(pattern) for pattern in patterns]

    def match(self, text: str) -> re.Match[str] | None:
        """The first pattern matching at the start of `text`, if any."""
        for pattern in self.patterns:
            found = pattern.match(text)
            if found:
                return found
        return None

    def is_label(self, text: str) -> bool:
        """Whether a block opens with a recommendation label."""
        return self.match(text) is not None


def find_recommendations(
    doc: DocumentText, matcher: LabelMatcher, skip: set[int]
) -> tuple[list[Recommendation], list[str]]:
    """The recommendations in reading order, and warnings about duplicates."""
    found: dict[int, Recommendation] = {}
    warnings: list[str] = []
    for i, block in enumerate(doc.blocks):
        if i in skip:
            continue
        text = doc.block_text(block)
        match = matcher.match(text)
        if match is None:
            continue
        number = int(match.group(1))
        label = " ".join(text[: match.end(1)].split())
        rest = match.end() + _SEPARATOR.match(text[match.end() :]).end()
        start, end, blocks = block.start + rest, block.end, (i,)
        if rest >= len(text) and i + 1 < len(doc.blocks):
            following = doc.blocks[i + 1]
            if matcher.is_label(doc.block_text(following)) or i + 1 in skip:
                continue
            start, end, blocks = following.start, following.end, (i, i + 1)
        if number in found:
            warnings.append(f"{label} apparaît plusieurs fois ; la première occurrence est gardée.")
            continue
        found[number] = Recommendation(number, label, start, end, blocks)
    return list(found.values()), warnings


def count_warning(found: int, expected: int | None, label: str) -> str | None:
    """A warning when the number of recommendations found differs from the manifest's."""
    if expected is None or found == expected:
        return None
    name = label.strip() or "recommandations"
    return f"{found} « {name} » trouvées sur {expected} attendues."
