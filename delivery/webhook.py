"""Calling an alliance's webhook: a JSON body in the format it chose (webhook_bodies),
signed so the receiver can tell it came from this tracker and was not replayed.

The signing key is derived from the server's secret and the webhook's key version (every
change of the webhook starts a new one), so no key is stored anywhere: members read it on
the alliance's check-ins page. The signature is HMAC-SHA256 over "<timestamp>.<body>":

    X-Tracker-Timestamp: 1767772800
    X-Tracker-Signature: sha256=<hex>
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from tracker import webhook_address

CALL_TIMEOUT = 10.0  # seconds


class WebhookError(Exception):
    """The receiver could not be reached, or did not answer 2xx."""


class WebhookRefused(WebhookError):
    """The call may not be made at all: trying again later would not help."""


def signing_key(secret: str, alliance_id: UUID | str, key_version: int) -> str:
    message = f"webhook:{alliance_id}:{key_version}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def key_of(secret: str, alliance: Mapping[str, Any]) -> str | None:
    """The key an alliance's webhook calls are signed with (None without a webhook), from
    its row: alliance_id, webhook_url and webhook_key_version."""
    if not alliance["webhook_url"]:
        return None
    return signing_key(secret, alliance["alliance_id"], alliance["webhook_key_version"])


def signature(key: str, timestamp: str, body: bytes) -> str:
    signed = hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + signed.hexdigest()


def checked_addresses(url: str) -> tuple[list[str], str | None]:
    """The addresses a call to ``url`` may connect to, or why it may not be made: a member
    must not be able to point it at the machines around the tracker (loopback, private and
    link-local networks, cloud metadata). Resolved at each call, and the call then connects
    to the addresses checked here: a name that resolved to a public address when checked
    cannot answer with a private one a moment later, when connected to."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except UnicodeError:
        return [], f"its host {host!r} is not a name"
    except OSError as failed:  # the resolver may answer next time: the call is tried again
        raise WebhookError(f"not called: its host {host!r} does not resolve ({failed})") from None
    addresses: list[str] = []
    for *_, address in found:
        ip = str(address[0])
        refused = webhook_address.address_refusal(ip)
        if refused is not None:
            return [], f"its host {host!r} is at {ip}, which {refused}"
        if ip not in addresses:
            addresses.append(ip)
    return addresses, None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would send the call somewhere its address was never checked."""

    def redirect_request(self, *_: Any) -> None:
        return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to addresses already checked, not to whatever the host name resolves to
    now; the request still names the host (its Host header, and its TLS server name)."""

    addresses: list[str]

    def connect(self) -> None:
        failed = OSError(f"no address to connect to for {self.host!r}")
        for address in self.addresses:
            try:
                self.sock = socket.create_connection((address, self.port), self.timeout)
            except OSError as error:
                failed = error
                continue
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return
        raise failed


class _PinnedHTTPSConnection(http.client.HTTPSConnection, _PinnedHTTPConnection):
    """HTTPSConnection.connect wraps what the pinned connect opened, and verifies the
    certificate against the host name."""


def _pinned(
    kind: type[_PinnedHTTPConnection], addresses: list[str]
) -> Callable[..., http.client.HTTPConnection]:
    def connection(host: str, **options: Any) -> http.client.HTTPConnection:
        made = kind(host, **options)
        made.addresses = addresses
        return made

    return connection


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, addresses: list[str]) -> None:
        super().__init__()
        self._connection = _pinned(_PinnedHTTPConnection, addresses)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, addresses: list[str]) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(context=self._tls)
        self._connection = _pinned(_PinnedHTTPSConnection, addresses)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req, context=self._tls)


_opener = urllib.request.build_opener(_NoRedirects)


def _pinned_opener(addresses: list[str]) -> urllib.request.OpenerDirector:
    # Directly, never through a proxy from the environment: a proxy would resolve the host
    # name again, where it was never checked.
    return urllib.request.build_opener(
        _NoRedirects,
        urllib.request.ProxyHandler({}),
        _PinnedHTTPHandler(addresses),
        _PinnedHTTPSHandler(addresses),
    )


def call(url: str, payload: dict[str, Any], key: str, *, private_allowed: bool = False) -> None:
    opener = _opener
    if not private_allowed:
        addresses, refused = checked_addresses(url)
        if refused:
            raise WebhookRefused(f"not called: {refused}")
        opener = _pinned_opener(addresses)
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
    _send(opener, request)


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> None:
    try:
        with opener.open(request, timeout=CALL_TIMEOUT) as answer:
            answer.read(1024)
    except urllib.error.HTTPError as refused:
        # The status alone: what the receiver said is its business, not the members'.
        raise WebhookError(f"it answered HTTP {refused.code}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as failed:
        reason = getattr(failed, "reason", None) or type(failed).__name__
        raise WebhookError(f"could not reach it: {reason}") from None
