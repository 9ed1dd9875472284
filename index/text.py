"""Text from PDFs, file names and users made safe to store, print and export.

Decisions: C0 and C1 control characters (tab and newline aside), DEL and the bidirectional
embedding/override/isolate controls carry no text; in a terminal an ESC starts an ANSI sequence,
and a right-to-left override makes a file name or a title read backwards. `drop_controls`
removes them from running text (page text keeps its line breaks); `single_line` also turns every
line break (CR, LF, VT, FF, NEL, U+2028/2029) and tab into a space, for the one-line fields —
titles, file names, a question, a summary line — where a break would forge a heading or a line.
"""

from __future__ import annotations

import re

# C0 without tab and newline, DEL, C1; LRM/RLM, LRE…RLO (U+202A–202E), LRI…PDI (U+2066–2069).
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")


def drop_controls(text: str) -> str:
    """`text` without control characters; its tabs and newlines kept."""
    return _CONTROLS.sub("", text)


def single_line(text: str) -> str:
    """`text` on one line: breaks and tabs become one space, control characters go, the ends
    are stripped."""
    return _SPACES.sub(" ", drop_controls(_BREAKS.sub(" ", text))).strip()
