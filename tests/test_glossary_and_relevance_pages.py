"""The glossary page and its JSON twin, and what the search page and API say about relevance
and spelling (real app over the sample index)."""

from __future__ import annotations

from search.glossary import load_glossary


def test_glossary_page_and_its_json_twin_show_the_same_entries(client) -> None:
    data = client.get("/api/glossary").json()
    assert data == load_glossary().to_dict()
    rssi = next(entry for entry in data["entries"] if entry["term"] == "RSSI")
    assert "responsable de la sécurité des systèmes d'information" in rssi["synonyms"]
    page = client.get("/glossaire")
    assert page.status_code == 200
    assert "RSSI" in page.text and "/recherche?q=RSSI" in page.text
    assert 'href="/glossaire"' in client.get("/").text


def test_nonsense_says_nothing_answers_and_still_shows_the_closest(client) -> None:
    api = client.get("/api/search", params={"q": "xyzzy qwerty"}).json()
    assert api["relevance"] == "none" and api["results"]
    page = client.get("/recherche", params={"q": "xyzzy qwerty"}).text
    assert "Aucun passage ne répond clairement à la question" in page
    assert 'class="card' in page or "result" in page
    good = client.get("/recherche", params={"q": "Combien de stations d'épuration ont été "
                                                  "équipées de sondes dans les Hautes-Combes ?"})
    assert "Aucun passage ne répond clairement" not in good.text


def test_did_you_mean_links_to_the_corrected_question(client) -> None:
    api = client.get("/api/search", params={"q": "mutualisaton des colectivités"}).json()
    assert api["suggestion"] == "mutualisation des collectivités"
    page = client.get("/recherche", params={"q": "mutualisaton des colectivités"}).text
    assert "Vouliez-vous dire" in page
    assert "/recherche?q=mutualisation%20des%20collectivit%C3%A9s" in page
    assert client.get("/api/search", params={"q": "mutualisation"}).json()["suggestion"] is None
