"""What a webhook call says, written in the format its alliance chose (WEBHOOK_FORMATS):
the tracker's own JSON, Slack's Block Kit, or an Adaptive Card for a Microsoft Teams
Workflows webhook (Office 365 connectors, the older way into Teams, are retired).

Members write the titles these carry, and the names and words in an alert's lines, and both
chat tools read markup in text: a title of "<!channel>" would notify a whole Slack channel,
and "[click](https://…)" would be a link in Teams. So every headline and line goes where the
tool shows plain text (Slack's plain_text, a Teams TextRun), or is escaped first (Slack's
mrkdwn fallback).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Block Kit's limits (api.slack.com/reference/block-kit): a header's text, a button's text.
SLACK_HEADER_MAX = 150
SLACK_BUTTON_MAX = 75
# Teams renders Adaptive Cards up to 1.5 in channels; 1.4 is read by every Teams client, and
# RichTextBlock needs 1.2.
ADAPTIVE_CARD_VERSION = "1.4"


@dataclass(frozen=True)
class Message:
    """One message to a channel: a headline naming what it is about (``about``, written by
    a member, is kept apart so each format can make it safe), the lines under it, the link
    to open, and the fields the tracker's own JSON carries besides."""

    headline: str  # "Time to check in: {about}"
    about: str
    lines: list[str]
    link: str
    link_label: str
    data: dict[str, Any] = field(default_factory=dict)

    def text(self, safe: Callable[[str], str]) -> str:
        """Headline and lines as one run of sentences, each member's word made ``safe``."""
        headline = self.headline.format(about=safe(self.about))
        if not headline.endswith((".", "!", "?", "…")):
            headline += "."
        return " ".join([headline, *map(safe, self.lines)])


def body(fmt: str, message: Message) -> dict[str, Any]:
    """The body of a call in ``fmt``, one of WEBHOOK_FORMATS."""
    return _WRITERS[fmt](message)


def _json(message: Message) -> dict[str, Any]:
    # Its text is read by Slack-compatible receivers too, so it is escaped as Slack asks;
    # the title is given as written beside it.
    text = f"{message.text(slack_escaped)} {message.link}"
    return {"text": text, "title": message.about, **message.data, "url": message.link}


def _slack(message: Message) -> dict[str, Any]:
    headline = message.headline.format(about=message.about)
    return {
        # Shown in notifications and by clients that cannot show blocks; Slack requires it.
        "text": f"{message.text(slack_escaped)} <{message.link}>",
        "blocks": [
            {"type": "header", "text": _plain(_cut(headline, SLACK_HEADER_MAX))},
            {"type": "section", "text": _plain(" ".join(message.lines))},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": _plain(_cut(message.link_label, SLACK_BUTTON_MAX)),
                        "url": message.link,
                        "style": "primary",
                    }
                ],
            },
        ],
    }


def _teams(message: Message) -> dict[str, Any]:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": [
            # A rich text block reads no markdown: the member's title shows as written.
            {
                "type": "RichTextBlock",
                "inlines": [
                    {
                        "type": "TextRun",
                        "text": message.headline.format(about=message.about),
                        "size": "Medium",
                        "weight": "Bolder",
                    }
                ],
            },
            *(
                {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": line}]}
                for line in message.lines
            ),
        ],
        "actions": [{"type": "Action.OpenUrl", "title": message.link_label, "url": message.link}],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


_WRITERS = {"json": _json, "slack": _slack, "teams": _teams}


def slack_escaped(text: str) -> str:
    """Text as Slack's mrkdwn shows it as written: &, < and > are its markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
