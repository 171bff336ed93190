"""What every reader of the views shares: the store, and rows as dicts."""

from __future__ import annotations

import json
from typing import Any

from projections.db import ViewStore

Row = dict[str, Any]


class Reader:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self.store.read() as cur:
            cur.execute(sql, params)
            return [dict(row) for row in cur.fetchall()]

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    # Who accepted a proposal: a proposal's page and a term's history both show it.
    def _acceptances(self, proposal_id: str) -> list[Row]:
        return self._all(
            "SELECT c.member_id, c.accepted_at, a.name FROM v_acceptances c "
            "JOIN v_accounts a ON a.account_id = c.member_id "
            "WHERE c.proposal_id = ? ORDER BY c.accepted_at, a.name",
            (proposal_id,),
        )


def read_schedule(row: Row) -> None:
    """A rhythm's schedule, kept as JSON text, as the dict it was recorded as."""
    raw = row.get("schedule")
    row["schedule"] = json.loads(raw) if raw else None
