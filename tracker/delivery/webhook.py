"""Calling an alliance's webhook: a Slack-compatible JSON body, signed so the receiver can
tell it came from this tracker and was not replayed.

The signing key is derived from the server's secret and the webhook's key version (every
change of the webhook starts a new one), so no key is stored anywhere: members read it on
the alliance's check-ins page. The signature is HMAC-SHA256 over "<timestamp>.<body>":

    X-Tracker-Timestamp: 1767772800
    X-Tracker-Signature: sha256=<hex>
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from uuid import UUID

CALL_TIMEOUT = 10.0  # seconds


class WebhookError(Exception):
    """The receiver could not be reached, or did not answer 2xx."""


def signing_key(secret: str, alliance_id: UUID | str, key_version: int) -> str:
    message = f"webhook:{alliance_id}:{key_version}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(key: str, timestamp: str, body: bytes) -> str:
    signed = hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + signed.hexdigest()


def call(url: str, payload: dict[str, Any], key: str) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "alliance-tracker",
            "X-Tracker-Timestamp": timestamp,
            "X-Tracker-Signature": signature(key, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT) as answer:
            answer.read(1024)
    except urllib.error.HTTPError as refused:
        said = refused.read(200).decode(errors="replace").strip()
        raise WebhookError(f"HTTP {refused.code}{': ' + said if said else ''}") from None
    except (urllib.error.URLError, OSError) as failed:
        reason = getattr(failed, "reason", failed)
        raise WebhookError(f"could not reach it: {reason}") from None
