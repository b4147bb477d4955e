"""The synthetic city generator (bench/generate_city.py) on a tiny city in its own SQLite file.

The generator runs in a subprocess with its own DATABASE_URL, so the suite's shared app and test
database are never touched; the checks read the file with the sqlite3 module.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.content.registry import catalogue

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "generate_city.py"
NOW = "2026-11-23 00:00:00.000000"  # --now, as SQLite stores it
ARGS = [
    "--schools",
    "2",
    "--seed",
    "7",
    "--class-size",
    "14",
    "--classes-per-grade",
    "1.5",
    "--answer-sample",
    "0.2",
    "--now",
    "2026-11-23T00:00:00+00:00",
]


def run_generator(database: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    return subprocess.run(
        [sys.executable, str(SCRIPT), *ARGS, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    database = tmp_path_factory.mktemp("city") / "city.sqlite3"
    result = run_generator(database)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(database)
    yield conn, database, result.stdout
    conn.close()


def slugs(audience: str) -> str:
    """The audience's required courses as an SQL list (the conftest's app context is current)."""
    return ", ".join(f"'{c.slug}'" for c in catalogue().for_audience(audience))


def one(conn, sql: str, *params):
    return conn.execute(sql, params).fetchone()[0]


def test_sizes_and_progress_lines(city):
    conn, _database, stdout = city
    assert one(conn, "SELECT count(*) FROM bureaus") == 13
    assert one(conn, "SELECT count(*) FROM bureaus WHERE parent_id IS NULL") == 1
    assert one(conn, "SELECT count(*) FROM schools") == 2
    classes = one(conn, "SELECT count(*) FROM classes")
    assert 12 <= classes <= 24
    assert one(conn, "SELECT count(DISTINCT grade) FROM classes") == 6
    assert one(conn, "SELECT count(*) FROM charters WHERE version = 1") == classes
    assert one(conn, "SELECT count(*) FROM users WHERE role = 'teacher'") == classes
    assert one(conn, "SELECT count(*) FROM users WHERE role = 'staff'") == 4
    assert one(conn, "SELECT count(*) FROM users WHERE role = 'bureau'") == 13
    students = one(conn, "SELECT count(*) FROM roster_students")
    parents = one(conn, "SELECT count(*) FROM users WHERE role = 'parent'")
    assert 1.2 < parents / students < 1.8
    assert one(conn, "SELECT count(DISTINCT password_hash) FROM users") == 1
    assert one(conn, "SELECT count(*) FROM users WHERE length(phone) != 11 OR phone NOT LIKE '1%'") == 0
    # every kind of row is there, and each table got a progress line
    for table in (
        "lesson_reads",
        "quiz_attempts",
        "attempt_answers",
        "certificates",
        "charter_acceptances",
        "invite_tokens",
        "group_memberships",
        "question_rollups",
    ):
        assert one(conn, f"SELECT count(*) FROM {table}") > 0, table  # noqa: S608
        assert f"  {table}" in stdout or table == "question_rollups"
    statuses = dict(conn.execute("SELECT status, count(*) FROM guardian_links GROUP BY status").fetchall())
    assert statuses["approved"] > 0.9 * sum(statuses.values())
    assert statuses.get("pending", 0) > 0
    assert "refresh_classes" in stdout


def test_links_point_at_existing_rows(city):
    conn, *_ = city
    orphans = """
        SELECT count(*) FROM guardian_links gl
        LEFT JOIN classes c ON c.id = gl.class_id
        LEFT JOIN users u ON u.id = gl.parent_id AND u.role = 'parent'
        LEFT JOIN roster_students s ON s.id = gl.student_id AND s.class_id = gl.class_id
        WHERE c.id IS NULL OR u.id IS NULL OR s.id IS NULL OR s.name != gl.child_name
    """
    assert one(conn, orphans) == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert (
        one(
            conn,
            "SELECT count(*) FROM classes c LEFT JOIN users t ON t.id = c.head_teacher_id "
            "WHERE t.role IS NOT 'teacher' OR t.school_id != c.school_id",
        )
        == 0
    )


def test_certificates_only_for_those_who_passed_everything(city):
    conn, *_ = city
    required = catalogue().for_audience("parent")
    passed_all = f"""
        SELECT user_id FROM quiz_attempts
        WHERE passed = 1 AND submitted_at IS NOT NULL AND course_slug IN ({slugs("parent")})
        GROUP BY user_id HAVING count(DISTINCT course_slug) = {len(required)}
    """  # noqa: S608
    certified = "SELECT user_id FROM certificates WHERE audience = 'parent'"
    assert {r[0] for r in conn.execute(certified)} == {r[0] for r in conn.execute(passed_all)}
    # the certificate comes with the last pass, and most are still valid
    late = """
        SELECT count(*) FROM certificates c
        WHERE c.audience = 'parent' AND c.issued_at < (
            SELECT max(submitted_at) FROM quiz_attempts a WHERE a.user_id = c.user_id AND a.passed = 1)
    """
    assert one(conn, late) == 0
    valid = one(conn, "SELECT count(*) FROM certificates WHERE expires_at > ?", NOW)
    assert valid > 0.9 * one(conn, "SELECT count(*) FROM certificates")
    # teachers' certificates are the group-owner course's, on a passed attempt of it
    teachers = f"""
        SELECT count(*) FROM certificates c JOIN users u ON u.id = c.user_id
        WHERE c.audience = 'teacher' AND (u.role != 'teacher' OR NOT EXISTS (
            SELECT 1 FROM quiz_attempts a WHERE a.user_id = c.user_id
            AND a.course_slug IN ({slugs("teacher")}) AND a.passed = 1))
    """  # noqa: S608
    assert one(conn, teachers) == 0
    assert one(conn, "SELECT count(*) FROM certificates WHERE audience = 'teacher'") > 0
    # answers only for submitted attempts, as many as the attempt's questions, right ones = score
    answers = """
        SELECT count(*) FROM quiz_attempts a JOIN (
            SELECT attempt_id, count(*) n, sum(correct) r FROM attempt_answers GROUP BY attempt_id
        ) x ON x.attempt_id = a.id
        WHERE a.submitted_at IS NULL OR x.n != a.total OR x.r != a.score
    """
    assert one(conn, answers) == 0


def test_invites_and_group(city):
    conn, *_ = city
    joined_not_invited = """
        SELECT count(*) FROM group_memberships m
        WHERE m.joined_at IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM invite_tokens t WHERE t.class_id = m.class_id AND t.parent_id = m.parent_id
            AND t.used_at = m.joined_at)
    """
    assert one(conn, joined_not_invited) == 0
    not_eligible = """
        SELECT count(*) FROM invite_tokens t
        WHERE NOT EXISTS (SELECT 1 FROM guardian_links gl WHERE gl.class_id = t.class_id
                          AND gl.parent_id = t.parent_id AND gl.status = 'approved')
           OR NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = t.parent_id
                          AND c.issued_at <= t.issued_at AND c.expires_at > ?)
           OR NOT EXISTS (SELECT 1 FROM charter_acceptances ca JOIN charters ch ON ch.id = ca.charter_id
                          WHERE ch.class_id = t.class_id AND ca.user_id = t.parent_id
                          AND ca.accepted_at <= t.issued_at)
           OR t.issued_at >= ? OR t.used_at >= t.expires_at
    """
    assert one(conn, not_eligible, NOW, NOW) == 0
    open_twice = """
        SELECT count(*) FROM (SELECT class_id, parent_id FROM invite_tokens
        WHERE used_at IS NULL AND revoked_at IS NULL GROUP BY class_id, parent_id HAVING count(*) > 1)
    """
    assert one(conn, open_twice) == 0
    assert one(conn, "SELECT count(*) FROM invite_tokens WHERE length(token_hash) != 64") == 0
    assert one(conn, "SELECT count(*) FROM group_memberships WHERE joined_at IS NOT NULL") > 0


def test_class_rollups_match_direct_counts(city):
    conn, *_ = city
    assert one(conn, "SELECT count(*) FROM class_rollups") == one(conn, "SELECT count(*) FROM classes")
    assert (
        one(
            conn,
            "SELECT count(*) FROM classes c LEFT JOIN class_rollups r ON r.class_id = c.id "
            "WHERE r.class_id IS NULL OR r.school_id != c.school_id",
        )
        == 0
    )
    sums = dict(
        zip(
            ("students", "registered", "confirmed", "pending", "certified", "invited", "joined"),
            conn.execute(
                "SELECT sum(students), sum(registered), sum(confirmed), sum(pending), sum(certified), "
                "sum(invited), sum(joined) FROM class_rollups"
            ).fetchone(),
            strict=True,
        )
    )
    guardians = "SELECT DISTINCT class_id, parent_id FROM guardian_links WHERE status != 'rejected'"
    assert sums["students"] == one(conn, "SELECT count(*) FROM roster_students")
    assert sums["registered"] == one(conn, f"SELECT count(*) FROM ({guardians})")  # noqa: S608
    assert sums["confirmed"] == one(
        conn,
        "SELECT count(*) FROM (SELECT DISTINCT class_id, parent_id FROM guardian_links "
        "WHERE status = 'approved')",
    )
    assert sums["pending"] == one(
        conn,
        "SELECT count(*) FROM (SELECT DISTINCT class_id, parent_id FROM guardian_links "
        "WHERE status = 'pending')",
    )
    certified = (
        f"SELECT count(*) FROM ({guardians}) g WHERE EXISTS (SELECT 1 FROM certificates c "  # noqa: S608
        "WHERE c.user_id = g.parent_id AND c.expires_at > ?)"
    )
    assert sums["certified"] == one(conn, certified, NOW)
    assert sums["invited"] == one(
        conn, "SELECT count(*) FROM (SELECT DISTINCT class_id, parent_id FROM invite_tokens)"
    )
    assert sums["joined"] == one(
        conn, "SELECT count(*) FROM group_memberships WHERE joined_at IS NOT NULL AND removed_at IS NULL"
    )
    assert sums["joined"] > 0
    # the funnel narrows step by step in every class
    funnel = """
        SELECT count(*) FROM class_rollups WHERE NOT (registered >= learning AND learning >= passed
        AND passed >= charter_accepted AND charter_accepted >= invited AND invited >= joined
        AND registered = confirmed + pending)
    """
    assert one(conn, funnel) == 0
    course = "SELECT count(DISTINCT course_slug), sum(attempts) FROM course_rollups"
    courses, attempts = conn.execute(course).fetchone()
    assert courses == len(catalogue().for_audience("parent")) and attempts > 0
    answered = one(conn, "SELECT sum(answered) FROM question_rollups")
    sampled = f"""
        SELECT count(*) FROM attempt_answers aa JOIN quiz_attempts a ON a.id = aa.attempt_id
        JOIN (SELECT DISTINCT gl.parent_id, c.school_id FROM guardian_links gl
              JOIN classes c ON c.id = gl.class_id WHERE gl.status != 'rejected') ps
          ON ps.parent_id = a.user_id
        WHERE a.course_slug IN ({slugs("parent")})
    """  # noqa: S608
    assert answered == one(conn, sampled)


def _digest(database: Path) -> str:
    conn = sqlite3.connect(database)
    digest = hashlib.sha256()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        cursor = conn.execute(f"SELECT * FROM {table}")  # noqa: S608
        # the one argon2 hash everybody shares has a random salt: the only difference allowed
        keep = [i for i, d in enumerate(cursor.description) if d[0] != "password_hash"]
        for row in sorted(repr([r[i] for i in keep]) for r in cursor):
            digest.update(row.encode())
    conn.close()
    return digest.hexdigest()


def test_same_seed_same_city_and_refusals(city, tmp_path):
    _conn, database, _stdout = city
    again = tmp_path / "again.sqlite3"
    assert run_generator(again).returncode == 0
    assert _digest(again) == _digest(database)
    # a database with tables in it is kept unless --reset is given
    refused = run_generator(again)
    assert refused.returncode == 2 and "--reset" in refused.stderr
    # and the test suite's database is never a target
    test_db = tmp_path / "test.sqlite3"
    refused = run_generator(test_db)
    assert refused.returncode == 2 and "test" in refused.stderr
    assert not test_db.exists()
