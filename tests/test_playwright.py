"""Real-browser tests: Debian's Chromium driven by Playwright against `python -m web`."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from test_html import ENGLISH_PAGES, corpus_words, french_only_fragments

from index.settings import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_QUESTION = "Quel élu référent avec une délégation à la donnée et au numérique"
DEMO_ID = "exemple-2021-r1"


def require(condition: bool, reason: str) -> None:
    """Skip with a visible reason, or fail under CI where the tool must be there."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (obligatoire en CI : lancez tests/setup_browser.sh)")
    pytest.skip(f"{reason} — lancez `bash tests/setup_browser.sh` en root pour l'installer")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Debian Chromium."""
    require(CHROMIUM.exists(), "Chromium absent (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, live_server: str) -> Iterator:
    """A fresh page (own storage) with accept-downloads, at laptop size (1366×900)."""
    context = browser.new_context(
        base_url=live_server,
        accept_downloads=True,
        viewport={"width": 1366, "height": 900},
        locale="fr-FR",
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    yield context.new_page()
    context.close()


def record_problems(page):
    """`page`, recording Content-Security-Policy violations and script errors in `page.problems`."""
    page.problems = []
    page.on("console",
            lambda m: "Content Security Policy" in m.text and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def shoot(page, name: str) -> None:
    """Save a full-page screenshot under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


