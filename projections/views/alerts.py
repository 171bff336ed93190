"""Alerts as members read them, and each alliance's alert rules as its members set them.

An alert's status is open until resolved; acknowledged and snoozed are kept beside it, so a
page can say who saw it and until when it is out of the way. A rule no one has set is at its
default, which projections.readers.alerts fills in from tracker.domain.alert_rules.
"""

from __future__ import annotations

import json
from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.alert import Alert
from tracker.domain.alliance import Alliance


class AlertsView(TableView):
    name = "alerts"
    tables: ClassVar[dict[str, str]] = {
        "v_alerts": (
            "alert_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, rule TEXT NOT NULL, "
            "cause TEXT NOT NULL, threshold INTEGER NOT NULL, numbers TEXT NOT NULL, "
            "evidence TEXT NOT NULL, summary TEXT NOT NULL, raised_at TEXT NOT NULL, "
            "status TEXT NOT NULL, acknowledged_by TEXT, acknowledged_at TEXT, "
            "snoozed_until TEXT, snoozed_by TEXT, resolved_by TEXT, resolved_at TEXT, "
            "resolution TEXT, deliveries_queued INTEGER NOT NULL DEFAULT 0"
        ),
        "v_alert_rules": (
            "alliance_id TEXT NOT NULL, rule TEXT NOT NULL, enabled INTEGER NOT NULL, "
            "threshold INTEGER NOT NULL, set_by TEXT NOT NULL, set_at TEXT NOT NULL, "
            "PRIMARY KEY (alliance_id, rule)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_alerts_alliance ON v_alerts (alliance_id, status, raised_at)"
    ]

    def _raised(self, cur: Cursor, e: Alert.Raised, _: int) -> None:
        cur.execute(
            "INSERT INTO v_alerts (alert_id, alliance_id, rule, cause, threshold, numbers, "
            "evidence, summary, raised_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
            (
                sid(e.originator_id),
                sid(e.alliance_id),
                e.rule,
                e.cause,
                e.threshold,
                json.dumps(e.numbers, sort_keys=True),
                json.dumps(e.evidence),
                e.summary,
                iso(e.timestamp),
            ),
        )

    def _acknowledged(self, cur: Cursor, e: Alert.Acknowledged, _: int) -> None:
        cur.execute(
            "UPDATE v_alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE alert_id = ?",
            (sid(e.by), iso(e.timestamp), sid(e.originator_id)),
        )

    def _snoozed(self, cur: Cursor, e: Alert.Snoozed, _: int) -> None:
        cur.execute(
            "UPDATE v_alerts SET snoozed_until = ?, snoozed_by = ? WHERE alert_id = ?",
            (e.until, sid(e.by), sid(e.originator_id)),
        )

    def _deliveries_queued(self, cur: Cursor, e: Alert.DeliveriesQueued, _: int) -> None:
        cur.execute(
            "UPDATE v_alerts SET deliveries_queued = 1 WHERE alert_id = ?", (sid(e.originator_id),)
        )

    def _resolved(self, cur: Cursor, e: Alert.Resolved, _: int) -> None:
        cur.execute(
            "UPDATE v_alerts SET status = 'resolved', resolved_by = ?, resolved_at = ?, "
            "resolution = ? WHERE alert_id = ?",
            (sid(e.by), iso(e.timestamp), e.note, sid(e.originator_id)),
        )

    def _rule_set(self, cur: Cursor, e: Alliance.AlertRuleSet, _: int) -> None:
        cur.execute(
            "INSERT INTO v_alert_rules (alliance_id, rule, enabled, threshold, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (alliance_id, rule) DO UPDATE SET "
            "enabled = excluded.enabled, threshold = excluded.threshold, "
            "set_by = excluded.set_by, set_at = excluded.set_at",
            (
                sid(e.originator_id),
                e.rule,
                int(e.enabled),
                e.threshold,
                sid(e.by),
                iso(e.timestamp),
            ),
        )

    handlers: ClassVar[dict[type, Handler]] = {
        Alert.Raised: _raised,
        Alert.Acknowledged: _acknowledged,
        Alert.Snoozed: _snoozed,
        Alert.Resolved: _resolved,
        Alert.DeliveriesQueued: _deliveries_queued,
        Alliance.AlertRuleSet: _rule_set,
    }
