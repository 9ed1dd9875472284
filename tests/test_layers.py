"""The one-way data flow: ingest writes into index, search reads index, web reads through search."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from index.settings import ROOT

# What each top-level package may import of the project's other packages.
ALLOWED = {
    "index": set(),
    "ingest": {"index"},
    "search": {"index"},
    "web": {"index", "search"},
}


def project_imports(path: Path) -> set[str]:
    """The project packages a module imports (top-level names only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_upward_imports(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"{package}/ has no module"
    for module in modules:
        forbidden = project_imports(module) - ALLOWED[package] - {package}
        assert not forbidden, f"{module.relative_to(ROOT)} imports {sorted(forbidden)}"


# Not shipped: the evaluation harness and the benchmarks (bench/), the tests and their gold data.
NOT_SHIPPED = {"bench", "tests"}


def names_tests_dir(node: ast.AST) -> bool:
    """A string constant that is a path into tests/ (« tests », « tests/eval/… »)."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and (node.value == "tests" or node.value.startswith("tests/")))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_shipped_code_neither_imports_the_bench_nor_reads_the_tests(package: str) -> None:
    for module in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module}
        name = module.relative_to(ROOT)
        assert not imported & NOT_SHIPPED, f"{name} imports {sorted(imported & NOT_SHIPPED)}"
        assert not any(map(names_tests_dir, ast.walk(tree))), f"{name} names a path in tests/"
