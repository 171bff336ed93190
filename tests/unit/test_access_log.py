"""A log line never holds the token or key a link carries in its path."""

from __future__ import annotations

import pytest

from shell.access_log import redacted

TOKEN = "eyJhIjoxfQ.Z1x2.abc-DEF_123"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (f"GET /invitations/{TOKEN} HTTP/1.1", "GET /invitations/[secret] HTTP/1.1"),
        (f"POST /api/v1/invitations/{TOKEN}/acceptance HTTP/1.1",
         "POST /api/v1/invitations/[secret]/acceptance HTTP/1.1"),
        (f"GET /confirm/{TOKEN}", "GET /confirm/[secret]"),
        (f"POST /reclaim/{TOKEN}?x=1", "POST /reclaim/[secret]?x=1"),
        (f"https://t.example/unsubscribe/{TOKEN}", "https://t.example/unsubscribe/[secret]"),
        ("GET /calendar/1f0e/2a3b/k3y-Secret.ics HTTP/1.1",
         "GET /calendar/1f0e/2a3b/[secret].ics HTTP/1.1"),
        ("GET /alliances/1f0e/feedback HTTP/1.1", "GET /alliances/1f0e/feedback HTTP/1.1"),
    ],
)  # fmt: skip
def test_secrets_in_paths_are_replaced_and_the_rest_kept(line: str, shown: str) -> None:
    assert redacted(line) == shown
