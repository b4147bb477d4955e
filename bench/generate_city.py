#!/usr/bin/env python
"""A synthetic city for benchmarks: bureaus, schools, classes, rosters, parents and their progress.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/parentpass_bench \\
        .venv/bin/python bench/generate_city.py --schools 2161 --seed 1
    DATABASE_URL=sqlite:////tmp/city.sqlite3 .venv/bin/python bench/generate_city.py --schools 20

The schema comes from the app's Alembic migrations. Rows are generated school by school in
Python streams and written in batches (PostgreSQL: COPY on a writer thread, with the secondary
indexes, unique constraints and foreign keys dropped during the load and recreated afterwards;
SQLite: executemany). Ids are assigned here; sequences are set at the end. Finally the question
roll-ups are computed from the sampled answers, `refresh_classes(None, …)` builds every class's
roll-ups and (PostgreSQL) VACUUM ANALYZE leaves the tables ready for index-only scans.

Same `--seed`, `--now` and sizes give the same rows. Everyone's password is BENCH_PASSWORD; an
invite token's code is `invite_code(seed, token_id)` (hashed under the app's TOKEN_KEY_ID).
See bench/README.md, "Synthetic city".
"""

# Synthetic data: seeded pseudo-randomness is the point (S311); table names in SQL come from the
# TABLES constant below, never from input (S608); no real secrets here (S105).
# ruff: noqa: S311, S608, S105

from __future__ import annotations

import argparse
import functools
import hashlib
import hmac
import json
import os
import queue
import random
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "parentpass-bench"  # noqa: S105 - synthetic accounts only
DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

CITY = "滨海市教育局"
DISTRICTS = [
    "东城区",
    "西城区",
    "南湖区",
    "北山区",
    "江岸区",
    "高新区",
    "开发区",
    "临港区",
    "河西区",
    "河东区",
    "青山区",
    "金沙区",
]
GRADE_NAMES = "一二三四五六"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉力梅鑫晨宇浩然子涵梓轩欣怡思琪雨桐"
    "一诺佳琪俊杰博文子墨若曦诗涵语嫣铭泽宇航皓轩嘉怡睿文昊然心怡天佑沐宸紫萱可馨书瑶晓东海燕丹丹晶晶"
)
RELATIONS_FIRST = (
    ("mother", 0.6),
    ("father", 0.33),
    ("grandmother_maternal", 0.04),
    ("other_guardian", 0.03),
)
RELATIONS_SECOND = {
    "mother": ("father", "grandmother_paternal", "grandfather_paternal", "grandmother_maternal"),
    "father": ("mother", "grandmother_paternal", "grandfather_maternal"),
    "grandmother_maternal": ("mother", "grandfather_maternal"),
    "other_guardian": ("mother", "father"),
}
THIRD = ("grandmother_paternal", "grandfather_paternal", "grandmother_maternal", "grandfather_maternal")
REJECT_REASONS = ("不是本班学生的家长", "孩子姓名与花名册不符", "重复申请")

# Table → columns, in an order that respects the foreign keys.
TABLES: dict[str, tuple[str, ...]] = {
    "bureaus": ("id", "name", "parent_id"),
    "schools": ("id", "name", "bureau_id", "timezone", "require_teacher_certificate"),
    "users": (
        "id",
        "phone",
        "password_hash",
        "real_name",
        "role",
        "wechat_id",
        "school_id",
        "bureau_id",
        "created_at",
        "active",
    ),
    "classes": (
        "id",
        "school_id",
        "grade",
        "name",
        "school_year",
        "join_code",
        "head_teacher_id",
        "created_at",
        "status",
        "invite_policy",
        "invite_valid_hours",
    ),
    "charters": ("id", "class_id", "version", "quiet_start", "quiet_end", "created_at"),
    "roster_students": ("id", "class_id", "name", "student_number", "guardian_phone"),
    "guardian_links": (
        "id",
        "parent_id",
        "class_id",
        "student_id",
        "child_name",
        "relation",
        "status",
        "created_at",
        "decided_at",
        "decided_by_id",
        "reject_reason",
    ),
    "lesson_reads": ("id", "user_id", "course_slug", "lesson_slug", "first_read_at", "last_read_at"),
    "quiz_attempts": (
        "id",
        "user_id",
        "course_slug",
        "course_version",
        "draw",
        "started_at",
        "submitted_at",
        "score",
        "total",
        "passed",
    ),
    "attempt_answers": ("id", "attempt_id", "position", "question_id", "chosen", "correct"),
    "certificates": ("id", "number", "user_id", "audience", "content_version", "issued_at", "expires_at"),
    "charter_acceptances": ("id", "user_id", "charter_id", "accepted_at"),
    "invite_tokens": (
        "id",
        "class_id",
        "parent_id",
        "wechat_id",
        "token_hash",
        "key_id",
        "issued_at",
        "expires_at",
        "used_at",
        "used_by_id",
        "revoked_at",
        "revoked_by_id",
        "revoke_reason",
    ),
    "group_memberships": (
        "id",
        "class_id",
        "parent_id",
        "invite_approved_at",
        "invite_approved_by_id",
        "joined_at",
        "removed_at",
        "removed_by_id",
    ),
}

