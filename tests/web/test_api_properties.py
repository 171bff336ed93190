"""Property-based tests of the API against its own OpenAPI document, in-process, with every
check schemathesis has: for inputs generated from the document, no answer is a server error,
every answer (status, content type, headers, body) is one the document describes, a request
the document admits is not refused and one it does not admit is not accepted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis import checks

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, DEMO_PASSWORDS
from shell.settings import Settings
from tests.conftest import PASSWORDS
from tracker.clock import SettableClock
from web import create_app, serve

pytestmark = pytest.mark.slow  # minutes: 200 examples of each operation, then sequences


@pytest.fixture(name="settings")
def sqlite_settings(tmp_path: Path) -> Settings:
    """The API's shape does not depend on the store; the embedded one keeps this quick."""
    return Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)


@pytest.fixture
def flask_app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


class Bearer:
    """How schemathesis sends a token it was given; each test says where tokens come from."""

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(flask_app: Flask) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", flask_app)

    @schema.auth()
    class MemberToken(Bearer):
        """A demo member's token, given as schemathesis gives credentials: left off the
        requests that test a missing one, and fetched again after DELETE /tokens/current."""

        def get(self, case: Any, context: Any) -> str:
            sign_in = {"email": CLIENT_EMAIL, "password": DEMO_PASSWORDS[CLIENT_EMAIL]}
            answer = flask_app.test_client().post("/api/v1/tokens", json=sign_in)
            token: str = answer.get_json()["token"]
            return token

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")
STATEFUL_EXAMPLES = 200

# What the document can say only in words (each field's description says it): what an RFC
# 5545 rule means, how near today a rhythm starts or a commitment is due, where a written-out
# address leads, that one day comes before another, how easily a password is guessed, who
# may own a commitment and that a new date goes with carrying one over, how far ahead an alert
# is snoozed and the bounds of each alert rule's threshold. A request refused for
# these alone is not a valid request refused; any other refusal of a request the document
# admits fails the test.
REFUSED_FOR_MEANING = re.compile(
    r"rule: (FREQ must be one of|is not a recurrence rule (RFC 5545 accepts|dateutil can follow)"
    r"|never occurs"
    r"|comes round more often than daily|give the start apart from the rule|must be one rule$)"
    r"|start: must be within two years of today"
    r"|(due_on|carried_to): must be from today to two years ahead"
    r"|owner_id: must be a member of this alliance$"
    r"|carried_to: (a new date is needed to carry it over|only a commitment carried over takes a"
    r" new date)$"
    r"|password: (choose a stronger password|use something other than spaces alone)"
    r"|from: must not be after to$"
    r"|until: must be from tomorrow to a year ahead$"
    r"|threshold: must be from \d+ to \d+ "
    r"|cannot be called: .* (is|are) "
)


