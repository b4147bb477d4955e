"""The design's measurements in a real browser at 360 px: text size and Chinese line height, tap
target size, form errors tied to their fields, paste allowed in password fields, a print layout
for the class QR poster."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.e2e.helpers import accessibility_violations, signed_in

PARENT_PAGES = [
    "/learn",
    "/learn/etiquette",
    "/learn/etiquette/why-rules",
    "/learn/etiquette/quiz",
    "/certificate",
]
# Everything a finger has to hit; links inside running text are exempt, as WCAG 2.5.8 allows.
TARGETS = (
    "button, a.button, select, textarea, nav a, "
    "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), "
    "label:has(input[type=radio]), label:has(input[type=checkbox])"
)
SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width < 44 || r.height < 44)
    .map(([el, r]) => el.tagName + "." + el.className + " " + Math.round(r.width) + "x"
         + Math.round(r.height) + " " + el.textContent.trim().slice(0, 20))"""


@pytest.fixture
def parent_page(new_page, world):
    db.session.commit()
    page = new_page("zh_Hans")
    signed_in(page, world.users["parent"])
    return page


def test_text_is_large_enough_and_chinese_lines_are_spaced(parent_page):
    page = parent_page
    for path in PARENT_PAGES:
        page.goto(page.base + path)
        size, height = page.evaluate(
            """() => { const s = getComputedStyle(document.querySelector("main p, main li"));
                       return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"""
        )
        assert size >= 16, f"{path}: text {size}px"
        assert height >= 1.6 * size, f"{path}: line height {height}px for {size}px text"


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_every_tap_target_is_at_least_44_px(new_page, world, lang):
    db.session.commit()
    page = new_page(lang)
    for path in ("/login", "/register"):
        page.goto(page.base + path)
        assert page.evaluate(SMALL_TARGETS, TARGETS) == [], path
    signed_in(page, world.users["parent"])
    for path in PARENT_PAGES:
        page.goto(page.base + path)
        assert page.evaluate(SMALL_TARGETS, TARGETS) == [], path


def test_a_form_error_is_tied_to_its_field_and_announced(new_page):
    page = new_page("zh_Hans")
    page.goto(page.base + "/register")
    page.fill("#phone", "12345")
    page.locator("main form button[type=submit], main form button").last.click()
    page.wait_for_load_state()
    phone = page.locator("#phone")
    assert phone.get_attribute("aria-invalid") == "true"
    described = phone.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{ident}").inner_text() for ident in described if ident.endswith("-error")]
    assert errors and all(text.strip() for text in errors)
    assert "手机" in " ".join(errors)  # in the reader's language
    assert accessibility_violations(page) == []


def test_pasting_into_a_password_field_is_allowed(new_page):
    page = new_page("en")
    page.goto(page.base + "/login")
    for selector in ("#password",):
        not_blocked = page.evaluate(
            """(sel) => document.querySelector(sel).dispatchEvent(
                   new ClipboardEvent("paste", {bubbles: true, cancelable: true}))""",
            selector,
        )
        assert not_blocked, f"{selector} refuses paste"
    assert page.locator("#password").get_attribute("onpaste") is None


def test_the_class_poster_prints_alone(new_page, world):
    db.session.commit()
    page = new_page("zh_Hans")
    signed_in(page, world.users["teacher"])
    page.goto(page.base + f"/classes/{world.class_a.id}/poster")
    page.emulate_media(media="print")
    assert page.locator(".poster svg").is_visible()
    assert page.locator(".poster-code").inner_text().strip()
    for chrome in (".poster-screen", "form.lang", "form.display", "nav.who", "footer.foot"):
        assert not page.locator(chrome).is_visible(), chrome
    page.emulate_media(media="screen")
    assert page.locator(".poster-screen").is_visible()
