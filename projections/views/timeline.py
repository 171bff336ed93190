"""The audit timeline: every event of an alliance, who did it and when, in log order.

Summaries never quote a feedback note or a check-in answer, so a retracted note leaves
only the fact that it existed. A private note's rows carry ``private_to`` (its author) until
the author shares it; queries show such rows to that author alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import TableView, sid
from tracker.domain.alert import Alert
from tracker.domain.alert_rules import BY_KEY
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.commitment import Commitment
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.domain.vocabulary import with_article


def _quote(text: str, limit: int = 140) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def _alliance_summary(e: Any) -> tuple[str | None, str]:
    """(actor, summary) for an Alliance event."""
    match e:
        case Alliance.Founded():
            return sid(e.founder_id), f"founded the alliance {_quote(e.title)}"
        case Alliance.DesignConversationScheduled():
            when = e.scheduled_for.strftime("%Y-%m-%d %H:%M UTC")
            return sid(e.by), f"scheduled the design conversation for {when}"
        case Alliance.MemberInvited():
            return sid(e.invited_by), f"invited {e.email} as {e.role}"
        case Alliance.MemberJoined():
            agreeing = (
                f"agreeing to the agreement as of version {e.agreed_version}"
                if e.agreed_version
                else "before any term was agreed"
            )
            return sid(e.member_id), f"joined as {e.role}, {agreeing}"
        case Alliance.MemberLeft():
            return sid(e.member_id), "left the alliance"
        case Alliance.TermProposed():
            return sid(e.proposer_id), f"proposed {with_article(e.category)} term: {_quote(e.text)}"
        case Alliance.AmendmentProposed():
            return sid(e.proposer_id), (
                f"proposed amending the {e.category} term (version {e.based_on_version}) "
                f"to {_quote(e.text)}"
            )
        case Alliance.RetirementProposed():
            return sid(e.proposer_id), (f"proposed retiring the {e.category} term {_quote(e.text)}")
        case Alliance.ProposalAccepted():
            return sid(e.member_id), "accepted a proposal"
        case Alliance.ProposalDeclined():
            reason = f": {_quote(e.reason)}" if e.reason else ""
            return sid(e.member_id), f"declined a proposal{reason}"
        case Alliance.ProposalWithdrawn():
            return sid(e.member_id), "withdrew their proposal"
        case Alliance.ProposalAdopted():
            verb = {"add": "added", "amend": "amended", "retire": "retired"}[e.kind]
            return None, (
                f"Every member agreed: the {e.category} term is {verb}, and the agreement "
                f"is now at version {e.agreement_version}"
            )
        case Alliance.RedesignOpened():
            return sid(e.opened_by), f"opened a redesign: {_quote(e.reason)}"
        case Alliance.RedesignConcluded():
            summary = f": {_quote(e.summary)}" if e.summary else ""
            return sid(e.by), f"concluded the redesign{summary}"
        case Alliance.TendingRequested():
            message = f": {_quote(e.message)}" if e.message else ""
            return sid(e.member_id), f"said the alliance needs tending{message}"
        case Alliance.TendingAddressed():
            reply = f": {_quote(e.reply)}" if e.reply else ""
            return sid(e.by), f"answered the call for tending{reply}"
        case Alliance.ReviewCadenceSet():
            every = f"every {e.every_months} months" if e.every_months else "off the calendar"
            every = "every month" if e.every_months == 1 else every
            return sid(e.by), f"set the agreement's review {every}"
        case Alliance.RedesignSuggested():
            return None, f"Time to tend the agreement: {e.reason}"
        case Alliance.WebhookSet():
            said = (
                "set the check-in webhook (a new signing key)" if e.url else "removed the webhook"
            )
            return sid(e.by), said
        case Alliance.Ended():
            return sid(e.by), "ended the alliance"
        case Alliance.AlertRuleSet():
            rule = BY_KEY[e.rule]
            if not e.enabled:
                return sid(e.by), f"switched off the alert “{rule.title}”"
            return sid(e.by), f"set the alert “{rule.title}”: {rule.words(e.threshold)}"
    return None, type(e).__name__


class TimelineView(TableView):
    name = "timeline"
    revision: ClassVar[int] = 2  # 2: summaries said as sentences, without "The tracker"
    tables: ClassVar[dict[str, str]] = {
        "v_timeline": (
            "notification_id BIGINT PRIMARY KEY, alliance_id TEXT NOT NULL, "
            "occurred_at TEXT NOT NULL, actor_id TEXT, event TEXT NOT NULL, subject_id TEXT, "
            "summary TEXT NOT NULL, private_to TEXT"
        ),
        # What the timeline must remember about a note, report or check-in between its events.
        "v_timeline_subjects": (
            "subject_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, private_to TEXT"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_timeline_alliance ON v_timeline (alliance_id, notification_id)",
    ]

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        # First every subject the batch creates, then the rows in log order. A row only ever
        # looks up its own subject, which exists by then either way, so the result is the same
        # as one event at a time; but each kind of statement now goes out as one long run.
        for _, event in events:
            if isinstance(event, _CREATES):
                self._subject(cur, event)
        for notification_id, event in events:
            try:
                self._row(cur, event, notification_id)
            except Exception as error:
                error.add_note(f"notification {notification_id} ({type(event).__qualname__})")
                raise

    def _subject(self, cur: Cursor, e: Any) -> None:
        if isinstance(e, Alliance.Founded):
            subject, alliance, private_to = sid(e.originator_id), sid(e.originator_id), None
        else:
            subject, alliance = sid(e.originator_id), sid(e.alliance_id)
            private = isinstance(e, FeedbackNote.Logged) and e.visibility == "private"
            private_to = sid(e.author_id) if private else None
        cur.execute(
            "INSERT INTO v_timeline_subjects (subject_id, alliance_id, private_to) "
            "VALUES (?, ?, ?)",
            (subject, alliance, private_to),
        )

    def _row(self, cur: Cursor, e: Any, notification_id: int) -> None:
        if isinstance(e, Alliance.Event):
            actor, summary = _alliance_summary(e)
        elif isinstance(
            e,
            FeedbackNote.Event
            | ConflictReport.Event
            | CheckIn.Event
            | Commitment.Event
            | Alert.Event,
        ):
            actor, summary = _record_summary(e)
        else:
            return
        subject = sid(e.originator_id)
        if isinstance(e, FeedbackNote.Shared):
            cur.execute(
                "UPDATE v_timeline_subjects SET private_to = NULL WHERE subject_id = ?", (subject,)
            )
            cur.execute("UPDATE v_timeline SET private_to = NULL WHERE subject_id = ?", (subject,))
        # The row takes its alliance and privacy from its subject as it is written.
        cur.execute(
            "INSERT INTO v_timeline (notification_id, alliance_id, occurred_at, actor_id, event, "
            "subject_id, summary, private_to) SELECT ?, alliance_id, ?, ?, ?, subject_id, ?, "
            "private_to FROM v_timeline_subjects WHERE subject_id = ?",
            (notification_id, iso(e.timestamp), actor, type(e).__qualname__, summary, subject),
        )


_RECORDS = (
    FeedbackNote.Event,
    ConflictReport.Event,
    CheckIn.Event,
    Commitment.Event,
    Alert.Event,
)
_CREATES = (
    Alliance.Founded,
    FeedbackNote.Logged,
    ConflictReport.Reported,
    CheckIn.Prompted,
    Commitment.Made,
    Alert.Raised,
)


def _record_summary(e: Any) -> tuple[str | None, str]:
    match e:
        case FeedbackNote.Logged():
            return sid(e.author_id), f"logged {e.visibility} feedback ({e.valence})"
        case FeedbackNote.Replied():
            return sid(e.by), "replied to feedback"
        case FeedbackNote.Shared():
            return sid(e.by), "shared feedback they had kept private"
        case FeedbackNote.Retracted():
            return sid(e.by), "retracted feedback"
        case ConflictReport.Reported():
            return sid(e.reporter_id), f"reported a conflict ({e.severity})"
        case ConflictReport.Acknowledged():
            return sid(e.by), "acknowledged a conflict report"
        case ConflictReport.Resolved():
            outcome = "resolved" if e.outcome == "resolved" else "sent to a redesign"
            return sid(e.by), f"marked a conflict {outcome}: {_quote(e.resolution)}"
        case ConflictReport.Reopened():
            return sid(e.by), f"reopened a conflict: {_quote(e.reason)}"
        case CheckIn.Prompted():
            return None, f"A check-in opened for {e.slot.strftime('%Y-%m-%d %H:%M UTC')}"
        case CheckIn.Responded():
            return sid(e.member_id), "answered the check-in"
        case CheckIn.Completed():
            return None, "The check-in is complete: every answer is now visible"
        case CheckIn.Missed():
            return None, "The check-in closed before every member answered"
        case CheckIn.DeliveriesQueued():
            if not e.count:
                return None, "The check-in prompt had nowhere to go: no mail or webhook is set up"
            deliveries = "delivery" if e.count == 1 else "deliveries"
            return None, f"The check-in prompt is on its way: {e.count} {deliveries}"
        case Commitment.Made():
            return sid(e.made_by), f"recorded a commitment, due {e.due_on}: {_quote(e.what)}"
        case Commitment.Reviewed():
            said = {
                "done": "marked their commitment done",
                "not_done": "marked their commitment not done",
                "carried_over": f"carried their commitment over to {e.carried_to}",
            }[e.outcome]
            return sid(e.by), said
        case Alert.Raised():
            return None, f"Alert: {e.summary}"
        case Alert.Acknowledged():
            return sid(e.by), "acknowledged an alert"
        case Alert.Snoozed():
            return sid(e.by), f"snoozed an alert until {e.until}"
        case Alert.Resolved():
            return sid(e.by), f"resolved an alert: {_quote(e.note)}"
    return None, type(e).__name__
