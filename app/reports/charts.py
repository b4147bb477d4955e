"""Geometry for the report charts: numbers in, coordinates out, drawn by templates/reports/_charts.html.

Pure functions, no Flask and no database, so every length can be tested exactly. Coordinates are
SVG user units inside a `viewBox` of `width` units (300 by default) that the page scales to the
column: on a 360 px phone one unit is about one pixel, so the 15-unit text reads at 14 px or more.
Text widths are estimated (a CJK character is one em, anything else 0.62 em) to shorten long
labels with an ellipsis; the full label stays in each bar's `<title>` and in the page's table.

A value may be a string instead of a number: a figure hidden from the reader, given as the text
to print (`<5`). It draws no bar, makes no percent, and never sets a scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.reports.chart_text import FONT_SIZE, text_width, truncate

WIDTH = 300


BAR_HEIGHT = 14


ROW_HEIGHT = 46  # label line, bar, and space before the next row


PLOT_HEIGHT = 90


Value = int | str  # a count, or the text shown for a hidden one


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label line (label left, `text` right), the bar below it."""

    label: str  # the full label, for the bar's <title>
    short_label: str  # the label shortened to fit beside the value text
    value: Value  # the part (rates) or the count (funnel)
    whole: Value  # what the percent is of: the rate's whole, or the funnel's first step
    percent: int | None  # value / whole as a whole percent, rounded half up; 0 when whole is 0;
    # None when either is hidden
    text: str  # the value as shown: "45% (9/20)" or, in a funnel, "9 (45%)"
    label_y: float  # baseline of the label line
    bar_x: float
    bar_y: float
    length: float  # bar length in units; the track spans 0..width


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row each, on a 0–100 % track as wide as the chart."""

    bars: tuple[Bar, ...]
    width: int = WIDTH
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT
    row_height: int = ROW_HEIGHT

    @property
    def empty(self) -> bool:
        """Nothing to draw: the template says so instead of showing an empty frame."""
        return not self.bars

    @property
    def height(self) -> int:
        """Height of the viewBox."""
        return len(self.bars) * self.row_height


@dataclass(frozen=True)
class Column:
    """One week's vertical bar in a trend panel, with its value printed above it."""

    week: date
    week_label: str  # "11/23", for the bar's <title>
    value: Value
    x: float
    y: float
    width: float
    height: float
    text_x: float  # centre of the column, for the value and the week label
    text_y: float


@dataclass(frozen=True)
class Tick:
    """A week label under the axis (thinned out when the columns are narrow)."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Panel:
    """One series (registered, certified or joined) drawn as its own small bar chart."""

    series: int  # 0, 1 or 2: the CSS class chart-series-N
    label: str
    short_label: str
    label_y: float  # baseline of the panel heading
    top: float  # y of the nice maximum (gridline)
    baseline: float  # y of zero (axis)
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class TrendChart:
    """Weekly counts as small multiples: one panel per series, all on the same y scale."""

    panels: tuple[Panel, ...]
    weeks: tuple[date, ...]
    nice_max: int  # the value at each panel's top gridline
    plot_left: float  # where the columns start (the y labels sit left of it)
    width: float
    height: float
    font_size: int = FONT_SIZE

    @property
    def empty(self) -> bool:
        """No week or no series: the template says so instead of drawing axes."""
        return not self.panels or not self.weeks

    @property
    def fluid(self) -> bool:
        """True when the chart fits the standard width and may scale to the column; a wider one
        (many weeks of large numbers) keeps one unit per pixel and scrolls inside its box."""
        return self.width <= WIDTH


def percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percent, rounded half up (12.5 → 13); 0 when whole is 0."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def nice_max(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above `value`, and at least 1 (0 → 1, 7 → 10)."""
    step = 1
    while True:
        for mantissa in (1, 2, 5):
            if mantissa * step >= value:
                return mantissa * step
        step *= 10


def _known(*values: Value) -> bool:
    return all(isinstance(value, int) for value in values)


def _bar(index: int, label: str, value: Value, whole: Value, text: str, width: int, centred: bool) -> Bar:
    """Place one row; the bar is `value / whole` of the track, never longer than the track, and
    absent when either is hidden."""
    top = index * ROW_HEIGHT
    known = _known(value, whole)
    share = min(value / whole, 1.0) if known and whole > 0 and value > 0 else 0.0  # type: ignore[operator]
    length = round(width * share, 2)
    room = width - text_width(text) - FONT_SIZE / 2
    return Bar(
        label=label,
        short_label=truncate(label, room),
        value=value,
        whole=whole,
        percent=percent(value, whole) if known else None,  # type: ignore[arg-type]
        text=text,
        label_y=top + FONT_SIZE,
        bar_x=round((width - length) / 2, 2) if centred else 0,
        bar_y=top + FONT_SIZE + 6,
        length=length,
    )


