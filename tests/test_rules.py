"""Rules a code review broke on purpose while every test stayed green; each test here fails when
its rule is broken: duplicate recommendation numbers, the count-mismatch warning, numbered
references inside the kind/report filters, an explicit report filter winning over the question,
and the order of fsyncs and renames that makes a build power-cut safe."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import small_records

from index.settings import SAMPLE_DIR
from index.store import BUILDS_DIR, CURRENT, write_build
from ingest.manifest import read_manifest
from ingest.parse import parse_report
from ingest.recommendations import LabelMatcher, count_warning, find_recommendations
from ingest.reflow import Block, DocumentText
from search import Searcher

PATTERN = r"Recommandation n° (\d+)\s*:?"


def document(*paragraphs: str) -> DocumentText:
    """A document made of these paragraphs, one block each."""
    text, blocks = "", []
    for paragraph in paragraphs:
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{paragraph}" if text else paragraph
        blocks.append(Block(start, len(text), 10.0, False, False, 1, 1))
    return DocumentText(text=text, pages=[], blocks=blocks, body_size=10.0)


def found(doc: DocumentText, skip: frozenset[int] = frozenset()):
    recommendations, warnings = find_recommendations(doc, LabelMatcher([PATTERN]), set(skip))
    return [(r.number, r.label, doc.text[r.start:r.end], r.blocks)
            for r in recommendations], warnings


def test_a_number_found_twice_keeps_its_first_text_and_warns() -> None:
    doc = document("Recommandation n° 3 : ouvrir les données.",
                   "Recommandation n° 4 : former les élus.",
                   "Recommandation n° 3 : une reprise dans la synthèse.",
                   "Recommandation n° 5 : évaluer chaque année.")
    recommendations, warnings = found(doc)
    assert recommendations == [(3, "Recommandation n° 3", "ouvrir les données.", (0,)),
                               (4, "Recommandation n° 4", "former les élus.", (1,)),
                               (5, "Recommandation n° 5", "évaluer chaque année.", (3,))]
    assert warnings == ["Recommandation n° 3 apparaît plusieurs fois ; la première occurrence "
                        "est gardée."]


def test_a_label_alone_takes_the_next_block_unless_it_is_a_label_or_skipped() -> None:
    doc = document("Recommandation n° 7", "Mutualiser l'ingénierie.", "Recommandation n° 8",
                   "Recommandation n° 9 : publier.", "Recommandation n° 10", "Titre sauté")
    recommendations, warnings = found(doc, frozenset({5}))
    assert recommendations == [(7, "Recommandation n° 7", "Mutualiser l'ingénierie.", (0, 1)),
                               (9, "Recommandation n° 9", "publier.", (3,))]
    assert warnings == []


def test_a_label_alone_in_the_last_block_keeps_an_empty_text() -> None:
    doc = document("Recommandation n° 1 : ouvrir.", "Recommandation n° 2")
    assert found(doc)[0][1] == (2, "Recommandation n° 2", "", (1,))


def test_a_label_inside_running_text_or_skipped_is_no_recommendation() -> None:
    doc = document("Comme le dit la Recommandation n° 2 : rien.", "Recommandation n° 5 : titre")
    assert found(doc, frozenset({1})) == ([], [])


@pytest.mark.parametrize(("found_count", "expected", "warning"), [
    (25, 25, None),
    (25, None, None),
    (24, 25, "24 « Proposition n° » trouvées sur 25 attendues."),
    (3, 2, "3 « recommandations » trouvées sur 2 attendues."),
])
def test_count_warning(found_count: int, expected: int | None, warning: str | None) -> None:
    label = "Proposition n°" if expected == 25 else " "
    assert count_warning(found_count, expected, label) == warning


def test_a_report_with_fewer_recommendations_than_expected_warns_at_ingest() -> None:
    report = next(r for r in read_manifest(SAMPLE_DIR / "reports.toml") if r.year == 2017)
    parsed = parse_report(SAMPLE_DIR / report.file, replace(report, expected_recommendations=26))
    assert len(parsed.recommendations) == 25
    assert "25 « Proposition n° » trouvées sur 26 attendues." in parsed.warnings
    exact = parse_report(SAMPLE_DIR / report.file, report)
    assert not any("attendues" in warning for warning in exact.warnings)


def test_a_numbered_reference_stays_inside_the_kind_filter(small_searcher: Searcher) -> None:
    results = small_searcher.search("recommandation n° 12", kind="passage").results
    assert results and all(r.chunk.kind == "passage" for r in results)


def test_a_numbered_reference_stays_inside_the_report_filter(small_searcher: Searcher) -> None:
    results = small_searcher.search("recommandation n° 12", reports=["essai-2017"]).results
    assert results[0].chunk.id == "essai-2017-r12"
    assert all(r.report.id == "essai-2017" for r in results)


def test_an_explicit_report_filter_wins_over_the_report_named_in_the_question(
        small_searcher: Searcher) -> None:
    response = small_searcher.search("recommandation n° 12 du rapport 2021",
                                     reports=["essai-2017"])
    assert response.results[0].chunk.id == "essai-2017-r12"
    assert {r.report.id for r in response.results} == {"essai-2017"}
    named = small_searcher.search("recommandation n° 12 du rapport 2021")
    assert named.results[0].chunk.id == "essai-2021-r12"


def test_vector_ids_are_pinned_across_versions() -> None:
    from index.store import vector_id

    # A changed id function would make every stored build's vectors unreadable for reuse.
    assert vector_id("essai-2021-r12") == 2323653286030091622
    assert vector_id("exemple-2017-p3-0123456789") == 7472448990333537034


def test_every_file_is_on_disk_before_the_rename_and_the_rename_before_current(
        tmp_path: Path, small_searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    def rename(source, destination) -> None:
        events.append(("replace", f"{source} -> {destination}"))
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", rename)
    reader = small_searcher.loaded.reader
    reports, chunks = small_records()
    final = write_build(tmp_path, reader.manifest["encoder"], reports, chunks,
                        reader.chunk_vectors([chunk.id for chunk in chunks]))
    monkeypatch.undo()
    renames = [i for i, (kind, _) in enumerate(events) if kind == "replace"]
    assert len(renames) == 2
    build_rename, current_swap = renames
    temporary = events[build_rename][1].split(" -> ")[0]
    assert events[build_rename][1] == f"{temporary} -> {final}"
    assert events[current_swap][1].endswith(f" -> {tmp_path / CURRENT}")
    # Every file and folder of the build, fsynced under its temporary name before the rename.
    written = {str(path).replace(str(final), temporary) for path in [final, *final.rglob("*")]}
    before = {path for kind, path in events[:build_rename] if kind == "fsync"}
    assert written <= before and len(written) > 6
    # Then the builds folder (the rename), the swap of `current`, and the index folder (the swap).
    assert events[build_rename + 1] == ("fsync", str(tmp_path / BUILDS_DIR))
    assert events[current_swap + 1:] == [("fsync", str(tmp_path))]
