"""Reading events back from their stored form, which every load and every catch-up does.

The stored form is the library's own (its JSON transcoder, its transcodings); only the way
back is quicker. Replaying a long log is mostly reading: decoding was a quarter of a health
view rebuild, and building UUIDs from text a large share of that.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, UUIDAsHex


@lru_cache(maxsize=65536)
def recurring_uuid(text: str) -> UUID:
    """The same few ids (an alliance, its members, its terms) recur in nearly every event.
    UUIDs are immutable, so one object can stand for all of them."""
    return UUID(text)


class RecurringUUIDAsHex(UUIDAsHex):
    """The library's stored form of a UUID, decoded through the cache."""

    def decode(self, data: str) -> UUID:
        return recurring_uuid(data)


# orjson reads an integer beyond 64 bits as a float, where the json module keeps it exact.
# Any float this large may have been such an integer, so its document is read again.
_WIDEST_INTEGER = float(2**63)


class _NotExact(Exception):
    pass


class QuickReadingJSONTranscoder(JSONTranscoder):
    """Encodes as the library does, byte for byte; decodes with orjson.

    The library's decoder calls a Python hook for every JSON object; orjson parses in C and
    the result is walked once, bottom up as the hook would be, handing each encoded value to
    the library's own hook. What orjson reads otherwise than the json module is read by the
    library's decoder instead: NaN and infinities, which orjson refuses, and integers beyond
    64 bits, which it reads as floats.
    """

    def decode(self, data: bytes) -> Any:
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return super().decode(data)
        try:
            if type(parsed) is dict or type(parsed) is list:
                return self._revive(parsed)
            if type(parsed) is float and abs(parsed) >= _WIDEST_INTEGER:
                raise _NotExact
            return parsed
        except _NotExact:
            return super().decode(data)

    def _revive(self, value: Any) -> Any:
        names = self.names
        entries = value.items() if type(value) is dict else enumerate(value)
        for key, item in entries:
            kind = type(item)
            if kind is dict:
                # Most encoded values are leaves (a UUID, a timestamp): decoded here, without
                # a call to walk them.
                data = item.get("_data_")
                transcoding = names.get(item.get("_type_")) if type(data) is str else None
                if transcoding is not None and len(item) == 2:
                    value[key] = transcoding.decode(data)
                else:
                    value[key] = self._revive(item)
            elif kind is list:
                value[key] = self._revive(item)
            elif kind is float and (item >= _WIDEST_INTEGER or item <= -_WIDEST_INTEGER):
                raise _NotExact
        if type(value) is dict and len(value) == 2:
            return self._decode_obj(value)  # the library's hook, and its errors
        return value
