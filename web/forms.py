"""How an alliance page's forms are handled, the same way for every feature.

Every form posts, and on success redirects back to the page it was sent from (so a reload
never posts twice), once the views show the change. A refused form shows that page again,
with what the person typed and what to fix beside the field; nothing is recorded.

A form names itself (its hidden ``form`` field) and the page it was sent from (``back``).
Its handler says which pages show it: a refusal is shown on the page it came from when that
page shows it, and otherwise on the first of them (the log-a-note form on every page is a
shortcut to the feedback page's form, and its problems are shown there, in the full form).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Flask, current_app, flash, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tracker.domain import errors, rhythm
from tracker.domain.vocabulary import VALENCES
from tracker.service import CommandResult
from web.auth import require_account, settled
from web.errors import status_for
from web.formatting import DAYS

Page = str | Response | tuple[str, int]
Problems = dict[str, list[str]]


def typed(*names: str) -> dict[str, str]:
    """What the person typed in the named fields, as typed (empty when left out)."""
    return {name: request.form.get(name, "") for name in names}


def payload(values: dict[str, str], integers: tuple[str, ...] = ()) -> dict[str, Any]:
    """What the command's schema reads: a left-empty optional field is absent, not "", and
    numbers typed in a form are numbers (the schemas are strict, for the API's sake)."""
    read: dict[str, Any] = {}
    for name, value in values.items():
        if value == "":
            continue
        read[name] = whole_number(value) if name in integers else value
    return read


def whole_number(typed: str) -> int | str:
    """A number typed in a form, for the schema to judge; anything else is passed as typed,
    for the schema to refuse by name. Only ASCII digits, and not so many that int() chokes."""
    return int(typed) if re.fullmatch(r"[0-9]{1,9}", typed) else typed


def local_time(typed: str, zone: str) -> str:
    """A date and time as typed on a clock in ``zone``, as an ISO-8601 instant."""
    # Only a zone this machine knows: ZoneInfo reads any other name as a path under its
    # folder ("Europe" is a directory, a long name too long a file name).
    if zone not in rhythm.ZONES:
        shown = zone if len(zone) <= 64 else f"{zone[:64]}…"
        raise errors.InvalidInput(
            {"zone": [f"{shown!r} is not a time zone; try a name like Europe/Paris"]}
        )
    tz = ZoneInfo(zone)
    try:
        naive = datetime.fromisoformat(typed)
    except ValueError as malformed:
        raise errors.InvalidInput({"at": ["give a date and a time"]}) from malformed
    return naive.replace(tzinfo=tz).isoformat()


def submit(
    alliance_id: UUID,
    values: dict[str, str],
    command: Callable[[], CommandResult],
    *,
    shown_on: tuple[str, ...],
    anchor: str = "",
    said: str | Callable[[CommandResult], str] = "",
    then: Callable[[CommandResult], None] | None = None,
) -> Page:
    """Run a form's command and go back to the page it was sent from, saying what happened,
    or show a page that holds the form again with what is wrong. ``shown_on`` names the
    pages (endpoints) that show this form; ``anchor`` is the place on them the form acts on,
    unless the form names its own place (form_head's ``place``); ``said`` is what the page
    says when it is back."""
    form = request.form.get("form", "")
    back = _sent_from(alliance_id)
    try:
        result = settled(command())
    except errors.InvalidInput as invalid:
        return _again(alliance_id, back, shown_on, form, values, invalid.fields, invalid)
    except errors.RuleViolation as refused:
        problems = {"_form": [str(refused)]}
        return _again(alliance_id, back, shown_on, form, values, problems, refused)
    if then is not None:
        then(result)
    message = said(result) if callable(said) else said
    if message:
        flash(message, "done")
    if back is None:
        target = url_for(shown_on[0], alliance_id=alliance_id)
        return redirect(f"{target}#{anchor}" if anchor else target, 303)
    address, endpoint, _ = back
    if "#" in address or not anchor or endpoint not in shown_on:
        return redirect(address, 303)
    return redirect(f"{address}#{anchor}", 303)


Sent = tuple[str, str, dict[str, Any]]  # the address as sent, its page (endpoint), its values


def _sent_from(alliance_id: UUID) -> Sent | None:
    """The page of this alliance the form says it was sent from: only a page of the same
    alliance, so the field cannot send anyone elsewhere."""
    back = request.form.get("back", "")
    own = url_for("agreement.page", alliance_id=alliance_id)
    if ".." in back or "\\" in back:
        return None
    if back != own and not back.startswith((own + "/", own + "?", own + "#")):
        return None
    path = back.partition("#")[0].partition("?")[0]
    try:
        endpoint, args = current_app.url_map.bind("").match(path, method="GET")
    except HTTPException:
        return None
    if args.get("alliance_id") != alliance_id:
        return None
    return back, str(endpoint), dict(args)


def _again(
    alliance_id: UUID,
    back: Sent | None,
    shown_on: tuple[str, ...],
    form: str,
    values: dict[str, str],
    problems: Problems,
    refusal: Exception,
) -> tuple[str, int]:
    require_account()
    if back is not None and back[1] in shown_on:
        _, endpoint, args = back
    else:
        endpoint, args = shown_on[0], {"alliance_id": alliance_id}
    # The page reads these through the context processor below, as any page does.
    g.form_problems = {form: problems}
    g.form_values = {form: values}
    g.shown_page = url_for(endpoint, **args)
    html = cast(str, current_app.view_functions[endpoint](**args))  # a page: its HTML
    return html, status_for(refusal)


def this_page() -> str:
    """The address a form on this page names as the page it was sent from."""
    shown: str | None = g.get("shown_page")
    return shown or request.full_path.rstrip("?")


def _form_state() -> dict[str, object]:
    """What every alliance page's forms need: a refused form's problems and typed values
    (none, unless this request is showing a refusal), the log-a-note form's choices and the
    rhythm picker's days."""
    return {
        "problems": g.get("form_problems", {}),
        "values": g.get("form_values", {}),
        "valences": VALENCES,
        "weekdays": list(DAYS.items()),
    }


def init_app(app: Flask) -> None:
    app.context_processor(_form_state)
    app.add_template_global(this_page)
