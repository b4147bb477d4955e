"""The browser checks themselves can fail: each is shown a page that breaks its rule."""

from tests.e2e.conftest import accessibility_violations, no_sideways_scroll


def test_axe_reports_a_missing_text_alternative(new_page):
    page = new_page("en")
    page.goto(page.base + "/")
    assert accessibility_violations(page) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert any(v.startswith("image-alt") for v in accessibility_violations(page))


def test_sideways_scroll_is_caught(new_page):
    page = new_page("en")
    page.goto(page.base + "/")
    assert no_sideways_scroll(page)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<div class=wide></div>')")
    page.evaluate("document.querySelector('.wide').setAttribute('style', 'width: 900px; height: 10px')")
    assert not no_sideways_scroll(page)
