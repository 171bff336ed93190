"""A log line never holds the token or key a link carries in its path."""

from __future__ import annotations

import logging

import pytest

from shell import cli
from web.secret_paths import RedactingFilter, redacted

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
        (f"POST /unsubscribe/alert/{TOKEN} HTTP/1.1", "POST /unsubscribe/alert/[secret] HTTP/1.1"),
        (f"GET /unsubscribe/digest/{TOKEN}", "GET /unsubscribe/digest/[secret]"),
        ("GET /calendar/1f0e/2a3b/k3y-Secret.ics HTTP/1.1",
         "GET /calendar/1f0e/2a3b/[secret].ics HTTP/1.1"),
        ("GET /alliances/1f0e/feedback HTTP/1.1", "GET /alliances/1f0e/feedback HTTP/1.1"),
    ],
)  # fmt: skip
def test_secrets_in_paths_are_replaced_and_the_rest_kept(line: str, shown: str) -> None:
    assert redacted(line) == shown


def test_tracker_serve_logs_each_request_without_its_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler_class = cli._request_handler()
    handler = handler_class.__new__(handler_class)  # no socket: only its logging is used
    handler.client_address = ("127.0.0.1", 0)
    handler.command, handler.request_version = "GET", "HTTP/1.1"
    handler.path = f"/confirm/{TOKEN}"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        handler.log_request(200, 10)
    assert TOKEN not in caplog.text and "/confirm/[secret]" in caplog.text


def test_the_app_s_own_error_lines_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("web", logging.ERROR, __file__, 1, "Exception on %s", (
        f"/reclaim/{TOKEN} [POST]",
    ), None)  # fmt: skip
    RedactingFilter().filter(record)
    assert TOKEN not in record.getMessage() and "/reclaim/[secret]" in record.getMessage()
