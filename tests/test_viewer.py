"""The in-app PDF reader in a real browser: pdf.js draws the cited page, the passage highlighted."""

from __future__ import annotations

import re
import unicodedata

import pytest
from test_playwright import ARTIFACTS, AXE_JS, browser, record_problems, require  # noqa: F401 (fixture)

from web.views.viewer import PDFJS_VERSION

pytestmark = pytest.mark.browser

SIZES = {"bureau": (1366, 900), "telephone": (390, 844)}
TWO_PAGES = "exemple-2017-r6"
# How many letters of the passage start the highlight must reproduce.
START_CHARS = 40


def fold(text: str) -> str:
    """Letters and digits only, lower case, without accents: text as the reader sees it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c))
                  .lower())


@pytest.fixture()
def reader(browser, live_server: str):  # noqa: F811 (the imported fixture)
    """A desktop-sized page that records CSP violations and script errors."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900})
    yield record_problems(context.new_page())
    context.close()


def open_reader(page, url: str) -> None:
    """Open `url` and wait until the viewer has drawn its page(s)."""
    page.goto(url)
    page.wait_for_selector("[data-viewer][data-ready='true']", timeout=30_000)


def highlighted(page, number: int) -> str:
    """The highlighted text on PDF page `number`."""
    return "".join(page.locator(
        f".pdf-page[data-page-number='{number}'] .textLayer .highlight").all_inner_texts())


def cited_chunks(searcher, live_server: str) -> list:
    """Twelve excerpts to open: search results, a two-page one, roman-numbered front pages."""
    import json
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"q": "participation des habitants aux projets", "k": 8})
    with urllib.request.urlopen(f"{live_server}/api/search?{query}") as response:
        ids = [r["id"] for r in json.load(response)["results"]]
    chunks = [searcher.library.chunk(i) for i in ids]
    everything = searcher.loaded.reader.chunks()
    chunks.append(searcher.library.chunk(TWO_PAGES))
    chunks.append(next(c for c in everything if c.page != c.page_end and c.report_id
                       == "exemple-2018" and c.kind == "recommendation"))
    chunks += [c for c in everything if re.fullmatch(r"[ivx]+", c.page_label)][1:3]
    return list({c.id: c for c in chunks}.values())


def test_the_highlight_starts_with_the_passage_on_its_cited_page(reader, searcher, live_server):
    chunks = cited_chunks(searcher, live_server)
    assert len(chunks) >= 10
    assert any(c.page != c.page_end for c in chunks)
    assert any(re.fullmatch(r"[ivx]+", c.page_label) for c in chunks)
    for chunk in chunks:
        open_reader(reader, f"/lire/{chunk.report_id}?page={chunk.page}&passage={chunk.id}")
        first = reader.locator(".textLayer .highlight").first
        page_of_first = first.evaluate("m => m.closest('.pdf-page').dataset.pageNumber")
        assert page_of_first == str(chunk.page), chunk.id
        assert fold(highlighted(reader, chunk.page)).startswith(fold(chunk.text)[:START_CHARS]), (
            chunk.id, highlighted(reader, chunk.page)[:120], chunk.text[:120])
        status = reader.locator("[data-viewer-status]").inner_text()
        assert f"Page imprimée {chunk.page_label} — page {chunk.page} du fichier PDF" in status
        if chunk.page_end != chunk.page:
            rest = fold(highlighted(reader, chunk.page_end))
            assert len(rest) > 20 and rest[:30] in fold(chunk.text), chunk.id
    assert not reader.problems, reader.problems


def test_the_page_is_drawn_by_pdfjs_under_the_strict_csp(reader, live_server) -> None:
    response = reader.request.get(f"{live_server}/lire/exemple-2017?passage={TWO_PAGES}")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "worker-src 'self'" in csp and "unsafe" not in csp
    open_reader(reader, f"/lire/exemple-2017?passage={TWO_PAGES}")
    inked = reader.locator(".pdf-page canvas").first.evaluate(
        """canvas => {
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) { if (data[i] < 128) { dark += 1; } }
            return dark;
        }""")
    assert inked > 1000  # text drawn, not a blank canvas
    assert reader.locator(".pdf-page").count() == 2  # both pages of the passage
    assert not reader.problems, reader.problems
    served = reader.request.get(f"{live_server}/static/pdfjs/pdf.min.mjs")
    assert served.headers["content-type"].startswith("text/javascript")
    assert f'"{PDFJS_VERSION}"' in served.text()


