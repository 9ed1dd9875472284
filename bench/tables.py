"""Plain-text tables: every bench prints its figures through `print_table`."""

from __future__ import annotations

from collections.abc import Sequence


def render_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A titled table with left-aligned first column and right-aligned figures."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        first, *rest = values
        return "  ".join([first.ljust(widths[0]),
                          *(value.rjust(width) for value, width in zip(rest, widths[1:],
                                                                       strict=True))])

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([f"\n## {title}", line([str(h) for h in headers]), rule,
                      *(line(row) for row in cells)])


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a table (flushed, so progress shows while the next bench runs)."""
    print(render_table(title, headers, rows), flush=True)
