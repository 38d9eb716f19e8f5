"""Debian's headless Chromium as the browser tests, bench/bench_render.py and
scripts/screenshots.py launch it: one definition for all three."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def launch(playwright):
    """A headless Chromium browser (playwright's sync API) with the project's flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
