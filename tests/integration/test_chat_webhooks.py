"""A webhook that speaks Slack or Microsoft Teams: the prompt is posted to a real receiver on
loopback that stands for the tool and refuses a body it would not post (chat_shapes), and
a member's title reaches the channel as written, never as the tool's markup."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.builders import SLOT, alliance_with_rhythm, deliveries, scheduler_with_mail
from tests.receivers import Hooks
from tracker import ids
from tracker.clock import SettableClock
from tracker.domain.delivery import BACKOFF

TITLE = "<!channel> *Calm* & [weeks](https://elsewhere.example) _now_"
LINK = "https://tracker.example/alliances/{alliance}/checkins#checkin-{checkin}"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, webhook_private_allowed=True)  # the receiver is on loopback


def prompted_to(tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str], fmt: str) -> str:
    """The prompt of an alliance whose webhook is in ``fmt``, sent to a receiver that is that
    tool; the link it must carry."""
    receiver, url = hooks
    receiver.shape = fmt
    ada, alliance = alliance_with_rhythm(tracker, clock, title=TITLE)
    tracker.service.set_webhook(ada, alliance, {"url": url, "format": fmt})
    clock.set(SLOT + timedelta(seconds=5))
    done = scheduler_with_mail(tracker, None).run_due()
    assert receiver.refused == []
    assert len(done.deliveries.sent) == 1
    assert deliveries(tracker, alliance) == {url: ("sent", 1)}
    checkin = ids.checkin_id(alliance, SLOT)
    return LINK.format(alliance=alliance, checkin=checkin)


def test_a_slack_webhook_is_sent_blocks_with_the_fallback_text(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    link = prompted_to(tracker, clock, hooks, "slack")
    sent = hooks[0].json(-1)
    header, section, actions = sent["blocks"]
    assert header["text"] == {
        "type": "plain_text",
        "text": f"Time to check in: {TITLE}",
        "emoji": True,
    }, "a header is plain text: the title shows as written"
    assert section["text"]["text"] == (
        "Due 12 Jan 2026, 09:00 GMT. Answer by 19 Jan 2026, 09:00 GMT."
    )
    assert actions["elements"][0]["url"] == link
    # The fallback is mrkdwn: the title's < > & are escaped, so <!channel> notifies no one.
    assert sent["text"].startswith("Time to check in: &lt;!channel&gt; *Calm* &amp; [weeks]")
    assert "_now_. Due 12 Jan 2026, 09:00 GMT. Answer by 19 Jan 2026, 09:00 GMT." in sent["text"]
    assert "<!channel>" not in sent["text"]
    assert sent["text"].endswith(f"<{link}>")


def test_a_teams_webhook_is_sent_an_adaptive_card(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    link = prompted_to(tracker, clock, hooks, "teams")
    (attachment,) = hooks[0].json(-1)["attachments"]
    card = attachment["content"]
    title, due, until = card["body"]
    # Teams reads markdown in a TextBlock, and not in a rich text block's runs: the title
    # goes there, as written, and makes no link.
    assert title["type"] == "RichTextBlock"
    assert [run["text"] for run in title["inlines"]] == [f"Time to check in: {TITLE}"]
    assert [[run["text"] for run in line["inlines"]] for line in (due, until)] == [
        ["Due 12 Jan 2026, 09:00 GMT."],
        ["Answer by 19 Jan 2026, 09:00 GMT."],
    ]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Check in", "url": link}]


def test_the_tracker_s_own_json_keeps_its_fields_and_a_slack_safe_text(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    receiver, url = hooks
    ada, alliance = alliance_with_rhythm(tracker, clock, title=TITLE)
    tracker.service.set_webhook(ada, alliance, {"url": url})  # no format: the tracker's own
    clock.set(SLOT + timedelta(seconds=5))
    scheduler_with_mail(tracker, None).run_due()
    sent = receiver.json(-1)
    checkin = ids.checkin_id(alliance, SLOT)
    assert sent["title"] == TITLE
    assert sent["checkin_id"] == str(checkin) and sent["alliance_id"] == str(alliance)
    assert sent["url"] == LINK.format(alliance=alliance, checkin=checkin)
    assert "&lt;!channel&gt;" in sent["text"]


def test_a_body_the_tool_would_not_post_is_refused_and_retried(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    """The receiver's check can fail: the tracker's own JSON, sent to a Slack webhook, is
    refused as Slack would refuse it, and the delivery waits for its next try."""
    receiver, url = hooks
    receiver.shape = "slack"
    ada, alliance = alliance_with_rhythm(tracker, clock)
    tracker.service.set_webhook(ada, alliance, {"url": url, "format": "json"})
    clock.set(SLOT + timedelta(seconds=5))
    scheduler = scheduler_with_mail(tracker, None)
    assert len(scheduler.run_due().deliveries.failed) == 1
    (problems,) = receiver.refused
    assert "blocks: 1 to 50 blocks are required" in problems
    assert deliveries(tracker, alliance) == {url: ("retrying", 1)}

    tracker.service.set_webhook(ada, alliance, {"url": url, "format": "slack"})
    clock.set(SLOT + timedelta(seconds=5) + BACKOFF[0])
    assert len(scheduler.run_due().deliveries.sent) == 1, "the retry is written as Slack's"
