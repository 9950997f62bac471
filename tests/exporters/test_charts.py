"""The weekly progress chart (exporters/charts.py): round ticks on the minutes axis and no 'no data' text drawn
over minutes' bars when there is no diary pain."""

from __future__ import annotations

import re
from typing import Any

from bumpwell.exporters.charts import minutes_top, progress_chart


def weeks(*minutes: int, pain: float | None = None) -> list[dict[str, Any]]:
    return [{"week_start": f"2027-01-{1 + 7 * n:02d}", "minutes": m, "pain_mean": pain} for n, m in enumerate(minutes)]


def tick_labels(svg: bytes) -> set[str]:
    return set(re.findall(r">(\d+(?:\.\d+)?)</text>", svg.decode()))


def test_the_minutes_axis_ticks_are_round_numbers_whatever_the_most_minutes() -> None:
    assert (minutes_top(weeks(0, 30)), minutes_top(weeks(61)), minutes_top(weeks(1188))) == (60, 100, 1200)
    labels = tick_labels(progress_chart(weeks(0, 40, 1188, pain=3.0)))
    assert "118.8" not in labels
    assert {"120", "600", "1200"} <= labels
    assert not [label for label in labels if "." in label], "no tick like 118.8"


def test_minutes_without_diary_pain_draw_no_no_data_text_over_the_bars() -> None:
    assert b"No diary days yet" not in progress_chart(weeks(0, 45, 90))
    assert b"No diary days yet" in progress_chart(weeks(0, 0)), "an empty chart still says why"
