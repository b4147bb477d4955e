"""What hiding small cells costs on a city's reports, against building the same tables, in one run.

    .venv/bin/python bench/suppression_bench.py [--repeat 5]

No database: the figures are synthetic, shaped like bench/generate_city.py's city (2,161 schools
in 12 districts, 29,904 classes, about 49 registered guardians a class, with a share of small
classes: new ones, tiny rural ones). Prints p50 in milliseconds for
- a bureau report's decision (app/reports/families.bureau_family's solver on 12 districts and
  2,161 schools) against building the report's school rows (`count_row` for each school);
- the every-class export's decision (flat_family over 29,904 classes) against building its rows;
- a school's decision (grades → ~14 classes) against building its class rows.
The ratio ours / baseline is the figure that counts on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.reports.families import flat_family, tree_problem  # noqa: E402
from app.reports.queries import Counts, Row
from app.reports.suppression import suppress
from app.reports.tables import count_row  # noqa: E402

THRESHOLD = 5


def class_counts(rng: random.Random) -> Counts:
    students = rng.choice([0, 1, 3, 8]) if rng.random() < 0.04 else rng.randint(30, 50)
    registered = min(students * 2, max(0, int(rng.gauss(students * 1.2, 8))))
    learning = rng.randint(0, registered)
    passed = rng.randint(0, learning)
    certified = rng.randint(0, passed)
    accepted = rng.randint(0, passed)
    invited = rng.randint(0, accepted)
    joined = rng.randint(0, invited)
    return Counts(
        classes=1,
        students=students,
        students_with_certified=min(students, certified),
        registered=registered,
        learning=learning,
        passed=passed,
        certified=certified,
        charter_accepted=accepted,
        invited=invited,
        joined=joined,
    )


def add(a: Counts, b: Counts) -> Counts:
    return Counts(**{k: getattr(a, k) + getattr(b, k) for k in vars(a)})


def city(seed: int = 7):
    rng = random.Random(seed)
    classes = {}
    school_of = {}
    for school in range(2161):
        for _n in range(rng.randint(8, 20) if len(classes) < 29_904 else 0):
            key = ("class", len(classes))
            classes[key] = class_counts(rng)
            school_of[key] = school
    return classes, school_of


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    classes, school_of = city()
    schools: dict = defaultdict(Counts)
    for key, c in classes.items():
        schools[("school", school_of[key])] = add(schools[("school", school_of[key])], c)
    districts: dict = defaultdict(Counts)
    children: dict = defaultdict(list)
    for key, c in schools.items():
        district = ("district", key[1] % 12)
        districts[district] = add(districts[district], c)
        children[district].append(key)
    total = Counts()
    for c in districts.values():
        total = add(total, c)
    children["bureau"] = list(districts)
    bureau_counts = {"bureau": total, **districts, **schools}

    def bureau_rows():
        return [count_row(Row(k, str(k), c, {})) for k, c in schools.items()]

    def bureau_decision():
        return suppress(tree_problem(bureau_counts, children, {}), THRESHOLD)

    def export_rows():
        return [count_row(Row(k, str(k), c, {})) for k, c in classes.items()]

    def export_decision():
        return flat_family(total, classes.items(), THRESHOLD)

    one_school = [k for k, s in school_of.items() if s == 0]
    school_counts = {"school": schools[("school", 0)], **{k: classes[k] for k in one_school}}

    def school_rows():
        return [count_row(Row(k, str(k), classes[k], {})) for k in one_school]

    def school_decision():
        return suppress(tree_problem(school_counts, {"school": one_school}, {}), THRESHOLD)

    print(f"{len(classes)} classes, {len(schools)} schools; p50 of {repeat} runs, ms")
    for name, ours, base in (
        ("bureau report", bureau_decision, bureau_rows),
        ("every-class export", export_decision, export_rows),
        ("school report", school_decision, school_rows),
    ):
        a, b = timed(ours, repeat), timed(base, repeat)
        print(f"{name:20} decision {a:9.1f}   rows {b:8.1f}   ratio {a / b:6.1f}")


if __name__ == "__main__":
    main()
