"""What Slack's incoming webhooks and a Microsoft Teams Workflows webhook accept, as their
documentation states it: each function lists what is wrong with a body (nothing, when the
tool would post it). The webhook receiver on loopback answers 400 to a body that fails, as
Slack does ("invalid_blocks"), so a test sees the call refused, not a silent pass.

Slack: api.slack.com/reference/block-kit (blocks, block elements, composition objects) and
api.slack.com/messaging/webhooks. Teams: the "Post to a channel when a webhook request is
received" workflow, which takes a message with Adaptive Card attachments, and the Adaptive
Card schema (adaptivecards.io/explorer).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

SLACK_BLOCKS_MAX = 50
SLACK_TEXT_MAX = 40_000
SLACK_LIMITS = {"header": 150, "section": 3000, "button": 75, "url": 3000}
CARD_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")
TEXT_SIZES = ("Small", "Default", "Medium", "Large", "ExtraLarge")
TEXT_WEIGHTS = ("Lighter", "Default", "Bolder")


def slack_problems(body: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(body, dict):
        return ["the body is not an object"]
    _unknown(body, {"text", "blocks"}, "the message", problems)
    text = body.get("text")
    # With blocks, text is the notification's fallback: Slack asks for it always.
    if not isinstance(text, str) or not text.strip():
        problems.append("text: a fallback text is required")
    elif len(text) > SLACK_TEXT_MAX:
        problems.append(f"text: longer than {SLACK_TEXT_MAX}")
    blocks = body.get("blocks")
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= SLACK_BLOCKS_MAX:
        return [*problems, f"blocks: 1 to {SLACK_BLOCKS_MAX} blocks are required"]
    for n, block in enumerate(blocks):
        where = f"blocks[{n}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "header":
            _unknown(block, {"type", "text", "block_id"}, where, problems)
            _text_object(block.get("text"), f"{where}.text", SLACK_LIMITS["header"], problems)
            if isinstance(block.get("text"), dict) and block["text"].get("type") != "plain_text":
                problems.append(f"{where}.text: a header's text is plain_text")
        elif kind == "section":
            _unknown(block, {"type", "text", "fields", "block_id"}, where, problems)
            _text_object(block.get("text"), f"{where}.text", SLACK_LIMITS["section"], problems)
        elif kind == "actions":
            _unknown(block, {"type", "elements", "block_id"}, where, problems)
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
                problems.append(f"{where}.elements: 1 to 25 elements are required")
                continue
            for m, element in enumerate(elements):
                _button(element, f"{where}.elements[{m}]", problems)
        else:
            problems.append(f"{where}: type {kind!r} is not a block this message uses")
    return problems


def _button(element: Any, where: str, problems: list[str]) -> None:
    if not isinstance(element, dict) or element.get("type") != "button":
        problems.append(f"{where}: not a button")
        return
    _unknown(element, {"type", "text", "url", "style", "action_id", "value"}, where, problems)
    _text_object(element.get("text"), f"{where}.text", SLACK_LIMITS["button"], problems)
    if isinstance(element.get("text"), dict) and element["text"].get("type") != "plain_text":
        problems.append(f"{where}.text: a button's text is plain_text")
    url = element.get("url")
    if url is not None and not (_is_web_address(url) and len(url) <= SLACK_LIMITS["url"]):
        problems.append(f"{where}.url: not a web address of at most {SLACK_LIMITS['url']}")
    if element.get("style", "primary") not in ("primary", "danger"):
        problems.append(f"{where}.style: primary or danger")


def _text_object(found: Any, where: str, most: int, problems: list[str]) -> None:
    if not isinstance(found, dict) or found.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: a text object (plain_text or mrkdwn) is required")
        return
    allowed = {"type", "text", "emoji"} if found["type"] == "plain_text" else {"type", "text"}
    _unknown(found, allowed | {"verbatim"}, where, problems)
    text = found.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= most:
        problems.append(f"{where}.text: 1 to {most} characters")


def teams_problems(body: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(body, dict) or body.get("type") != "message":
        return ['the body is not a message ("type": "message")']
    attachments = body.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return ["attachments: at least one is required"]
    for n, attachment in enumerate(attachments):
        where = f"attachments[{n}]"
        if not isinstance(attachment, dict):
            problems.append(f"{where}: not an object")
            continue
        if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
            problems.append(f"{where}.contentType: an Adaptive Card is required")
        _card(attachment.get("content"), f"{where}.content", problems)
    return problems


def _card(card: Any, where: str, problems: list[str]) -> None:
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        problems.append(f"{where}: not an AdaptiveCard")
        return
    if card.get("version") not in CARD_VERSIONS:
        problems.append(f"{where}.version: one of {', '.join(CARD_VERSIONS)}")
    body = card.get("body")
    if not isinstance(body, list) or not body:
        problems.append(f"{where}.body: at least one element is required")
        body = []
    for n, element in enumerate(body):
        at = f"{where}.body[{n}]"
        kind = element.get("type") if isinstance(element, dict) else None
        if kind == "TextBlock":
            _unknown(element, {"type", "text", "size", "weight", "wrap", "isSubtle"}, at, problems)
            _text(element, at, problems)
        elif kind == "RichTextBlock":  # from version 1.2
            _unknown(element, {"type", "inlines"}, at, problems)
            inlines = element.get("inlines")
            if not isinstance(inlines, list) or not inlines:
                problems.append(f"{at}.inlines: at least one is required")
                continue
            for m, run in enumerate(inlines):
                inline = f"{at}.inlines[{m}]"
                if not isinstance(run, dict) or run.get("type") != "TextRun":
                    problems.append(f"{inline}: not a TextRun")
                    continue
                _unknown(
                    run, {"type", "text", "size", "weight", "italic", "isSubtle"}, inline, problems
                )
                _text(run, inline, problems)
        else:
            problems.append(f"{at}: not a TextBlock or a RichTextBlock")
    for n, action in enumerate(card.get("actions", [])):
        at = f"{where}.actions[{n}]"
        if not isinstance(action, dict) or action.get("type") != "Action.OpenUrl":
            problems.append(f"{at}: not an Action.OpenUrl")
            continue
        if not isinstance(action.get("title"), str) or not action["title"]:
            problems.append(f"{at}.title: required")
        if not _is_web_address(action.get("url")):
            problems.append(f"{at}.url: a web address is required")


def _text(element: dict[str, Any], at: str, problems: list[str]) -> None:
    if not isinstance(element.get("text"), str) or not element["text"]:
        problems.append(f"{at}.text: required")
    if element.get("size", "Default") not in TEXT_SIZES:
        problems.append(f"{at}.size: one of {', '.join(TEXT_SIZES)}")
    if element.get("weight", "Default") not in TEXT_WEIGHTS:
        problems.append(f"{at}.weight: one of {', '.join(TEXT_WEIGHTS)}")


def _unknown(found: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(found) - allowed):
        problems.append(f"{where}: {key!r} is not a field it has")


def _is_web_address(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


SHAPES = {"slack": slack_problems, "teams": teams_problems}
