"""Every refusal the domain can give, each named for the rule it enforces.

The web layer maps these by base class: NotFound to 404, RuleViolation to 409 (the request
clashes with the current state), ConcurrentWrite to 409 (a concurrent write won).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal; its message is safe to show to the person who asked."""


class NotFound(DomainError):
    pass


class BadCredentials(DomainError):
    """The same refusal whether the email is unknown or the password wrong."""

    def __init__(self) -> None:
        super().__init__("the email or the password is not right")


class AllianceNotFound(NotFound):
    def __init__(self, alliance_id: object) -> None:
        super().__init__(f"alliance {alliance_id} not found")


class NotAMember(AllianceNotFound):
    """Only members act on an alliance. Deliberately indistinguishable from a missing
    alliance, so a stranger cannot learn that an alliance exists."""


class AccountNotFound(NotFound):
    def __init__(self, account_id: object) -> None:
        super().__init__(f"account {account_id} not found")


class TermNotFound(NotFound):
    def __init__(self, term_id: object) -> None:
        super().__init__(f"term {term_id} not found")


class FeedbackNotFound(NotFound):
    def __init__(self, note_id: object) -> None:
        super().__init__(f"feedback note {note_id} not found")


class ConflictReportNotFound(NotFound):
    def __init__(self, report_id: object) -> None:
        super().__init__(f"conflict report {report_id} not found")


class CheckInNotFound(NotFound):
    def __init__(self, checkin_id: object) -> None:
        super().__init__(f"check-in {checkin_id} not found")


class CommitmentNotFound(NotFound):
    def __init__(self, commitment_id: object) -> None:
        super().__init__(f"commitment {commitment_id} not found")


class RuleViolation(DomainError):
    """The request is well formed but the alliance's current state refuses it."""


class AccountAlreadyRegistered(RuleViolation):
    pass


class AddressNotProven(RuleViolation):
    """An invitation is accepted only by an account whose address is proven."""


class AllianceEnded(RuleViolation):
    pass


class AlreadyMember(RuleViolation):
    pass


class InvitationNotOpen(RuleViolation):
    pass


class InvitationForSomeoneElse(RuleViolation):
    pass


class AgreementVersionChanged(RuleViolation):
    """A joining member agrees to the version in force; if it moved, they must read it again."""


class SoleMemberCannotLeave(RuleViolation):
    pass


class ProposalNotOpen(RuleViolation):
    pass


class AlreadyAccepted(RuleViolation):
    pass


class NothingAwaitsAcceptance(RuleViolation):
    pass


class OnlyProposerMayWithdraw(RuleViolation):
    pass


class ProposerCannotDecline(RuleViolation):
    """A proposer's acceptance is implied; to drop their proposal they withdraw it."""


class StaleAmendment(RuleViolation):
    """An amendment or retirement names the term version it changes; a newer one is in force."""


class TermRetired(RuleViolation):
    pass


class InvalidProposal(RuleViolation):
    pass


class RedesignAlreadyOpen(RuleViolation):
    pass


class NoOpenRedesign(RuleViolation):
    pass


class RedesignHasOpenProposals(RuleViolation):
    pass


class TendingNotOpen(RuleViolation):
    pass


class NotAuthor(RuleViolation):
    pass


class NoteRetracted(RuleViolation):
    pass


class NoteAlreadyShared(RuleViolation):
    pass


class ReporterCannotAcknowledge(RuleViolation):
    """Acknowledging a report means another member has heard it."""


class ConflictNotOpen(RuleViolation):
    pass


class ConflictNotResolved(RuleViolation):
    pass


class CheckInClosed(RuleViolation):
    pass


class CheckInStillOpen(RuleViolation):
    pass


class AlreadyPrompted(RuleViolation):
    """A check-in's identity comes from its slot, so a second prompt for it is refused."""


class AlreadyResponded(RuleViolation):
    pass


class NotExpectedToRespond(RuleViolation):
    pass


class ConcurrentWrite(DomainError):
    """Another writer changed the same aggregate twice in a row while this command ran."""


class InvalidInput(DomainError):
    """The payload failed validation; ``fields`` maps each bad field to what is wrong with it."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        names = ", ".join(sorted(fields))
        super().__init__(f"invalid input: {names}")


class InvalidRhythm(InvalidInput):
    """A rhythm's schedule that cannot be worked out: each part named with what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__({part: [problem] for part, problem in problems.items()})


class ScheduleNotForThisTerm(RuleViolation):
    """Only a rhythm term carries a schedule."""


class DeliveryNotDue(RuleViolation):
    """Another scheduler claimed it first, or its retry is not due yet."""


class AlreadyQueued(RuleViolation):
    pass


class DeliveryNotFound(NotFound):
    def __init__(self, delivery_id: object) -> None:
        super().__init__(f"delivery {delivery_id} not found")


class AlreadySuggested(RuleViolation):
    pass


class NotCommitmentOwner(RuleViolation):
    """Its owner answers for a commitment; the others see the answer."""


class CommitmentNotOpen(RuleViolation):
    pass


class AlreadyReviewedHere(RuleViolation):
    """A commitment is answered for once in each check-in."""


class NotTheNextCheckIn(RuleViolation):
    """A commitment is reviewed at a check-in that opened after it was made."""


class AlertNotFound(NotFound):
    def __init__(self, alert_id: object) -> None:
        super().__init__(f"alert {alert_id} not found")


class AlreadyRaised(RuleViolation):
    """An alert is raised once for each cause."""


class AlertResolved(RuleViolation):
    pass
