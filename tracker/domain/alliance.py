"""The Alliance aggregate: who is in it and which terms they have agreed.

Public methods check the rules and derive values; each event's ``apply`` only assigns
state, so replaying the history is deterministic. Event timestamps come from the caller
(the application's clock), never from the wall clock inside the domain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from tracker import ids
from tracker.domain import errors
from tracker.domain.alert_rules import BY_KEY
from tracker.domain.rhythm import Rhythm, start_problem
from tracker.domain.vocabulary import ALLIANCE_KINDS, TERM_CATEGORIES

Record = dict[str, Any]


class Alliance(Aggregate):
    # Defaults for state added since the first alliances were recorded: an aggregate rebuilt
    # from an older snapshot has no such attribute and reads these.
    webhook: dict[str, Any] | None = None
    webhook_key_version: int = 0
    review_every_months: int | None = None
    suggested: tuple[str, ...] = ()  # the causes a redesign was suggested for
    calendar_keys: dict[str, int] | None = None  # each member's calendar feed key version
    alert_rules: dict[str, dict[str, Any]] | None = None  # rule -> enabled, threshold as set

    class Founded(Aggregate.Created):
        title: str
        purpose: str
        kind: str
        founder_id: UUID
        founder_role: str

    def __init__(
        self, title: str, purpose: str, kind: str, founder_id: UUID, founder_role: str
    ) -> None:
        self.title = title
        self.purpose = purpose
        self.kind = kind
        self.status = "active"
        self.members: dict[str, Record] = {str(founder_id): {"role": founder_role}}
        self.invitations: dict[str, Record] = {}
        self.terms: dict[str, Record] = {}
        self.proposals: dict[str, Record] = {}  # open ones only: history lives in the views
        self.agreement_version = 0
        self.redesign: Record | None = None  # the open one, if any
        self.tending: dict[str, Record] = {}  # open "needs tending" signals
        self.design_conversation_at: datetime | None = None

    @classmethod
    def found(
        cls, *, title: str, purpose: str, kind: str, founder_id: UUID, role: str, at: datetime
    ) -> Alliance:
        if kind not in ALLIANCE_KINDS:
            raise errors.InvalidProposal(f"kind must be one of {', '.join(ALLIANCE_KINDS)}")
        return cls._create(
            cls.Founded,
            id=uuid4(),
            timestamp=at,
            title=title,
            purpose=purpose,
            kind=kind,
            founder_id=founder_id,
            founder_role=role,
        )

    # --- membership -------------------------------------------------------------------

    def require_member(self, actor: UUID) -> None:
        if str(actor) not in self.members:
            raise errors.NotAMember(self.id)

    def _require_active_member(self, actor: UUID) -> None:
        self.require_member(actor)
        if self.status != "active":
            raise errors.AllianceEnded(f"alliance {self.id} has ended")

    def is_member(self, account: UUID) -> bool:
        return str(account) in self.members

    class DesignConversationScheduled(Aggregate.Event):
        scheduled_for: datetime
        by: UUID

        def apply(self, alliance: Alliance) -> None:
            alliance.design_conversation_at = self.scheduled_for

    def schedule_design_conversation(self, actor: UUID, when: datetime, *, at: datetime) -> None:
        self._require_active_member(actor)
        self.trigger_event(
            self.DesignConversationScheduled, timestamp=at, scheduled_for=when, by=actor
        )

    class MemberInvited(Aggregate.Event):
        invitation_id: UUID
        email: str
        role: str
        invited_by: UUID

        def apply(self, alliance: Alliance) -> None:
            alliance.invitations[str(self.invitation_id)] = {
                "email": self.email,
                "role": self.role,
                "invited_by": str(self.invited_by),
            }

    def invite(self, actor: UUID, email: str, role: str, *, at: datetime) -> UUID:
        """A new invitation; or, to an address already invited and not yet joined, that same
        invitation again (nothing recorded), so one address never has two pending."""
        self._require_active_member(actor)
        if self.is_member(ids.account_id(email)):
            raise errors.AlreadyMember(f"{ids.normalise_email(email)} is already a member")
        for pending_id, pending in self.invitations.items():
            if pending["email"] == ids.normalise_email(email):
                return UUID(pending_id)
        invitation_id = uuid4()
        self.trigger_event(
            self.MemberInvited,
            timestamp=at,
            invitation_id=invitation_id,
            email=ids.normalise_email(email),
            role=role,
            invited_by=actor,
        )
        return invitation_id

    class MemberJoined(Aggregate.Event):
        member_id: UUID
        role: str
        invitation_id: UUID
        agreed_version: int

        def apply(self, alliance: Alliance) -> None:
            alliance.invitations.pop(str(self.invitation_id), None)
            alliance.members[str(self.member_id)] = {
                "role": self.role,
                "agreed_version": self.agreed_version,
            }

    def join(
        self,
        account: UUID,
        email: str,
        invitation_id: UUID,
        agreed_version: int,
        *,
        proven: bool,
        at: datetime,
    ) -> None:
        """The newcomer agrees to the version in force, which they must have seen; their
        address must be proven (``proven``), or anyone could have typed it."""
        if self.status != "active":
            raise errors.AllianceEnded(f"alliance {self.id} has ended")
        invitation = self.invitations.get(str(invitation_id))
        if invitation is None:
            raise errors.InvitationNotOpen(f"invitation {invitation_id} is not open")
        if invitation["email"] != ids.normalise_email(email):
            raise errors.InvitationForSomeoneElse("this invitation was sent to another address")
        if not proven:
            raise errors.AddressNotProven(
                f"confirm that {invitation['email']} is yours first, with the link mailed to it "
                "when you signed up, or sign up through this invitation's own link"
            )
        if self.is_member(account):
            raise errors.AlreadyMember("you are already a member")
        if agreed_version != self.agreement_version:
            raise errors.AgreementVersionChanged(
                f"the agreement is now at version {self.agreement_version}, "
                f"not {agreed_version}: read it again before joining"
            )
        self.trigger_event(
            self.MemberJoined,
            timestamp=at,
            member_id=account,
            role=invitation["role"],
            invitation_id=invitation_id,
            agreed_version=agreed_version,
        )

    class MemberLeft(Aggregate.Event):
        member_id: UUID

        def apply(self, alliance: Alliance) -> None:
            del alliance.members[str(self.member_id)]
            for proposal in alliance.proposals.values():
                if str(self.member_id) in proposal["accepted_by"]:
                    proposal["accepted_by"].remove(str(self.member_id))

    def leave(self, actor: UUID, *, at: datetime) -> None:
        self._require_active_member(actor)
        if len(self.members) == 1:
            raise errors.SoleMemberCannotLeave("the last member cannot leave; end it instead")
        self.trigger_event(self.MemberLeft, timestamp=at, member_id=actor)
        if self.webhook_url:
            # The signing key was shown to them: it must not outlive their membership.
            self.trigger_event(
                self.WebhookSet,
                timestamp=at,
                url=self.webhook_url,
                format=self.webhook_format,
                key_version=self.webhook_key_version + 1,
                by=actor,
            )
        # Those who remain may now be everyone a proposal was waiting for.
        for proposal_id in list(self.proposals):
            self._adopt_if_agreed(proposal_id, at)

    # --- proposals ----------------------------------------------------------------------

    class TermProposed(Aggregate.Event):
        proposal_id: UUID
        term_id: UUID
        category: str
        text: str
        rationale: str
        proposer_id: UUID
        redesign_id: UUID | None
        schedule: dict[str, str] | None  # a rhythm's, as Rhythm.record() gives it

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["schedule"] = None  # recorded before rhythms carried schedules

        def apply(self, alliance: Alliance) -> None:
            alliance._open_proposal(self, "add", self.category, self.text, None)

    class AmendmentProposed(Aggregate.Event):
        proposal_id: UUID
        term_id: UUID
        based_on_version: int
        category: str
        text: str
        rationale: str
        proposer_id: UUID
        redesign_id: UUID | None
        schedule: dict[str, str] | None

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["schedule"] = None

        def apply(self, alliance: Alliance) -> None:
            alliance._open_proposal(self, "amend", self.category, self.text, self.based_on_version)

    class RetirementProposed(Aggregate.Event):
        proposal_id: UUID
        term_id: UUID
        based_on_version: int
        category: str
        text: str  # the wording it retires, so the record reads on its own
        rationale: str
        proposer_id: UUID
        redesign_id: UUID | None

        def apply(self, alliance: Alliance) -> None:
            alliance._open_proposal(self, "retire", self.category, self.text, self.based_on_version)

    def _open_proposal(
        self, event: Any, kind: str, category: str, text: str, based_on: int | None
    ) -> None:
        self.proposals[str(event.proposal_id)] = {
            "kind": kind,
            "term_id": str(event.term_id),
            "category": category,
            "text": text,
            "based_on_version": based_on,
            "proposer_id": str(event.proposer_id),
            "accepted_by": [str(event.proposer_id)],
            "redesign_id": str(event.redesign_id) if event.redesign_id else None,
            "schedule": getattr(event, "schedule", None),  # a retirement carries none
        }

    def propose_term(
        self,
        actor: UUID,
        category: str,
        text: str,
        rationale: str,
        *,
        at: datetime,
        schedule: Rhythm | None = None,
    ) -> UUID:
        self._require_active_member(actor)
        if category not in TERM_CATEGORIES:
            raise errors.InvalidProposal(f"category must be one of {', '.join(TERM_CATEGORIES)}")
        _schedule_fits(category, schedule, at)
        proposal_id = uuid4()
        self.trigger_event(
            self.TermProposed,
            timestamp=at,
            proposal_id=proposal_id,
            term_id=ids.term_id(proposal_id),
            category=category,
            text=text,
            rationale=rationale,
            proposer_id=actor,
            redesign_id=self._redesign_id(),
            schedule=schedule.record() if schedule else None,
        )
        self._adopt_if_agreed(str(proposal_id), at)
        return proposal_id

    def propose_amendment(
        self,
        actor: UUID,
        term_id: UUID,
        based_on_version: int,
        text: str,
        rationale: str,
        *,
        at: datetime,
        schedule: Rhythm | None = None,
    ) -> UUID:
        """An amendment states the whole new term: a rhythm amended without a schedule
        stops prompting check-ins."""
        self._require_active_member(actor)
        term = self._current_term(term_id, based_on_version)
        _schedule_fits(term["category"], schedule, at)
        proposal_id = uuid4()
        self.trigger_event(
            self.AmendmentProposed,
            timestamp=at,
            proposal_id=proposal_id,
            term_id=term_id,
            based_on_version=based_on_version,
            category=term["category"],
            text=text,
            rationale=rationale,
            proposer_id=actor,
            redesign_id=self._redesign_id(),
            schedule=schedule.record() if schedule else None,
        )
        self._adopt_if_agreed(str(proposal_id), at)
        return proposal_id

    def propose_retirement(
        self, actor: UUID, term_id: UUID, based_on_version: int, rationale: str, *, at: datetime
    ) -> UUID:
        self._require_active_member(actor)
        term = self._current_term(term_id, based_on_version)
        proposal_id = uuid4()
        self.trigger_event(
            self.RetirementProposed,
            timestamp=at,
            proposal_id=proposal_id,
            term_id=term_id,
            based_on_version=based_on_version,
            category=term["category"],
            text=term["text"],
            rationale=rationale,
            proposer_id=actor,
            redesign_id=self._redesign_id(),
        )
        self._adopt_if_agreed(str(proposal_id), at)
        return proposal_id

    def _current_term(self, term_id: UUID, based_on_version: int) -> Record:
        term = self.terms.get(str(term_id))
        if term is None:
            raise errors.TermNotFound(term_id)
        if term["status"] != "in_force":
            raise errors.TermRetired(f"term {term_id} has been retired")
        if term["version"] != based_on_version:
            raise errors.StaleAmendment(
                f"term {term_id} is at version {term['version']}, not {based_on_version}"
            )
        return term

    def _redesign_id(self) -> UUID | None:
        return UUID(self.redesign["redesign_id"]) if self.redesign else None

    def _open(self, proposal_id: UUID) -> Record:
        proposal = self.proposals.get(str(proposal_id))
        if proposal is None:
            raise errors.ProposalNotOpen(f"proposal {proposal_id} is not open")
        return proposal

    def _is_stale(self, proposal: Record) -> bool:
        if proposal["kind"] == "add":
            return False
        term = self.terms.get(proposal["term_id"])
        return (
            term is None
            or term["version"] != proposal["based_on_version"]
            or (term["status"] != "in_force")
        )

    class ProposalAccepted(Aggregate.Event):
        proposal_id: UUID
        member_id: UUID

        def apply(self, alliance: Alliance) -> None:
            alliance.proposals[str(self.proposal_id)]["accepted_by"].append(str(self.member_id))

    def accept(self, actor: UUID, proposal_id: UUID, *, at: datetime) -> bool:
        """Returns whether this acceptance adopted the proposal."""
        self._require_active_member(actor)
        proposal = self._open(proposal_id)
        if str(actor) in proposal["accepted_by"]:
            raise errors.AlreadyAccepted(f"you have already accepted proposal {proposal_id}")
        if self._is_stale(proposal):
            raise errors.StaleAmendment(
                f"proposal {proposal_id} changes a term version that is no longer in force"
            )
        self.trigger_event(
            self.ProposalAccepted, timestamp=at, proposal_id=proposal_id, member_id=actor
        )
        return self._adopt_if_agreed(str(proposal_id), at)

    def accept_all(self, actor: UUID, *, at: datetime) -> list[str]:
        """Accept, each as its own acceptance, every open proposal by others that ``actor``
        has not accepted and that still changes the version in force; returns their ids."""
        self._require_active_member(actor)
        waiting = [
            proposal_id
            for proposal_id, proposal in self.proposals.items()
            if proposal["proposer_id"] != str(actor)
            and str(actor) not in proposal["accepted_by"]
            and not self._is_stale(proposal)
        ]
        if not waiting:
            raise errors.NothingAwaitsAcceptance("no open proposal awaits your acceptance")
        accepted = []
        for proposal_id in waiting:
            proposal = self.proposals.get(proposal_id)
            if proposal is None or self._is_stale(proposal):
                continue  # adopting one before it changed the version this one amends
            self.accept(actor, UUID(proposal_id), at=at)
            accepted.append(proposal_id)
        return accepted

    class ProposalDeclined(Aggregate.Event):
        proposal_id: UUID
        member_id: UUID
        reason: str

        def apply(self, alliance: Alliance) -> None:
            del alliance.proposals[str(self.proposal_id)]

    def decline(self, actor: UUID, proposal_id: UUID, reason: str, *, at: datetime) -> None:
        self._require_active_member(actor)
        proposal = self._open(proposal_id)
        if proposal["proposer_id"] == str(actor):
            raise errors.ProposerCannotDecline("withdraw your own proposal instead of declining")
        self.trigger_event(
            self.ProposalDeclined,
            timestamp=at,
            proposal_id=proposal_id,
            member_id=actor,
            reason=reason,
        )

    class ProposalWithdrawn(Aggregate.Event):
        proposal_id: UUID
        member_id: UUID

        def apply(self, alliance: Alliance) -> None:
            del alliance.proposals[str(self.proposal_id)]

    def withdraw(self, actor: UUID, proposal_id: UUID, *, at: datetime) -> None:
        self._require_active_member(actor)
        proposal = self._open(proposal_id)
        if proposal["proposer_id"] != str(actor):
            raise errors.OnlyProposerMayWithdraw("only the proposer may withdraw a proposal")
        self.trigger_event(
            self.ProposalWithdrawn, timestamp=at, proposal_id=proposal_id, member_id=actor
        )

    class ProposalAdopted(Aggregate.Event):
        proposal_id: UUID
        kind: str
        term_id: UUID
        category: str
        text: str
        term_version: int
        agreement_version: int
        schedule: dict[str, str] | None

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["schedule"] = None

        def apply(self, alliance: Alliance) -> None:
            del alliance.proposals[str(self.proposal_id)]
            alliance.agreement_version = self.agreement_version
            status = "retired" if self.kind == "retire" else "in_force"
            alliance.terms[str(self.term_id)] = {
                "category": self.category,
                "text": self.text,
                "version": self.term_version,
                "status": status,
                "schedule": self.schedule if status == "in_force" else None,
            }

    def next_slot_after(self, instant: datetime) -> datetime | None:
        """The soonest check-in any rhythm in force schedules after ``instant``."""
        slots = []
        for term in self.terms.values():
            if term["status"] != "in_force" or not term.get("schedule"):
                continue
            try:
                slots.append(Rhythm.from_record(term["schedule"]).next_after(instant))
            except (ValueError, OverflowError):
                continue  # a rule recorded before the grammar was checked: no slot of its own
        return min((slot for slot in slots if slot is not None), default=None)

    def _adopt_if_agreed(self, proposal_id: str, at: datetime) -> bool:
        """A proposal is adopted the moment every current member has accepted it."""
        proposal = self.proposals[proposal_id]
        if not set(self.members) <= set(proposal["accepted_by"]) or self._is_stale(proposal):
            return False
        if proposal["kind"] == "add":
            term_version = 1
        elif proposal["kind"] == "amend":
            term_version = proposal["based_on_version"] + 1
        else:
            term_version = proposal["based_on_version"]
        self.trigger_event(
            self.ProposalAdopted,
            timestamp=at,
            proposal_id=UUID(proposal_id),
            kind=proposal["kind"],
            term_id=UUID(proposal["term_id"]),
            category=proposal["category"],
            text=proposal["text"],
            term_version=term_version,
            agreement_version=self.agreement_version + 1,
            schedule=proposal.get("schedule"),
        )
        return True

    # --- tending the alliance ---------------------------------------------------------

    class RedesignOpened(Aggregate.Event):
        redesign_id: UUID
        reason: str
        opened_by: UUID
        baseline_version: int
        conflict_id: UUID | None

        def apply(self, alliance: Alliance) -> None:
            alliance.redesign = {
                "redesign_id": str(self.redesign_id),
                "reason": self.reason,
                "opened_by": str(self.opened_by),
                "baseline_version": self.baseline_version,
            }
            # Opening a redesign is how the members answer a call for tending.
            alliance.tending.clear()

    def open_redesign(
        self, actor: UUID, reason: str, *, at: datetime, conflict_id: UUID | None = None
    ) -> UUID:
        self._require_active_member(actor)
        if self.redesign is not None:
            raise errors.RedesignAlreadyOpen("a redesign is already open")
        redesign_id = uuid4()
        self.trigger_event(
            self.RedesignOpened,
            timestamp=at,
            redesign_id=redesign_id,
            reason=reason,
            opened_by=actor,
            baseline_version=self.agreement_version,
            conflict_id=conflict_id,
        )
        return redesign_id

    class RedesignConcluded(Aggregate.Event):
        redesign_id: UUID
        summary: str
        by: UUID
        agreement_version: int

        def apply(self, alliance: Alliance) -> None:
            alliance.redesign = None

    def conclude_redesign(
        self, actor: UUID, summary: str, *, at: datetime, redesign_id: UUID | None = None
    ) -> UUID:
        """Conclude the open redesign; naming it guards against concluding a newer one."""
        self._require_active_member(actor)
        if self.redesign is None:
            raise errors.NoOpenRedesign("there is no open redesign to conclude")
        if redesign_id is not None and str(redesign_id) != self.redesign["redesign_id"]:
            raise errors.NoOpenRedesign(f"redesign {redesign_id} is not the open one")
        open_id = self.redesign["redesign_id"]
        if any(p["redesign_id"] == open_id for p in self.proposals.values()):
            raise errors.RedesignHasOpenProposals(
                "settle the redesign's open proposals (adopt, decline or withdraw) first"
            )
        self.trigger_event(
            self.RedesignConcluded,
            timestamp=at,
            redesign_id=UUID(open_id),
            summary=summary,
            by=actor,
            agreement_version=self.agreement_version,
        )
        return UUID(open_id)

    class TendingRequested(Aggregate.Event):
        signal_id: UUID
        member_id: UUID
        message: str

        def apply(self, alliance: Alliance) -> None:
            alliance.tending[str(self.signal_id)] = {
                "member_id": str(self.member_id),
                "message": self.message,
            }

    def request_tending(self, actor: UUID, message: str, *, at: datetime) -> UUID:
        self._require_active_member(actor)
        signal_id = uuid4()
        self.trigger_event(
            self.TendingRequested,
            timestamp=at,
            signal_id=signal_id,
            member_id=actor,
            message=message,
        )
        return signal_id

    class TendingAddressed(Aggregate.Event):
        signal_id: UUID
        by: UUID
        reply: str

        def apply(self, alliance: Alliance) -> None:
            del alliance.tending[str(self.signal_id)]

    def address_tending(self, actor: UUID, signal_id: UUID, reply: str, *, at: datetime) -> None:
        """A written answer to a call for tending; opening a redesign is the other answer."""
        self._require_active_member(actor)
        if str(signal_id) not in self.tending:
            raise errors.TendingNotOpen(f"tending signal {signal_id} is not open")
        self.trigger_event(
            self.TendingAddressed, timestamp=at, signal_id=signal_id, by=actor, reply=reply
        )

    # --- prompting a redesign ---------------------------------------------------------

    class ReviewCadenceSet(Aggregate.Event):
        every_months: int | None  # None: no review is due on a calendar
        by: UUID

        def apply(self, alliance: Alliance) -> None:
            alliance.review_every_months = self.every_months

    def set_review_cadence(self, actor: UUID, every_months: int | None, *, at: datetime) -> None:
        """How often the agreement itself is due for a redesign conversation."""
        self._require_active_member(actor)
        self.trigger_event(self.ReviewCadenceSet, timestamp=at, every_months=every_months, by=actor)

    class RedesignSuggested(Aggregate.Event):
        key: str  # what prompted it, so the same cause prompts once
        reason: str

        def apply(self, alliance: Alliance) -> None:
            alliance.suggested = (*alliance.suggested, self.key)

    def suggest_redesign(self, key: str, reason: str, *, at: datetime) -> None:
        """The scheduler's prompt to open a redesign: a review due, check-ins missed, a call
        for tending left unanswered. Not while one is open; never twice for one cause."""
        if self.status != "active":
            raise errors.AllianceEnded(f"alliance {self.id} has ended")
        if self.redesign is not None:
            raise errors.RedesignAlreadyOpen("a redesign is already open")
        if key in self.suggested:
            raise errors.AlreadySuggested(f"a redesign was already suggested for {key}")
        self.trigger_event(self.RedesignSuggested, timestamp=at, key=key, reason=reason)

    # --- the alert rules the members chose --------------------------------------------

    class AlertRuleSet(Aggregate.Event):
        rule: str  # a key of alert_rules.RULES
        enabled: bool
        threshold: int
        by: UUID

        def apply(self, alliance: Alliance) -> None:
            alliance.alert_rules = {
                **(alliance.alert_rules or {}),
                self.rule: {"enabled": self.enabled, "threshold": self.threshold},
            }

    def set_alert_rule(
        self, actor: UUID, rule: str, *, enabled: bool, threshold: int, at: datetime
    ) -> None:
        """Switch a rule on or off for this alliance, or move its threshold within bounds."""
        self._require_active_member(actor)
        known = BY_KEY.get(rule)
        if known is None:
            raise errors.InvalidInput({"rule": [f"must be one of {', '.join(BY_KEY)}"]})
        if not known.minimum <= threshold <= known.maximum:
            raise errors.InvalidInput(
                {"threshold": [f"must be from {known.minimum} to {known.maximum} {known.unit}"]}
            )
        default = {"enabled": True, "threshold": known.threshold}
        if (self.alert_rules or {}).get(rule, default) == {
            "enabled": enabled,
            "threshold": threshold,
        }:
            return  # as it is already: nothing to record
        self.trigger_event(
            self.AlertRuleSet,
            timestamp=at,
            rule=rule,
            enabled=enabled,
            threshold=threshold,
            by=actor,
        )

    # --- each member's calendar feed --------------------------------------------------

    class CalendarKeyRotated(Aggregate.Event):
        member_id: UUID
        key_version: int  # the feed's secret is derived from the server's secret and this

        def apply(self, alliance: Alliance) -> None:
            alliance.calendar_keys = {
                **(alliance.calendar_keys or {}),
                str(self.member_id): self.key_version,
            }

    def rotate_calendar_key(self, actor: UUID, *, at: datetime) -> int:
        """A new address for the member's feed; the old one stops working. Every member's
        feed starts at version 1, before any rotation."""
        self._require_active_member(actor)
        version = (self.calendar_keys or {}).get(str(actor), 1) + 1
        self.trigger_event(
            self.CalendarKeyRotated, timestamp=at, member_id=actor, key_version=version
        )
        return version

    # --- where check-in prompts go besides mail --------------------------------------------

    class WebhookSet(Aggregate.Event):
        url: str | None  # None: no webhook
        format: str  # the body its calls are written in: one of WEBHOOK_FORMATS
        key_version: int  # its signing key is derived from the server's secret and this
        by: UUID

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["format"] = "json"  # recorded when every call was the tracker's own JSON

        def apply(self, alliance: Alliance) -> None:
            alliance.webhook = (
                {"url": self.url, "format": self.format, "key_version": self.key_version}
                if self.url
                else None
            )
            alliance.webhook_key_version = self.key_version

    @property
    def webhook_url(self) -> str | None:
        return self.webhook["url"] if self.webhook else None

    @property
    def webhook_format(self) -> str:
        # A webhook restored from a snapshot taken before formats has none: it was JSON.
        return str(self.webhook.get("format", "json")) if self.webhook else "json"

    def set_webhook(self, actor: UUID, url: str | None, fmt: str, *, at: datetime) -> int:
        """Set, change or remove the webhook; every change starts a new signing key."""
        self._require_active_member(actor)
        version = self.webhook_key_version + 1
        self.trigger_event(
            self.WebhookSet, timestamp=at, url=url, format=fmt, key_version=version, by=actor
        )
        return version

    class Ended(Aggregate.Event):
        by: UUID
        reason: str

        def apply(self, alliance: Alliance) -> None:
            alliance.status = "ended"
            alliance.proposals.clear()
            alliance.redesign = None
            alliance.tending.clear()

    def end(self, actor: UUID, reason: str, *, at: datetime) -> None:
        self._require_active_member(actor)
        self.trigger_event(self.Ended, timestamp=at, by=actor, reason=reason)

    def term_version(self, term_id: UUID) -> int:
        """The version of a term in force now: what feedback and reports cite."""
        term = self.terms.get(str(term_id))
        if term is None or term["status"] != "in_force":
            raise errors.TermNotFound(term_id)
        return int(term["version"])


def _schedule_fits(category: str, schedule: Rhythm | None, at: datetime) -> None:
    if schedule is None:
        return
    if category != "rhythm":
        raise errors.ScheduleNotForThisTerm(
            f"only a rhythm term carries a schedule, not a {category} term"
        )
    problem = start_problem(schedule, at)
    if problem:
        raise errors.InvalidRhythm({"schedule": f"start {problem}"})
