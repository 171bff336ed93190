"""Text is clean at the door: every query parameter and form field is checked before any
view reads it (tracker.clean_text says what counts as text), and a JSON body's depth; its
text is checked where each command loads it. Nothing a client sends can reach a store, a
mail or a log as something that is not text."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from tracker import clean_text
from tracker.domain.errors import InvalidInput

# The forms' own fields, never typed by a person: where to go back to, which form it was.
ONE_LINE_FORM_FIELDS = frozenset({"back", "next", "form", "csrf_token"})


def check_request() -> None:
    unclean: dict[str, list[str]] = {}

    def check(name: str, value: str, *, one_line: bool) -> None:
        for problem in (
            clean_text.fault(name, single_line=True),
            clean_text.fault(clean_text.normalise(value), single_line=one_line),
        ):
            if problem is not None:
                unclean.setdefault(_printable(name), []).append(problem)

    for name, value in request.args.items(multi=True):
        check(name, value, one_line=True)  # an id, a date, a filter: never more than a line
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            check(name, value, one_line=name in ONE_LINE_FORM_FIELDS)
    if request.is_json:
        # Its text is checked where each command loads it (tracker.schemas.load), after the
        # membership check: a stranger is told 404 before the body is read. Its depth is
        # checked whether it came with a length or in chunks.
        _check_depth()
    if unclean:
        raise InvalidInput(unclean)


def _check_depth() -> None:
    try:
        payload = request.get_json(silent=True)  # parsed once: the view reads it from the cache
    except RecursionError:
        raise BadRequest("the body nests objects or lists too deeply") from None
    if clean_text.depth(payload) > clean_text.MAX_DEPTH:
        raise BadRequest(f"the body nests objects or lists more than {clean_text.MAX_DEPTH} deep")


def _printable(name: str) -> str:
    """A field's name as an error may quote it: what is not text is shown as its code."""
    if clean_text.fault(name, single_line=True) is None:
        return name
    return "".join(
        ch if clean_text.fault(ch, single_line=True) is None else f"U+{ord(ch):04X}" for ch in name
    )


def init_app(app: Flask) -> None:
    app.before_request(check_request)
