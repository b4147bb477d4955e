"""Phone-first features in a real browser: elder mode, 200 % zoom, 320 px, reading aloud."""

import pytest

from app.extensions import db
from tests import factories
from tests.e2e.helpers import accessibility_violations, no_sideways_scroll, signed_in


@pytest.fixture
def parent_page(new_page, world):
    """A signed-in parent of class A on a phone."""
    db.session.commit()
    page = new_page("zh_Hans")
    signed_in(page, world.users["parent"])
    return page


PAGES = ["/learn", "/learn/etiquette", "/learn/etiquette/why-rules", "/learn/etiquette/quiz", "/certificate"]


def test_elder_mode_is_larger_and_remembered(parent_page):
    page = parent_page
    page.goto(page.base + "/learn/etiquette/why-rules")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.locator("form.display button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/learn/etiquette/why-rules")  # back where the person was
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20 > normal
    height = page.evaluate("document.querySelector('main .button.primary').getBoundingClientRect().height")
    assert height >= 60
    page.goto(page.base + "/learn")
    assert page.evaluate("document.documentElement.classList.contains('elder')")  # remembered
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("elder", [False, True])
def test_nothing_scrolls_sideways_at_320_px_or_200_percent_zoom(parent_page, elder):
    page = parent_page
    if elder:
        page.context.add_cookies([{"name": "pp_elder", "value": "1", "url": page.base}])
    for width, zoom in ((320, "1"), (360, "2")):
        page.set_viewport_size({"width": width, "height": 740})
        for path in PAGES:
            page.goto(page.base + path)
            page.evaluate(f"document.body.style.zoom = '{zoom}'")
            assert no_sideways_scroll(page), f"{path} at {width} px, zoom {zoom}, elder {elder}"


def test_listen_reads_the_lesson_aloud_in_the_page_language(parent_page):
    page = parent_page
    page.add_init_script(
        """window.__spoken = [];
        const stub = { speak: (u) => window.__spoken.push([u.lang, u.text]), cancel: () => {} };
        Object.defineProperty(window, "speechSynthesis", { value: stub, configurable: true });
        window.SpeechSynthesisUtterance = function (text) { this.text = text; };"""
    )
    page.goto(page.base + "/learn/etiquette/why-rules")
    button = page.locator("#listen")
    assert button.is_visible()
    button.click()
    lang, text = page.evaluate("window.__spoken[0]")
    assert lang == "zh-CN" and len(text) > 200
    assert button.get_attribute("aria-pressed") == "true"


def test_listen_is_hidden_without_speech_synthesis(parent_page):
    page = parent_page
    page.add_init_script(
        """Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
        window.SpeechSynthesisUtterance = undefined;"""
    )
    page.goto(page.base + "/learn/etiquette/why-rules")
    assert not page.locator("#listen").is_visible()
    assert page.locator("article.lesson").is_visible()  # the lesson reads on without it


WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2171A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
    "Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5075 MMWEBSDK/20230405 MicroMessenger/8.0.35"
)


def test_wechat_in_app_browser_without_service_worker_or_speech(browser, live_server, world):
    """WeChat's browser may lack a service worker and speech: pages work, scripts fail quietly."""
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, user_agent=WECHAT_UA)
    context.add_init_script(
        """Object.defineProperty(navigator, "serviceWorker", { value: undefined, configurable: true });
        Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });"""
    )
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/login")
    page.fill("#phone", world.users["parent"].phone)
    page.fill("#password", factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_load_state()
    page.goto(live_server + "/learn/etiquette/why-rules")
    assert page.locator("article.lesson h1").is_visible()
    assert not page.locator("#listen").is_visible()
    page.locator("main form button.primary").click()  # "I have read it" still works
    page.wait_for_load_state()
    assert page.url.endswith("/learn/etiquette/names-and-charter")
    assert errors == []
    context.close()


def test_the_certificate_prints_without_the_site_around_it(parent_page, world):
    factories.certify(world.users["parent"])
    db.session.commit()
    page = parent_page
    page.goto(page.base + "/certificate")
    page.emulate_media(media="print")
    assert page.locator(".certificate").is_visible()
    assert page.locator("header .brand").is_visible()  # the site's name heads the printed page
    for chrome in ("form.lang", "form.display", "nav.who", "footer.foot"):
        assert not page.locator(chrome).is_visible(), chrome
    page.emulate_media(media="screen")
    assert page.locator("form.lang").is_visible()
