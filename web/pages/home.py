"""The front page (a welcome, or the signed-in person's alliances as a queue, the one that
needs them most first) and founding an alliance."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from projections.attention.place import NEED_WORDS
from tracker.domain import errors
from tracker.domain.vocabulary import ALLIANCE_KINDS
from web import forms, parts, query
from web.auth import current_account, require_account, settled
from web.errors import status_for

bp = Blueprint("home", __name__)

QUEUE_PAGE = 50  # a coach's whole practice, most often, in one screen


@bp.get("/")
def index() -> str:
    viewer = current_account()
    if viewer is None:
        return render_template("home/welcome.html")
    narrowed = query.queue_narrowed(QUEUE_PAGE, QUEUE_PAGE)
    with parts.one_snapshot():
        account = parts.queries().account(viewer)
        queue = parts.attention().queue(viewer, parts.now(), narrowed)
    return render_template(
        "home/index.html",
        viewer=account,
        queue=queue,
        narrowed=narrowed,
        kinds=ALLIANCE_KINDS,
        needs=NEED_WORDS,
    )


@bp.route("/alliances/new", methods=["GET", "POST"])
def found() -> forms.Page:
    viewer = require_account()
    if request.method == "GET":
        return render_template("home/found.html", kinds=ALLIANCE_KINDS, values={}, problems={})
    values = forms.typed("title", "purpose", "kind", "role")
    try:
        result = settled(parts.service().found_alliance(viewer, forms.payload(values)))
    except errors.InvalidInput as invalid:
        page = render_template(
            "home/found.html", kinds=ALLIANCE_KINDS, values=values, problems=invalid.fields
        )
        return page, status_for(invalid)
    return redirect(url_for("design.page", alliance_id=result["alliance_id"]), 303)
