"""The address in a mail that turns that kind of mail off in one click (RFC 8058), with no
sign-in: it carries the account's id, signed with the server's secret under the kind's own
salt, so it cannot be made up for anyone else nor read as another kind, and it does not
expire (a mail is read long after it was sent). Check-in links keep the address and salt
they had before there were other kinds, so links already mailed still work."""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer


def _salt(kind: str) -> str:
    return f"{kind}-mail-unsubscribe"  # "checkin-mail-unsubscribe": as it always was


def token_for(secret: str, account_id: UUID, kind: str = "checkin") -> str:
    return URLSafeSerializer(secret, salt=_salt(kind)).dumps(str(account_id))


def account_of(secret: str, token: str, kind: str = "checkin") -> UUID | None:
    try:
        return UUID(URLSafeSerializer(secret, salt=_salt(kind)).loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def link(base_url: str, secret: str, account_id: UUID, kind: str = "checkin") -> str:
    token = token_for(secret, account_id, kind)
    if kind == "checkin":
        return f"{base_url}/unsubscribe/{token}"
    return f"{base_url}/unsubscribe/{kind}/{token}"
