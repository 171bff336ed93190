"""What a person does in a browser, done through Flask's test client: forms carry their CSRF
token, as the real pages do."""

from __future__ import annotations

import re
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS
from tracker import ids

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
        "alerts": "/alerts",
    }[page]
    return submit(
        client,
        f"/alliances/{alliance_id}{action}",
        data,
        page=f"/alliances/{alliance_id}{view}",
    )


def person(app: Flask, name: str) -> FlaskClient:
    """Signed up, their address proven as by the link mailed at sign-up."""
    client = app.test_client()
    email = f"{name.lower()}@example.org"
    sign_up(client, name, email)
    app.extensions["tracker"].service.verify_address(ids.account_id(email), email, via="mail")
    return client


def found(client: FlaskClient, title: str = "Ada and Ben co-found") -> UUID:
    form = {"title": title, "purpose": "Build a calm company", "kind": "partnership"}
    response = submit(client, "/alliances/new", {**form, "role": "co-founder"})
    assert response.status_code == 303, response.get_data(as_text=True)
    found = re.fullmatch(r"/alliances/([0-9a-f-]{36})/design", response.location)
    assert found, response.location
    return UUID(found.group(1))


def invite_and_join(ada: FlaskClient, ben: FlaskClient, alliance: UUID) -> None:
    invited = alliance_form(
        ada,
        alliance,
        "/invitations",
        {"form": "invite", "email": "ben@example.org", "role": "co-founder"},
        "design",
    )
    assert invited.status_code == 303
    link = re.search(r"http://127.0.0.1:8000(/invitations/[^<\s]+)", page(ada, alliance, "/design"))
    assert link, "the inviter is shown the link to pass on"
    joined = submit(ben, link.group(1), {"agreed_version": "0"})
    assert joined.status_code == 303 and joined.location == f"/alliances/{alliance}"


def page(client: FlaskClient, alliance: UUID, view: str = "") -> str:
    response = client.get(f"/alliances/{alliance}{view}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)
