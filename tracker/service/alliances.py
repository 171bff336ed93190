"""Commands on the alliance itself: founding, membership, proposals, redesigns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from tracker import ids, schemas
from tracker.domain import errors
from tracker.domain.account import Account
from tracker.domain.alliance import Alliance
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]


class AccountCommands(CommandRunner):
    def register_account(
        self, payload: Payload, *, through_invitation: UUID | None = None
    ) -> CommandResult:
        """``through_invitation``: the invitation whose link the person followed to sign up,
        checked by the caller to be addressed to this email (its link reached the address)."""
        data = schemas.load(schemas.RegisterAccountSchema, payload)
        password_hash = self.passwords.hash(data["password"])  # once, outside any retry

        def command() -> Outcome:
            if ids.account_id(data["email"]) in self.app.repository:
                raise errors.AccountAlreadyRegistered("an account with this email exists")
            now = self.clock.now()
            account = Account.register(email=data["email"], name=data["name"], at=now)
            account.set_password(password_hash, at=now)
            if through_invitation is not None:
                account.came_through_invitation(through_invitation, at=now)
            return Outcome([account], {"account_id": account.id})

        return self.run(command)

    def verify_address(self, account_id: UUID, email: str, *, via: str) -> CommandResult:
        def command() -> Outcome:
            account = self.account(account_id)
            changed = account.verify_address(email, via, at=self.clock.now())
            return Outcome([account] if changed else [], {"account_id": account_id})

        return self.run(command)

    def reclaim_account(self, payload: Payload, *, via: str) -> CommandResult:
        """The owner of an address, proven by ``via``, takes it back from a registration
        nobody proved: a new name and password; the caller ends the old sessions."""
        data = schemas.load(schemas.RegisterAccountSchema, payload)
        password_hash = self.passwords.hash(data["password"])

        def command() -> Outcome:
            account = self.account(ids.account_id(data["email"]))
            account.reclaim(data["name"], password_hash, via, at=self.clock.now())
            return Outcome([account], {"account_id": account.id})

        return self.run(command)

    def address_proven(self, email: str) -> bool | None:
        """Whether the account of ``email`` has proven it; None when there is none."""
        account_id = ids.account_id(email)
        if account_id not in self.app.repository:
            return None
        return self.account(account_id).email_verified

    def authenticate(self, payload: Payload) -> UUID:
        """The account whose email and password these are, or BadCredentials. A hash made
        with weaker parameters than today's is replaced while the password is at hand."""
        data = schemas.load(schemas.SignInSchema, payload)
        account_id = ids.account_id(data["email"])
        try:
            account = self.load(Account, account_id, errors.AccountNotFound(account_id))
        except errors.AccountNotFound:
            account = None
        password_hash = account.password_hash if account else None
        # Verified even when there is no account (against a decoy), so an unknown email
        # takes as long to refuse as a wrong password.
        if not self.passwords.verify(password_hash, data["password"]):
            raise errors.BadCredentials()
        if password_hash and self.passwords.needs_rehash(password_hash):
            self._rehash(account_id, data["password"])
        return account_id

    def _rehash(self, account_id: UUID, password: str) -> None:
        password_hash = self.passwords.hash(password)

        def command() -> Outcome:
            account = self.account(account_id)
            account.set_password(password_hash, at=self.clock.now())
            return Outcome([account])

        self.run(command)


