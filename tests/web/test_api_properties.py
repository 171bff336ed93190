"""Property-based tests of the API against its own OpenAPI document, in-process, with every
check schemathesis has: for inputs generated from the document, no answer is a server error,
every answer (status, content type, headers, body) is one the document describes, a request
the document admits is not refused and one it does not admit is not accepted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from tracker.bootstrap import Tracker
from tracker.demo import CLIENT_EMAIL, DEMO_PASSWORDS
from tracker.settings import Settings
from web import create_app

pytestmark = pytest.mark.slow  # minutes: 200 examples of each operation, then sequences


@pytest.fixture(name="settings")
def sqlite_settings(tmp_path: Path) -> Settings:
    """The API's shape does not depend on the store; the embedded one keeps this quick."""
    return Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)


@pytest.fixture
def flask_app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def api_schema(flask_app: Flask) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", flask_app)

    @schema.auth()
    class MemberToken:
        """A demo member's token, given as schemathesis gives credentials: left off the
        requests that test a missing one, and fetched again after DELETE /tokens/current."""

        def get(self, case: Any, context: Any) -> str:
            sign_in = {"email": CLIENT_EMAIL, "password": DEMO_PASSWORDS[CLIENT_EMAIL]}
            answer = flask_app.test_client().post("/api/v1/tokens", json=sign_in)
            token: str = answer.get_json()["token"]
            return token

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")
STATEFUL_EXAMPLES = 200

# What the document can say only in words (each field's description says it): what an RFC
# 5545 rule means, how near today a rhythm starts, where a written-out address leads, that
# one day comes before another. A request refused for these alone is not a valid request
# refused; any other refusal of a request the document admits fails the test.
REFUSED_FOR_MEANING = re.compile(
    r"rule: (FREQ must be one of|is not a recurrence rule RFC 5545 accepts|never occurs"
    r"|comes round more often than daily|give the start apart from the rule|must be one rule$)"
    r"|start: must be within two years of today"
    r"|from: must not be after to$"
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


@schema.parametrize()
@settings(
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
def test_the_api_answers_as_its_document_says(case: Any, demo: UUID) -> None:
    # Aim at an alliance the caller belongs to, so the generated bodies reach the commands
    # rather than stopping at 404; an id generated malformed on purpose stays as it is.
    path = case.path_parameters or {}
    if _is_uuid(path.get("alliance_id")):
        path["alliance_id"] = str(demo)
    case.call_and_validate(
        excluded_checks=[checks.positive_data_acceptance],
        additional_checks=[valid_requests_are_taken],
    )


def test_sequences_of_calls_answer_as_the_document_says(api_schema: Any) -> None:
    """schemathesis's stateful phase: calls chained by the links it finds in the document
    (an alliance made, then read, proposed to, invited to...), each answer checked alike."""

    class Sequences(api_schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                excluded_checks=[checks.positive_data_acceptance],
                additional_checks=[valid_requests_are_taken, *(additional_checks or [])],
                transport_kwargs=kwargs or None,
            )

    Sequences.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            # The server keeps what each sequence made, so a sequence replayed is not the
            # same sequence: a failure is reported as found, not shrunk or replayed.
            phases=[Phase.generate],
            database=None,
        )
    )
