"""A member's words in a chat tool's markup: shown as written, never as the tool's marks."""

from __future__ import annotations

from delivery.webhook_bodies import Message, body, slack_escaped
from tests.chat_shapes import slack_problems, teams_problems


def test_slack_markup_is_escaped_once() -> None:
    assert slack_escaped("<@U123> & <!here>") == "&lt;@U123&gt; &amp; &lt;!here&gt;"
    assert slack_escaped("&amp;") == "&amp;amp;", "what was typed is what is shown"


def test_a_long_headline_is_cut_to_slack_s_limit_and_still_posts() -> None:
    long = Message(
        headline="Time to check in: {about}",
        about="x" * 200,
        lines=["Due soon."],
        link="https://tracker.example/a",
        link_label="Check in",
    )
    slack = body("slack", long)
    assert len(slack["blocks"][0]["text"]["text"]) == 150
    assert slack["blocks"][0]["text"]["text"].endswith("…")
    assert slack_problems(slack) == []
    assert teams_problems(body("teams", long)) == []
