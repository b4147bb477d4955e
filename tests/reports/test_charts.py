"""Report charts: exact geometry from numbers, and SVG that needs no script and no inline style."""

from datetime import date, timedelta

import pytest

from app import create_app
from app.reports.chart_text import FONT_SIZE, text_width, truncate
from app.reports.charts import ROW_HEIGHT, WIDTH, bar_rows, funnel, nice_max, percent, weekly

MONDAY = date(2026, 11, 23)


def test_a_rate_is_a_rounded_percent_with_its_fraction():
    bar = bar_rows([("Class 1", 9, 20)]).bars[0]
    assert (bar.percent, bar.text) == (45, "45% (9/20)")


def test_a_bar_is_as_long_as_its_rate_of_the_track():
    chart = bar_rows([("Class 1", 9, 20)], width=400)
    assert chart.bars[0].length == 180 and chart.bars[0].bar_x == 0


def test_percents_round_half_up():
    assert [percent(1, 8), percent(1, 3), percent(2, 3), percent(199, 200)] == [13, 33, 67, 100]


def test_a_rate_of_nothing_is_zero_with_no_bar():
    bar = bar_rows([("New class", 0, 0)]).bars[0]
    assert (bar.percent, bar.length, bar.text) == (0, 0, "0% (0/0)")


def test_a_rate_above_the_whole_never_overflows_the_track():
    assert bar_rows([("Odd", 30, 20)]).bars[0].length == WIDTH


def test_rows_stack_at_a_fixed_pitch_and_set_the_height():
    chart = bar_rows([("A", 1, 2), ("B", 2, 2), ("C", 0, 2)])
    assert [bar.label_y for bar in chart.bars] == [FONT_SIZE + i * ROW_HEIGHT for i in range(3)]
    assert chart.height == 3 * ROW_HEIGHT and not chart.empty


def test_no_items_make_an_empty_chart():
    chart = bar_rows([])
    assert chart.empty and chart.height == 0


def test_a_long_label_is_shortened_with_an_ellipsis_but_kept_whole():
    label = "二年级（3）班 家长安全素养课程 第二单元：网络诈骗与个人信息保护"
    bar = bar_rows([(label, 9, 20)]).bars[0]
    assert bar.label == label
    assert bar.short_label.endswith("…") and label.startswith(bar.short_label[:-1])
    assert text_width(bar.short_label) + text_width(bar.text) < WIDTH


def test_a_short_label_is_left_alone():
    assert truncate("Class 1", 200) == "Class 1"


def test_the_first_funnel_step_is_the_whole():
    chart = funnel([("Registered", 20), ("Read", 15), ("Certified", 9)])
    assert [bar.percent for bar in chart.bars] == [100, 75, 45]
    assert [bar.text for bar in chart.bars] == ["20 (100%)", "15 (75%)", "9 (45%)"]
    assert [bar.length for bar in chart.bars] == [300, 225, 135]


def test_funnel_bars_are_centred():
    bar = funnel([("Registered", 20), ("Certified", 9)]).bars[1]
    assert bar.bar_x == (WIDTH - 135) / 2


def test_a_funnel_that_starts_at_zero_draws_no_bars():
    chart = funnel([("Registered", 0), ("Certified", 0)])
    assert [(bar.percent, bar.length, bar.text) for bar in chart.bars] == [(0, 0, "0 (0%)")] * 2


def test_an_empty_funnel_is_empty():
    assert funnel([]).empty


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (101, 200)]
)
def test_the_axis_ends_at_a_nice_maximum(value, expected):
    assert nice_max(value) == expected


def test_weeks_read_as_month_and_day_oldest_first():
    points = [(MONDAY, 1, 0, 0), (MONDAY - timedelta(days=7), 2, 1, 0)]
    chart = weekly(points, ["Registered", "Certified", "Joined"])
    assert chart.weeks == (date(2026, 11, 16), MONDAY)
    assert [tick.text for tick in chart.panels[0].ticks] == ["11/16", "11/23"]


def test_each_series_has_a_panel_on_the_same_scale():
    chart = weekly([(MONDAY, 7, 3, 0)], ["Registered", "Certified", "Joined"])
    assert chart.nice_max == 10
    heights = [panel.columns[0].height for panel in chart.panels]
    assert chart.panels[0].baseline - chart.panels[0].top == 90
    assert heights == [63, 27, 0]
    assert [panel.series for panel in chart.panels] == [0, 1, 2]


