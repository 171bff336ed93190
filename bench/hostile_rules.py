"""Rhythm rules that never occur, refused at the door, beside dateutil's own search.

dateutil looks for a rule's next occurrence until the year 9999; the tracker's search ends
five years after it began (tracker.domain.rhythm). Each rule of the corpus is validated as
a proposal's schedule is; the bare figure is dateutil finding (not finding) the first
occurrence of the issue's two rules, the work a request and the projector each did before.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from dateutil.rrule import rrulestr

from tracker.domain.errors import InvalidRhythm
from tracker.domain.rhythm import Rhythm

HOSTILE = [
    "FREQ=DAILY;BYSETPOS=-366",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31;BYHOUR=9",
    "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
    "FREQ=DAILY;BYWEEKNO=53;BYMONTH=6",
    "FREQ=WEEKLY;BYWEEKNO=54",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=-1",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO;BYMONTHDAY=13;BYMONTH=2;BYSETPOS=2",
    # Many candidates a day, none of them on a day that exists.
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=0,6,12,18;BYMINUTE=0,15,30,45;BYSECOND=0,30",
    "FREQ=DAILY;BYEASTER=400",  # dateutil fails on it: refused in words
    "FREQ=DAILY;UNTIL=20260401T000000",  # ends before the start
]
BARE = HOSTILE[:2]


def hostile_rules(repeats: int = 3) -> dict[str, Any]:
    slowest = 0.0
    for rule in HOSTILE:
        for _ in range(repeats):
            started = time.perf_counter()
            try:
                Rhythm.parse(rule, "2026-05-04T09:00", "Europe/London")
            except InvalidRhythm:
                pass
            else:
                raise RuntimeError(f"{rule} was accepted")
            slowest = max(slowest, time.perf_counter() - started)
    bare_slowest = 0.0
    for rule in BARE:
        started = time.perf_counter()
        rrulestr(rule, dtstart=datetime(2026, 5, 4, 9)).after(datetime(2026, 5, 4, 9))
        bare_slowest = max(bare_slowest, time.perf_counter() - started)
    return {
        "hostile_rule_slowest_ms": slowest * 1000,
        "bare_dateutil_slowest_ms": bare_slowest * 1000,
        "hostile_rule_ratio": slowest / bare_slowest,
    }


def row(figures: dict[str, Any]) -> str:
    return (
        f"{'any':<11}{'hostile rule refused, slowest (ms)':<34}"
        f"{figures['hostile_rule_slowest_ms']:>11.2f}{figures['bare_dateutil_slowest_ms']:>11.0f}"
        f"{figures['hostile_rule_ratio']:>8.4f}  < 100 ms"
    )