def bar_rows(items: Sequence[tuple[str, Value, Value]], width: int = WIDTH) -> BarChart:
    """Rates as horizontal bars on a 0–100 % scale: (label, part, whole) → "45% (9/20)";
    with a hidden part or whole, "<5/20"."""
    bars = tuple(
        _bar(i, label, part, whole, _rate_text(part, whole), width, centred=False)
        for i, (label, part, whole) in enumerate(items)
    )
    return BarChart(bars=bars, width=width)


def _rate_text(part: Value, whole: Value) -> str:
    if _known(part, whole):
        return f"{percent(part, whole)}% ({part}/{whole})"  # type: ignore[arg-type]
    return f"{part}/{whole}"


def funnel(steps: Sequence[tuple[str, Value]], width: int = WIDTH) -> BarChart:
    """Steps as centred bars relative to the first step (100 %): (label, count) → "9 (45%)";
    a hidden step, or any step under a hidden first one, shows its count alone."""
    first = steps[0][1] if steps else 0
    bars = tuple(
        _bar(i, label, count, first, _step_text(count, first), width, centred=True)
        for i, (label, count) in enumerate(steps)
    )
    return BarChart(bars=bars, width=width)


def _step_text(count: Value, first: Value) -> str:
    if _known(count, first):
        return f"{count} ({percent(count, first)}%)"  # type: ignore[arg-type]
    return str(count)


def week_label(week: date) -> str:
    """A week as month/day, the same in both languages: 23 Nov → "11/23"."""
    return f"{week.month}/{week.day}"


def weekly(
    points: Sequence[tuple[date, Value, Value, Value]],
    series_labels: Sequence[str],
    width: int = WIDTH,
) -> TrendChart:
    """Weekly counts, one panel per series label (up to 3: registered, certified, joined).

    Each point is (week, count of series 0, of series 1, of series 2); weeks are drawn oldest
    first. Columns share the width; when their values would not fit, the chart grows wider than
    `width` instead of shrinking its text (see `TrendChart.fluid`). Week labels are thinned to
    fit, always keeping the latest week.
    """
    points = sorted(points, key=lambda point: point[0])
    series = list(series_labels)[:3]
    if not points or not series:
        return TrendChart(panels=(), weeks=(), nice_max=1, plot_left=0, width=width, height=0)
    values = [value for point in points for value in point[1 : len(series) + 1]]
    top_value = nice_max(max((v for v in values if isinstance(v, int)), default=0))
    widest = max([text_width(str(top_value))] + [text_width(v) for v in values if isinstance(v, str)])
    plot_left = text_width(str(top_value)) + FONT_SIZE / 2
    pitch = (width - plot_left) / len(points)
    pitch = max(pitch, widest + 6)
    chart_width = max(width, round(plot_left + pitch * len(points), 2))
    every = math.ceil((text_width("12/31") + 8) / pitch)
    bar_width = round(min(pitch * 0.7, 2 * FONT_SIZE), 2)

    panels = []
    panel_pitch = 2 * FONT_SIZE + 12 + PLOT_HEIGHT + FONT_SIZE + 16
    for s, label in enumerate(series):
        origin = s * panel_pitch
        top = origin + 2 * FONT_SIZE + 12
        baseline = top + PLOT_HEIGHT
        columns, ticks = [], []
        for i, point in enumerate(points):
            value = point[s + 1]
            centre = round(plot_left + pitch * (i + 0.5), 2)
            height = round(PLOT_HEIGHT * max(value, 0) / top_value, 2) if isinstance(value, int) else 0
            columns.append(
                Column(
                    week=point[0],
                    week_label=week_label(point[0]),
                    value=value,
                    x=round(centre - bar_width / 2, 2),
                    y=round(baseline - height, 2),
                    width=bar_width,
                    height=height,
                    text_x=centre,
                    text_y=round(baseline - height - 4, 2),
                )
            )
            if (len(points) - 1 - i) % every == 0:
                ticks.append(Tick(text=week_label(point[0]), x=centre, y=baseline + FONT_SIZE + 4))
        panels.append(
            Panel(
                series=s,
                label=label,
                short_label=truncate(label, chart_width),
                label_y=origin + FONT_SIZE,
                top=top,
                baseline=baseline,
                columns=tuple(columns),
                ticks=tuple(ticks),
            )
        )
    return TrendChart(
        panels=tuple(panels),
        weeks=tuple(point[0] for point in points),
        nice_max=top_value,
        plot_left=round(plot_left, 2),
        width=chart_width,
        height=len(series) * panel_pitch - 6,
    )
