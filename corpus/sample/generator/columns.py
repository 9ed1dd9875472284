"""Balance a short two-column block so that both columns of its page carry text."""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import FrameBreak

SLACK = 40  # points kept free in the first column: the estimate ignores notes and splits


def stacked_heights(flowables: list[Flowable], width: float) -> list[float]:
    """Height of the column after each flowable, stacked at `width` (spaces included)."""
    total, heights = 0.0, []
    for flowable in flowables:
        _, height = flowable.wrap(width, 1e6)
        total += flowable.getSpaceBefore() + height + flowable.getSpaceAfter()
        heights.append(total)
    return heights


def balanced(flowables: list[Flowable], width: float, column_height: float) -> list[Flowable]:
    """The block with a column break after the paragraph closest to half its height.

    A block taller than two columns, or one that cannot be cut between paragraphs so that
    each half fits a column, is left to flow from column to column.
    """
    heights = stacked_heights(flowables, width)
    total = heights[-1] if heights else 0.0
    cuts = [
        index for index, (flowable, height) in enumerate(zip(flowables, heights, strict=True))
        if index < len(flowables) - 1 and not flowable.getKeepWithNext()
        and height <= column_height - SLACK and total - height <= column_height - SLACK
    ]
    if not cuts:
        return flowables
    cut = min(cuts, key=lambda index: abs(heights[index] - total / 2))
    return [*flowables[:cut + 1], FrameBreak(), *flowables[cut + 1:]]
