"""Events read back by the tracker's transcoder are exactly what the library's would read."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from hypothesis import given
from hypothesis import strategies as st

from tracker.application import TrackerApplication
from tracker.stored_form import QuickReadingJSONTranscoder


def _library() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


def _ours() -> JSONTranscoder:
    transcoder = QuickReadingJSONTranscoder()
    TrackerApplication.register_transcodings(None, transcoder)  # type: ignore[arg-type]
    return transcoder


LIBRARY, OURS = _library(), _ours()

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # beyond 64 bits too, which orjson refuses
    st.floats(),  # NaN and infinities too, which the json module writes and orjson refuses
    st.text(),
    st.uuids(),
    st.decimals(allow_nan=False),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), None])),
    # plain dicts that look like an encoded value, or nearly
    st.fixed_dictionaries({"_type_": st.text(), "x": st.text()}),
    st.fixed_dictionaries({"_data_": st.text()}),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@given(st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_reads_back_what_the_library_reads_back(state: dict[str, Any]) -> None:
    stored = LIBRARY.encode(state)
    assert OURS.encode(state) == stored
    assert _same(OURS.decode(stored), LIBRARY.decode(stored))


def test_a_stored_event_reads_back_with_its_ids_timestamps_and_nesting() -> None:
    member = UUID("5b0f4c36-9a49-4f3e-8d0c-2f6d3c1e7a10")
    when = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    state = {
        "timestamp": when,
        "ratings": {str(member): {"relationship": 9}},
        "members": [member, {"since": when, "share": Decimal("0.5")}],
        "note": "a note",
    }
    decoded = OURS.decode(LIBRARY.encode(state))
    assert decoded == state
    assert decoded["members"][0] is OURS.decode(LIBRARY.encode({"m": member}))["m"]


def test_an_unregistered_stored_type_is_refused_as_the_library_refuses_it() -> None:
    stored = b'{"when": {"_type_": "date_of_mars", "_data_": "sol 12"}}'
    with pytest.raises(TranscodingNotRegisteredError, match="date_of_mars"):
        LIBRARY.decode(stored)
    with pytest.raises(TranscodingNotRegisteredError, match="date_of_mars"):
        OURS.decode(stored)


def test_bytes_that_are_not_json_are_refused_as_the_library_refuses_them() -> None:
    for stored in (b"{not json", b'{"a": "\xff"}', b""):
        with pytest.raises(ValueError) as theirs:
            LIBRARY.decode(stored)
        with pytest.raises(ValueError) as ours:
            OURS.decode(stored)
        assert type(ours.value) is type(theirs.value)


@pytest.mark.parametrize(
    "number",
    [2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1, 10**30, -(10**30), 1e19, -1e300],
)
def test_numbers_at_and_beyond_64_bits_read_back_exactly(number: int | float) -> None:
    stored = LIBRARY.encode({"n": number, "in": [{"n": number}]})
    decoded = OURS.decode(stored)
    assert decoded == {"n": number, "in": [{"n": number}]}
    assert type(decoded["n"]) is type(number) and type(decoded["in"][0]["n"]) is type(number)


def test_not_a_number_and_infinities_read_back() -> None:
    decoded = OURS.decode(LIBRARY.encode({"values": [math.inf, -math.inf, math.nan]}))
    assert decoded["values"][:2] == [math.inf, -math.inf] and math.isnan(decoded["values"][2])
