"""Each rule of the Alliance aggregate, shown refusing; no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from tracker import ids
from tracker.domain import errors
from tracker.domain.alliance import Alliance

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
COACH = ids.account_id("coach@example.org")
CLIENT = ids.account_id("client@example.org")
THIRD = ids.account_id("third@example.org")


def founded() -> Alliance:
    return Alliance.found(
        title="Coaching", purpose="Grow", kind="coaching", founder_id=COACH, role="coach", at=T0
    )


def with_member(alliance: Alliance, email: str = "client@example.org") -> UUID:
    invitation = alliance.invite(COACH, email, "client", at=T0)
    member = ids.account_id(email)
    alliance.join(member, email, invitation, alliance.agreement_version, proven=True, at=T0)
    return member


def pair_with_term() -> tuple[Alliance, UUID]:
    alliance = founded()
    with_member(alliance)
    proposal = alliance.propose_term(COACH, "feel", "I want it to feel candid", "", at=T0)
    alliance.accept(CLIENT, proposal, at=T0)
    return alliance, ids.term_id(proposal)


def test_only_members_act() -> None:
    alliance = founded()
    with pytest.raises(errors.NotAMember):
        alliance.propose_term(CLIENT, "feel", "I want calm", "", at=T0)
    with pytest.raises(errors.AllianceNotFound):  # a stranger learns nothing more than "missing"
        alliance.request_tending(CLIENT, "help", at=T0)


def test_a_sole_members_proposal_is_adopted_at_once() -> None:
    alliance = founded()
    proposal = alliance.propose_term(COACH, "feel", "I want calm", "", at=T0)
    assert alliance.agreement_version == 1
    assert alliance.terms[str(ids.term_id(proposal))]["version"] == 1
    assert [type(e).__name__ for e in alliance.collect_events()][-2:] == [
        "TermProposed",
        "ProposalAdopted",
    ]


def test_a_proposal_is_adopted_when_the_last_member_accepts() -> None:
    alliance = founded()
    with_member(alliance)
    proposal = alliance.propose_term(COACH, "values", "I value honesty", "", at=T0)
    assert alliance.agreement_version == 0, "the proposer's acceptance alone is not enough"
    assert alliance.accept(CLIENT, proposal, at=T0) is True
    assert alliance.agreement_version == 1


def test_a_member_accepts_once() -> None:
    alliance = founded()
    with_member(alliance)
    proposal = alliance.propose_term(COACH, "values", "I value honesty", "", at=T0)
    with pytest.raises(errors.AlreadyAccepted):
        alliance.accept(COACH, proposal, at=T0)


def test_decline_and_withdraw_close_a_proposal() -> None:
    alliance = founded()
    with_member(alliance)
    declined = alliance.propose_term(COACH, "time", "I want an hour a week", "", at=T0)
    alliance.decline(CLIENT, declined, "too much", at=T0)
    with pytest.raises(errors.ProposalNotOpen):
        alliance.accept(CLIENT, declined, at=T0)
    withdrawn = alliance.propose_term(COACH, "time", "I want half an hour", "", at=T0)
    with pytest.raises(errors.OnlyProposerMayWithdraw):
        alliance.withdraw(CLIENT, withdrawn, at=T0)
    with pytest.raises(errors.ProposerCannotDecline):
        alliance.decline(COACH, withdrawn, "no", at=T0)
    alliance.withdraw(COACH, withdrawn, at=T0)
    with pytest.raises(errors.ProposalNotOpen):
        alliance.accept(CLIENT, withdrawn, at=T0)
    assert alliance.agreement_version == 0


def test_an_amendment_names_the_version_it_amends() -> None:
    alliance, term = pair_with_term()
    with pytest.raises(errors.StaleAmendment):
        alliance.propose_amendment(COACH, term, 2, "I want it candid and kind", "", at=T0)
    first = alliance.propose_amendment(COACH, term, 1, "I want it candid and kind", "", at=T0)
    second = alliance.propose_amendment(CLIENT, term, 1, "I want it gentle", "", at=T0)
    alliance.accept(CLIENT, first, at=T0)
    assert alliance.terms[str(term)]["version"] == 2
    with pytest.raises(errors.StaleAmendment):  # the second now amends a version not in force
        alliance.accept(COACH, second, at=T0)


def test_unknown_and_retired_terms_are_refused() -> None:
    alliance, term = pair_with_term()
    with pytest.raises(errors.TermNotFound):
        alliance.propose_retirement(COACH, uuid4(), 1, "", at=T0)
    retirement = alliance.propose_retirement(COACH, term, 1, "no longer needed", at=T0)
    alliance.accept(CLIENT, retirement, at=T0)
    assert alliance.terms[str(term)]["status"] == "retired"
    with pytest.raises(errors.TermRetired):
        alliance.propose_amendment(COACH, term, 1, "again", "", at=T0)
    with pytest.raises(errors.TermNotFound):
        alliance.term_version(term)


def test_categories_and_kinds_are_closed_sets() -> None:
    with pytest.raises(errors.InvalidProposal):
        founded().propose_term(COACH, "weather", "I want sun", "", at=T0)
    with pytest.raises(errors.InvalidProposal):
        Alliance.found(title="t", purpose="", kind="war", founder_id=COACH, role="x", at=T0)


def test_a_joining_member_agrees_to_the_version_in_force() -> None:
    alliance, _ = pair_with_term()
    invitation = alliance.invite(COACH, "Third@Example.org ", "peer", at=T0)
    with pytest.raises(errors.AgreementVersionChanged):
        alliance.join(THIRD, "third@example.org", invitation, 0, proven=True, at=T0)
    with pytest.raises(errors.InvitationForSomeoneElse):
        alliance.join(CLIENT, "client@example.org", invitation, 1, proven=True, at=T0)
    with pytest.raises(errors.AddressNotProven):
        alliance.join(THIRD, "third@example.org", invitation, 1, proven=False, at=T0)
    alliance.join(THIRD, "third@example.org", invitation, 1, proven=True, at=T0)
    assert alliance.members[str(THIRD)] == {"role": "peer", "agreed_version": 1}
    with pytest.raises(errors.InvitationNotOpen):
        alliance.join(THIRD, "third@example.org", invitation, 1, proven=True, at=T0)
    with pytest.raises(errors.AlreadyMember):
        alliance.invite(COACH, "third@example.org", "peer", at=T0)


def test_a_newcomer_must_accept_open_proposals_and_a_leaver_no_longer_counts() -> None:
    alliance = founded()
    with_member(alliance)
    proposal = alliance.propose_term(COACH, "rhythm", "I want weekly check-ins", "", at=T0)
    with_member(alliance, "third@example.org")
    alliance.accept(CLIENT, proposal, at=T0)
    assert alliance.agreement_version == 0, "the newcomer has not accepted yet"
    alliance.leave(THIRD, at=T0)
    assert alliance.agreement_version == 1, "everyone who remains had accepted"


def test_the_last_member_cannot_leave() -> None:
    with pytest.raises(errors.SoleMemberCannotLeave):
        founded().leave(COACH, at=T0)


def test_redesign_lifecycle() -> None:
    alliance, term = pair_with_term()
    with pytest.raises(errors.NoOpenRedesign):
        alliance.conclude_redesign(COACH, "", at=T0)
    alliance.request_tending(CLIENT, "we drifted", at=T0)
    redesign = alliance.open_redesign(CLIENT, "we drifted", at=T0 + timedelta(days=1))
    assert alliance.tending == {}, "opening a redesign answers the call for tending"
    with pytest.raises(errors.RedesignAlreadyOpen):
        alliance.open_redesign(COACH, "again", at=T0)
    amendment = alliance.propose_amendment(CLIENT, term, 1, "I want it candid, kindly", "", at=T0)
    assert alliance.proposals[str(amendment)]["redesign_id"] == str(redesign)
    with pytest.raises(errors.RedesignHasOpenProposals):
        alliance.conclude_redesign(COACH, "", at=T0)
    alliance.accept(COACH, amendment, at=T0)
    with pytest.raises(errors.NoOpenRedesign):
        alliance.conclude_redesign(COACH, "", at=T0, redesign_id=amendment)
    assert alliance.conclude_redesign(COACH, "kinder", at=T0, redesign_id=redesign) == redesign
    assert alliance.redesign is None


def test_a_reply_addresses_a_call_for_tending() -> None:
    alliance, _ = pair_with_term()
    signal = alliance.request_tending(CLIENT, "we drifted", at=T0)
    alliance.address_tending(COACH, signal, "Let us talk on Monday", at=T0)
    assert alliance.tending == {}
    with pytest.raises(errors.TendingNotOpen):
        alliance.address_tending(CLIENT, signal, "again", at=T0)


def test_nothing_happens_after_the_end() -> None:
    alliance = founded()
    alliance.end(COACH, "done", at=T0)
    with pytest.raises(errors.AllianceEnded):
        alliance.propose_term(COACH, "feel", "I want calm", "", at=T0)


def test_events_carry_the_time_the_clock_gave() -> None:
    alliance = founded()
    later = T0 + timedelta(days=3)
    alliance.request_tending(COACH, "", at=later)
    assert alliance.created_on == T0
    assert alliance.modified_on == later


def test_accepting_all_takes_each_proposal_by_others_and_skips_what_an_adoption_made_stale() -> (
    None
):
    alliance, term = pair_with_term()
    first = alliance.propose_amendment(COACH, term, 1, "I want it candid and kind", "", at=T0)
    second = alliance.propose_amendment(COACH, term, 1, "I want it candid and calm", "", at=T0)
    added = alliance.propose_term(COACH, "values", "I value honesty", "", at=T0)
    own = alliance.propose_term(CLIENT, "time", "I want an hour a week", "", at=T0)
    alliance.collect_events()
    accepted = alliance.accept_all(CLIENT, at=T0)
    assert accepted == [str(first), str(added)], "the second amendment now changes version 1"
    assert alliance.terms[str(term)]["text"] == "I want it candid and kind"
    assert str(second) in alliance.proposals and str(own) in alliance.proposals
    names = [type(e).__name__ for e in alliance.collect_events()]
    assert names.count("ProposalAccepted") == 2 and names.count("ProposalAdopted") == 2
    with pytest.raises(errors.NothingAwaitsAcceptance):
        alliance.accept_all(CLIENT, at=T0)
