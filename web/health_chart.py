"""The weekly health series drawn as inline SVG, on the server.

No script and no network: the page draws the same with JavaScript off, offline and on paper.
Each panel shares the time axis, so a reader can look down from a redesign's mark and see
whether the weeks after it were better. Lines differ by dash as well as colour, so the chart
survives a black-and-white printer; the table beside it carries the same data for screen
readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from projections.instants import instant as views_instant

WIDTH, PANEL_HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 120, 48, 16, 24, 22
# Up to half a year each week of a panel's first line is a dot with its figure on hover;
# beyond, dots would crowd the line, and they cost more than the rest of the chart (the
# table has every figure).
DOTS_UP_TO = 26
POSITIVITY_CAP = 10.0  # ratios above this (and "no concerns at all") are drawn at the top


@dataclass(frozen=True)
class Line:
    label: str
    value: Callable[[dict[str, Any]], float | None]
    css: str  # the class that gives its colour and dash


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    top: float
    lines: tuple[Line, ...]
    guide: tuple[float, str] | None = None  # a threshold worth seeing, and its label
    bars: bool = False
    ticks: tuple[float, ...] = ()
    unit: str = ""


def _item(name: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda week: week["srs_items"].get(name)


def _positivity(week: dict[str, Any]) -> float | None:
    if week["positivity"] is not None:
        return float(min(week["positivity"], POSITIVITY_CAP))
    if week["concerns"] == 0 and week["appreciations"] >= 3:
        return POSITIVITY_CAP  # nothing but appreciation
    return None


def _percent(week: dict[str, Any]) -> float | None:
    return None if week["adherence"] is None else week["adherence"] * 100


PANELS = (
    Panel(
        "srs",
        "Check-in ratings: Session Rating Scale total of 40",
        40,
        (Line("Total", lambda week: week["srs_total"], "l-total"),),
        guide=(36, "36: line of concern"),
        ticks=(0, 20, 36, 40),
    ),
    Panel(
        "items",
        "Each item, of 10",
        10,
        (
            Line("Relationship", _item("relationship"), "l-a"),
            Line("Goals and topics", _item("goals"), "l-b"),
            Line("Approach", _item("approach"), "l-c"),
            Line("Overall", _item("overall"), "l-d"),
        ),
        ticks=(0, 5, 10),
    ),
    Panel(
        "positivity",
        "Positivity ratio: shared appreciations per concern (10 or more drawn at 10)",
        POSITIVITY_CAP,
        (Line("Ratio", _positivity, "l-total"),),
        guide=(5, "5 to 1"),
        ticks=(0, 1, 5, 10),
    ),
    Panel(
        "adherence",
        "Rhythm adherence: scheduled check-ins everyone answered",
        100,
        (Line("Adherence", _percent, "l-total"),),
        guide=(80, "80%"),
        ticks=(0, 50, 100),
        unit="%",
    ),
    Panel(
        "conflicts",
        "Open conflicts at the end of each week",
        0,  # scaled to the most open in the period
        (Line("Open", lambda week: float(week["open_conflicts"]), "l-bar"),),
        bars=True,
    ),
)


def draw(weeks: list[dict[str, Any]], marks: list[dict[str, Any]]) -> Markup:
    """Every panel, one under another, in one SVG."""
    if not weeks:
        return Markup("")
    first = date.fromisoformat(weeks[0]["week"])
    count = len(weeks)
    plot = WIDTH - LEFT - RIGHT
    step = plot / max(count - 1, 1)

    def x(index: float) -> float:
        return LEFT + (index * step if count > 1 else plot / 2)

    def x_of(instant: str) -> float:
        day = views_instant(instant).date()
        return x((day - first).days / 7)

    height = len(PANELS) * (PANEL_HEIGHT + TOP + BOTTOM) + 30
    parts = [
        f'<svg class="health-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Relationship health, week by week</title>',
        f'<desc id="chart-desc">Weekly series from {escape(weeks[0]["week"])} to '
        f"{escape(weeks[-1]['week'])}; the same figures are in the table below.</desc>",
    ]
    # Each week's x, written once for every line that passes through it.
    across = [f"{x(index):.1f}" for index in range(count)]
    offset = 0
    most_open = max((week["open_conflicts"] for week in weeks), default=0)
    for panel in PANELS:
        top = panel.top or max(most_open, 1)
        parts.append(_panel(panel, top, weeks, offset, x, step, across))
        parts.append(_marks(marks, offset, x_of))
        offset += PANEL_HEIGHT + TOP + BOTTOM
    parts.append(_axis(weeks, offset, x))
    parts.append("</svg>")
    return Markup("".join(parts))


def _panel(
    panel: Panel,
    top: float,
    weeks: list[dict[str, Any]],
    offset: int,
    x: Callable[[float], float],
    step: float,
    across: list[str],
) -> str:
    base = offset + TOP + PANEL_HEIGHT

    def y(value: float) -> float:
        return base - PANEL_HEIGHT * min(value, top) / top

    parts = [
        f'<g class="panel panel-{panel.key}">',
        f'<text class="panel-title" x="{LEFT}" y="{offset + TOP - 9}">{escape(panel.title)}</text>',
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
    ]
    for tick in panel.ticks or (0, top):
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick:g}{panel.unit}</text>"
        )
    if panel.guide is not None:
        value, label = panel.guide
        parts.append(
            f'<line class="guide" x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y(value):.1f}"><title>{escape(label)}</title></line>'
        )
    for line in panel.lines:
        if panel.bars:
            width = max(min(step * 0.7, 14), 1.5)
            for index, week in enumerate(weeks):
                value = line.value(week) or 0
                if value:
                    parts.append(
                        f'<rect class="{line.css}" x="{x(index) - width / 2:.1f}" '
                        f'y="{y(value):.1f}" width="{width:.1f}" height="{base - y(value):.1f}">'
                        f"<title>{escape(week['week'])}: {value:g} open</title></rect>"
                    )
            continue
        dots = len(weeks) <= DOTS_UP_TO and line is panel.lines[0]
        parts.extend(_line(line, weeks, across, y, dots=dots))
    parts.append("</g>")
    return "".join(parts)


def _line(
    line: Line,
    weeks: list[dict[str, Any]],
    across: list[str],
    y: Callable[[float], float],
    *,
    dots: bool,
) -> list[str]:
    """A polyline per run of weeks with a value: a week without data breaks the line rather
    than pretending the weeks on either side were joined."""
    parts: list[str] = []
    run: list[str] = []
    label = escape(line.label)  # weeks are ISO dates the reader made: nothing to escape

    def end_run() -> None:
        if len(run) == 1:
            cx, cy = run[0].split(",")
            parts.append(f'<circle class="{line.css} dot" cx="{cx}" cy="{cy}" r="2.5"/>')
        elif run:
            parts.append(
                f'<polyline class="{line.css} series" data-label="{label}" '
                f'points="{" ".join(run)}"/>'
            )
        run.clear()

    value_of = line.value
    for cx, week in zip(across, weeks, strict=True):
        value = value_of(week)
        if value is None:
            end_run()
            continue
        cy = f"{y(value):.1f}"
        run.append(f"{cx},{cy}")
        if dots:
            parts.append(
                f'<circle class="{line.css} dot" cx="{cx}" cy="{cy}" r="2"><title>{label}, '
                f"week of {week['week']}: {value:.1f}</title></circle>"
            )
    end_run()
    return parts


def _marks(marks: list[dict[str, Any]], offset: int, x_of: Callable[[str], float]) -> str:
    """Agreement versions as thin lines, redesigns as bold dashed ones, labelled."""
    parts = []
    top, base = offset + TOP, offset + TOP + PANEL_HEIGHT
    placed: list[tuple[float, float, int]] = []  # each label's left, right and row
    for mark in marks:
        at = x_of(mark["at"])
        if not LEFT <= at <= WIDTH - RIGHT:
            continue
        kind = "redesign" if mark["kind"].startswith("redesign") else "agreement"
        parts.append(
            f'<line class="mark mark-{kind} {escape(mark["kind"])}" x1="{at:.1f}" y1="{top}" '
            f'x2="{at:.1f}" y2="{base}"><title>{escape(mark["label"])} '
            f"({escape(mark['at'][:10])})</title></line>"
        )
        if kind == "redesign" and offset == 0:
            word = "redesign" if mark["kind"] == "redesign_opened" else "concluded"
            parts.append(_label(word, at, top, placed))
    return "".join(parts)


LABEL_CHAR = 6.0  # the width of a mark label's character at its 10px size, near enough


def _label(word: str, at: float, top: int, placed: list[tuple[float, float, int]]) -> str:
    """A mark's word beside its line, on the first row where it overprints no other label;
    near the right edge it sits to the line's left."""
    width = len(word) * LABEL_CHAR
    left, anchor = at + 3, "start"
    if left + width > WIDTH - RIGHT:
        left, anchor = at - 3 - width, "end"
    right = left + width
    row = 0
    while any(
        row == r and left < r_right + 4 and r_left < right + 4 for r_left, r_right, r in placed
    ):
        row += 1
    placed.append((left, right, row))
    x = right if anchor == "end" else left
    return (
        f'<text class="mark-label" x="{x:.1f}" y="{top + 10 + row * 12}" '
        f'text-anchor="{anchor}">{word}</text>'
    )


def _axis(weeks: list[dict[str, Any]], offset: int, x: Callable[[float], float]) -> str:
    """Dates under the last panel: about eight, evenly spread."""
    every = max(len(weeks) // 8, 1)
    parts = ['<g class="time-axis">']
    for index in range(0, len(weeks), every):
        parts.append(
            f'<text class="tick" x="{x(index):.1f}" y="{offset + 4}" text-anchor="middle">'
            f"{escape(weeks[index]['week'])}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