class AllianceCommands(CommandRunner):
    def found_alliance(self, actor: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.FoundAllianceSchema, payload)

        def command() -> Outcome:
            self.account(actor)
            alliance = Alliance.found(founder_id=actor, at=self.clock.now(), **data)
            return Outcome([alliance], {"alliance_id": alliance.id})

        return self.run(command)

    def schedule_design_conversation(
        self, actor: UUID, alliance_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.ScheduleDesignConversationSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            alliance.schedule_design_conversation(actor, data["at"], at=self.clock.now())
            return Outcome([alliance])

        return self.run(command)

    def invite_member(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.InviteMemberSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            invitation_id = alliance.invite(actor, data["email"], data["role"], at=self.clock.now())
            changed = [alliance] if alliance.pending_events else []  # invited again: as it was
            return Outcome(changed, {"invitation_id": invitation_id})

        return self.run(command)

    def join_alliance(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        """The invitee is not a member yet, so this is the one command a non-member may give;
        the invitation, addressed to their email, is what admits them."""
        data = schemas.load(schemas.JoinAllianceSchema, payload)

        def command() -> Outcome:
            account = self.account(actor)
            alliance = self.load(Alliance, alliance_id, errors.AllianceNotFound(alliance_id))
            now = self.clock.now()
            alliance.join(
                actor,
                account.email,
                data["invitation_id"],
                data["agreed_version"],
                proven=account.may_accept(data["invitation_id"]),
                at=now,
            )
            # Accepting through the link that reached the address proves it.
            proved = account.verify_address(account.email, "invitation", at=now)
            return Outcome([alliance, account] if proved else [alliance])

        return self.run(command)

    def leave_alliance(self, actor: UUID, alliance_id: UUID) -> CommandResult:
        return self._act(alliance_id, actor, lambda a: a.leave(actor, at=self.clock.now()))

    def propose(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.ProposeSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            now = self.clock.now()
            if data["kind"] == "add":
                proposal_id = alliance.propose_term(
                    actor,
                    data["category"],
                    data["text"],
                    data["rationale"],
                    at=now,
                    schedule=data["schedule"],
                )
            elif data["kind"] == "amend":
                proposal_id = alliance.propose_amendment(
                    actor,
                    data["term_id"],
                    data["based_on_version"],
                    data["text"],
                    data["rationale"],
                    at=now,
                    schedule=data["schedule"],
                )
            else:
                proposal_id = alliance.propose_retirement(
                    actor, data["term_id"], data["based_on_version"], data["rationale"], at=now
                )
            return Outcome([alliance], {"proposal_id": proposal_id})

        return self.run(command)

    def accept_proposal(self, actor: UUID, alliance_id: UUID, proposal_id: UUID) -> CommandResult:
        return self._act(
            alliance_id, actor, lambda a: a.accept(actor, proposal_id, at=self.clock.now())
        )

    def accept_all_proposals(self, actor: UUID, alliance_id: UUID) -> CommandResult:
        """Every open proposal by others that awaits ``actor``, accepted in one save, each as
        its own acceptance; the result's ids are the proposals accepted, in order."""

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            accepted = alliance.accept_all(actor, at=self.clock.now())
            return Outcome([alliance], {f"accepted {n}": UUID(p) for n, p in enumerate(accepted)})

        return self.run(command)

    def decline_proposal(
        self, actor: UUID, alliance_id: UUID, proposal_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.DeclineProposalSchema, payload)
        return self._act(
            alliance_id,
            actor,
            lambda a: a.decline(actor, proposal_id, data["reason"], at=self.clock.now()),
        )

    def withdraw_proposal(self, actor: UUID, alliance_id: UUID, proposal_id: UUID) -> CommandResult:
        return self._act(
            alliance_id, actor, lambda a: a.withdraw(actor, proposal_id, at=self.clock.now())
        )

    def open_redesign(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.OpenRedesignSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            redesign_id = alliance.open_redesign(actor, data["reason"], at=self.clock.now())
            return Outcome([alliance], {"redesign_id": redesign_id})

        return self.run(command)

    def conclude_redesign(
        self,
        actor: UUID,
        alliance_id: UUID,
        payload: Payload,
        redesign_id: UUID | None = None,
    ) -> CommandResult:
        data = schemas.load(schemas.ConcludeRedesignSchema, payload)
        return self._act(
            alliance_id,
            actor,
            lambda a: a.conclude_redesign(
                actor, data["summary"], at=self.clock.now(), redesign_id=redesign_id
            ),
        )

    def request_tending(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.RequestTendingSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            signal_id = alliance.request_tending(actor, data["message"], at=self.clock.now())
            return Outcome([alliance], {"signal_id": signal_id})

        return self.run(command)

    def address_tending(
        self, actor: UUID, alliance_id: UUID, signal_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.AddressTendingSchema, payload)
        return self._act(
            alliance_id,
            actor,
            lambda a: a.address_tending(actor, signal_id, data["reply"], at=self.clock.now()),
        )

    def end_alliance(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.EndAllianceSchema, payload)
        return self._act(
            alliance_id, actor, lambda a: a.end(actor, data["reason"], at=self.clock.now())
        )

    def _act(
        self, alliance_id: UUID, actor: UUID, change: Callable[[Alliance], object]
    ) -> CommandResult:
        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            change(alliance)
            return Outcome([alliance])

        return self.run(command)