def test_a_column_value_sits_above_its_bar():
    column = weekly([(MONDAY, 5, 0, 0)], ["Registered"]).panels[0].columns[0]
    assert column.text_y == column.y - 4 and column.text_x == column.x + column.width / 2


def test_all_zero_weeks_still_draw_an_axis_to_one():
    chart = weekly([(MONDAY, 0, 0, 0)], ["Registered", "Certified", "Joined"])
    assert not chart.empty and chart.nice_max == 1
    assert all(panel.columns[0].height == 0 for panel in chart.panels)


def test_no_weeks_make_an_empty_trend():
    assert weekly([], ["Registered"]).empty


def test_many_weeks_of_big_numbers_widen_the_chart_instead_of_shrinking_text():
    points = [(MONDAY + timedelta(weeks=i), 1234, 0, 0) for i in range(20)]
    chart = weekly(points, ["Registered"])
    assert not chart.fluid and chart.width > WIDTH
    pitch = chart.panels[0].columns[1].text_x - chart.panels[0].columns[0].text_x
    assert pitch >= text_width("2000")
    assert chart.panels[0].ticks[-1].text == "4/5"  # the latest week always keeps its label


def test_a_few_weeks_fit_the_standard_width():
    chart = weekly([(MONDAY, 3, 2, 1)], ["Registered", "Certified", "Joined"])
    assert chart.fluid and chart.width == WIDTH


@pytest.fixture(scope="module")
def chart_app():
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def render(app, call: str, **context) -> str:
    """Render one macro call from reports/_charts.html inside a request."""
    with app.test_request_context():
        source = '{% import "reports/_charts.html" as c %}' + call
        return app.jinja_env.from_string(source).render(**context)


def assert_safe_svg(html: str) -> None:
    assert 'role="img"' in html and "<title" in html and 'viewBox="0 0 ' in html
    assert "style=" not in html and "<script" not in html


def test_a_bar_chart_renders_values_as_text_and_points_to_the_table(chart_app):
    chart = bar_rows([("Class 1 <b>", 9, 20), ("Class 2", 0, 4)])
    html = render(
        chart_app,
        '{{ c.bar_chart(chart, "rates", "Certified guardians per class", title="Rates", table_id="t") }}',
        chart=chart,
    )
    assert_safe_svg(html)
    assert ">45% (9/20)</text>" in html and ">0% (0/4)</text>" in html
    assert 'aria-labelledby="rates"' in html and 'aria-describedby="rates-desc t"' in html
    assert '<title id="rates">Rates</title>' in html and "Class 1 &lt;b&gt;" in html


def test_a_funnel_chart_renders_counts_and_shares(chart_app):
    html = render(
        chart_app,
        '{{ c.funnel_chart(chart, "steps", "From registration to the group") }}',
        chart=funnel([("Registered", 20), ("Joined", 9)]),
    )
    assert_safe_svg(html)
    assert ">20 (100%)</text>" in html and ">9 (45%)</text>" in html
    assert '<title id="steps">From registration to the group</title>' in html


def test_a_trend_chart_renders_each_week_and_series(chart_app):
    chart = weekly([(MONDAY, 7, 3, 0)], ["registered", "certified", "joined"])
    html = render(
        chart_app,
        '{{ c.trend_chart(chart, "weeks", "Guardians per week", ["Registered", "Certified", "Joined"]) }}',
        chart=chart,
    )
    assert_safe_svg(html)
    assert ">7</text>" in html and ">3</text>" in html and ">11/23</text>" in html
    assert ">Joined</text>" in html and "chart-series-2" in html and 'width="100%"' in html


def test_an_empty_chart_says_there_is_nothing_to_show(chart_app):
    html = render(chart_app, '{{ c.bar_chart(chart, "rates", "Rates") }}', chart=bar_rows([]))
    assert "<svg" not in html and 'class="empty chart-empty"' in html and "还没有记录。" in html


def test_an_empty_chart_shows_the_callers_text(chart_app):
    call = '{{ c.trend_chart(chart, "weeks", "Weeks", empty_text="No weeks yet") }}'
    assert ">No weeks yet</p>" in render(chart_app, call, chart=weekly([], ["Registered"]))
