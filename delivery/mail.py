"""Mail over SMTP, configured by one URL in TRACKER_SMTP_URL:

    smtp://user:password@host:587?from=tracker@example.org     STARTTLS when the server offers it
    smtps://user:password@host:465?from=tracker@example.org    TLS from the first byte

Unset, the tracker sends no mail and shows every link for people to pass on themselves.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

SEND_TIMEOUT = 10.0  # seconds; a slow server must not hold a page for long

# Headers whose value is a link in angle brackets, which RFC 2369 admits only as written.
# Folded at the default 78, a signed link (it has no spaces) would become RFC 2047 encoded
# words, and mail programs would offer no one-click unsubscribe. Each is written on one
# line up to RFC 5322's hard limit; every other header folds as usual, so that an encoded
# word (a subject in German, say) stays near RFC 2047's 75 characters.
UNFOLDED = frozenset({"list-unsubscribe"})
_ONE_LINE = email.policy.default.clone(max_line_length=998)


class _Policy(email.policy.EmailPolicy):
    def fold(self, name: str, value: str) -> str:
        if name.lower() in UNFOLDED:
            return str(_ONE_LINE.clone(linesep=self.linesep).fold(name, value))
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in UNFOLDED:
            return _ONE_LINE.clone(linesep=self.linesep).fold_binary(name, value)
        return super().fold_binary(name, value)


POLICY = _Policy()


class MailerError(ValueError):
    pass


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> Mailer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailerError("TRACKER_SMTP_URL must look like smtp://user:pass@host:587?from=...")
        sender = parse_qs(parts.query).get("from", [""])[0]
        if "@" not in sender:
            raise MailerError("TRACKER_SMTP_URL needs ?from=address, the sender of every mail")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 587),
            sender=sender,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=parts.scheme == "smtps",
        )

    def send(
        self, to: str, subject: str, text: str, html: str, headers: Mapping[str, str] = {}
    ) -> None:
        """Send one message with a plain-text and an HTML part; raises OSError or
        smtplib.SMTPException when it cannot, and ValueError when it cannot be built."""
        message = EmailMessage(policy=POLICY)
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        # Mail without them is scored as spam, and Message-ID is what replies thread on.
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2])
        for name, value in headers.items():
            message[name] = value
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SEND_TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SEND_TIMEOUT)
        with smtp:
            smtp.ehlo()
            if not self.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
