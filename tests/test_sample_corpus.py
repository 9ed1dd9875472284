"""The bundled sample corpus: real PDFs, read by pypdf, match their sources and ground truth."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from index.settings import SAMPLE_DIR

BUILD = SAMPLE_DIR / "build.py"
SOURCE_DIR = SAMPLE_DIR / "source"
REPORTS = tomllib.loads((SAMPLE_DIR / "reports.toml").read_text(encoding="utf-8"))["report"]
REPORT_IDS = [r["id"] for r in REPORTS]
FOOTER = "Corpus d'exemple"
LABEL_WORDS = re.compile(r"^\s*(propositions?|recommandations?|préconisations?|principe)\b", re.I)


def manifest(report_id: str) -> dict[str, Any]:
    """The manifest entry of a sample report."""
    return next(r for r in REPORTS if r["id"] == report_id)


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    """corpus/sample/ground_truth.json, per report id."""
    return json.loads((SAMPLE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="module")
def pages() -> dict[str, list[str]]:
    """pypdf's text of every page of every sample PDF."""
    return {
        r["id"]: [page.extract_text() for page in PdfReader(SAMPLE_DIR / r["file"]).pages]
        for r in REPORTS
    }


def squash(text: str) -> str:
    """Letters and digits only, ligatures spelled out: compares text across line breaks."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def words(text: str, count: int, last: bool = False) -> str:
    """The first (or last) `count` words of `text`."""
    split = text.split()
    return " ".join(split[-count:] if last else split[:count])


def rec_blocks(source: str) -> list[str]:
    """The text of each `!rec N` block of a source (lines up to the next blank line)."""
    return [m.group(1) for m in re.finditer(r"^!rec\s+\d+\s*\n((?:.+\n?)+)", source, re.M)]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pdf_opens_with_ground_truth_page_count_and_metadata(report_id: str, truth) -> None:
    reader = PdfReader(SAMPLE_DIR / manifest(report_id)["file"])
    assert len(reader.pages) == truth[report_id]["pages"]
    assert len(truth[report_id]["page_labels"]) == len(reader.pages)
    assert reader.metadata.title == manifest(report_id)["title"]
    assert reader.metadata.subject == FOOTER
    assert reader.metadata.author


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_pdf_page_labels_equal_ground_truth_where_set(report_id: str, truth) -> None:
    reader = PdfReader(SAMPLE_DIR / manifest(report_id)["file"])
    has_labels = "/PageLabels" in reader.trailer["/Root"]
    assert has_labels == truth[report_id]["pdf_page_labels"]
    if has_labels:
        assert reader.page_labels == truth[report_id]["page_labels"]


def test_exemple_2018_has_no_pdf_page_labels_so_footers_must_be_read(truth) -> None:
    assert truth["exemple-2018"]["pdf_page_labels"] is False
    assert truth["exemple-2017"]["pdf_page_labels"] and truth["exemple-2021"]["pdf_page_labels"]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_printed_numbers_are_roman_then_restart_at_one(report_id: str, truth) -> None:
    labels = truth[report_id]["page_labels"]
    front = truth[report_id]["front_pages"]
    assert labels[0] == "Couverture"
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    assert labels[1:len(front)] == roman[: len(front) - 1]
    assert labels[len(front):] == [str(n) for n in range(1, len(labels) - len(front) + 1)]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_every_page_but_the_cover_has_footer_number_and_running_header(
    report_id: str, truth, pages
) -> None:
    report = truth[report_id]
    for index, text in enumerate(pages[report_id][1:], start=1):
        assert f"{FOOTER} · {report['page_labels'][index]}" in text, f"page {index + 1}"
        assert report["running_headers"][index] in text, f"page {index + 1}"
    assert FOOTER not in pages[report_id][0].replace("CORPUS D'EXEMPLE", "")


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_cover_carries_the_sample_banner(report_id: str, pages) -> None:
    cover = " ".join(pages[report_id][0].split())
    assert "CORPUS D'EXEMPLE — texte fictif écrit pour Territoires KB" in cover
    assert "ce n'est pas le rapport officiel" in cover


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_recommendations_printed_match_manifest_count(report_id: str, truth, pages) -> None:
    expected = manifest(report_id)["expected_recommendations"]
    assert [r["number"] for r in truth[report_id]["recommendations"]] == list(
        range(1, expected + 1))
    pattern = re.compile(manifest(report_id)["patterns"][0])
    found = [int(m.group(1)) for text in pages[report_id] for line in text.splitlines()
             if (m := pattern.match(line.strip()))]
    assert found == list(range(1, expected + 1))


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_recommendation_text_starts_and_ends_on_recorded_pages(
    report_id: str, truth, pages
) -> None:
    recommendations = truth[report_id]["recommendations"]
    for rec in recommendations:
        start = squash(pages[report_id][rec["page"] - 1])
        end = squash(pages[report_id][rec["page_end"] - 1])
        assert squash(words(rec["text"], 5)) in start, rec["number"]
        # Only the last word: the end of a text cut by a page break may be hyphenated too.
        assert squash(words(rec["text"], 1, last=True)) in end, rec["number"]
    assert len([r for r in recommendations if r["page_end"] > r["page"]]) >= 2


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_principles_are_printed_and_never_counted_as_recommendations(
    report_id: str, truth, pages
) -> None:
    source = (SOURCE_DIR / f"{report_id}.txt").read_text(encoding="utf-8")
    principles = truth[report_id]["principles"]
    assert len(principles) == len(re.findall(r"^!principe\s+\d+", source, re.M))
    for principle in principles:
        assert f"Principe n° {principle['number']}" in pages[report_id][principle["page"] - 1]
    rec_texts = {r["text"] for r in truth[report_id]["recommendations"]}
    assert not rec_texts & {p["text"] for p in principles}


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_sources_hold_no_label_text_inside_rec_blocks(report_id: str) -> None:
    source = (SOURCE_DIR / f"{report_id}.txt").read_text(encoding="utf-8")
    blocks = rec_blocks(source)
    assert len(blocks) == manifest(report_id)["expected_recommendations"]
    for text in blocks:
        assert not LABEL_WORDS.match(text), text[:60]
        assert not re.match(r"^\s*(n\s*°\s*)?\d+\s*[–:.-]", text), text[:60]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_headings_and_footnotes_are_on_recorded_pages(report_id: str, truth, pages) -> None:
    report = truth[report_id]
    for section in report["sections"]:
        assert squash(section["title"]) in squash(pages[report_id][section["page_start"] - 1])
        assert section["page_end"] >= section["page_start"]
    notes = report["footnotes"]
    source = (SOURCE_DIR / f"{report_id}.txt").read_text(encoding="utf-8")
    assert len(notes) == len(re.findall(r"^\[\^\w+\]:", source, re.M))
    assert [n["number"] for n in notes] == list(range(1, len(notes) + 1))
    for note in notes:
        page = " ".join(pages[report_id][note["page"] - 1].split())
        assert f"{note['number']} {words(note['text'], 4)}" in page, note["number"]


def opens_page(text: str, title: str, header: str) -> bool:
    """True if `title` is the first thing printed on a page, below its header and footer."""
    lines = text.splitlines()
    if lines and lines[0].strip() == header:  # the header may read like the title (« Sommaire »)
        lines = lines[1:]
    body = [line for line in lines if not line.startswith(f"{FOOTER} · ")]
    return squash(" ".join(body)).startswith(squash(title))


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_sections_end_on_the_last_page_holding_their_content(
    report_id: str, truth, pages
) -> None:
    report = truth[report_id]
    sections = report["sections"]
    for index, section in enumerate(sections):
        closing = next((s for s in sections[index + 1:] if s["level"] <= section["level"]), None)
        if closing is None:
            expected = report["pages"]
        else:
            start = closing["page_start"]
            at_top = opens_page(pages[report_id][start - 1], closing["title"],
                                report["running_headers"][start - 1])
            expected = start - 1 if at_top else start
        assert section["page_end"] == expected, section["title"]
        assert section["label_end"] == report["page_labels"][expected - 1], section["title"]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_layout_quirks_survive_extraction(report_id: str, truth, pages) -> None:
    report = truth[report_id]
    text = "\n".join(pages[report_id])
    lines = [line.rstrip() for line in text.splitlines()]
    assert any(re.search(r"\w-$", line) for line in lines), "aucune césure en fin de ligne"
    assert "\ufb01" in text or "\ufb02" in text, "aucune ligature ﬁ/ﬂ"
    assert f"{FOOTER} · i" in pages[report_id][1]
    assert report["hyphenated_words"]
    assert report["two_column_page"] and report["table_page"]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_hyphenated_words_are_broken_at_a_line_end_in_extraction(
    report_id: str, truth, pages
) -> None:
    text = unicodedata.normalize("NFKC", "\n".join(pages[report_id]))
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    for word in truth[report_id]["hyphenated_words"]:
        broken = [word[:k] + "-\n" + word[k:] for k in range(1, len(word))]
        at_own_hyphen = [word[:k] + "\n" + word[k:] for k in range(1, len(word))
                         if word[k - 1] == "-"]
        assert any(form in text for form in broken + at_own_hyphen), word


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_two_column_page_really_has_two_columns(report_id: str, truth) -> None:
    reader = PdfReader(SAMPLE_DIR / manifest(report_id)["file"])
    page = reader.pages[truth[report_id]["two_column_page"] - 1]
    starts: list[float] = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip():
            starts.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    middle = float(page.mediabox.width) / 2
    assert sum(x < middle - 20 for x in starts) > 10
    assert sum(x > middle + 5 for x in starts) > 10


def test_pdfs_are_up_to_date_with_sources() -> None:
    result = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("year", "printed"),
    [(2017, "Proposition n° 1\n"), (2018, "Proposition 1 – "), (2021, "Recommandation n° 1 : ")],
)
def test_demo_source_is_laid_out_in_each_edition_style(
    year: int, printed: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(BUILD), "--source", str(SOURCE_DIR / "_demo.txt"), "--year",
         str(year), "--output", str(tmp_path)], capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "_demo.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert printed in text
    demo = json.loads((tmp_path / "_demo.ground_truth.json").read_text())["reports"]["_demo"]
    assert len(reader.pages) == demo["pages"]
    assert [p["number"] for p in demo["principles"]] == [1]
    assert [n["number"] for n in demo["footnotes"]] == [1, 2, 3, 4, 5]  # one is in a table
    assert all(r["label"] != "Principe n° 1" for r in demo["recommendations"])


def test_malformed_source_is_refused_with_a_french_message(tmp_path: Path) -> None:
    bad = tmp_path / "mauvais.txt"
    bad.write_text("@cover\ntitre: Essai\n\n@corps\n# 1. Partie\n\nTexte[^9].\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(BUILD), "--source", str(bad), "--output",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "notes appelées mais non définies : 9" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "mauvais.pdf").exists()
