"""Report speed at city scale: each report beside the naive way of computing it, in one run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/parentpass_bench \
        .venv/bin/python bench/reports_bench.py [--repeat 20]

Run it on the synthetic city of bench/generate_city.py. Prints p50 / p95 in milliseconds for:
- school overview: everything the school report page computes, from the roll-ups, against the
  naive way: the same figures aggregated live from the raw rows (the roll-up SQL without the table);
- bureau overview (the city): the same, over all 2,161 schools;
- class page: the head teacher's class overview (a fixed number of queries) against one
  eligibility check per guardian (the N+1 a naive page would do);
- full-city CSV export of every class, streamed, with its peak Python memory against building
  the whole file first.
The ratio naive / ours is the figure that counts on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.classes.overview import class_overview  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.classes.models import SchoolClass  # noqa: E402
from app.content.registry import catalogue  # noqa: E402
from app.extensions import db  # noqa: E402
from app.invites.eligibility import eligibility_gaps
from app.orgs.models import Bureau, School  # noqa: E402
from app.reports import pages, queries  # noqa: E402
from app.reports.rollups import funnel, weekly  # noqa: E402
from app.timeutil import utcnow  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        db.session.rollback()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms"


def naive_figures(scope, required, now):
    """What a report without roll-ups does: aggregate the raw rows on every view."""
    db.session.execute(funnel.class_counts(scope, required, now)).all()
    db.session.execute(funnel.course_counts(scope, required)).all()
    db.session.execute(weekly.weekly_counts(scope)).all()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    app = create_app()
    with app.app_context(), app.test_request_context():
        now = utcnow()
        required = [c.slug for c in catalogue().for_audience("parent")]
        city = db.session.scalar(select(Bureau.id).where(Bureau.parent_id.is_(None)).order_by(Bureau.id))
        school_id = db.session.scalar(select(School.id).order_by(School.id).limit(1))
        class_id = db.session.scalar(
            select(SchoolClass.id).where(SchoolClass.school_id == school_id).order_by(SchoolClass.id).limit(1)
        )
        counts = db.session.execute(
            select(func.count(School.id), select(func.count(SchoolClass.id)).scalar_subquery())
        ).one()
        print(f"city: {counts[0]} schools, {counts[1]} classes; engine {db.engine.dialect.name}")
        f = pages.Filters.read({}, pages.local_today(now, "Asia/Shanghai"))
        rows = []

        def measure(name, ours, naive, repeat):
            ours_times = timed(ours, repeat)
            naive_times = timed(naive, max(3, repeat // 4))
            ratio = statistics.median(naive_times) / statistics.median(ours_times)
            rows.append((name, ours_times, naive_times, ratio))
            print(f"{name:<18} ours  {summary(ours_times)}")
            print(f"{'':<18} naive {summary(naive_times)}   naive/ours = {ratio:.1f}x", flush=True)

        measure(
            "school overview",
            lambda: pages.school_page(school_id, f, catalogue(), now),
            lambda: naive_figures(queries.school_scope(school_id), required, now),
            args.repeat,
        )
        measure(
            "bureau overview",
            lambda: pages.bureau_page(city, f, catalogue(), now),
            lambda: naive_figures(queries.bureau_scope(city), required, now),
            max(3, args.repeat // 4),
        )
        school_class = db.session.get(SchoolClass, class_id)
        courses = catalogue().for_audience("parent")

        def per_guardian():
            for row in class_overview(school_class, courses, now).guardians:
                eligibility_gaps(row.parent, school_class, now)

        measure("class page", lambda: class_overview(school_class, courses, now), per_guardian, args.repeat)
        export_memory(app, city)


def export_memory(app, city: int) -> None:
    """Peak Python memory while producing the full-city class CSV, streamed against built whole."""
    from app.reports.csv_export import _lines
    from app.reports.tables import count_columns, count_row

    columns = count_columns("Class", with_classes=False)

    def streamed():
        size = 0
        for chunk in _lines(
            columns, (count_row(r) for r in queries.class_rows_stream(queries.bureau_scope(city))), "All"
        ):
            size += len(chunk)
        return size

    def whole():
        rows = [count_row(r) for r in queries.class_rows_stream(queries.bureau_scope(city))]
        return len("".join(_lines(columns, rows, "All")))

    for name, function in (("streamed", streamed), ("built whole", whole)):
        tracemalloc.start()
        started = time.perf_counter()
        size = function()
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.rollback()
        print(
            f"city CSV {name:<12} {size / 1e6:6.1f} MB written in {elapsed:5.1f} s, peak {peak / 1e6:7.1f} MB"
        )


if __name__ == "__main__":
    main()
