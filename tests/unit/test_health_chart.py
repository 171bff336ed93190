"""The health chart's marks: a label never overprints another, nor runs off the plot."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from web.health_chart import RIGHT, WIDTH, draw


def _weeks(count: int) -> list[dict[str, Any]]:
    first = date(2026, 6, 1)
    quiet = {"srs_total": None, "srs_items": {}, "positivity": None, "concerns": 0}
    quiet |= {"appreciations": 0, "adherence": None, "open_conflicts": 0}
    return [{"week": (first + timedelta(weeks=n)).isoformat(), **quiet} for n in range(count)]


def _labels(svg: str) -> list[tuple[float, float, str, str]]:
    return [
        (float(x), float(y), anchor, word)
        for x, y, anchor, word in re.findall(
            r'<text class="mark-label" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">(\w+)</text>',
            svg,
        )
    ]


def test_labels_of_marks_close_together_stand_on_rows_of_their_own() -> None:
    weeks = _weeks(12)
    marks = [
        {"kind": "redesign_opened", "at": "2026-07-01T10:00:00+00:00", "label": "opened"},
        {"kind": "redesign_concluded", "at": "2026-07-06T10:00:00+00:00", "label": "closed"},
        {"kind": "redesign_opened", "at": "2026-08-17T10:00:00+00:00", "label": "far away"},
    ]
    labels = _labels(str(draw(weeks, marks)))
    assert [word for *_, word in labels] == ["redesign", "concluded", "redesign"]
    (_, first_row, *_), (_, second_row, *_), (_, far_row, *_) = labels
    assert first_row != second_row, "five days apart: the second label goes below the first"
    assert far_row == first_row, "a label with room keeps the first row"


def test_a_label_at_the_right_edge_sits_to_the_left_of_its_line() -> None:
    weeks = _weeks(12)
    last = f"{weeks[-1]['week']}T10:00:00+00:00"
    marks = [{"kind": "redesign_concluded", "at": last, "label": "closed"}]
    ((x, _, anchor, _),) = _labels(str(draw(weeks, marks)))
    assert anchor == "end" and x <= WIDTH - RIGHT
