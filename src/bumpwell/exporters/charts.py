"""Charts drawn by pygal as static SVG (no scripts): weekly progress for the pages, the pain trend for the report."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import pygal
from pygal.style import Style

# pygal puts an old-style import hook on sys.meta_path for its optional map plugins (pygal.maps.*), which we do not
# use; Python 3.11 warns about it on every later import. Take it off again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

LIGHT = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b2430",
    foreground_strong="#1b2430",
    foreground_subtle="#5b6675",
    colors=("#b4410f", "#1d3557", "#4f7cac"),
    font_family="system-ui, sans-serif",
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=20,
    title_font_size=20,
)


def progress_chart(weeks: list[dict[str, Any]]) -> bytes:
    """Average diary pain (0-10, left axis) and minutes of exercise (right axis) for each week."""
    chart = pygal.Bar(
        style=LIGHT,
        width=600,
        height=380,
        js=[],
        disable_xml_declaration=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        show_y_guides=True,
        range=(0, 10),
        secondary_range=(0, minutes_top(weeks)),
        y_title="pain (0-10)",
        # pygal writes this over the whole chart when the pain series is empty, even beside minutes' bars
        no_data_text="" if any(w["minutes"] for w in weeks) else "No diary days yet",
        print_values=False,
        truncate_label=-1,  # "12 Oct" and "minutes of exercise" whole, never "12 …" or "minutes of exerci…"
        truncate_legend=-1,
        show_minor_x_labels=False,
    )
    chart.x_labels = [date.fromisoformat(w["week_start"]).strftime("%d %b").lstrip("0") for w in weeks]
    # a label under every week fits up to 5 weeks at this width; more weeks get every other one, the newest kept
    chart.x_labels_major = chart.x_labels[::-1][:: 1 if len(weeks) <= 5 else 2][::-1]
    chart.add("minutes of exercise", [w["minutes"] for w in weeks], secondary=True)
    chart = _with_pain_line(chart, weeks)
    svg: bytes = chart.render()
    return svg


def minutes_top(weeks: list[dict[str, Any]]) -> int:
    """The minutes axis' top: at least 60, else the most minutes rounded up to a hundred, so that its ticks (at
    each tenth, beside pain's 0-10) are round numbers (120, 240 ...), never 118.8."""
    most = max([0, *(w["minutes"] for w in weeks)])
    return 60 if most <= 60 else -(-most // 100) * 100


def _with_pain_line(bar: Any, weeks: list[dict[str, Any]]) -> Any:
    # pygal draws one chart type at a time; pain reads best as bars beside the minutes, in its own colour.
    bar.add("average pain", [w["pain_mean"] for w in weeks])
    return bar


def describe(weeks: list[dict[str, Any]]) -> str:
    """The chart in words, for its alt text."""
    with_pain = [w for w in weeks if w["pain_mean"] is not None]
    if not with_pain:
        return "Chart of weekly pain and minutes of exercise. No diary entries yet."
    first, last = with_pain[0], with_pain[-1]
    minutes = sum(w["minutes"] for w in weeks)
    return (
        f"Chart of weekly pain and minutes of exercise. Average pain went from {first['pain_mean']} "
        f"to {last['pain_mean']} out of 10; {minutes} minutes of exercise in {len(weeks)} weeks."
    )


def pain_trend(days: list[tuple[date, int]], width: int = 900, height: int = 260) -> bytes:
    """Diary pain (0-10) by day, as a line, for the printed report."""
    chart = pygal.Line(
        style=LIGHT,
        width=width,
        height=height,
        js=[],
        show_legend=False,
        range=(0, 10),
        show_y_guides=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        dots_size=3,
        truncate_label=-1,
        y_title="pain (0-10)",
        no_data_text="No diary days yet",
    )
    chart.x_labels = [d.strftime("%d %b").lstrip("0") for d, _ in days]
    step = max(1, len(days) // 6)
    chart.x_labels_major = chart.x_labels[::step]
    chart.add("pain", [p for _, p in days])
    svg: bytes = chart.render()
    return svg
