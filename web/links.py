"""Links that leave the app (mail, API answers, invitations, calendar feeds) all begin with
the one configured base URL, never with the request's Host header, which a client chooses:
a forged Host would otherwise end up in the invitation mailed to someone else."""

from __future__ import annotations

from typing import Any

from flask import url_for

from web import parts


def external(endpoint: str, **values: Any) -> str:
    base: str = parts.settings().base_url
    return base + url_for(endpoint, **values)
