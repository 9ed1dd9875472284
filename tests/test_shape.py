"""The shape of the shipped code: no function of ingest/ index/ search/ web/ is ranked above C
by radon's cyclomatic complexity (more than 20 paths: split it)."""

from __future__ import annotations

import pytest
from radon.complexity import cc_rank, cc_visit

from index.settings import ROOT

PACKAGES = ("ingest", "index", "search", "web")
WORST_RANK = "C"


def too_complex(source: str) -> list[str]:
    """`name (rank complexity)` of each function or method of `source` ranked above C."""
    return [f"{block.fullname} ({cc_rank(block.complexity)} {block.complexity})"
            for block in cc_visit(source) if cc_rank(block.complexity) > WORST_RANK]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_ranked_above_c(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules
    found = {str(module.relative_to(ROOT)): too_complex(module.read_text(encoding="utf-8"))
             for module in modules}
    assert not {name: blocks for name, blocks in found.items() if blocks}


def test_a_function_of_twenty_one_paths_is_caught() -> None:
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(20))
    assert too_complex(f"def f(x):\n{branches}    return -1\n") == ["f (D 21)"]
    assert too_complex(f"def f(x):\n{branches[branches.index('    if x == 1:'):]}"
                       "    return -1\n") == []
