"""Page figures of /recommandations quoted in docs/recommendations.md: height and width.

Run against a live server (`python -m web`), with Debian's Chromium:

    .venv/bin/python tests/recommendation_figures.py --url http://127.0.0.1:8000

Prints, for 1366×900 and 390×844, the recommendations listed, `document.scrollHeight` with
every <details> closed (and in screen heights), `scrollWidth` against the window's width, and
the widest <select>. Works on older versions of the page too (one card per recommendation).
"""

from __future__ import annotations

import argparse
import sys

from playwright.sync_api import sync_playwright

SIZES = [(1366, 900), (390, 844)]
ITEMS = "li.recs-item, article.card"
MEASURE = """(items) => {
  document.querySelectorAll('details').forEach(d => { d.open = false; });
  const root = document.documentElement;
  const selects = [...document.querySelectorAll('select')].map(s => s.offsetWidth);
  return {items: document.querySelectorAll(items).length, height: root.scrollHeight,
          width: root.scrollWidth, window: window.innerWidth, select: Math.max(0, ...selects)};
}"""


def main(argv: list[str]) -> None:
    """Print the figures of the server at --url."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for width, height in SIZES:
            page = browser.new_page(base_url=args.url, viewport={"width": width, "height": height})
            page.goto("/recommandations")
            found = page.evaluate(MEASURE, ITEMS)
            print(f"{width}×{height} : {found['items']} recommandations, "
                  f"{found['height']} px de haut ({found['height'] / height:.1f} écrans), "
                  f"{found['width']} px de large pour {found['window']}, "
                  f"<select> le plus large : {found['select']} px")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
