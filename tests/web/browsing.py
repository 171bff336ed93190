"""What a person does in a browser, done through Flask's test client: forms carry their CSRF
token, as the real pages do."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/signin") -> str:
    found = _TOKEN.search(client.get(page).get_data(as_text=True))
    assert found, f"no form token on {page}"
    return found.group(1)


def submit(client: FlaskClient, action: str, data: dict[str, str], page: str = "") -> TestResponse:
    """Post a form as the page at ``page`` (default: the action itself) would: with its token,
    and naming that page as the one it was sent from."""
    sent = {"back": page, **data} if page else data
    return client.post(action, data={**sent, "csrf_token": csrf_token(client, page or action)})


def sign_in(client: FlaskClient, email: str, password: str) -> TestResponse:
    response = submit(client, "/signin", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def sign_in_as_coach(client: FlaskClient) -> None:
    sign_in(client, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])


def sign_in_as_client(client: FlaskClient) -> None:
    sign_in(client, CLIENT_EMAIL, DEMO_PASSWORDS[CLIENT_EMAIL])


def sign_up(client: FlaskClient, name: str, email: str, next_page: str = "") -> TestResponse:
    """A new account, signed in; its password is its email spelled backwards, and long enough."""
    form = {"name": name, "email": email, "password": password_of(email)}
    if next_page:
        form["next"] = next_page
    response = submit(client, "/signup", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def password_of(email: str) -> str:
    return email[::-1] + " and more"


def alliance_form(
    client: FlaskClient, alliance_id: object, action: str, data: dict[str, str], page: str
) -> TestResponse:
    """Post one of an alliance page's forms, sent from that page."""
    view = {
        "agreement": "",
        "design": "/design",
        "redesigns": "/redesigns",
        "feedback": "/feedback",
        "conflicts": "/conflicts",
        "checkins": "/checkins",
        "settings": "/settings",
    }[page]
    return submit(
        client,
        f"/alliances/{alliance_id}{action}",
        data,
        page=f"/alliances/{alliance_id}{view}",
    )
