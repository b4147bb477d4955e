"""The head teacher loads the roster from a CSV file: every bad line is named, nothing half-saved,
and importing again updates the students already there."""

import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.classes.models import ClassStatus, GuardianLink, RosterStudent
from app.classes.roster_csv import parse_roster
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as


def as_teacher(client, world, person="teacher"):
    sign_in_as(client, world.users[person])
    client.set_cookie("pp_lang", "en")


def upload(client, school_class, content: bytes, filename="roster.csv", **kwargs):
    return post(
        client,
        f"/classes/{school_class.id}/roster",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
        **kwargs,
    )


def roster(school_class) -> list[tuple]:
    db.session.expire_all()
    students = db.session.scalars(select(RosterStudent).where(RosterStudent.class_id == school_class.id))
    return sorted((s.name, s.student_number, s.guardian_phone) for s in students)


def test_page_shows_the_roster_size_and_the_expected_format(client, world):
    as_teacher(client, world)
    page = client.get(f"/classes/{world.class_a.id}/roster").get_data(as_text=True)
    assert "1 student is on the roster now." in page  # the world's 王小明
    assert "王小明,20260101,13800138000" in page
    assert 'enctype="multipart/form-data"' in page


def test_utf8_file_with_bom_and_header_row_is_imported(client, world):
    as_teacher(client, world)
    content = "姓名,学号,家长电话\r\n李华,S002,138 0013 8000\r\n\r\n  张伟  ,,\r\n".encode("utf-8-sig")
    response = upload(client, world.class_b, content, follow_redirects=False)
    assert response.status_code == 404  # class B is not this teacher's
    response = upload(client, world.class_a, content, follow_redirects=True)
    assert "Roster imported: 2 added, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    assert ("李华", "S002", "13800138000") in roster(world.class_a)
    assert ("张伟", None, None) in roster(world.class_a)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "roster_imported")).one()
    assert event.detail == {"added": 2, "updated": 0, "unchanged": 0}
    assert event.class_id == world.class_a.id


def test_gbk_file_saved_by_excel_is_imported(client, world):
    as_teacher(client, world)
    response = upload(client, world.class_a, "李华,S001,13800138000".encode("gbk"))
    assert response.status_code == 302
    assert ("李华", "S001", "13800138000") in roster(world.class_a)


def test_tabs_semicolons_and_chinese_commas_separate_columns():
    for text in ("李华\tS001\t13800138000", "李华;S001;13800138000", "李华，S001，+86 138-0013-8000"):
        result = parse_roster(text.encode())
        assert result.ok, text
        assert [(r.name, r.student_number, r.guardian_phone) for r in result.rows] == [
            ("李华", "S001", "13800138000")
        ]


def test_invisible_characters_pasted_from_the_web_are_dropped():
    result = parse_roster("\u200b李华\u200b,S001,".encode())
    assert [r.name for r in result.rows] == ["李华"]


def test_full_width_digits_are_read_as_digits():
    result = parse_roster("李华,Ｓ００１,１３８００１３８０００".encode())
    assert [(r.student_number, r.guardian_phone) for r in result.rows] == [("S001", "13800138000")]


