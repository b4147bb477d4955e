"""Browser tests: Debian's Chromium driven by Playwright against the app served from a thread.

Never downloads a browser: Chromium comes from the system (`.ci/run` installs it). Where it is
missing the tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.e2e.helpers import AXE, PHONE

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing() -> str | None:
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        return f"Chromium not found at {CHROMIUM}"
    if not AXE.exists():
        return f"axe-core not installed ({AXE}): run make setup"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of phone-sized pages (each its own cookies), in a language."""
    contexts, blocked = [], []

    def make(lang: str = "zh_Hans", axe: bool = False):
        """`axe=True`: every page of it gets axe-core, for a test that checks every page it opens."""
        # The site's own Content Security Policy stays on: anything it blocks fails the test.
        context = browser.new_context(viewport=PHONE, locale="zh-CN" if lang == "zh_Hans" else "en-US")
        if axe:
            context.add_init_script(path=AXE)
        context.add_cookies([{"name": "pp_lang", "value": lang, "url": live_server}])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.base = live_server
        return page

    yield make
    for context in contexts:
        context.close()
    assert blocked == [], "the Content Security Policy blocked something"
