"""The security log: sign-ins, refusals, codes issued, checked and admitted; in UTC, phones
masked, never a password, a code or a session token."""

from __future__ import annotations

import logging
import re

import pytest

from app import seclog
from app.extensions import db
from tests import factories
from tests.factories import make_eligible
from tests.helpers import post, sign_in_as


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="parentpass.security")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "parentpass.security"]


def test_a_failed_and_a_good_sign_in_are_logged_without_the_password(client, world, lines):
    db.session.commit()
    parent = world.users["parent"]
    post(client, "/login", {"phone": parent.phone, "password": "a-wrong-password"})
    post(client, "/login", {"phone": parent.phone, "password": factories.PASSWORD})
    log = "\n".join(lines())
    masked = parent.phone[:3] + "****" + parent.phone[-4:]
    assert f"login.failed phone={masked}" in log
    assert f"login.ok user={parent.id} role=parent" in log
    assert parent.phone not in log
    assert "a-wrong-password" not in log and factories.PASSWORD not in log
    with client.session_transaction() as session:
        assert session["_user_id"] not in log  # the session token


def test_an_invite_code_issued_checked_and_admitted_is_logged_but_never_the_code(app, client, world, lines):
    parent, teacher = world.users["parent"], world.users["teacher"]
    make_eligible(parent, world.class_a)
    sign_in_as(client, parent)
    page = post(client, f"/classes/{world.class_a.id}/invite").get_data(as_text=True)
    code = re.search(r'class="invite-code code"[^>]*>([0-9A-Z-]{12})<', page).group(1)
    desk = app.test_client()
    sign_in_as(desk, teacher)
    post(desk, "/teacher/verify", {"code": code})
    from app.invites.models import InviteToken

    token = db.session.query(InviteToken).one()
    post(desk, f"/teacher/invites/{token.id}/admit")
    log = "\n".join(lines())
    assert f"invite.issued user={parent.id} class_id={world.class_a.id} invite={token.id}" in log
    assert f"invite.checked user={teacher.id} outcome=valid invite={token.id}" in log
    assert f"invite.admitted user={teacher.id} invite={token.id} parent={parent.id}" in log
    assert code not in log and code.replace("-", "") not in log


def test_refusals_are_logged(client, world, lines):
    sign_in_as(client, world.users["parent"])
    client.get("/school/classes")
    client.post("/logout", data={})
    log = "\n".join(lines())
    assert f"refused.403 path=/school/classes user={world.users['parent'].id}" in log
    assert "refused.csrf path=/logout" in log


def test_lines_are_stamped_in_utc():
    record = logging.LogRecord("parentpass.security", logging.INFO, "", 0, "login.ok", None, None)
    record.created = 1_790_000_000.0  # 2026-09-21 14:13:20 UTC, 22:13:20 in Beijing
    assert seclog.UTCFormatter("%(asctime)s %(message)s").format(record) == "2026-09-21T14:13:20Z login.ok"


def test_secrets_cannot_be_logged_and_values_cannot_fake_a_line(app, lines):
    with pytest.raises(ValueError):
        seclog.record("oops", password="hunter22")
    with pytest.raises(ValueError):
        seclog.record("oops", code="K7PX2QMD9F")
    seclog.record("test", reason="a\nlogin.ok user=1")
    assert lines()[-1] == "test reason=a_login.ok_user=1"
