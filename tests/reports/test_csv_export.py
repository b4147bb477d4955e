"""CSV exports: what Excel needs (BOM, bare numbers, no formulas), streamed, with a totals row."""

from datetime import UTC, datetime
from urllib.parse import unquote

import pytest

from app.reports.csv_export import Column, csv_response

NOW = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)

COLUMNS = [
    Column("name", "Class"),
    Column("parents", "Parents", kind="int", total="sum"),
    Column("certified", "Certified", kind="int", total="sum"),
    Column("rate", "Certified rate", kind="rate", total="ratio", ratio_of=("certified", "parents")),
]


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def export(columns=COLUMNS, rows=(), *, stem="class-progress", totals_label=None, tz="Asia/Shanghai"):
    return csv_response(stem, columns, rows, totals_label=totals_label, now=NOW, tz=tz)


def text_of(response) -> str:
    return response.get_data().decode("utf-8")


def test_file_starts_with_a_utf8_bom(request_context):
    assert export().get_data().startswith(b"\xef\xbb\xbf")


def test_table_with_zeros_and_a_totals_row_with_a_recomputed_rate(request_context):
    rows = [
        {"name": "1A", "parents": 3, "certified": 1, "rate": 1 / 3},
        {"name": "1B", "parents": 0, "certified": 0, "rate": None},
        {"name": "2A", "parents": 40, "certified": 18, "rate": 0.45},
    ]

    body = text_of(export(rows=rows, totals_label="Total"))

    assert body == (
        "\ufeffClass,Parents,Certified,Certified rate (%)\r\n"
        "1A,3,1,33.3\r\n"
        "1B,0,0,0.0\r\n"
        "2A,40,18,45.0\r\n"
        "Total,43,19,44.2\r\n"
    )


def test_no_totals_row_without_a_label(request_context):
    body = text_of(export(rows=[{"name": "1A", "parents": 2, "certified": 2, "rate": 1.0}]))

    assert body == "\ufeffClass,Parents,Certified,Certified rate (%)\r\n1A,2,2,100.0\r\n"


def test_numbers_are_never_quoted_nor_grouped(request_context):
    rows = [{"name": "City", "parents": 1234567, "certified": -3, "rate": 0.5}]

    last_line = text_of(export(rows=rows)).splitlines()[-1]

    assert last_line == "City,1234567,-3,50.0"


def test_missing_count_is_written_as_zero(request_context):
    rows = [{"name": "1A", "parents": None, "certified": None, "rate": None}]

    assert text_of(export(rows=rows)).splitlines()[-1] == "1A,0,0,0.0"


def test_a_rate_over_an_empty_class_totals_to_zero(request_context):
    rows = [{"name": "1A", "parents": 0, "certified": 0, "rate": None}]

    assert text_of(export(rows=rows, totals_label="Total")).splitlines()[-1] == "Total,0,0,0.0"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800000000", "'+8613800000000"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-x", "'-x"),
        ("\tx", "'\tx"),
        ("\rx", '"\'\rx"'),
    ],
)
def test_formula_like_text_gets_an_apostrophe_but_numbers_do_not(request_context, name, written):
    columns = [Column("name", "Class"), Column("parents", "Parents", kind="int")]

    body = text_of(export(columns, [{"name": name, "parents": -5}]))

    assert body == f"\ufeffClass,Parents\r\n{written},-5\r\n"


@pytest.mark.parametrize(
    "name",
    [
        "＝1+1",
        "＋8613800000000",
        "－x",
        "＠SUM(A1:A2)",
        "\u200b=1+1",
        "\ufeff+1",
        "\u202e@x",
        "\u2060-2",
        " =1+1",
    ],
    ids=[
        "full-width =",
        "full-width +",
        "full-width -",
        "full-width @",
        "ZWSP =",
        "BOM +",
        "RLO @",
        "WJ -",
        "space =",
    ],
)
def test_full_width_and_hidden_formula_starts_get_an_apostrophe_too(request_context, name):
    """A spreadsheet folds full-width signs to ASCII and drops invisible characters before it
    parses a cell: these run as formulas as surely as `=1+1` does."""
    body = text_of(export([Column("name", "Class")], [{"name": name}]))

    assert body.splitlines()[-1] == f"'{name}"


