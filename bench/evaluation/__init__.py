"""Retrieval-quality harness: gold questions, ranking systems, metrics and the fusion grid.

`python -m bench.eval` is its command line (see docs/retrieval.md).
"""
