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


# Only a layer's __main__ reads the environment, exits or sets process-wide state.
# Calls that change the whole process: thread pools, logging, locale, working directory…
PROCESS_STATE = {"omp_set_num_threads", "set_num_threads", "basicConfig", "setlocale", "chdir",
                 "umask", "set_start_method", "setrecursionlimit", "putenv", "unsetenv"}


def library_modules() -> list[Path]:
    """Every module of ingest/ index/ search/ web/ but their __main__.py."""
    return [module for package in sorted(ALLOWED)
            for module in sorted((ROOT / package).rglob("*.py")) if module.name != "__main__.py"]


def process_effects(tree: ast.AST) -> list[str]:
    """What a module does that only a __main__ may: read or set the environment, exit, change
    process-wide state (each with its line)."""
    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in {("os", "environ"), ("os", "getenv")}:
                what = "reads or sets os.environ"
            elif pair in {("sys", "exit"), ("os", "_exit")}:
                what = f"calls {node.value.id}.{node.attr}"
        if isinstance(node, ast.Attribute) and node.attr in PROCESS_STATE:
            what = f"changes process-wide state ({node.attr})"
        elif isinstance(node, ast.Name) and node.id == "SystemExit":
            what = "raises SystemExit"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in {"exit", "quit"}):
            what = f"calls {node.func.id}()"
        elif isinstance(node, ast.ImportFrom) and node.module in {"os", "sys"}:
            names = {alias.name for alias in node.names}
            if names & {"environ", "getenv", "putenv", "exit", "_exit"}:
                what = f"imports {sorted(names)} from {node.module}"
        if what:
            found.append(f"line {node.lineno}: {what}")
    return found


@pytest.mark.parametrize("module", library_modules(),
                         ids=lambda module: module.relative_to(ROOT).as_posix())
def test_library_code_leaves_the_process_to_its_main(module: Path) -> None:
    effects = process_effects(ast.parse(module.read_text(encoding="utf-8")))
    assert not effects, f"{module.relative_to(ROOT)}: {effects}"


@pytest.mark.parametrize("source", [
    "import os\nos.environ.get('KB_INDEX')", "import os\nos.getenv('X')",
    "import os\nos.environ['HF_HUB_OFFLINE'] = '1'", "from os import environ",
    "import sys\nsys.exit(1)", "raise SystemExit('non')", "exit(2)",
    "import faiss\nfaiss.omp_set_num_threads(1)",
])
def test_each_process_effect_is_caught(source: str) -> None:
    assert process_effects(ast.parse(source))
