"""One schema vocabulary: a request is named by what it does (ProposeSchema), an answer by
what it is (ProposalSchema), and no name is both."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
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


def _answer_names() -> set[str]:
    modules = (
        importlib.import_module(f"{answers.__name__}.{found.name}")
        for found in pkgutil.iter_modules(answers.__path__)
    )
    return set().union(*(_names(module) for module in modules))


def test_no_request_and_answer_share_a_name() -> None:
    assert _names(requests) and _answer_names()
    assert _names(requests) & _answer_names() == set()


def test_no_two_answers_share_a_name() -> None:
    modules = [
        importlib.import_module(f"{answers.__name__}.{found.name}")
        for found in pkgutil.iter_modules(answers.__path__)
    ]
    every = [name for module in modules for name in _names(module)]
    assert len(every) == len(set(every))
