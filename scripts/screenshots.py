#!/usr/bin/env python3
"""Take the README's screenshots of the gallery: docs/screenshots/*.png.

Opens each page of the committed gallery from file:// in headless Chromium (Debian's
/usr/bin/chromium, driven by playwright) at 1280×720 with every other request refused, waits
until the page has drawn, its fonts are in and two more frames have passed, and writes the PNG
atomically.  It stops with an error, writing nothing more, if a page asks for anything outside
its own file or logs an error.

    ftzgraph render --gallery visualizations/      # first, if the data or the views changed
    python scripts/screenshots.py                  # writes docs/screenshots/*.png
    python scripts/screenshots.py --out /tmp/shots # elsewhere
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser as chromium  # noqa: E402  (tests/browser.py: how every tool launches Chromium)
from ftzgraph import output  # noqa: E402  (after the path, so the script runs from a checkout)

SIZE = {"width": 1280, "height": 720}
# screenshot, gallery page
SHOTS = (
    ("overview.png", "overview.html"),
    ("shanghai.png", "zone-shanghai.html"),
    ("cptpp.png", "agreement-cptpp.html"),
    ("map.png", "map.html"),
    ("timeline.png", "timeline.html"),
    ("trace.png", "trace-cptpp-14.17.html"),
)
SETTLED = """async () => {
    await document.fonts.ready;
    for (let i = 0; i < 2; i++) await new Promise(done => requestAnimationFrame(() => done()));
}"""


def screenshot(browser, page_file: Path) -> bytes:
    """The page as a presenter first sees it, as PNG bytes."""
    own = page_file.resolve().as_uri()
    refused: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport=SIZE)

    def route(request_route):
        if request_route.request.url.split("?")[0].split("#")[0] == own:
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(own)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        page.evaluate(SETTLED)
        png = page.screenshot()
    finally:
        page.close()
    if refused or errors:
        sys.exit(f"{page_file.name}: requests {refused}, errors {errors}")
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gallery", type=Path, default=ROOT / "visualizations", help="The gallery folder to photograph.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="Where the PNGs go.")
    args = parser.parse_args()
    missing = [page for _png, page in SHOTS if not (args.gallery / page).is_file()]
    if missing:
        sys.exit(f"not in {args.gallery}: {', '.join(missing)} (run `ftzgraph render --gallery {args.gallery}`)")
    if not chromium.CHROMIUM.exists():
        sys.exit(f"{chromium.CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = chromium.launch(p)
        try:
            for png, page_file in SHOTS:
                output.write(args.out / png, screenshot(browser, args.gallery / page_file))
                print(args.out / png, flush=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