def test_plain_text_is_left_alone(request_context):
    columns = [Column("name", "Class")]

    assert text_of(export(columns, [{"name": "一年级 (1) 班"}])).splitlines()[-1] == "一年级 (1) 班"


def test_totals_label_is_made_safe_too(request_context):
    columns = [Column("name", "Class"), Column("parents", "Parents", kind="int", total="sum")]

    body = text_of(export(columns, [{"name": "1A", "parents": 2}], totals_label="=Total"))

    assert body.splitlines()[-1] == "'=Total,2"


def test_ratio_parts_are_summed_even_when_not_shown(request_context):
    columns = [
        Column("name", "Class"),
        Column("rate", "Read rate %", kind="rate", total="ratio", ratio_of=("read", "invited")),
    ]
    rows = [{"name": "1A", "read": 1, "invited": 4, "rate": 0.25}, {"name": "1B", "read": 2, "invited": 4}]
    rows[1]["rate"] = 0.5

    body = text_of(export(columns, rows, totals_label="All"))

    assert body == "\ufeffClass,Read rate %\r\n1A,25.0\r\n1B,50.0\r\nAll,37.5\r\n"


def test_headers_for_a_download_that_is_never_cached(request_context):
    response = export()

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; ")


def test_file_name_is_stamped_in_the_school_time_zone(request_context):
    disposition = export(stem="class-progress", tz="Asia/Shanghai").headers["Content-Disposition"]

    assert disposition == 'attachment; filename="class-progress-20261124-0430.csv"'


def test_non_ascii_stem_gets_an_ascii_name_and_the_exact_one(request_context):
    disposition = export(stem="班级进度").headers["Content-Disposition"]

    disposition.encode("latin-1")  # a header value Werkzeug can send as is
    fallback, exact = disposition.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="export-20261124-0430.csv"'
    assert unquote(exact) == "班级进度-20261124-0430.csv"


def test_stem_cannot_smuggle_path_or_header_syntax(request_context):
    disposition = export(stem='../a"b;c\r\n').headers["Content-Disposition"]

    assert disposition == 'attachment; filename="a_b_c-20261124-0430.csv"'


def test_naive_now_is_refused(request_context):
    with pytest.raises(ValueError, match="aware"):
        csv_response("x", COLUMNS, [], totals_label=None, now=datetime(2026, 11, 23), tz="UTC")


def test_response_is_produced_while_rows_are_still_being_read(request_context):
    pulled = []

    def rows(limit: int = 1):
        for number in range(5000):
            if len(pulled) > limit:
                raise AssertionError("rows were read before the first chunk was sent")
            pulled.append(number)
            yield {"name": f"class {number}", "parents": number, "certified": 0, "rate": 0}

    lazy_rows = rows()
    response = export(rows=lazy_rows, totals_label="Total")
    assert response.is_streamed

    first_chunk = next(iter(response.response))

    assert first_chunk.startswith("\ufeffClass,")
    assert len(pulled) <= 1
    assert lazy_rows.gi_frame is not None  # not exhausted


def test_large_export_arrives_in_several_chunks_with_every_row(request_context):
    rows = ({"name": f"class {n}", "parents": 1, "certified": n % 2, "rate": 0} for n in range(5000))

    chunks = list(export(rows=rows, totals_label="Total").response)

    body = "".join(chunks)
    assert len(chunks) > 3
    assert body.count("\r\n") == 1 + 5000 + 1
    assert body.endswith("Total,5000,2500,50.0\r\n")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "text", "total": "sum"},
        {"kind": "rate", "total": "ratio"},
        {"kind": "int", "total": "ratio", "ratio_of": ("a", "b")},
        {"kind": "rate", "ratio_of": ("a", "b")},
        {"kind": "float"},
    ],
)
def test_inconsistent_columns_are_refused(kwargs):
    with pytest.raises(ValueError):
        Column("x", "X", **kwargs)


def test_first_column_cannot_be_totalled_when_it_holds_the_label(request_context):
    columns = [Column("parents", "Parents", kind="int", total="sum")]

    with pytest.raises(ValueError, match="label"):
        export(columns, totals_label="Total")