SIZES = {"1366x900": (1366, 900), "390x844": (390, 844)}
# Elements sticking out on the right (the phone's nav bar scrolls on its own: left out).
WIDER_THAN_THE_SCREEN = """Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                 && !e.closest('.site-nav'))
    .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def axe_violations(browser, live_server: str, url: str, name: str,
                   size: tuple[int, int] = (1366, 900)) -> list[str]:
    """axe-core's violations of any impact on `url` at `size` (CSP bypassed only to inject
    axe), after ticking up to two results so that the brief panel lists them.

    The page is also saved as a screenshot named `name`; nothing may overflow sideways.
    """
    require(AXE_JS.exists(), f"axe-core absent ({AXE_JS})")
    width, height = size
    context = browser.new_context(base_url=live_server, bypass_csp=True,
                                  viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(url)
        boxes = page.locator("[data-select]")
        for i in range(min(boxes.count(), 2)):
            boxes.nth(i).check()
        shoot(page, name)
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document)")
    finally:
        context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def search(page, question: str) -> None:
    """Type a question in the home page box and submit it with the keyboard."""
    page.goto("/")
    page.get_by_label("Votre question").fill(question)
    page.get_by_label("Votre question").press("Enter")
    page.wait_for_selector("article.card")


def add_box(page, name: str):
    """The « Ajouter « name » au dossier » box of a result."""
    return page.get_by_role("checkbox", name=f"Ajouter « {name} » au dossier")


def focused(page) -> dict:
    """Tag, accessible-ish name and id of the focused element."""
    return page.evaluate(
        "({tag: document.activeElement.tagName, id: document.activeElement.id, "
        "name: document.activeElement.getAttribute('aria-label') "
        "|| document.activeElement.textContent.trim()})"
    )


def test_demo_question_first_card_cites_the_recommendation(page) -> None:
    search(page, DEMO_QUESTION)
    first = page.locator("article.card").first
    assert first.get_attribute("id") == f"r-{DEMO_ID}"
    citation = first.locator(".citation-text").inner_text()
    assert re.fullmatch(r".+, 2021, recommandation n° 1, p\. \S+\.", citation), citation
    assert page.locator(".sample-banner").is_visible()
    shoot(page, "recherche")
    first.get_by_role("button", name=re.compile("^Copier la citation de « ")).click()
    assert page.evaluate("navigator.clipboard.readText()") == citation
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "recherche-telephone")


def test_a_result_opens_in_the_reader_whose_plain_pdf_link_serves_the_pdf(page) -> None:
    search(page, DEMO_QUESTION)
    name = "Lire le passage surligné dans le PDF : « Recommandation n° 1 (2021) »"
    page.locator("article.card").first.get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(rf"/lire/exemple-2021\?page=\d+&passage={DEMO_ID}"))
    href = page.get_by_role("link", name=re.compile("^Ouvrir le PDF seul")).get_attribute("href")
    assert re.fullmatch(r"/pdf/exemple-2021#page=\d+", href)
    response = page.request.get(href.split("#")[0])
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_changing_a_filter_reruns_the_search(page) -> None:
    search(page, "comité d'éthique")
    page.get_by_text("Filtres", exact=True).click()
    page.get_by_role("checkbox", name=re.compile(r"^2021 — ")).check()
    page.wait_for_url(re.compile(r"report=exemple-2021"))
    assert page.get_by_role("checkbox", name=re.compile(r"^2021 — ")).is_checked()
    assert focused(page)["tag"] == "INPUT"  # focus stays on the filter just changed
    page.get_by_role("checkbox", name=re.compile(r"^2018 — ")).check()
    page.wait_for_url(re.compile(r"report=exemple-2018"))
    page.get_by_role("radio", name=re.compile(r"^Recommandations")).check()
    page.wait_for_url(re.compile(r"kind=recommendation"))
    cards = page.locator("article.card")
    years = set()
    for i in range(cards.count()):
        assert "card-recommendation" in cards.nth(i).get_attribute("class")
        years.add(cards.nth(i).locator(".card-year").inner_text())
    assert years == {"2018", "2021"}
    shoot(page, "recherche-filtres")


def test_a_report_named_in_the_question_is_a_removable_chip(page) -> None:
    search(page, "recommandation n° 12 de 2021")
    chips = page.locator(".chips li").all_inner_texts()
    assert any(chip.startswith("Rapport 2021") for chip in chips), chips
    assert any(chip.startswith("Recommandation n° 12") for chip in chips), chips
    years = {y.strip() for y in page.locator("article.card .card-year").all_inner_texts()}
    assert years == {"2021"}
    page.get_by_role("link", name="Retirer « Rapport 2021 »").click()
    page.wait_for_selector("article.card")
    years = {y.strip() for y in page.locator("article.card .card-year").all_inner_texts()}
    assert len(years) > 1
    assert not any(c.startswith("Rapport") for c in page.locator(".chips li").all_inner_texts())


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_first_result_is_above_the_fold_and_focus_moves_to_the_results(
    page, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    search(page, DEMO_QUESTION)
    assert focused(page)["id"] == "resultats"
    box = page.locator("article.card").first.bounding_box()
    assert box["y"] + 40 < height, f"first result at y = {box['y']}"
    shoot(page, f"recherche-{width}x{height}")
    page.get_by_text("Filtres", exact=True).click()
    shoot(page, f"recherche-filtres-ouverts-{width}x{height}")


def test_more_results_continue_where_the_list_stopped(page) -> None:
    search(page, DEMO_QUESTION)
    assert page.locator("article.card").count() == 10
    page.get_by_role("link", name="Plus de résultats").click()
    page.wait_for_url(re.compile(r"k=20#suite"))
    assert page.locator("article.card").count() == 20
    eleventh = page.locator("article.card").nth(10)
    assert page.locator("#suite + article.card").get_attribute("id") == eleventh.get_attribute("id")
    assert -1 < eleventh.bounding_box()["y"] < 900 / 2  # scrolled to where the list stopped


def test_filters_narrow_the_results(page) -> None:
    page.goto("/recherche?q=comité+d'éthique&report=exemple-2021&kind=recommendation")
    cards = page.locator("article.card")
    assert cards.count() > 0
    for i in range(cards.count()):
        assert "card-recommendation" in cards.nth(i).get_attribute("class")
        assert "2021" in cards.nth(i).locator(".card-year").inner_text()
    shoot(page, "recherche-filtres")


def test_compare_shows_three_editions(page) -> None:
    page.goto("/comparer")
    page.get_by_label("Thème ou question").fill("participation des habitants")
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_selector(".columns")
    headings = page.locator(".column h2").all_inner_texts()
    assert [h.split()[0] for h in headings] == ["2017", "2018", "2021"]
    shoot(page, "comparer")


def test_the_brief_lists_orders_and_annotates_items_under_their_questions(page) -> None:
    search(page, DEMO_QUESTION)
    add_box(page, "Recommandation n° 1 (2021)").check()
    expect(page.locator("[data-status]")).to_have_text(
        "« Recommandation n° 1 (2021) » ajouté au dossier (1 extrait(s)).")
    search(page, "comité d'éthique")
    second = page.locator("article.card").first.locator("[data-select]").get_attribute("data-name")
    add_box(page, second).check()
    panel = page.locator("#dossier")
    items = panel.locator(".brief-item")
    assert items.count() == 2
    assert DEMO_QUESTION in items.nth(0).inner_text()
    assert "comité d'éthique" in items.nth(1).inner_text()
    panel.get_by_label(f"Note sur « {second} »").fill("À citer en conclusion")
    panel.get_by_role("button", name=f"Monter « {second} »").click()
    page.reload()  # the brief lives in localStorage, not in the page
    names = panel.locator(".brief-item-name").all_inner_texts()
    assert names == [second, "Recommandation n° 1 (2021)"]
    assert panel.get_by_label(f"Note sur « {second} »").input_value() == "À citer en conclusion"
    href = panel.get_by_role("link", name="Version imprimable").get_attribute("href")
    params = parse_qs(urlsplit(href).query)
    first_id = page.locator("article.card").first.get_attribute("id")[2:]
    assert params["ids"] == [f"{first_id},{DEMO_ID}"]
    params = parse_qs(urlsplit(href).query, keep_blank_values=True)
    assert params["question"] == ["comité d'éthique", DEMO_QUESTION]
    assert params["note"] == ["À citer en conclusion", ""]
    shoot(page, "dossier-panneau")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "dossier-panneau-telephone")
    panel.get_by_role("button", name=f"Retirer « {second} » du dossier").click()
    assert items.count() == 1 and not add_box(page, second).is_checked()


def test_select_two_results_and_export_the_brief(page, tmp_path: Path) -> None:
    search(page, DEMO_QUESTION)
    boxes = page.get_by_role("checkbox", name=re.compile("^Ajouter « .+ » au dossier$"))
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.locator("[data-brief-count]").inner_text() == "2"
    page.reload()  # the selection lives in localStorage, not in the page
    assert page.locator("[data-brief-count]").inner_text() == "2"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown (.md)").click()
    saved = tmp_path / "dossier.md"
    download_info.value.save_as(saved)
    markdown = saved.read_text(encoding="utf-8")
    assert markdown.count("/passages/") + markdown.count("/recommandations/") == 2
    assert f"/recommandations/{DEMO_ID}" in markdown
    assert "2021, recommandation n° 1, p. " in markdown
    assert "élu référent" in markdown
    page.get_by_role("link", name="Version imprimable").click()
    page.wait_for_selector("article.export-item")
    assert page.locator("article.export-item").count() == 2
    shoot(page, "export")


def test_the_printed_brief_carries_the_banner_once_the_date_references_and_notes(
    page, tmp_path: Path
) -> None:
    page.goto(f"/export?ids={DEMO_ID},exemple-2017-r6&question=Quel+élu+%3F&question=Données"
              "&note=À+citer+en+premier&note=")
    page.emulate_media(media="print")
    banner = page.locator(".sample-banner")
    assert banner.count() == 1 and banner.is_visible()
    assert page.locator(".brief-formats").is_hidden() and page.locator(".site-nav").is_hidden()
    saved = tmp_path / "dossier.pdf"
    page.pdf(path=str(saved))  # what the reader's printer gets
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    printed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # ﬁ → fi
    assert printed.count("Corpus d'exemple : les textes interrogés ici sont fictifs") == 1
    assert f"Exporté le {dt.date.today().isoformat()}" in printed
    assert "Question : Quel élu ? " in printed and "Question : Données " in printed
    assert "commanditaire : " in printed and ", 2021, recommandation n° 1, p. " in printed
    assert ", 2017, proposition n° 6, pp. " in printed and "À citer en premier" in printed
    assert "Version imprimable" not in printed and "Markdown" not in printed
    shoot(page, "export-impression")


def test_the_brief_panel_downloads_the_references_as_bibtex_and_ris(page, tmp_path) -> None:
    search(page, DEMO_QUESTION)
    boxes = page.locator("[data-select]")
    picked = [boxes.nth(i).get_attribute("data-select") for i in (1, 0)]
    boxes.nth(1).check()
    boxes.nth(0).check()
    texts = {}
    for name, ext in (("BibTeX", "bib"), ("RIS", "ris")):
        with page.expect_download() as download_info:
            page.locator("#dossier").get_by_role("link", name=re.compile(name)).click()
        assert download_info.value.suggested_filename == f"references-territoires-kb.{ext}"
        download_info.value.save_as(tmp_path / ext)
        texts[ext] = (tmp_path / ext).read_text(encoding="utf-8")
    assert re.findall(r"^@techreport\{([\w-]+),$", texts["bib"], re.MULTILINE) == picked
    assert re.findall(r"^ID  - (\S+)", texts["ris"], re.MULTILINE) == picked
    assert "note = {Recommandation n° 1; p. " in texts["bib"]


def test_switch_to_english_and_back(page) -> None:
    page.goto("/rapports")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "The reports"
    page.goto("/")  # the cookie keeps English
    assert page.get_by_role("heading", level=1).inner_text() == "Search the reports"
    shoot(page, "accueil-anglais")
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"


# Pages, not downloads (the exports in English: test_reading.py).
BROWSER_ENGLISH_PAGES = [url for url in ENGLISH_PAGES if not url.startswith("/export.")] + [
    "/glossaire", "/recommandations/themes/donnees-ouverture",
    "/lire/exemple-2017?page=12&passage=exemple-2017-r6"]
SHOWN_TEXT = """[document.body.innerText, document.title,
    ...Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]'))
       .map(e => [e.getAttribute('aria-label'), e.title, e.placeholder].join(' '))].join(' ')"""


def test_every_page_once_scripted_is_english_in_english_mode(browser, live_server, searcher):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    french = french_only_fragments()
    corpus = corpus_words(searcher)
    try:
        page = context.new_page()
        for url in BROWSER_ENGLISH_PAGES:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == "en", url
            boxes = page.locator("[data-select]")
            for i in range(min(boxes.count(), 2)):  # the brief panel and its announcements
                boxes.nth(i).check()
            if page.locator("[data-viewer]").count():
                page.wait_for_selector("[data-viewer][data-ready='true']", timeout=30_000)
            shown = re.sub(r"\s+", " ", page.evaluate(SHOWN_TEXT))
            left = sorted(piece for piece in french if piece in shown and piece not in corpus)
            assert not left, f"French left on {url} in English: {left}"
        shoot(page, "anglais-theme")
    finally:
        context.close()


def test_keyboard_only_journey_from_search_to_export(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link → main
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q"
    page.keyboard.type(DEMO_QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_selector("article.card")
    assert focused(page)["id"] == "resultats"
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page)["name"] == "Ajouter « Recommandation n° 1 (2021) » au dossier":
            break
    else:
        pytest.fail("the first result's box is not reachable by Tab")
    page.keyboard.press("Space")
    expect(page.locator("[data-status]")).to_contain_text("ajouté au dossier")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Voir le dossier, où est « Recommandation n° 1 (2021) »"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "dossier-titre"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Version imprimable"
    page.keyboard.press("Enter")
    page.wait_for_selector("article.export-item")
    assert page.locator("article.export-item").count() == 1


def test_keyboard_reaches_the_skip_link_first(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


CONTROL_ROLES = {"link", "button", "checkbox", "radio", "textbox", "searchbox", "combobox",
                 "spinbutton"}
NAMED_PAGES = [
    f"/recherche?q={DEMO_QUESTION}",
    "/recherche?q=données+ouvertes&k=30",
    f"/passages/{DEMO_ID}",
    "/comparer?q=données+ouvertes",
    "/lire/exemple-2017?page=12&passage=exemple-2017-r6",
    f"/export?ids={DEMO_ID},exemple-2017-r6",
    "/recommandations?report=exemple-2018",
    "/glossaire",
    "/rapports",
    "/docs",
]


@pytest.mark.parametrize("url", NAMED_PAGES)
def test_every_control_has_its_own_accessible_name(page, url: str) -> None:
    page.goto(url)
    boxes = page.locator("[data-select]")
    for i in range(min(boxes.count(), 3)):  # ticked: their « Voir le dossier » links show
        boxes.nth(i).check()
    # Chromium's own accessibility tree: the names a screen reader announces.
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    controls = [(node["role"]["value"], node.get("name", {}).get("value", ""))
                for node in nodes if not node.get("ignored")
                and node.get("role", {}).get("value") in CONTROL_ROLES]
    assert len(controls) > 5
    assert all(name.strip() for _, name in controls), controls
    repeated = sorted({control for control in controls if controls.count(control) > 1})
    assert not repeated, repeated
    promising_a_tab = page.evaluate("""Array.from(document.links).filter(a => a.target !== '_blank'
        && /↗|nouvel onglet|new tab/i.test(a.textContent + (a.getAttribute('aria-label') || '')))
        .map(a => a.textContent)""")
    assert not promising_a_tab  # a link that stays in the tab says nothing of a new one


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("accueil", "/"),
        ("resultats", f"/recherche?q={DEMO_QUESTION}"),
        ("recommandations", "/recommandations?report=exemple-2018"),
        ("recommandation", f"/recommandations/{DEMO_ID}"),
        ("comparaison", "/comparer?q=données+ouvertes"),
        ("rapports", "/rapports"),
        ("passage", f"/passages/{DEMO_ID}"),
        ("export-imprimable", f"/export?ids={DEMO_ID},exemple-2018-r1&q=élu"),
        ("glossaire", "/glossaire"),
        ("theme", "/recommandations/themes/donnees-ouverture"),
        ("api", "/docs"),
        ("introuvable", "/passages/inconnu"),
        ("anglais", f"/recherche?q={DEMO_QUESTION}&lang=en"),
    ],
)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_no_accessibility_violation(browser, live_server: str, name: str, url: str, size: str):
    # The reader (/lire) is checked once drawn, in test_viewer.py.
    violations = axe_violations(browser, live_server, url, f"page-{name}-{size}", SIZES[size])
    assert not violations, "\n".join(violations)

