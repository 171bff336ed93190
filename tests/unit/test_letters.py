"""Mail is written in templates: the HTML part escapes what members wrote, the text part
keeps it as written, and a value a template names cannot be left out."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from delivery import letters

PROMPT = {
    "member_name": "<b>Ben</b>",
    "title": "Calm & <i>candid</i>",
    "due": "Monday 4 May, 09:00",
    "until": "Monday 11 May, 09:00",
    "link": 'https://tracker.example/a?x=1&y="2',
    "off": "https://tracker.example/unsubscribe/t",
}


def test_a_check_in_prompt_escapes_in_html_and_keeps_the_words_in_text() -> None:
    text, page = letters.render("checkin_prompt", **PROMPT)
    assert "<b>" not in page and "&lt;b&gt;Ben&lt;/b&gt;" in page
    assert "Calm &amp; &lt;i&gt;candid&lt;/i&gt;" in page
    assert 'href="https://tracker.example/a?x=1&amp;y=&#34;2"' in page
    assert "Hello <b>Ben</b>," in text and "“Calm & <i>candid</i>”" in text
    assert text.endswith(PROMPT["off"])


def test_a_value_left_out_is_an_error_not_a_blank() -> None:
    with pytest.raises(UndefinedError):
        letters.render("checkin_prompt", **{k: v for k, v in PROMPT.items() if k != "link"})
