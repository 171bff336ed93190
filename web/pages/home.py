"""The front page (a welcome, or the signed-in person's alliances) and founding an alliance."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from tracker.domain import errors
from tracker.domain.vocabulary import ALLIANCE_KINDS
from web import forms, parts
from web.auth import current_account, require_account, settled
from web.errors import status_for

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    viewer = current_account()
    if viewer is None:
        return render_template("home/welcome.html")
    found = parts.queries()
    return render_template(
        "home/index.html", viewer=found.account(viewer), alliances=found.alliances_for(viewer)
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
