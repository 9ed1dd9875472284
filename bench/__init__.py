"""Benchmarks of Territoires KB: `python -m bench` prints every table (see docs/benchmarks.md)."""
