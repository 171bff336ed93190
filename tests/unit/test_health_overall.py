"""The overall status says no more than the components know."""

from __future__ import annotations

from typing import Any

from projections.health.components import overall


def _components(*statuses: str) -> list[dict[str, Any]]:
    return [{"title": f"Part {n}", "status": status} for n, status in enumerate(statuses)]


def test_green_is_said_only_when_most_components_have_data() -> None:
    early = overall(_components("green", "green", *["no_data"] * 5))
    assert early["status"] == "no_data"
    assert early["summary"] == (
        "Too little has happened yet to judge: 2 of the 7 components have enough data."
    )
    first = overall(_components("green", *["no_data"] * 6))
    assert first["summary"].endswith(": 1 of the 7 components has enough data.")
    later = overall(_components(*["green"] * 4, *["no_data"] * 3))
    assert later == {"status": "green", "summary": "Every component with enough data is green."}


def test_a_red_or_yellow_reading_is_said_however_early() -> None:
    early = overall(_components("red", "yellow", *["no_data"] * 5))
    assert early["status"] == "red"
    assert early["summary"] == "Needs attention: part 0. Worth a look: part 1."
