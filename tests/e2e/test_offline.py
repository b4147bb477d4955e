"""Offline reading: a lesson opened once stays readable without a network; a quiz says plainly
that it needs one. Lesson pages carry no name, so keeping them on a shared phone is safe.

The network is cut by stopping this test's own server: Chromium's offline emulation does not
reach a service worker's requests."""

import threading

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from tests import factories
from tests.e2e.helpers import PHONE


@pytest.fixture
def server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_an_opened_lesson_reads_offline_and_a_quiz_says_it_needs_the_network(browser, server, world):
    db.session.commit()
    base = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": "pp_lang", "value": "en", "url": base}])
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#phone", world.users["parent"].phone)
    page.fill("#password", factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_load_state()
    lesson = base + "/learn/etiquette/why-rules"
    page.goto(lesson)
    assert world.users["parent"].real_name not in page.content()  # nothing personal to keep
    # The worker claims the page once it is active (clients.claim); no reload races a navigation.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(lesson)  # under the worker's control: this visit is kept
    title = page.locator("article.lesson h1").inner_text()

    server.shutdown()  # the network is gone
    page.goto(lesson)
    assert page.locator("article.lesson h1").inner_text() == title
    page.goto(base + "/learn/etiquette/quiz")
    assert "Quizzes, your certificate and your invite code need the network" in page.content()
    context.close()


def test_pages_with_personal_data_still_show_the_name(new_page, world):
    db.session.commit()
    page = new_page("en")
    page.goto(page.base + "/login")
    page.fill("#phone", world.users["parent"].phone)
    page.fill("#password", factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_load_state()
    page.goto(page.base + "/learn")
    assert world.users["parent"].real_name in page.content()