def test_the_keyboard_turns_pages_and_the_url_follows(reader) -> None:
    open_reader(reader, "/lire/exemple-2021?page=10")
    pages = reader.get_by_role("region", name="Pages du PDF")
    pages.focus()
    reader.keyboard.press("ArrowRight")
    reader.locator("[data-viewer][data-current='11']").wait_for()
    assert reader.evaluate("document.activeElement.dataset.viewerPages") == ""
    assert "page=11" in reader.url
    assert "page 11 du fichier PDF" in reader.locator("[data-viewer-status]").inner_text()
    reader.keyboard.press("PageUp")
    reader.locator("[data-viewer][data-current='10']").wait_for()
    reader.get_by_role("button", name="Page suivante").click()
    reader.locator("[data-viewer][data-current='11']").wait_for()
    reader.get_by_label("Page du fichier PDF").fill("1")
    reader.get_by_label("Page du fichier PDF").press("Enter")
    reader.locator("[data-viewer][data-current='1']").wait_for()
    assert reader.get_by_role("button", name="Page précédente").is_disabled()


def test_without_javascript_the_plain_pdf_link_still_works(browser, live_server) -> None:  # noqa: F811
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/lire/exemple-2017?passage={TWO_PAGES}")
        link = page.get_by_role("link", name=re.compile("Ouvrir le PDF seul"))
        assert link.get_attribute("href") == "/pdf/exemple-2017#page=12"
        assert page.locator("[data-viewer-pages]").is_hidden()
        assert page.request.get(f"{live_server}/pdf/exemple-2017").body().startswith(b"%PDF")
    finally:
        context.close()


def test_a_result_card_opens_the_reader_at_its_passage(reader) -> None:
    reader.goto(f"/passages/{TWO_PAGES}")
    card = reader.locator(f"#r-{TWO_PAGES}")
    card.get_by_role("link", name=re.compile("Lire le passage")).click()
    reader.wait_for_selector("[data-viewer][data-ready='true']")
    assert reader.url.endswith(f"/lire/exemple-2017?page=12&passage={TWO_PAGES}")
    assert reader.locator(".textLayer .highlight").count() > 0


def test_the_citation_copies_as_bibtex(browser, live_server) -> None:  # noqa: F811
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    try:
        page = context.new_page()
        open_reader(page, f"/lire/exemple-2017?passage={TWO_PAGES}")
        page.get_by_text("BibTeX", exact=True).click()  # opens its <details>
        page.get_by_role("button", name="Copier au format BibTeX").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f"@techreport{{{TWO_PAGES},") and "pages = {8--9}" in copied
    finally:
        context.close()


PAGES = {
    "lecteur": f"/lire/exemple-2017?page=12&passage={TWO_PAGES}",
    "lecteur-romain": "/lire/exemple-2017?page=3&passage=exemple-2017-p3-bfd2524ab9",
    "dossier": "/export?ids=exemple-2021-r1,exemple-2017-r6,exemple-2018-r4"
               "&question=Quel+élu+référent+%3F&question=Données&question=Quel+élu+référent+%3F"
               "&note=À+citer+en+premier&note=&note=",
}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_new_pages_have_no_axe_violation_and_are_shot(browser, live_server, name, size) -> None:  # noqa: F811
    require(AXE_JS.exists(), f"axe-core absent ({AXE_JS})")
    width, height = SIZES[size]
    context = browser.new_context(base_url=live_server, bypass_csp=True,
                                  viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(PAGES[name])
        if name.startswith("lecteur"):
            page.wait_for_selector("[data-viewer][data-ready='true']", timeout=30_000)
            # What the reader sees once at the PDF (a full-page shot would reset its scroll).
            page.locator("[data-viewer-status]").scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"),
                        full_page=not name.startswith("lecteur"))
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document)")
    finally:
        context.close()
    violations = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)
