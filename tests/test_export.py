"""The brief exports: grouped by question, notes, date, sample banner, links from KB_BASE_URL."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient

from web.app import create_app

BASE = "https://kb.exemple.fr/territoires"
FIRST, SECOND, THIRD = "exemple-2021-r1", "exemple-2017-r6", "exemple-2018-r4"
# Three excerpts picked under two questions: the third belongs with the first.
BRIEF = [
    ("ids", f"{FIRST},{SECOND},{THIRD}"),
    ("question", "Quel élu référent ?"),
    ("question", "Données d'intérêt territorial"),
    ("question", "Quel élu référent ?"),
    ("note", "À citer en premier"),
    ("note", ""),
    ("note", "Vérifier le montant"),
]


@pytest.fixture(scope="module")
def based_client(sample_index):
    """The app over the sample index with a configured public base URL."""
    with TestClient(create_app(sample_index, base_url=BASE)) as test_client:
        yield test_client


def get(client: TestClient, path: str, params=BRIEF, **headers: str):
    """GET `path` with the brief's query string; asserts 200."""
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


def test_markdown_groups_items_under_the_question_each_was_picked_under(based_client) -> None:
    text = get(based_client, "/export.md").text
    headings = re.findall(r"^(##+) (.+)$", text, re.MULTILINE)
    assert [h for level, h in headings if level == "##"] == [
        "Question : Quel élu référent ?", "Question : Données d'intérêt territorial"]
    first, second = text.split("\n## ")[1:]
    assert f"/recommandations/{FIRST}" in first and f"/recommandations/{THIRD}" in first
    assert f"/recommandations/{SECOND}" in second and f"/recommandations/{SECOND}" not in first
    assert "### 1. Recommandation n° 1 — " in first and "### 2. Proposition 4 — " in first
    assert "### 3. Proposition n° 6 — De la smart city au territoire" in second


def test_markdown_carries_references_notes_date_and_sample_banner(based_client, searcher) -> None:
    text = get(based_client, "/export.md").text
    assert f"Exporté le {dt.date.today().isoformat()}" in text
    assert "> **Corpus d'exemple" in text
    assert "- Note : À citer en premier" in text and "- Note : Vérifier le montant" in text
    assert text.count("- Note :") == 2
    chunk = searcher.library.chunk(SECOND)
    assert "Territoires KB \\(texte d'exemple\\), *De la smart city" in text
    assert f"proposition n° 6, pp. {chunk.page_label}–{chunk.page_label_end}." in text
    assert f"les place en pages {chunk.page} à {chunk.page_end}" in text
    assert "PDF à la page" not in text


def test_links_come_from_the_base_url_never_from_the_host_header(based_client, client) -> None:
    for path in ("/export.md", "/export", "/export.bib", "/export.ris"):
        text = get(based_client, path, Host="evil.example").text
        assert "evil.example" not in text
        assert f"{BASE}/recommandations/{FIRST}" in text
    docx = Document(io.BytesIO(get(based_client, "/export.docx", Host="evil.example").content))
    links = {rel.target_ref for rel in docx.part.rels.values() if rel.is_external}
    assert f"{BASE}/recommandations/{FIRST}" in links
    assert not any("evil.example" in link for link in links)
    default = get(client, "/export.md", Host="evil.example").text
    assert "evil.example" not in default
    assert "<http://127.0.0.1:8000/lire/exemple-2021?page=" in default


def test_question_and_note_line_breaks_cannot_forge_markdown_structure(based_client) -> None:
    params = [("ids", FIRST), ("question", "Q\n# Titre forgé\r\n- [x](javascript:alert(1))"),
              ("note", "note\n## Faux\u2028\x1b[2J")]
    text = get(based_client, "/export.md", params).text
    assert not re.search(r"^#+ (Titre forgé|Faux)", text, re.MULTILINE)
    assert "](javascript:" not in text and "\x1b" not in text and "\u2028" not in text
    assert "Question : Q \\# Titre forgé - \\[x\\]\\(javascript:alert\\(1\\)\\)" in text


