"""From a report table to the geometry of its chart (app/reports/charts.py): the page's tables
and charts always show the same numbers. A hidden cell (app/reports/suppression.Hidden) reaches
the chart as its short marker (`<5`, `—`): text, with no bar and no percent."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.reports import charts
from app.reports.tables import ReportTable


def _plain(value) -> int | str:
    return value.short if getattr(value, "hidden", False) else value


def funnel_chart(table: ReportTable) -> charts.BarChart:
    return charts.funnel([(row["label"], _plain(row["count"])) for row in table.rows])


def share_chart(table: ReportTable) -> charts.BarChart:
    """Students with a certified guardian, per row (class, grade, district)."""
    return charts.bar_rows(
        [
            (str(row["label"]), _plain(row["students_with_certified"]), _plain(row["students"]))
            for row in table.rows
        ]
    )


def pass_chart(table: ReportTable) -> charts.BarChart:
    return charts.bar_rows(
        [(row["label"], _plain(row["passed"]), _plain(row["attempted"])) for row in table.rows]
    )


def trend_labels() -> list[str]:
    return [_("Registered"), _("Certified"), _("Joined the group")]


def trend_chart(table: ReportTable) -> charts.TrendChart:
    points = [
        (
            date.fromisoformat(row["label"]),
            _plain(row["registered"]),
            _plain(row["certified"]),
            _plain(row["joined"]),
        )
        for row in table.rows
    ]
    return charts.weekly(points, trend_labels())


HELPERS = {
    "funnel_chart": funnel_chart,
    "share_chart": share_chart,
    "pass_chart": pass_chart,
    "trend_chart": trend_chart,
    "trend_labels": trend_labels,
}
