"""What awaits a person, in every alliance they are in."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from projections.readers.alerts import AlertReader
from projections.readers.base import Reader, Row
from projections.readers.commitments import CommitmentReader


class InboxReader(Reader):
    def inbox(self, viewer: UUID, today: date) -> dict[str, list[Row]]:
        """``today`` as the viewer's calendar has it: a commitment due then is waiting."""
        me = str(viewer)
        mine = (
            "JOIN v_memberships m ON m.alliance_id = x.alliance_id AND m.member_id = ? "
            "AND m.left_at IS NULL JOIN v_alliances a ON a.alliance_id = x.alliance_id"
        )
        checkins = self._all(
            f"SELECT x.checkin_id, x.alliance_id, a.title, x.slot, x.closes_at, x.expected "
            f"FROM v_checkins x {mine} WHERE x.status = 'open' AND NOT EXISTS (SELECT 1 FROM "
            "v_checkin_responses r WHERE r.checkin_id = x.checkin_id AND r.member_id = ?) "
            "ORDER BY x.closes_at",
            (me, me),
        )
        proposals = self._all(
            f"SELECT x.proposal_id, x.alliance_id, a.title, x.kind, x.category, x.text, "
            f"x.proposed_at, p.name AS proposer_name FROM v_proposals x {mine} "
            "JOIN v_accounts p ON p.account_id = x.proposer_id WHERE x.status = 'open' "
            "AND NOT EXISTS (SELECT 1 FROM v_acceptances c WHERE c.proposal_id = x.proposal_id "
            "AND c.member_id = ?) ORDER BY x.proposed_at",
            (me, me),
        )
        conflicts = self._all(
            f"SELECT x.conflict_id, x.alliance_id, a.title, x.description, x.severity, "
            f"x.reported_at, p.name AS reporter_name FROM v_conflicts x {mine} "
            "JOIN v_accounts p ON p.account_id = x.reporter_id "
            "WHERE x.status = 'reported' AND x.reporter_id <> ? ORDER BY x.reported_at",
            (me, me),
        )
        tending = self._all(
            f"SELECT x.signal_id, x.alliance_id, a.title, x.message, x.raised_at, "
            f"p.name AS member_name FROM v_tending x {mine} "
            "JOIN v_accounts p ON p.account_id = x.member_id "
            "WHERE x.addressed_at IS NULL ORDER BY x.raised_at",
            (me,),
        )
        suggestions = self._all(
            f"SELECT x.alliance_id, a.title, x.key, x.reason, x.suggested_at "
            f"FROM v_redesign_suggestions x {mine} WHERE x.answered_at IS NULL "
            "AND a.status = 'active' ORDER BY x.suggested_at",
            (me,),
        )
        # Only those the check-in asked: someone who joined after it opened is not expected.
        checkins = [c for c in checkins if me in json.loads(c.pop("expected"))]
        return {
            "checkins": checkins,
            "proposals": proposals,
            "conflicts": conflicts,
            "tending": tending,
            "redesign_prompts": suggestions,
            "commitments": CommitmentReader(self.store).commitments_due(viewer, today),
            "alerts": AlertReader(self.store).open_alerts_for(viewer, today),
        }
