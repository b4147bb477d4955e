"""Teachers and staff check a certificate number: valid, expired or unknown, name masked."""

import pytest

from app.extensions import db
from tests import factories
from tests.helpers import post, sign_in_as


@pytest.fixture
def checker(client, world):
    sign_in_as(client, world.users["teacher"])
    client.set_cookie("pp_lang", "en")
    return client


def test_a_valid_number_shows_the_masked_holder(checker, world):
    certificate = factories.certify(world.users["parent"])
    db.session.commit()
    typed = certificate.number.lower().replace("-", " ")
    page = post(checker, "/certificates/check", {"number": typed}).get_data(as_text=True)
    assert "✓ Valid" in page and "王*" in page and "王芳" not in page
    assert certificate.number in page


def test_an_expired_number_says_expired(checker, world):
    certificate = factories.certify(world.users["parent"], days_left=-3)
    db.session.commit()
    assert "Expired" in post(checker, "/certificates/check", {"number": certificate.number}).get_data(
        as_text=True
    )


@pytest.mark.parametrize("typed", ["PP-0000-0000-0000", "hello", "PP-" + "A" * 30])
def test_an_unknown_number_says_unknown(checker, typed):
    assert "Unknown" in post(checker, "/certificates/check", {"number": typed}).get_data(as_text=True)


def test_parents_cannot_look_up_certificates(client, world):
    sign_in_as(client, world.users["parent"])
    assert client.get("/certificates/check").status_code == 403