@schemathesis.check
def valid_requests_are_taken(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, but for the refusals stated in words."""
    if response.status_code == 422 and _refused_for_meaning_alone(response.json()):
        return None
    return checks.positive_data_acceptance(ctx, response, case)


def _refused_for_meaning_alone(problem: dict[str, Any]) -> bool:
    messages = [
        f"{field}: {message}" if field != "schedule" else message
        for field, said in problem.get("errors", {}).items()
        for message in (said if isinstance(said, list) else [said])
    ]
    return bool(messages) and all(REFUSED_FOR_MEANING.search(m) for m in messages)


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    # An instant's years are a pattern beside its date-time format: the generator draws
    # date-times of any year and keeps those the pattern admits, about one in four.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
# The operations in five groups of about equal cost, one test each, so that the suite's
# workers share them; the last takes every tag the others do not name.
GROUPS = (("agreement",), ("alliances",), ("check-ins", "health"), ("conflicts", "feedback"))


def _answers_as_documented(case: Any, demo: UUID, clock: SettableClock) -> None:
    # Each case an hour after the last, as callers spread over time: the sign-up and sign-in
    # limits (20 an hour from one address) would otherwise answer 429 to nearly every
    # generated sign-up, and its body would never be judged.
    clock.advance(timedelta(hours=1))
    # Aim at an alliance the caller belongs to, so the generated bodies reach the commands
    # rather than stopping at 404; an id generated malformed on purpose stays as it is.
    path = case.path_parameters or {}
    if _is_uuid(path.get("alliance_id")):
        path["alliance_id"] = str(demo)
    case.call_and_validate(
        excluded_checks=[checks.positive_data_acceptance],
        additional_checks=[valid_requests_are_taken],
    )


@schema.include(tag=list(GROUPS[0])).parametrize()
@EXAMPLES
def test_the_agreement_answers_as_its_document_says(
    case: Any, demo: UUID, clock: SettableClock
) -> None:
    _answers_as_documented(case, demo, clock)


@schema.include(tag=list(GROUPS[1])).parametrize()
@EXAMPLES
def test_alliances_answer_as_their_document_says(
    case: Any, demo: UUID, clock: SettableClock
) -> None:
    _answers_as_documented(case, demo, clock)


@schema.include(tag=list(GROUPS[2])).parametrize()
@EXAMPLES
def test_check_ins_and_health_answer_as_their_document_says(
    case: Any, demo: UUID, clock: SettableClock
) -> None:
    _answers_as_documented(case, demo, clock)


@schema.include(tag=list(GROUPS[3])).parametrize()
@EXAMPLES
def test_conflicts_and_feedback_answer_as_their_document_says(
    case: Any, demo: UUID, clock: SettableClock
) -> None:
    _answers_as_documented(case, demo, clock)


@schema.exclude(tag=[tag for group in GROUPS for tag in group]).parametrize()
@EXAMPLES
def test_everything_else_answers_as_its_document_says(
    case: Any, demo: UUID, clock: SettableClock
) -> None:
    _answers_as_documented(case, demo, clock)


class FreshServer:
    """The app as a WSGI callable that is made anew, on a store of its own, for each
    sequence: hypothesis replays a sequence's start to find the next, and a server that
    kept the last one's accounts and invitations would answer the replay otherwise."""

    def __init__(self, folder: Path, clock: SettableClock) -> None:
        self.folder, self.clock, self.made = folder, clock, 0
        self.tracker: Tracker | None = None
        self.app: Flask | None = None
        self.token = ""
        self.renew()

    def renew(self) -> None:
        if self.tracker is not None:
            self.tracker.close()
        self.made += 1
        store = Settings(data_dir=self.folder / str(self.made), database_url=None, cipher_key=None)
        self.tracker = Tracker.build(store, self.clock, PASSWORDS)
        self.tracker.project_in_background(poll_interval=0.05)
        if self.app is None:
            self.app = create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=self.tracker)
        else:
            serve(self.app, self.tracker)  # the app's routes are the same; only the store is new
        client = self.app.test_client()
        ada = {"email": "ada@example.org", "name": "Ada", "password": "ada designs alliances"}
        assert client.post("/api/v1/accounts", json=ada).status_code == 201
        answer = client.post("/api/v1/tokens", json={k: ada[k] for k in ("email", "password")})
        self.token = answer.get_json()["token"]

    def __call__(self, environ: Any, start_response: Any) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)

    def close(self) -> None:
        if self.tracker is not None:
            self.tracker.close()


def test_sequences_of_calls_answer_as_the_document_says(
    tmp_path: Path, clock: SettableClock
) -> None:
    """schemathesis's stateful phase: calls chained by the links it finds in the document
    (an alliance made, then read, proposed to, invited to...), each answer checked alike."""
    server = FreshServer(tmp_path, clock)
    sequences = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", server)

    @sequences.auth(refresh_interval=None)
    class CurrentToken(Bearer):
        def get(self, case: Any, context: Any) -> str:
            # After DELETE /tokens/current, the next sequence's server has a new one.
            return server.token

    class Sequences(sequences.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            server.renew()
            super().setup()

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                excluded_checks=[checks.positive_data_acceptance],
                additional_checks=[valid_requests_are_taken, *(additional_checks or [])],
                transport_kwargs=kwargs or None,
            )

    try:
        Sequences.run(
            settings=settings(
                max_examples=STATEFUL_EXAMPLES,
                # Ten calls reach an alliance's proposals, answers and notes; fifty (the
                # default) made the run three times as long.
                stateful_step_count=10,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
        )
    finally:
        server.close()
