"""The browser checks themselves can fail: each is shown a page that breaks its rule."""

from contextlib import suppress

import pytest

from tests.e2e.helpers import accessibility_violations, no_sideways_scroll


@pytest.mark.parametrize("preloaded", [False, True], ids=["injected", "preloaded"])
def test_axe_reports_a_missing_text_alternative(new_page, preloaded):
    """Both ways of giving a page axe-core: injected when checked, or run on every new document."""
    page = new_page("en", axe=preloaded)
    page.goto(page.base + "/")
    assert page.evaluate("typeof axe !== 'undefined'") is preloaded
    assert accessibility_violations(page) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert any(v.startswith("image-alt") for v in accessibility_violations(page))


def test_sideways_scroll_is_caught(new_page):
    page = new_page("en")
    page.goto(page.base + "/")
    assert no_sideways_scroll(page)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<div class=wide></div>')")
    page.evaluate("Object.assign(document.querySelector('.wide').style, {width: '900px', height: '10px'})")
    assert not no_sideways_scroll(page)


def test_the_sites_policy_blocks_an_injected_inline_script(browser, live_server):
    """What the journeys rely on: the CSP is really on (a blocked script would be reported)."""
    context = browser.new_context()
    page = context.new_page()
    reported = []
    page.on("console", lambda m: reported.append(m.text))
    page.goto(live_server + "/")
    with suppress(Exception):  # Playwright may report the refusal itself
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in text for text in reported)
    context.close()
