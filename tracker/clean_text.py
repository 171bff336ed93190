"""What counts as text at the door, for every field, form and query parameter.

Recorded text is kept forever and read by every view, mail and feed: a U+0000 stopped the
views on PostgreSQL, a lone surrogate cannot be encoded at all, and a line break in a name
or title breaks the one-line places it is written into (mail headers, calendar feeds, logs).
So text may hold no control character but tab and line feed (CR LF is read as LF), no lone
surrogate, and a single-line field not even those, nor U+0085, U+2028 or U+2029.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# C0 but tab and line feed, DEL and C1 (U+0085 among them), and the surrogates, which a
# str holds only when it was decoded from something that was not text (JSON's \ud800).
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

# The same rules as JSON Schema patterns (ECMA-262), for the OpenAPI document; a required
# text must hold more than spaces (they are trimmed).
_TEXT_CHAR = "[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]"
_LINE_CHAR = "[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]"
# The spaces str.strip() trims that text may hold (ECMA's \\s differs: it holds U+FEFF).
SPACE = "[ \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]"
_SEEN = "[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
TEXT_PATTERN = f"^{_TEXT_CHAR}*$"
LINE_PATTERN = f"^{_LINE_CHAR}*$"
NOT_BLANK_TEXT = f"^{_TEXT_CHAR}*{_SEEN}{_TEXT_CHAR}*$"
NOT_BLANK_LINE = f"^{_LINE_CHAR}*{_SEEN}{_LINE_CHAR}*$"


def server_check(pattern: str) -> re.Pattern[str]:
    """A pattern the OpenAPI document states (^...$), compiled for the server to hold input
    to with fullmatch: Python's $ would also admit a final line feed, ECMA's does not."""
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


MAX_DEPTH = 32  # of objects and lists within a JSON body: the API's are at most three deep


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n")


def fault(text: str, *, single_line: bool = False) -> str | None:
    """Why ``text`` (normalised) is refused, in words naming the character, or None."""
    found = (NOT_ONE_LINE if single_line else NOT_TEXT).search(text)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    where = f"at character {found.start() + 1}"
    if "\ud800" <= char <= "\udfff":
        return f"must be text: {code} {where} is half of a character (a lone surrogate)"
    if single_line and char in "\n\r\x0b\x0c\x85\u2028\u2029":
        return f"must be one line: {code} {where} is a line break"
    if single_line and char == "\t":
        return f"must be one line: {code} {where} is a tab"
    return f"must not hold control characters: {code} {where}"


def faults(data: Any, *, single_line: bool = False) -> dict[str, list[str]]:
    """Each string within a decoded JSON value (keys too) that is not text, by its path
    (``answers.3``); found without recursion, so no depth of nesting can exhaust the stack."""
    found: dict[str, list[str]] = {}
    for path, text in _strings(data):
        problem = fault(normalise(text), single_line=single_line)
        if problem is not None:
            found.setdefault(path or "_schema", []).append(problem)
    return found


def depth(data: Any) -> int:
    """How deeply objects and lists nest in a decoded JSON value."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict | list):
            level += 1
            deepest = max(deepest, level)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, level) for child in children)
    return deepest


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, child in value.items():
                # A key is checked as the object's own text: a bad one cannot name a field.
                yield path, key
                pending.append((f"{path}.{key}" if path else key, child))
        elif isinstance(value, list):
            pending.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value))
