"""The address in a check-in mail that turns those mails off in one click (RFC 8058), with no
sign-in: it carries the account's id, signed with the server's secret, so it cannot be made
up for anyone else, and it does not expire (a mail is read long after it was sent)."""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "checkin-mail-unsubscribe"  # a token signed for anything else never reads as this


def token_for(secret: str, account_id: UUID) -> str:
    return URLSafeSerializer(secret, salt=_SALT).dumps(str(account_id))


def account_of(secret: str, token: str) -> UUID | None:
    try:
        return UUID(URLSafeSerializer(secret, salt=_SALT).loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def link(base_url: str, secret: str, account_id: UUID) -> str:
    return f"{base_url}/unsubscribe/{token_for(secret, account_id)}"