def test_every_bad_line_is_reported_by_number_and_nothing_is_written(client, world):
    as_teacher(client, world)
    lines = [
        "name,number,phone",  # 1: header
        "李华,S001,13800138000",  # 2: fine
        ",S002,",  # 3: no name
        "张" * 31,  # 4: name too long
        "赵六,S#3,",  # 5: bad number
        "钱七,,12345",  # 6: bad phone
        "孙八,S001,",  # 7: number of line 2 again
        "周九",  # 8
        "周九",  # 9: same name, no numbers
        "吴十,S010,13800138000,男",  # 10: a fourth column
        "郑一,S011,1.38001E+10",  # 11: Excel turned the phone into a number
    ]
    before = db_snapshot()
    response = upload(client, world.class_a, "\n".join(lines).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "Line 3: the student&#39;s name is missing." in page
    assert "Line 4: the name is longer than 30 characters." in page
    assert "Line 5: the student number “S#3” may only have letters" in page
    assert "Line 6: “12345” is not an 11-digit mainland mobile number." in page
    assert "Line 7: student number S001 is also on line 2." in page
    assert "Line 8: 周九 is also on line 9." in page and "Line 9: 周九 is also on line 8." in page
    assert "Line 10 has more than three columns." in page
    assert "Line 11: the phone number reads “1.38001E+10”" in page
    assert "Line 2" not in page
    assert db_snapshot() == before


def test_values_quoted_back_from_the_file_are_escaped(client, world):
    as_teacher(client, world)
    page = upload(client, world.class_a, "李华,<b>x</b>,".encode()).get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page


def test_reimport_updates_students_instead_of_adding_them_twice(client, world):
    as_teacher(client, world)
    upload(client, world.class_a, "李华,S001,13800138000\n张伟,,13900139000\n".encode())
    response = upload(
        client,
        world.class_a,
        "李华,S001,13800138001\n张伟,,13900139002\n赵六,S003,\n".encode(),
        follow_redirects=True,
    )
    assert "Roster imported: 1 added, 2 updated, 0 unchanged." in response.get_data(as_text=True)
    students = roster(world.class_a)
    assert ("李华", "S001", "13800138001") in students
    assert ("张伟", None, "13900139002") in students
    assert [name for name, *_ in students].count("李华") == 1
    assert len(students) == 4  # the world's 王小明 is kept


def test_a_number_added_later_updates_the_student_found_by_name(client, world):
    as_teacher(client, world)
    linked = db.session.scalars(select(GuardianLink).where(GuardianLink.child_name == "王小明")).one()
    upload(client, world.class_a, "王小明,S001,".encode())
    db.session.expire_all()
    assert linked.student.student_number == "S001"  # same student, the guardian link still holds
    assert [name for name, *_ in roster(world.class_a)].count("王小明") == 1


def test_importing_the_same_file_again_changes_nothing(client, world):
    as_teacher(client, world)
    content = "李华,S001,13800138000\n".encode()
    upload(client, world.class_a, content)
    before = db_snapshot()
    response = upload(client, world.class_a, content, follow_redirects=True)
    assert "0 added, 0 updated, 1 unchanged." in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_a_name_twice_on_the_roster_needs_the_number(client, world):
    factories.add_student(world.class_a, "李华")
    factories.add_student(world.class_a, "李华")
    db.session.commit()
    as_teacher(client, world)
    before = db_snapshot()
    page = upload(client, world.class_a, "张伟\n李华,,13800138000\n".encode()).get_data(as_text=True)
    assert "Line 2: the roster already has more than one 李华." in page
    assert db_snapshot() == before


def test_more_than_200_rows_is_one_clear_error(client, world):
    as_teacher(client, world)
    content = "\n".join(f"王{i},S{i:03d}," for i in range(201)).encode()
    before = db_snapshot()
    page = upload(client, world.class_a, content).get_data(as_text=True)
    assert "The file has 201 rows; a roster file can have at most 200." in page
    assert "Line " not in page
    assert db_snapshot() == before


def test_200_rows_are_fine():
    result = parse_roster("\n".join(f"王{i},S{i:03d}," for i in range(200)).encode())
    assert result.ok and len(result.rows) == 200


def test_a_binary_file_is_not_a_csv(client, world):
    as_teacher(client, world)
    before = db_snapshot()
    page = upload(client, world.class_a, bytes(range(256)) * 4, "photo.jpg").get_data(as_text=True)
    assert "This file is not a CSV text file." in page
    page = upload(client, world.class_a, b"PK\x03\x04" + b"\x00" * 100, "roster.xlsx").get_data(as_text=True)
    assert "This is an Excel workbook." in page
    assert db_snapshot() == before


def test_an_empty_file_or_a_header_alone_is_refused(client, world):
    as_teacher(client, world)
    for content in (b"", b"\r\n \r\n", "姓名,学号,电话\n".encode()):
        page = upload(client, world.class_a, content).get_data(as_text=True)
        assert "The file has no students in it." in page


def test_no_file_chosen_asks_for_one(client, world):
    as_teacher(client, world)
    page = post(client, f"/classes/{world.class_a.id}/roster", {}).get_data(as_text=True)
    assert "Please choose the CSV file with the class list." in page


def test_another_teachers_class_is_not_found_and_unchanged(client, world):
    as_teacher(client, world, "teacher_other")
    before = db_snapshot()
    assert client.get(f"/classes/{world.class_a.id}/roster").status_code == 404
    assert upload(client, world.class_a, "李华,S001,".encode()).status_code == 404
    assert db_snapshot() == before


def test_a_graduated_class_refuses_an_import(client, world):
    world.class_a.status = ClassStatus.GRADUATED
    db.session.commit()
    as_teacher(client, world)
    before = db_snapshot()
    response = upload(client, world.class_a, "李华,S001,".encode())
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "This class has graduated" in str(session["_flashes"])
    assert db_snapshot() == before


def test_a_gbk_header_row_is_skipped():
    result = parse_roster("姓名,学号,家长电话\r\n王小明,S001,13800138000\r\n".encode("gbk"))
    assert [(r.line, r.name) for r in result.rows] == [(2, "王小明")]


def test_a_file_over_the_size_limit_is_refused_whole(client, world):
    as_teacher(client, world)
    before = db_snapshot()
    assert upload(client, world.class_a, b"a,b,c\n" * 50_000).status_code == 413
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('王小明,G330106201803152210\n"刘洋,G330106201807224277\n赵一一,G330105201811096144\n', 2),
        ('王小明,G330106201803152210\n"刘洋"x,G330106201807224277\n赵一一,\n', 2),
        ('王小明,G330106201803152210\n"刘洋\n赵一一",G330105201811096144\n陈思琪,\n', 2),
        ('王小明,G330106201803152210\n刘"洋,G330106201807224277\n', 2),
    ],
    ids=["never closes", "text after the closing quote", "one cell over two lines", "a quote inside"],
)
def test_broken_quoting_is_reported_with_its_line_and_nothing_is_written(client, world, content, line):
    """Read leniently, each of these files is imported as wrong rows (a child called "刘洋,G33…
    赵一一,…", or 刘洋x); read strictly it is refused, naming the line to fix."""
    as_teacher(client, world)
    before = db_snapshot()
    page = upload(client, world.class_a, content.encode()).get_data(as_text=True)
    assert f"Line {line}" in page and "quotation mark" in page
    assert db_snapshot() == before


def test_student_numbers_are_stored_in_their_canonical_form(client, world):
    """Spaces, hyphens, full-width characters and lower case in the file are the same number a
    parent types, however they type it."""
    as_teacher(client, world)
    upload(client, world.class_a, "王小明,ｇ330106-2018-0315-2210\n".encode())
    numbers = db.session.scalars(
        select(RosterStudent.student_number).where(RosterStudent.name == "王小明")
    ).all()
    assert numbers == ["G330106201803152210"]
