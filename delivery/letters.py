"""Every mail the tracker sends is written in delivery/templates: a plain-text and an HTML
part of the same name, rendered here for the web process and the outbox alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),  # the text part is text, not markup
    undefined=StrictUndefined,  # a value the template names and the caller left out
)


def render(name: str, **context: Any) -> tuple[str, str]:
    """The text and the HTML of mail ``name``."""
    return (
        _TEMPLATES.get_template(f"{name}.txt").render(context),
        _TEMPLATES.get_template(f"{name}.html").render(context),
    )
