"""A lesson page is rendered once per language, mode and audience and shared by every reader
(app/web/pagecache.py): each reader still gets their own CSRF token, language, mode and messages."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.helpers import CSRF_INPUT, sign_in_as

LESSON = "/learn/etiquette/why-rules"


@pytest.fixture
def readers(app, world):
    second = factories.make_parent(world.class_a, "李小花", name="李娜")
    return world.users["parent"], second


def page_of(client, reader, language="zh_Hans", elder=False) -> str:
    client.set_cookie("pp_lang", language)
    if elder:
        client.set_cookie("pp_elder", "1")
    sign_in_as(client, reader)
    response = client.get(LESSON)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def token_in(page: str) -> str:
    match = CSRF_INPUT.search(page)
    return match.group(1) or match.group(2)


def test_two_readers_share_the_page_but_not_the_token(app, readers):
    first, second = readers
    one, two = app.test_client(), app.test_client()
    page_one, page_two = page_of(one, first), page_of(two, second)
    token_one, token_two = token_in(page_one), token_in(page_two)
    assert token_one != token_two
    assert page_one.replace(token_one, "T") == page_two.replace(token_two, "T")
    assert "csrf-placeholder" not in page_two
    for client, token in ((one, token_one), (two, token_two)):  # each page's form works for its reader
        response = client.post(f"{LESSON}/read", data={"csrf_token": token})
        assert response.status_code == 302
    refused = one.post(f"{LESSON}/read", data={"csrf_token": token_two})
    assert refused.status_code == 400  # another reader's token is not this session's


def test_each_reader_gets_their_language_and_mode(app, readers):
    first, second = readers
    chinese = page_of(app.test_client(), first)
    english = page_of(app.test_client(), second, language="en")
    elder = page_of(app.test_client(), second, language="en", elder=True)
    assert '<html lang="zh-Hans">' in chinese and '<html lang="en">' in english
    assert '<html lang="en" class="elder">' in elder
    assert "Standard text" in elder and "Standard text" not in english


def test_a_message_for_one_reader_is_not_shown_to_the_next(app, readers):
    first, second = readers
    page_of(app.test_client(), second)  # the shared page exists
    client = app.test_client()
    client.set_cookie("pp_lang", "en")
    sign_in_as(client, first)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A note only for the first reader")]
    assert "A note only for the first reader" in client.get(LESSON).get_data(as_text=True)
    later = page_of(app.test_client(), second, language="en")
    assert "A note only for the first reader" not in later
    assert not re.search(r'class="banner', later)