_dt = datetime.fromtimestamp


def ts(value: float) -> datetime:
    return _dt(value, UTC)


# ---------------------------------------------------------------- deterministic unique codes


@functools.cache
def _mix(seed: int, salt: int, bits: int) -> tuple[int, int]:
    digest = hashlib.sha256(f"{seed}:{salt}".encode()).digest()
    mask = (1 << bits) - 1
    return (int.from_bytes(digest[:8], "big") | 1) & mask, int.from_bytes(digest[8:16], "big") & mask


def permute(n: int, bits: int, seed: int, salt: int) -> int:
    """A bijection on [0, 2**bits): the same n always gives the same value, two n never collide."""
    mask = (1 << bits) - 1
    a, b = _mix(seed, salt, bits)
    x = (n * a + b) & mask
    x ^= x >> (bits // 2)
    x = (x * ((a ^ 0x5DEECE66D) | 1)) & mask
    x ^= x >> (bits // 3)
    return x


def crockford(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def invite_code(seed: int, token_id: int) -> str:
    """The 10-character code of synthetic invite token `token_id` (what a parent would type)."""
    return crockford(permute(token_id, 50, seed, 3), 10)


class Phones:
    """Unique mobile numbers 1[3-9]xxxxxxxxx from a counter: an affine bijection mod 7·10⁹."""

    M = 7 * 10**9
    A = 2654435761  # odd, coprime with 5 and 7

    def __init__(self, seed: int):
        self.b = int(hashlib.sha256(f"phones:{seed}".encode()).hexdigest(), 16) % self.M

    def __call__(self, n: int) -> str:
        x = (n * self.A + self.b) % self.M
        return f"1{3 + x // 10**9}{x % 10**9:09d}"


# ---------------------------------------------------------------- content


class CourseInfo:
    """What the generator needs of one course: lessons, quiz bank and a pool of real draws."""

    def __init__(self, course, rng: random.Random, pool_size: int):
        from app.quizzes.draw import build_draw

        self.slug = course.slug
        self.version = course.version
        self.lessons = [lesson.slug for lesson in course.lessons]
        quiz = course.quiz
        self.total = quiz.draw
        self.pass_mark = quiz.pass_mark()
        self.questions = {
            q.id: (q.type, sorted(q.correct_keys), [c.key for c in q.choices]) for q in quiz.questions
        }

        def token() -> str:
            return "".join(rng.choice(TOKEN_CHARS) for _ in range(12))

        self.draws = []
        for _ in range(pool_size):
            draw = build_draw(quiz, (), rng, token)
            self.draws.append((json.dumps(draw, separators=(", ", ": ")), [item["q"] for item in draw]))


# ---------------------------------------------------------------- writers


class SqliteWriter:
    """executemany in batches on the app engine's raw sqlite3 connection."""

    def __init__(self, engine):
        self.raw = engine.raw_connection()
        self.seconds: dict[str, float] = {}

    @staticmethod
    def _value(v):
        if isinstance(v, datetime):
            return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, bool):
            return int(v)
        return v

    def write(self, batch: dict[str, list[tuple]]) -> None:
        cursor = self.raw.cursor()
        conv = self._value
        for table, columns in TABLES.items():
            rows = batch.get(table)
            if not rows:
                continue
            start = time.perf_counter()
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            cursor.executemany(sql, [tuple(conv(v) for v in row) for row in rows])
            self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - start
        self.raw.commit()

    def close(self) -> None:
        self.raw.commit()
        self.raw.close()


class PostgresWriter:
    """COPY … FROM STDIN on its own connection, in a thread, so generating the next batch overlaps
    the server's work on this one. One transaction, committed by `close()`."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url)
        self.seconds: dict[str, float] = {}
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="copy-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.conn.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                while (batch := self.queue.get()) is not None:
                    for table, columns in TABLES.items():
                        rows = batch.get(table)
                        if not rows:
                            continue
                        start = time.perf_counter()
                        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            write = copy.write_row
                            for row in rows:
                                write(row)
                        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - start
        except BaseException as error:  # handed to the main thread, which stops producing
            self.error = error
            while self.queue.get() is not None:
                pass

    def write(self, batch: dict[str, list[tuple]]) -> None:
        if self.error:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            self.conn.rollback()
            self.conn.close()
            raise self.error
        self.conn.commit()
        self.conn.close()


# ---------------------------------------------------------------- the city


class City:
    """Generates the city school by school into batches of rows (table → list of tuples)."""

    def __init__(self, args, catalogue, password_hash: str, token_key_id: str, token_key: bytes):
        self.args = args
        self.seed = args.seed
        self.rng = random.Random(args.seed)
        self.now = args.now.timestamp()
        self.term_start = self.now - 84 * DAY
        year = args.now.year if args.now.month >= 9 else args.now.year - 1
        self.school_year = f"{year}-{year + 1}"
        self.entry_year = year
        self.password_hash = password_hash
        self.key_id = token_key_id
        self.token_key = token_key
        self.phones = Phones(args.seed)
        self.ids = dict.fromkeys(TABLES, 0)
        self.counts = dict.fromkeys(TABLES, 0)
        self.batch: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.batch_rows = 0
        self.phone_n = 0
        pool_rng = random.Random(f"{args.seed}:draws")
        self.courses = [CourseInfo(c, pool_rng, args.draw_pool) for c in catalogue.for_audience("parent")]
        self.teacher_courses = [CourseInfo(c, pool_rng, 16) for c in catalogue.for_audience("teacher")]
        self.parent_content = catalogue.content_version("parent")
        self.teacher_content = catalogue.content_version("teacher")
        self.stats = dict.fromkeys(
            ("parents", "certified_parents", "expired_certificates", "certified_teachers", "sibling_links"), 0
        )

    # -- plumbing

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def emit(self, table: str, row: tuple) -> None:
        self.batch[table].append(row)
        self.batch_rows += 1

    def take_batch(self) -> dict[str, list[tuple]]:
        batch = self.batch
        for table, rows in batch.items():
            self.counts[table] += len(rows)
        self.batch = {t: [] for t in TABLES}
        self.batch_rows = 0
        return batch

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def user(self, uid: int, role: str, created: float, school_id=None, bureau_id=None, wechat=None) -> str:
        """Emit a user row; returns the phone number (unique: a bijection of a counter)."""
        self.phone_n += 1
        phone = self.phones(self.phone_n)
        row = (uid, phone, self.password_hash, self.person_name(), role, wechat, school_id, bureau_id)
        self.emit("users", (*row, ts(created), True))
        return phone

    def wechat(self, uid: int) -> str:
        return "wxid_" + crockford(permute(uid, 50, self.seed, 5), 10).lower()

    def certificate(self, uid: int, audience: str, content: str, issued: float) -> None:
        cid = self.next_id("certificates")
        code = crockford(permute(cid, 60, self.seed, 2), 12)
        number = f"PP-{code[:4]}-{code[4:8]}-{code[8:]}"
        self.emit("certificates", (cid, number, uid, audience, content, ts(issued), ts(issued + 365 * DAY)))

    # -- organisations

    def organisations(self) -> list[tuple[int, int]]:
        """The city, its districts, one bureau user each, and the schools: [(school id, bureau id)]."""
        rng = self.rng
        city = self.next_id("bureaus")
        self.emit("bureaus", (city, CITY, None))
        districts = []
        for name in DISTRICTS:
            bid = self.next_id("bureaus")
            self.emit("bureaus", (bid, f"{name}教育局", city))
            districts.append((bid, name))
        for bid in [city] + [d[0] for d in districts]:
            self.user(self.next_id("users"), "bureau", self.term_start - 60 * DAY, bureau_id=bid)
        weights = [rng.uniform(0.5, 1.5) for _ in districts]
        numbers = [0] * len(districts)
        schools = []
        for _ in range(self.args.schools):
            d = rng.choices(range(len(districts)), weights)[0]
            numbers[d] += 1
            sid = self.next_id("schools")
            bid, dname = districts[d]
            strict = rng.random() < 0.2  # invites wait for the head teacher's own certificate
            self.emit("schools", (sid, f"{dname}第{numbers[d]}小学", bid, "Asia/Shanghai", strict))
            schools.append((sid, strict))
        return schools

    # -- quizzes

    def attempt(self, uid: int, course: CourseInfo, start: float, passed: bool | None) -> float | None:
        """One attempt, submitted (passed or failed) or, with passed None or when it would end
        after `now`, left open. Returns the submission time, None when left open."""
        rng = self.rng
        aid = self.next_id("quiz_attempts")
        draw_json, qids = course.draws[rng.randrange(len(course.draws))]
        done = start + rng.uniform(90, 480)
        if passed is None or done >= self.now:
            row = (
                aid,
                uid,
                course.slug,
                course.version,
                draw_json,
                ts(start),
                None,
                None,
                course.total,
                None,
            )
            self.emit("quiz_attempts", row)
            return None
        if passed:
            score = course.pass_mark + (course.pass_mark < course.total and rng.random() < 0.55)
        else:
            r = rng.random()
            score = max(0, course.pass_mark - 1 - (r > 0.6) - (r > 0.9))
        row = (
            aid,
            uid,
            course.slug,
            course.version,
            draw_json,
            ts(start),
            ts(done),
            score,
            course.total,
            passed,
        )
        self.emit("quiz_attempts", row)
        if rng.random() < self.args.answer_sample:
            right = set(rng.sample(range(len(qids)), score))
            for position, qid in enumerate(qids):
                qtype, correct_keys, keys = course.questions[qid]
                if position in right:
                    chosen = correct_keys
                elif qtype == "multiple":
                    chosen = correct_keys
                    while chosen == correct_keys:
                        chosen = sorted(rng.sample(keys, rng.randint(1, len(keys))))
                else:
                    chosen = [rng.choice([k for k in keys if k not in correct_keys])]
                answer = (
                    self.next_id("attempt_answers"),
                    aid,
                    position,
                    qid,
                    json.dumps(chosen),
                    position in right,
                )
                self.emit("attempt_answers", answer)
        return done

    def course_path(self, uid: int, course: CourseInfo, t: float, outcome: str, fails: int):
        """Read a course's lessons and take its quiz. outcome: pass (after `fails` failures),
        stuck (`fails` failures), no_quiz (read all, at most an open attempt), partial (some
        lessons). Stops at `now`. Returns (time reached, first read or None, passed)."""
        rng = self.rng
        now = self.now
        lessons = course.lessons
        upto = rng.randint(1, len(lessons) - 1) if outcome == "partial" else len(lessons)
        reads = []
        for lesson in lessons[:upto]:
            t += rng.expovariate(1 / (3 * HOUR)) + 120
            if t >= now:
                break
            reads.append([lesson, t, t])
        passed = False
        if outcome != "partial" and len(reads) == len(lessons):
            t += rng.expovariate(1 / HOUR) + 60
            if outcome == "no_quiz":
                if rng.random() < 0.25 and t < now:
                    self.attempt(uid, course, t, None)
            else:
                for attempt_no in range(fails + (outcome == "pass")):
                    if t >= now:
                        break
                    is_pass = attempt_no == fails
                    done = self.attempt(uid, course, t, is_pass)
                    if done is None:
                        break
                    t = done
                    if is_pass:
                        passed = True
                        break
                    # what a failed attempt asks: reread the lessons behind the missed questions
                    t += rng.expovariate(1 / (10 * HOUR)) + 300
                    if t < now:
                        for read in rng.sample(reads, rng.randint(1, 2)):
                            read[2] = t
                    t += rng.expovariate(1 / (8 * HOUR)) + 300
        emit, next_id, slug = self.emit, self.next_id, course.slug
        for lesson, first, last in reads:
            emit("lesson_reads", (next_id("lesson_reads"), uid, slug, lesson, ts(first), ts(last)))
        return t, (reads[0][1] if reads else None), passed

    def teacher_progress(self, uid: int, start: float, strict: bool) -> float | None:
        """A head teacher's group-owner course; returns their certificate's time, or None."""
        rng = self.rng
        if rng.random() >= (0.9 if strict else 0.55):
            return None
        t = start + rng.uniform(0.5, 30) * DAY
        for course in self.teacher_courses:
            t, _first, passed = self.course_path(uid, course, t, "pass", int(rng.random() < 0.25))
            if not passed:
                return None
        self.certificate(uid, "teacher", self.teacher_content, t)
        self.stats["certified_teachers"] += 1
        return t

    def parent_progress(self, uid: int, t_link: float, q: float) -> tuple[float | None, float | None, float]:
        """A new parent's reading, quizzes and certificate; `q` is the class's completion level.
        Returns (first read, time of a certificate valid now, time shift of an earlier year)."""
        rng = self.rng
        start_p = min(0.97, 0.55 + 0.5 * q)
        if rng.random() >= start_p:
            return None, None, 0.0
        # 2 %: certified in an earlier school year, the certificate has expired since
        old_cycle = rng.random() < 0.02
        shift = (365 + 84 + rng.uniform(7, 60)) * DAY if old_cycle else 0.0
        cont = 1.0 if old_cycle else min(0.99, (q / start_p) ** (1 / 3))
        t = t_link - shift + rng.expovariate(1 / (18 * HOUR)) + 60
        first_read = None
        for index, course in enumerate(self.courses):
            if index:
                t += rng.expovariate(1 / (30 * HOUR))
            if rng.random() < cont:
                r = rng.random()
                outcome, fails = "pass", (0 if r < 0.65 else 1 if r < 0.87 else 2 if r < 0.96 else 3)
            else:
                r = rng.random()
                outcome = "partial" if r < 0.45 else "no_quiz" if r < 0.65 else "stuck"
                fails = rng.choice((1, 1, 1, 2, 2, 3))
            t, first, passed = self.course_path(uid, course, t, outcome, fails)
            first_read = first_read or first
            if not passed:
                return first_read, None, shift
        self.certificate(uid, "parent", self.parent_content, t)
        if t + 365 * DAY <= self.now:
            self.stats["expired_certificates"] += 1
            return first_read, None, shift
        self.stats["certified_parents"] += 1
        return first_read, t, shift

    # -- a class's side: charter, approval, invites, group

    def class_side(self, cls: dict, parent: dict, link_ok: float | None) -> None:
        """Charter acceptance for a link not declined; for an approved one (`link_ok`: when) also
        the teacher's go-ahead, invite tokens and admission when the parent is eligible."""
        rng = self.rng
        now = self.now
        cert = parent["cert"]
        t_link = parent["t_link"]
        p_accept = 0.92 if cert is not None else 0.3 if parent["first_read"] is not None else 0.1
        accepted = None
        if rng.random() < p_accept:
            base = t_link if cert is None or rng.random() < 0.4 else max(cert, t_link)
            t = base + rng.expovariate(1 / (20 * HOUR)) + 60
            if t < now:
                accepted = t
                row = (self.next_id("charter_acceptances"), parent["uid"], cls["charter"], ts(t))
                self.emit("charter_acceptances", row)
        if link_ok is None or cert is None or accepted is None or parent["wechat"] is None:
            return
        ready = max(cert, accepted, link_ok)
        teacher = cls["teacher"]
        if cls["strict"]:
            if cls["teacher_cert"] is None:
                return
            ready = max(ready, cls["teacher_cert"])
        approved = joined = removed = None
        if cls["approval"]:
            if rng.random() >= 0.88:
                return
            approved = ready + rng.expovariate(1 / (20 * HOUR)) + 60
            if approved >= now:
                return
            ready = approved
        if rng.random() < cls["p_invite"]:
            t = ready + rng.expovariate(1 / (24 * HOUR)) + 30
            valid = cls["valid_hours"] * HOUR
            while t < now:
                tid = self.next_id("invite_tokens")
                digest = hmac.new(self.token_key, invite_code(self.seed, tid).encode(), hashlib.sha256)
                expires = t + valid
                used = again = None
                r = rng.random()
                if r < 0.06:  # asked for a new code before using this one
                    again = t + rng.uniform(10 * MINUTE, valid * 0.8)
                elif r < 0.06 + cls["p_join"]:
                    u = t + rng.expovariate(1 / (10 * HOUR)) + 60
                    if u < min(expires, now):
                        used = u
                if used is None and again is None and expires < now and rng.random() < 0.5:
                    again = expires + rng.expovariate(1 / (48 * HOUR))  # came back for a new one
                revoked = again if again is not None and again < now else None
                self.emit(
                    "invite_tokens",
                    (
                        tid,
                        cls["id"],
                        parent["uid"],
                        parent["wechat"],
                        digest.hexdigest(),
                        self.key_id,
                        ts(t),
                        ts(expires),
                        ts(used) if used else None,
                        teacher if used else None,
                        ts(revoked) if revoked else None,
                        parent["uid"] if revoked else None,
                        "replaced" if revoked else None,
                    ),
                )
                if used is not None:
                    joined = used
                    gone = used + rng.expovariate(1 / (5 * DAY)) + HOUR
                    if rng.random() < 0.005 and gone < now:  # removed from the group since
                        joined = approved = None
                        removed = gone
                    break
                if revoked is None:
                    break
                t = revoked
        if approved is None and joined is None and removed is None:
            return
        self.emit(
            "group_memberships",
            (
                self.next_id("group_memberships"),
                cls["id"],
                parent["uid"],
                ts(approved) if approved else None,
                teacher if approved else None,
                ts(joined) if joined else None,
                ts(removed) if removed else None,
                teacher if removed else None,
            ),
        )

    # -- a school

    def new_parent(self, t_reg: float, q: float) -> dict:
        rng = self.rng
        uid = self.next_id("users")
        wechat = self.wechat(uid) if rng.random() < 0.92 else None
        first_read, cert, shift = self.parent_progress(uid, t_reg, q)
        phone = self.user(uid, "parent", t_reg - shift - rng.uniform(30, 600), wechat=wechat)
        self.stats["parents"] += 1
        return {
            "uid": uid,
            "wechat": wechat,
            "cert": cert,
            "t_link": t_reg,
            "first_read": first_read,
            "phone": phone,
        }

    def link(self, cls: dict, parent: dict, student_id: int, child: str, relation: str) -> None:
        rng = self.rng
        t_link = parent["t_link"]
        teacher = cls["teacher"]
        decided_by = reason = None
        r = rng.random()
        if r < 0.01:
            status, decided = "rejected", t_link + rng.expovariate(1 / (12 * HOUR)) + 60
            decided_by, reason = teacher, rng.choice(REJECT_REASONS)
        elif r < 0.04:
            status, decided = "pending", None
        elif r < 0.75:  # two facts matched the roster: approved at once
            status, decided = "approved", t_link
        else:  # approved by the teacher
            status, decided = "approved", t_link + rng.expovariate(1 / (10 * HOUR)) + 60
            decided_by = teacher
        if decided is not None and decided >= self.now:
            status, decided, decided_by, reason = "pending", None, None, None
        self.emit(
            "guardian_links",
            (
                self.next_id("guardian_links"),
                parent["uid"],
                cls["id"],
                student_id,
                child,
                relation,
                status,
                ts(t_link),
                ts(decided) if decided else None,
                decided_by,
                reason,
            ),
        )
        if status != "rejected":
            self.class_side(cls, parent, decided if status == "approved" else None)

    def school(self, school_id: int, number: int, strict: bool, lagging: bool) -> None:
        rng = self.rng
        args = self.args
        now = self.now
        school_q = rng.uniform(0.15, 0.35) if lagging else rng.uniform(0.45, 0.85)
        for _ in range(2):
            self.user(self.next_id("users"), "staff", self.term_start - rng.uniform(20, 60) * DAY, school_id)
        pool: list[dict] = []  # parents of earlier classes of this school: a sibling's parent is reused
        whole, frac = int(args.classes_per_grade), args.classes_per_grade % 1
        for grade in range(1, 7):
            for k in range(1, max(1, whole + (rng.random() < frac)) + 1):
                created = self.term_start - rng.uniform(1, 10) * DAY
                teacher = self.next_id("users")
                self.user(teacher, "teacher", created - rng.uniform(1, 30) * DAY, school_id)
                teacher_cert = self.teacher_progress(teacher, created, strict)
                class_id = self.next_id("classes")
                charter_id = self.next_id("charters")
                approval = rng.random() < 0.2
                self.emit(
                    "classes",
                    (
                        class_id,
                        school_id,
                        grade,
                        f"{GRADE_NAMES[grade - 1]}年级{k}班",
                        self.school_year,
                        crockford(permute(class_id, 40, self.seed, 1), 8),
                        teacher,
                        ts(created),
                        "active",
                        "approval" if approval else "automatic",
                        72,
                    ),
                )
                # what create_class() does: version 1 of the charter, the default template
                self.emit("charters", (charter_id, class_id, 1, "21:30", "07:00", ts(created)))
                class_lag = rng.random() < 0.08
                q = school_q * (rng.uniform(0.3, 0.6) if class_lag else rng.uniform(0.85, 1.15))
                q = min(0.95, max(0.03, q))
                reg = rng.uniform(0.5, 0.8) if class_lag or lagging else rng.uniform(0.86, 1.0)
                late = 1.3 if class_lag else 2.6  # beta shape: lagging classes register later
                cls = {
                    "id": class_id,
                    "charter": charter_id,
                    "teacher": teacher,
                    "teacher_cert": teacher_cert,
                    "strict": strict,
                    "approval": approval,
                    "valid_hours": 72,
                    "p_invite": 0.6 if class_lag else rng.uniform(0.8, 0.95),
                    "p_join": 0.85,
                }
                size = max(3, min(50, round(rng.gauss(args.class_size, args.class_size * 0.12))))
                new_pool = []
                in_class = set()
                for seat in range(1, size + 1):
                    student_id = self.next_id("roster_students")
                    child = self.person_name()
                    student_number = f"{self.entry_year - grade + 1}{number:04d}{k}{seat:02d}"
                    guardians = 0
                    if rng.random() < reg:
                        guardians = 1 + (rng.random() < 0.62) + (rng.random() < 0.08)
                    first_phone = relation = None
                    for g in range(guardians):
                        if g == 0:
                            r, acc = rng.random(), 0.0
                            for relation, weight in RELATIONS_FIRST:  # noqa: B007 - the one reached
                                acc += weight
                                if r < acc:
                                    break
                        elif g == 1:
                            relation = rng.choice(RELATIONS_SECOND[relation])
                        else:
                            relation = rng.choice(THIRD)
                        t_reg = self.term_start + 84 * DAY * rng.betavariate(1.3, late)
                        t_reg = min(t_reg, now - rng.uniform(5, 600) * MINUTE)
                        sibling = rng.choice(pool) if pool and rng.random() < 0.03 else None
                        if sibling is not None and sibling["uid"] not in in_class:
                            parent = dict(sibling, t_link=max(sibling["t_link"], t_reg))
                            self.stats["sibling_links"] += 1
                        else:
                            parent = self.new_parent(t_reg, q)
                            new_pool.append(parent)
                        in_class.add(parent["uid"])
                        if g == 0:
                            first_phone = parent["phone"]
                        self.link(cls, parent, student_id, child, relation)
                    if first_phone is not None and rng.random() < 0.7:
                        guardian_phone = first_phone
                    elif rng.random() < 0.5:  # a phone number of a guardian who never registered
                        guardian_phone = self.phones(50_000_000 + student_id)
                    else:
                        guardian_phone = None
                    self.emit(
                        "roster_students", (student_id, class_id, child, student_number, guardian_phone)
                    )
                pool.extend(new_pool)


# ---------------------------------------------------------------- database set-up and finish


def _refuse(message: str) -> None:
    print(f"generate_city: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_target(url) -> None:
    name = url.database or ""
    if name == "test" or Path(name).stem == "test":
        _refuse("refusing to touch a database named 'test' (the test suite's)")


def prepare_schema(db, reset: bool) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, inspect

    tables = inspect(db.engine).get_table_names()
    if tables:
        if not reset:
            _refuse(f"the database is not empty ({len(tables)} tables); pass --reset to drop everything")
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
    upgrade()


def pg_drop_secondary(url: str) -> list[str]:
    """Drop foreign keys, unique constraints and non-primary indexes of the loaded tables; return
    the statements that recreate them exactly (names and definitions from the catalogue)."""
    import psycopg

    names = list(TABLES)
    recreate_indexes, recreate_unique, recreate_fk, drops = [], [], [], []
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('f', 'u')
              AND c.conrelid::regclass::text = ANY(%s)
            ORDER BY c.contype, c.conname
            """,
            (names,),
        )
        for table, name, kind, definition in cur.fetchall():
            statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            (recreate_fk if kind == "f" else recreate_unique).append(statement)
            drops.append((0 if kind == "f" else 1, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        cur.execute(
            """
            SELECT i.tablename, i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = (quote_ident(i.indexname))::regclass)
            ORDER BY i.indexname
            """,
            (names,),
        )
        for _table, name, definition in cur.fetchall():
            recreate_indexes.append(definition)
            drops.append((2, f'DROP INDEX "{name}"'))
        for _order, statement in sorted(drops, key=lambda d: d[0]):
            cur.execute(statement)
    return recreate_indexes + recreate_unique + recreate_fk


def pg_finish(url: str, statements: list[str], say) -> None:
    """Recreate what was dropped, set the id sequences, analyse."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        for statement in statements:
            start = time.perf_counter()
            cur.execute(statement)
            say(f"  {statement[:110]}  {time.perf_counter() - start:.1f}s")
        for table in TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        start = time.perf_counter()
        cur.execute("ANALYZE")
        say(f"  ANALYZE  {time.perf_counter() - start:.1f}s")


QUESTION_ROLLUPS = """
INSERT INTO question_rollups (school_id, course_slug, question_id, answered, correct)
SELECT ps.school_id, qa.course_slug, aa.question_id, COUNT(*),
       SUM(CASE WHEN aa.correct THEN 1 ELSE 0 END)
FROM attempt_answers aa
JOIN quiz_attempts qa ON qa.id = aa.attempt_id
JOIN (SELECT DISTINCT gl.parent_id, c.school_id
      FROM guardian_links gl JOIN classes c ON c.id = gl.class_id
      WHERE gl.status <> 'rejected') ps ON ps.parent_id = qa.user_id
WHERE qa.course_slug IN ({courses})
GROUP BY ps.school_id, qa.course_slug, aa.question_id
"""


# ---------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=2161)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="drop every table first")
    parser.add_argument("--answer-sample", type=float, default=0.02, help="share of attempts with answers")
    parser.add_argument("--class-size", type=float, default=33, help="mean students per class")
    parser.add_argument("--classes-per-grade", type=float, default=2.31, help="mean classes per grade")
    parser.add_argument("--draw-pool", type=int, default=512, help="distinct draws per course")
    parser.add_argument("--batch-rows", type=int, default=250_000, help="rows per write batch")
    parser.add_argument(
        "--now",
        type=lambda s: datetime.fromisoformat(s).astimezone(UTC),
        default=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0),
        help="the city's 'now' (ISO; default today 00:00 UTC): timestamps fall in the 12 weeks before",
    )
    parser.add_argument(
        "--no-vacuum",
        dest="vacuum",
        action="store_false",
        help="PostgreSQL: skip the final VACUUM ANALYZE (visibility map, hint bits, statistics)",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if not args.database_url:
        _refuse("set DATABASE_URL (or --database-url): the generator never guesses a database")
    from sqlalchemy.engine import make_url

    url = make_url(args.database_url)
    check_target(url)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)

    from app import create_app
    from app.content.registry import catalogue
    from app.extensions import db
    from app.security import hash_password

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        prepare_schema(db, args.reset)
        say("schema created by the migrations")
        raw_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        recreate = pg_drop_secondary(raw_url) if postgres else []
        if recreate:
            say(f"dropped {len(recreate)} secondary indexes and constraints for the load")
        key_id = app.config["TOKEN_KEY_ID"]
        token_key = app.config["TOKEN_KEYS"][key_id].encode()
        city = City(args, catalogue(), hash_password(BENCH_PASSWORD), key_id, token_key)
        writer = PostgresWriter(raw_url) if postgres else SqliteWriter(db.engine)
        shown = ("users", "guardian_links", "lesson_reads", "quiz_attempts", "certificates", "invite_tokens")
        try:
            schools = city.organisations()
            writer.write(city.take_batch())
            lagging = set(city.rng.sample(range(len(schools)), k=round(len(schools) * 0.05)))
            last_report = time.perf_counter()
            for index, (school_id, strict) in enumerate(schools):
                city.school(school_id, index + 1, strict=strict, lagging=index in lagging)
                last = index == len(schools) - 1
                if city.batch_rows >= args.batch_rows or last:
                    writer.write(city.take_batch())
                    if time.perf_counter() - last_report > 15 or last:
                        last_report = time.perf_counter()
                        progress = "  ".join(f"{t} {city.counts[t]:,}" for t in shown)
                        say(f"schools {index + 1:,}/{len(schools):,}  {progress}")
        finally:
            writer.close()
        say("rows written; per table (rows, seconds spent writing):")
        for table in TABLES:
            say(f"  {table:<20} {city.counts[table]:>12,}  {writer.seconds.get(table, 0.0):7.1f}s")
        if postgres:
            say("recreating indexes and constraints")
            pg_finish(raw_url, recreate, say)
            say("indexes, constraints, sequences and statistics done")
        from sqlalchemy import text

        required = [c.slug for c in catalogue().for_audience("parent")]
        start = time.perf_counter()
        courses = ", ".join(f"'{slug}'" for slug in required)
        db.session.execute(text(QUESTION_ROLLUPS.format(courses=courses)))
        db.session.commit()
        say(f"question_rollups from the answer sample  {time.perf_counter() - start:.1f}s")

        from app.reports.rollups.refresh import refresh_classes

        start = time.perf_counter()
        if postgres:
            db.session.execute(text("SET work_mem = '256MB'"))
        refresh_classes(None, required, args.now)
        db.session.commit()
        refresh_seconds = time.perf_counter() - start
        say(f"refresh_classes(None, …)  {refresh_seconds:.1f}s")
        if postgres and args.vacuum:
            start = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            say(f"VACUUM ANALYZE  {time.perf_counter() - start:.1f}s")
        counts = {}
        for table in (*TABLES, "class_rollups", "course_rollups", "weekly_rollups", "question_rollups"):
            counts[table] = db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        size = db.session.scalar(text("SELECT pg_database_size(current_database())")) if postgres else None
        db.session.remove()
    total = time.perf_counter() - started
    say(f"done in {total:.1f}s" + (f"; database size {size / 2**30:.2f} GiB" if size else ""))
    for key, value in city.stats.items():
        say(f"  {key}: {value:,}")
    return {
        "counts": counts,
        "seconds": total,
        "refresh_seconds": refresh_seconds,
        "size": size,
        **city.stats,
    }


if __name__ == "__main__":
    main()
