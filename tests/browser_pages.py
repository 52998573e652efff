"""Pages opened in the real headless Chromium, cut off from the network, and what a reader would see of them."""
import contextlib
from pathlib import Path

import pytest

from graders.assignment import KIT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = KIT_ROOT / "artifacts"  # screenshots, kept for people to look at after a run
READABILITY = """() => {
  const page = document.documentElement;
  const described = (e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.scrollWidth)}>${e.clientWidth}`;
  const all = [...document.querySelectorAll("body *")];
  return {
    width: page.scrollWidth, viewport: page.clientWidth,
    cut: all.filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(described).slice(0, 10),
    beyond: all.filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > innerWidth + 1)
               .map(described).slice(0, 10),
    math: [...document.querySelectorAll("mjx-container svg")].filter(svg => svg.getBoundingClientRect().width > 0).length,
    raw_tex: document.body.innerText.includes("\\\\langle t"),
  };
}"""


@contextlib.contextmanager
def offline_browser(profile, width):
    """(a Chromium context whose window is `width` px wide, the list of URLs it tried to fetch off the machine:
    every such request is refused). Skips the test when there is no Chromium."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install it with: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": 900})
        try:
            external = []
            browser.route(lambda url: not url.startswith(("file:", "data:")),
                          lambda route: (external.append(route.request.url), route.abort()))
            yield browser, external
        finally:
            browser.close()


def readability(page):
    """What a reader of a loaded page sees, once MathJax has typeset it: {width, viewport, cut (elements whose
    content is wider than their box), beyond (elements past the window's right edge), math (typeset formulas
    shown), raw_tex (TeX source left in the text)}."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate(READABILITY)


def screenshot(page, name):
    """Keep a full-page screenshot in artifacts/ (a test artifact, for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
