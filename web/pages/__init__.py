"""The pages people use, one module per feature, each holding its page and the forms on it.
Each module has its own blueprint; create_app registers every one of them from BLUEPRINTS."""

from __future__ import annotations

from flask import Blueprint

from web.pages import (
    account,
    agreement,
    alerts,
    checkins,
    commitments,
    conflicts,
    design,
    feedback,
    health,
    history,
    home,
    inbox,
    redesigns,
    settings,
    unsubscribe,
)

BLUEPRINTS: tuple[Blueprint, ...] = tuple(
    module.bp
    for module in (
        home,
        inbox,
        agreement,
        design,
        redesigns,
        feedback,
        conflicts,
        checkins,
        commitments,
        history,
        health,
        alerts,
        settings,
        account,
        unsubscribe,
    )
)