def test_the_first_panel_links_with_a_single_q_still_work(based_client) -> None:
    text = get(based_client, "/export.md", [("ids", f"{FIRST},{SECOND}"), ("q", "élu")]).text
    assert text.count("## Question : élu") == 1 and text.count("\n### ") == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("ids", f"{FIRST},{SECOND}"), ("question", "une seule")], "une question par extrait"),
        ([("ids", FIRST), ("note", "a"), ("note", "b")], "une note par extrait"),
        ([("ids", FIRST), ("note", "x" * 501)], "500 caractères"),
        ([("ids", ",,")], "entre 1 et 100 extraits"),
    ],
)
def test_a_malformed_brief_is_a_clear_422(based_client, params, message: str) -> None:
    response = based_client.get("/export.md", params=params)
    assert response.status_code == 422
    assert message in response.text


def test_docx_reads_back_with_questions_notes_references_and_links(based_client) -> None:
    response = get(based_client, "/export.docx")
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="dossier-territoires-kb.docx"' in response.headers["content-disposition"]
    doc = Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == ["Question : Quel élu référent ?",
                        "Question : Données d'intérêt territorial"]
    texts = [text for _, text in paragraphs]
    assert f"Exporté le {dt.date.today().isoformat()} depuis Territoires KB." in texts
    assert "Note : À citer en premier" in texts
    assert any(text.startswith("Corpus d'exemple") for text in texts)
    assert any("proposition n° 6, pp. " in text for text in texts)
    assert any(style == "Quote" and text.startswith("Désigner, dans chaque collectivité")
               for style, text in paragraphs)
    links = {rel.target_ref for rel in doc.part.rels.values() if rel.is_external}
    assert f"{BASE}/recommandations/{SECOND}" in links
    assert any(link.startswith(f"{BASE}/lire/exemple-2017?page=") for link in links)
    assert doc.core_properties.language == "fr"


def test_docx_in_english_says_question_and_reference_in_english(based_client) -> None:
    response = get(based_client, "/export.docx", [*BRIEF, ("lang", "en")])
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "Question: Quel élu référent ?" in texts
    assert any(text.startswith("Reference: ") for text in texts)
    assert not any(" : " in text for text in texts if text.startswith(("Note", "Pages")))


def test_bibtex_and_ris_hold_one_entry_per_selected_excerpt(based_client) -> None:
    bib = get(based_client, "/export.bib").text
    assert re.findall(r"^@techreport\{([\w-]+),$", bib, re.MULTILINE) == [FIRST, THIRD, SECOND]
    ris_text = get(based_client, "/export.ris").text
    assert ris_text.count("TY  - RPRT") == 3 and ris_text.count("ER  - ") == 3
    assert f"UR  - {BASE}/recommandations/{SECOND}" in ris_text


def test_printable_export_groups_by_question_and_offers_every_format(based_client) -> None:
    text = get(based_client, "/export").text
    assert re.findall(r'<h2 id="question-\d+" class="brief-question">([^<]+)</h2>', text) == [
        "Question : Quel élu référent ?", "Question : Données d&#39;intérêt territorial"]
    assert text.count('<article class="export-item">') == 3
    assert 'class="export-note">Vérifier le montant' in text
    for fmt in ("docx", "md", "bib", "ris"):
        assert f'href="/export.{fmt}?ids=' in text


def test_the_base_url_setting_refuses_a_query_or_another_scheme() -> None:
    from web.__main__ import parse_args

    assert parse_args(["--base-url", "https://kb.exemple.fr/"]).base_url == "https://kb.exemple.fr"
    for wrong in ("ftp://kb.exemple.fr", "https://kb.exemple.fr/?x=1", "kb.exemple.fr"):
        with pytest.raises(SystemExit) as exit_info:
            parse_args(["--base-url", wrong])
        assert exit_info.value.code == 2
