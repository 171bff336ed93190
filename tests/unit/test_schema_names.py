"""One schema vocabulary: a request is named by what it does (ProposeSchema), an answer by
what it is (ProposalSchema), and no name is both."""

from __future__ import annotations

import inspect
from types import ModuleType

from marshmallow import Schema

from tracker import schemas as requests
from web.api import schemas as answers


def _names(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and issubclass(value, Schema)
        and value.__module__ == module.__name__
    }


def test_no_request_and_answer_share_a_name() -> None:
    assert _names(requests) and _names(answers)
    assert _names(requests) & _names(answers) == set()
