"""The service's own health, for a load balancer or a monitor: /healthz."""

from __future__ import annotations

from flask import Blueprint

from web import parts

bp = Blueprint("healthz", __name__)


@bp.get("/healthz")
def check() -> dict[str, object]:
    # Anyone may ask, so it says whether the service is well and nothing of what it holds.
    if parts.engine().held_count():
        return {"status": "degraded", "reason": "some events are held in quarantine"}
    return {"status": "ok"}
