"""Names and other one-line text keep no invisible characters: a bidirectional override can make
"王芳" display as someone else's name on the teacher's screen, a zero-width space makes two
spellings of one name, and neither has any use in a name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.canonical import canonical_phone, canonical_student_number, single_line, without_bidi_controls
from app.classes.models import GuardianLink
from app.extensions import db
from tests import factories
from tests.helpers import post, sign_in_as

INVISIBLE = [
    "\u202e",
    "\u202a",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
]


@pytest.mark.parametrize("mark", INVISIBLE, ids=[f"U+{ord(m):04X}" for m in INVISIBLE])
def test_registration_stores_names_without_invisible_characters(client, world, mark):
    factories.add_student(world.class_a, "王小明明", number="G330106201803152210")
    db.session.commit()
    response = post(
        client,
        "/register",
        {
            "join_code": world.class_a.join_code,
            "child_name": f"王小{mark}明明",
            "student_number": f"G3301062018{mark}03152210",
            "relation": "father",
            "real_name": f"{mark}王{mark}强",
            "phone": f"1370{mark}0002222",
            "wechat_id": "wangqiang88",
            "password": "a-long-password",
            "privacy_consent": "y",
            "child_consent": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.phone == "13700002222"))
    link = db.session.scalar(select(GuardianLink).where(GuardianLink.parent_id == user.id))
    assert user.real_name == "王强"
    assert link.child_name == "王小明明"
    assert link.status == "approved"  # the number, cleaned the same way, matched


def test_a_teacher_created_by_staff_has_a_clean_name(client, world):
    sign_in_as(client, world.users["staff"])
    post(client, "/school/teachers/new", {"real_name": "李\u202e老师\u200b", "phone": "13712340000"})
    assert db.session.scalar(select(User.real_name).where(User.phone == "13712340000")) == "李老师"


def test_a_charter_keeps_its_lines_and_emoji_but_no_override():
    text = "第一条\n请勿\u202e刷屏 👨\u200d👩\u200d👧"
    assert without_bidi_controls(text) == "第一条\n请勿刷屏 👨\u200d👩\u200d👧"


def test_canonical_forms_agree_with_what_a_form_already_cleaned():
    """The limiter keys on the raw value and the lookup on the form's cleaned one: both must give
    the same canonical phone and number."""
    for raw in ["139\u200b0000\u00020013", "＋８６ １３９００００００１３", "1390000\u202e0013"]:
        assert canonical_phone(raw) == canonical_phone(single_line(raw)) == "13900000013"
    assert canonical_student_number("ｇ3301-0620 1803\u200b152210") == "G330106201803152210"


def test_a_join_code_typed_in_full_width_or_with_a_pasted_invisible_opens_the_class(client, world):
    from app.classes.services import find_class_by_join_code

    code = world.class_a.join_code
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert find_class_by_join_code(full_width) == world.class_a
    assert find_class_by_join_code(code[:4] + "\u200b-" + code[4:].lower()) == world.class_a


def test_every_control_and_format_character_is_dropped_and_nothing_else():
    """The one-pass pattern drops exactly the characters of category Cc and Cf, whatever plane
    they are on (tags, Egyptian format controls), and keeps every other character: the same as
    asking each character's category."""
    import sys
    import unicodedata

    from app.canonical import visible

    def by_category(text: str) -> str:
        return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))

    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) != "Cs")
    assert visible(everything) == by_category(unicodedata.normalize("NFKC", by_category(everything)))
