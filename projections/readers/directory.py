"""Who is in which alliance, their accounts and their invitations."""

from __future__ import annotations

from uuid import UUID

from projections.readers.base import Reader, Row


class DirectoryReader(Reader):
    def alliances_for(self, member: UUID) -> list[Row]:
        return self._all(
            "SELECT a.*, m.role FROM v_memberships m "
            "JOIN v_alliances a ON a.alliance_id = m.alliance_id "
            "WHERE m.member_id = ? AND m.left_at IS NULL ORDER BY a.updated_at DESC",
            (str(member),),
        )

    def calendar_key_version(self, alliance_id: UUID, member: UUID) -> int | None:
        """The version of a current member's calendar feed key; None for anyone else."""
        row = self._one(
            "SELECT calendar_key_version FROM v_memberships "
            "WHERE alliance_id = ? AND member_id = ? AND left_at IS NULL",
            (str(alliance_id), str(member)),
        )
        return int(row["calendar_key_version"]) if row else None

    def alliance(self, alliance_id: UUID, viewer: UUID) -> Row | None:
        """The alliance with its current members, or None for a non-member as for a missing one."""
        if not self.is_member(alliance_id, viewer):
            return None
        alliance = self._one("SELECT * FROM v_alliances WHERE alliance_id = ?", (str(alliance_id),))
        if alliance is None:
            return None
        alliance["members"] = self._all(
            "SELECT m.member_id, m.role, m.joined_at, m.agreed_version, a.name, a.email "
            "FROM v_memberships m JOIN v_accounts a ON a.account_id = m.member_id "
            "WHERE m.alliance_id = ? AND m.left_at IS NULL ORDER BY m.joined_at, a.name",
            (str(alliance_id),),
        )
        return alliance

    def is_member(self, alliance_id: UUID, viewer: UUID) -> bool:
        return (
            self._one(
                "SELECT 1 AS yes FROM v_memberships "
                "WHERE alliance_id = ? AND member_id = ? AND left_at IS NULL",
                (str(alliance_id), str(viewer)),
            )
            is not None
        )

    def account(self, account_id: UUID) -> Row | None:
        return self._one("SELECT * FROM v_accounts WHERE account_id = ?", (str(account_id),))

    def invitation(self, invitation_id: UUID) -> Row | None:
        """An invitation with the alliance it is to, for the person holding its link."""
        return self._one(
            "SELECT i.*, a.title, a.purpose, a.kind, a.agreement_version, a.status, "
            "b.name AS invited_by_name FROM v_invitations i "
            "JOIN v_alliances a ON a.alliance_id = i.alliance_id "
            "JOIN v_accounts b ON b.account_id = i.invited_by WHERE i.invitation_id = ?",
            (str(invitation_id),),
        )

    def open_invitations(self, alliance_id: UUID) -> list[Row]:
        return self._all(
            "SELECT * FROM v_invitations WHERE alliance_id = ? AND joined_at IS NULL "
            "ORDER BY invited_at",
            (str(alliance_id),),
        )
