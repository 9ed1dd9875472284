"""UI figures quoted in the README: fold position, Tab stops to the export, axe violations.

Run against a live server (`python -m web`), with Debian's Chromium and axe-core in var/axe:

    .venv/bin/python tests/ui_figures.py --url http://127.0.0.1:8000

Prints, for 1366×900 and 390×844, the y of the first result card on the demo question; the
number of Tab presses from the first result's « Ajouter au dossier » box (once ticked) to the
« Version imprimable » link; and axe-core's violations of every impact on each page.
"""

from __future__ import annotations

import argparse
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
    "/comparer?q=données+ouvertes",
    "/rapports",
    "/passages/exemple-2021-r1",
    "/export?ids=exemple-2021-r1,exemple-2018-r1&q=élu",
    "/docs",
    "/passages/inconnu",
]
MAX_TABS = 300


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


def tabs_to_export(browser, url: str) -> int:
    """Tab presses from the first result's ticked brief box to « Version imprimable »."""
    context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"/recherche?q={QUESTION}")
    box = page.locator("article.card [data-select]").first
    box.focus()
    page.keyboard.press("Space")
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.textContent.trim()")
        if name.startswith("Version imprimable"):
            context.close()
            return presses
    context.close()
    return -1


def axe_violations(browser, url: str, path: str) -> list[str]:
    """axe-core violations of any impact on `path` (CSP bypassed only to inject axe)."""
    context = browser.new_context(base_url=url, bypass_csp=True)
    page = context.new_page()
    page.goto(path)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    context.close()
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nœud(s))" for v in result["violations"]]


def main(argv: list[str]) -> None:
    """Print the figures for the server at --url."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for width, height in SIZES:
            print(f"premier résultat à {width}×{height} : y = "
                  f"{first_card_y(browser, args.url, width, height):.0f}")
        tabs = tabs_to_export(browser, args.url)
        print(f"Tab du premier résultat à « Version imprimable » : {tabs}")
        for path in PAGES:
            found = axe_violations(browser, args.url, path)
            print(f"axe {path} : {', '.join(found) or 'aucune violation'}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
