"""UI figures quoted in docs/reading.md: fold position, keys to the export, axe violations.

Run against a live server (`python -m web`), with Debian's Chromium and axe-core in var/axe:

    .venv/bin/python tests/ui_figures.py --url http://127.0.0.1:8000

Prints, for 1366×900 and 390×844, the y of the first result card on the demo question; the
keys pressed from the first result's « Ajouter au dossier » box (once ticked) to the « Version
imprimable » link, by Tab alone and through the card's « Voir le dossier » link; and, at both
sizes, axe-core's violations of every impact on each page (two results ticked where there are
results, the reader once drawn).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(1366, 900), (390, 844)]
QUESTION = "Quel élu référent avec une délégation à la donnée et au numérique"
PAGES = [
    "/",
    f"/recherche?q={QUESTION}",
    "/recommandations",
    "/recommandations/exemple-2021-r1",
    "/recommandations/themes/donnees-ouverture",
    "/comparer?q=données+ouvertes",
    "/rapports",
    "/glossaire",
    "/passages/exemple-2021-r1",
    "/lire/exemple-2017?page=12&passage=exemple-2017-r6",
    "/export?ids=exemple-2021-r1,exemple-2018-r1&q=élu",
    "/docs",
    "/passages/inconnu",
]
MAX_TABS = 300
PRINTABLE = "Version imprimable"


def first_card_y(browser, url: str, width: int, height: int) -> float:
    """Top of the first result card, in CSS pixels from the top of the page, unscrolled."""
    context = browser.new_context(base_url=url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"/recherche?q={QUESTION}")
    top = page.evaluate(
        "document.querySelector('article.card').getBoundingClientRect().top + window.scrollY"
    )
    context.close()
    return top


def focused_text(page) -> str:
    """The visible text of the focused element."""
    return page.evaluate("document.activeElement.textContent.trim()")


def keys_to_export(browser, url: str, through_brief_link: bool) -> str:
    """Keys from the first result's ticked brief box to « Version imprimable »: Tab alone, or
    Tab to the card's « Voir le dossier » link, Enter, then Tab."""
    context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"/recherche?q={QUESTION}")
    page.locator("article.card [data-select]").first.focus()
    page.keyboard.press("Space")
    tabs = enters = 0
    while tabs < MAX_TABS and not focused_text(page).startswith(PRINTABLE):
        if through_brief_link and focused_text(page) == "Voir le dossier":
            page.keyboard.press("Enter")
            enters += 1
        else:
            page.keyboard.press("Tab")
            tabs += 1
    context.close()
    if tabs == MAX_TABS:
        return "jamais atteint"
    return f"{tabs} Tab" + (f" + {enters} Entrée" if enters else "")


def axe_violations(browser, url: str, path: str, width: int, height: int) -> list[str]:
    """axe-core violations of any impact on `path` (CSP bypassed only to inject axe)."""
    context = browser.new_context(base_url=url, bypass_csp=True,
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(path)
    boxes = page.locator("[data-select]")
    for i in range(min(boxes.count(), 2)):
        boxes.nth(i).check()
    if page.locator("[data-viewer]").count():
        page.wait_for_selector("[data-viewer][data-ready='true']", timeout=30_000)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    context.close()
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nœud(s))" for v in result["violations"]]


def main(argv: list[str]) -> None:
    """Print the figures for the server at --url."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    print(f"mesures du {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC sur {args.url}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for width, height in SIZES:
            print(f"premier résultat à {width}×{height} : y = "
                  f"{first_card_y(browser, args.url, width, height):.0f}")
        print(f"du premier résultat à « {PRINTABLE} », Tab seul : "
              f"{keys_to_export(browser, args.url, through_brief_link=False)}")
        print(f"du premier résultat à « {PRINTABLE} », par « Voir le dossier » : "
              f"{keys_to_export(browser, args.url, through_brief_link=True)}")
        for width, height in SIZES:
            for path in PAGES:
                found = axe_violations(browser, args.url, path, width, height)
                print(f"axe {width}×{height} {path} : {', '.join(found) or 'aucune violation'}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
