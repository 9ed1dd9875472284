"""Roman numerals, as printed on the front matter of the reports (i, ii, … xii).

Shared by the reader (`ingest.clean`, which continues a page numbering) and the sample corpus's
generator (`corpus/sample/generator/truth.py`, which prints it).
"""

from __future__ import annotations

# A numeral in one case (the reports print « iv » or « IV », never « iV »).
ROMAN_PATTERN = r"[ivxlcdm]+|[IVXLCDM]+"
_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_LETTERS = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(number: int) -> str:
    """Lower-case roman numeral of a positive integer."""
    out = []
    for value, letters in _LETTERS:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def roman_value(text: str) -> int:
    """The value of a roman numeral, in either case."""
    values = [_VALUES[c] for c in text.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
