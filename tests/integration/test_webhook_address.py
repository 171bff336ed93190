"""A webhook call connects to the addresses that were checked, not to a second lookup of
its host name, which could answer differently (DNS rebinding)."""

from __future__ import annotations

import datetime
import ssl
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from delivery import webhook
from tests.receivers import Hooks, webhook_receiver

# The .invalid top-level domain never resolves (RFC 2606): a call that reaches the receiver
# under this name connected to a pinned address, not to a lookup of the name.
NAME = "hooks.invalid"


@pytest.fixture
def hooks() -> Iterator[tuple[Hooks, int]]:
    with webhook_receiver() as (receiver, url):
        port = urllib.parse.urlsplit(url).port
        assert port is not None
        yield receiver, port


def _post(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, data=b'{"text":"hi"}', method="POST")


def test_the_call_goes_to_the_checked_address_under_the_host_s_name(
    hooks: tuple[Hooks, int],
) -> None:
    receiver, port = hooks
    request = _post(f"http://{NAME}:{port}/hooks/checkins")
    webhook._send(webhook._pinned_opener(["127.0.0.1"]), request)
    headers, body = receiver.calls[0]
    assert headers["Host"] == f"{NAME}:{port}" and body == b'{"text":"hi"}'
    with pytest.raises(webhook.WebhookError, match="could not reach it"):
        webhook._send(webhook._opener, _post(f"http://{NAME}:{port}/hooks/checkins"))
    assert len(receiver.calls) == 1, "looked up, the name leads nowhere"


def test_the_next_checked_address_is_tried_when_one_refuses(hooks: tuple[Hooks, int]) -> None:
    receiver, port = hooks  # listening on 127.0.0.1 alone: 127.0.0.2 refuses
    webhook._send(
        webhook._pinned_opener(["127.0.0.2", "127.0.0.1"]), _post(f"http://{NAME}:{port}/")
    )
    assert len(receiver.calls) == 1
    with pytest.raises(webhook.WebhookError, match="could not reach it"):
        webhook._send(webhook._pinned_opener(["127.0.0.2"]), _post(f"http://{NAME}:{port}/"))


def test_a_name_on_a_local_network_or_without_an_address_is_refused() -> None:
    assert webhook.checked_addresses("http://localhost:9/")[1] is not None
    # A name that does not resolve is tried again later: resolvers fail for a while too.
    with pytest.raises(webhook.WebhookError, match="'hooks.invalid' does not resolve") as failed:
        webhook.checked_addresses("http://hooks.invalid/")
    assert not isinstance(failed.value, webhook.WebhookRefused)


@pytest.fixture
def tls_receiver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[list[str], int]]:
    """An HTTPS receiver on loopback with a certificate for NAME, which the tracker trusts
    (SSL_CERT_FILE) for this test alone."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(self.headers["Host"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_https_to_the_checked_address_verifies_the_host_s_certificate(
    tls_receiver: tuple[list[str], int],
) -> None:
    received, port = tls_receiver
    webhook._send(webhook._pinned_opener(["127.0.0.1"]), _post(f"https://{NAME}:{port}/x"))
    assert received == [f"{NAME}:{port}"]
    # The same address under a name the certificate does not carry is refused.
    with pytest.raises(webhook.WebhookError, match="could not reach it"):
        webhook._send(
            webhook._pinned_opener(["127.0.0.1"]), _post(f"https://other.invalid:{port}/x")
        )
    assert len(received) == 1
