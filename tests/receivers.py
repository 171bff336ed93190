"""Real receivers on loopback for what the tracker sends out: an SMTP server (aiosmtpd) that
keeps every message, and an HTTP server that keeps every webhook call."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.chat_shapes import SHAPES


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as sent: what parsing would decode, such as encoded words

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.raw.append(envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


class Hooks:
    """What a webhook receiver was sent, and what it answers next (200 unless told). Told a
    ``shape`` (a key of chat_shapes.SHAPES), it stands for that chat tool: a body the tool
    would not post is answered 400, and what is wrong with it kept in ``refused``."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        self.shape: str | None = None
        self.refused: list[list[str]] = []
        self.lock = threading.Lock()

    def judged(self, body: bytes) -> int:
        """The status a call with ``body`` is answered with; called under the lock."""
        if self.answers:
            return self.answers.pop(0)
        if self.shape is None:
            return 200
        try:
            problems = SHAPES[self.shape](json.loads(body))
        except ValueError:
            problems = ["the body is not JSON"]
        if problems:
            self.refused.append(problems)
            return 400
        return 200

    def json(self, number: int) -> Any:
        return json.loads(self.calls[number][1])


@contextmanager
def webhook_receiver() -> Iterator[tuple[Hooks, str]]:
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with hooks.lock:
                hooks.calls.append((dict(self.headers.items()), body))
                status = hooks.judged(body)
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver says no")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks, f"http://127.0.0.1:{server.server_address[1]}/hooks/checkins"
    finally:
        server.shutdown()
        server.server_close()
