"""Rebuilding the views while they serve: the whole log replayed into fresh tables, which
then take the place of the live ones in one transaction, at the position they reached.
A rebuild that fails leaves the views as they were."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections import quarantine
from projections.view_tables import POSITIONS

if TYPE_CHECKING:
    from projections.catchup import CatchUpEngine


def replay_into_fresh(live: CatchUpEngine) -> tuple[int, int]:
    """The events applied, and the position the views now stand at."""
    fresh = live.store.fresh()
    try:
        builder = type(live)(
            live.recorder,
            live.mapper,
            fresh,
            live.views,
            name=live.name,
            batch_size=live.batch_size,
        )
        builder.setup()
        applied = builder.run_once()
        reached = _adopt(live, builder, unless_behind=True)
        while reached is None:  # the live views moved on meanwhile: catch up with them
            caught_up = builder.run_once()
            applied += caught_up
            # Nothing more in the log: the live views are past its end (views of another
            # log), and the rebuild is what the log holds.
            reached = _adopt(live, builder, unless_behind=bool(caught_up))
    finally:
        fresh.discard()
    return applied, reached


class _StillBehind(Exception):
    pass


def _adopt(live: CatchUpEngine, builder: CatchUpEngine, *, unless_behind: bool) -> int | None:
    """Put the builder's tables in place of the live ones, at its position; or, ``unless_behind``
    and the live views have gone further, nothing (None), so that each event is in the views
    exactly once."""
    tables = [table for view in live.views for table in getattr(view, "tables", ())]
    built = builder.position()
    held = builder.held()
    try:
        with live.store.adopt(builder.store, tables) as cur:
            lock = " FOR UPDATE" if cur.dialect == "postgresql" else ""
            cur.execute(f"SELECT position FROM {POSITIONS} WHERE name = ?{lock}", (live.name,))
            row = cur.fetchone()
            if unless_behind and row is not None and int(row["position"]) > built:
                raise _StillBehind  # rolls the swap back
            cur.execute(f"UPDATE {POSITIONS} SET position = ? WHERE name = ?", (built, live.name))
            quarantine.clear(cur, live.name)
            for item in held:
                quarantine.restore(cur, live.name, item)
    except _StillBehind:
        return None
    return built
