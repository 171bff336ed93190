"""Alerts and alert rules as members read them. Every member of an alliance sees all of its
alerts: each is raised from what every member may see (shared notes, revealed answers), so
no alert tells one member what another kept private."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from projections.readers.base import Reader, Row
from tracker.domain.alert_rules import RULES, severity_of, title_of

_WITH_NAMES = (
    "SELECT x.*, k.name AS acknowledged_by_name, s.name AS snoozed_by_name, "
    "r.name AS resolved_by_name FROM v_alerts x "
    "LEFT JOIN v_accounts k ON k.account_id = x.acknowledged_by "
    "LEFT JOIN v_accounts s ON s.account_id = x.snoozed_by "
    "LEFT JOIN v_accounts r ON r.account_id = x.resolved_by "
)


def _read(row: Row, today: date) -> Row:
    row["rule_title"] = title_of(row["rule"])
    row["severity"] = severity_of(row["rule"])
    row["numbers"] = json.loads(row["numbers"])
    row["evidence"] = json.loads(row["evidence"])
    until = row["snoozed_until"]
    row["snoozed"] = row["status"] == "open" and until is not None and until > today.isoformat()
    return row


class AlertReader(Reader):
    def alerts(self, alliance_id: UUID, today: date, status: str | None = None) -> list[Row]:
        """The alliance's alerts, open ones first, the newest first within each; ``today``
        (as the reader's calendar has it) tells which are still snoozed."""
        narrowed = "AND x.status = ? " if status else ""
        params = (str(alliance_id), status) if status else (str(alliance_id),)
        found = self._all(
            f"{_WITH_NAMES}WHERE x.alliance_id = ? {narrowed}"
            "ORDER BY x.status <> 'open', x.raised_at DESC, x.alert_id",
            params,
        )
        return [_read(row, today) for row in found]

    def alert(self, alliance_id: UUID, alert_id: UUID, today: date) -> Row | None:
        found = self._one(
            f"{_WITH_NAMES}WHERE x.alliance_id = ? AND x.alert_id = ?",
            (str(alliance_id), str(alert_id)),
        )
        return _read(found, today) if found else None

    def open_alerts_for(self, viewer: UUID, today: date) -> list[Row]:
        """Every open alert, not snoozed, in the active alliances the viewer is a member of."""
        found = self._all(
            "SELECT x.alert_id, x.alliance_id, a.title, x.rule, x.summary, x.raised_at, "
            "x.acknowledged_at, x.snoozed_until, x.status, x.numbers, x.evidence FROM v_alerts x "
            "JOIN v_memberships m ON m.alliance_id = x.alliance_id AND m.member_id = ? "
            "AND m.left_at IS NULL JOIN v_alliances a ON a.alliance_id = x.alliance_id "
            "WHERE x.status = 'open' AND a.status = 'active' "
            "AND (x.snoozed_until IS NULL OR x.snoozed_until <= ?) ORDER BY x.raised_at",
            (str(viewer), today.isoformat()),
        )
        return [_read(row, today) for row in found]

    def alert_rules(self, alliance_id: UUID) -> list[Row]:
        """Every rule as it stands in the alliance: on or off, its threshold, in words."""
        chosen = {
            row["rule"]: row
            for row in self._all(
                "SELECT r.*, a.name AS set_by_name FROM v_alert_rules r "
                "LEFT JOIN v_accounts a ON a.account_id = r.set_by WHERE r.alliance_id = ?",
                (str(alliance_id),),
            )
        }
        return [_rule(rule, chosen.get(rule.key)) for rule in RULES]


def _rule(rule: Any, chosen: Row | None) -> Row:
    threshold = chosen["threshold"] if chosen else rule.threshold
    return {
        "rule": rule.key,
        "title": rule.title,
        "enabled": bool(chosen["enabled"]) if chosen else True,
        "threshold": threshold,
        "default_threshold": rule.threshold,
        "minimum": rule.minimum,
        "maximum": rule.maximum,
        "unit": rule.unit,
        "severity": rule.severity,
        "words": rule.words(threshold),
        "grounding": rule.grounding,
        "set_by_name": chosen["set_by_name"] if chosen else None,
        "set_at": chosen["set_at"] if chosen else None,
    }
