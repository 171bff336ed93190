"""Where a webhook may call: the public internet only, never the machines around the
tracker (loopback, private and link-local networks, cloud metadata). The service checks an
address written out when a webhook is set; delivery checks each call's resolved addresses."""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.parse

# IPv6 forms that carry an IPv4 address, which is where such a packet goes: NAT64's
# well-known and local-use prefixes (RFC 6052, 8215), IPv4-translated (RFC 2765) and, by
# the ipaddress module's own properties, IPv4-mapped, 6to4 and Teredo.
_CARRY_IPV4_IN_LOW_BITS = [
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible, long deprecated
]
# NAT64's local-use prefix (RFC 8215) is the operator's own: where in it the IPv4 address
# sits depends on a prefix length the tracker cannot know, and it leads into their network.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
# What the C resolver reads as an IPv4 address besides a dotted quad: "127.1", "2130706433",
# "0x7f000001", "0177.0.0.1". A host of these characters alone is no name, so it is read so.
_NUMERIC_HOST = re.compile(r"[0-9][0-9a-fA-FxX.]*")


def _carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    carried = [found for found in (ip.ipv4_mapped, ip.sixtofour) if found is not None]
    if ip.teredo is not None:
        carried.extend(ip.teredo)  # the server and the client behind it
    if any(ip in network for network in _CARRY_IPV4_IN_LOW_BITS):
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF))
    return carried


def address_refusal(address: str) -> str | None:
    """Why a call may not connect to ``address`` ("is on ...", "carries ..."), or None: it
    may connect only to the public internet."""
    ip = ipaddress.ip_address(address)
    if not ip.is_global or ip.is_multicast or ip in _LOCAL_NAT64:
        return "is on a private, loopback or reserved network"
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in _carried_ipv4(ip):
            if not inner.is_global or inner.is_multicast:
                return f"carries {inner}, which is on a private, loopback or reserved network"
    return None


def written_out_refusal(url: str) -> str | None:
    """Why a webhook whose host is an address written out may not be set, or None; a host
    name is checked at each call instead (what it resolves to can change)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    address = written_address(host)
    if address is None:
        return None
    refused = address_refusal(address)
    return None if refused is None else f"{host} {refused}"


def written_address(host: str) -> str | None:
    """The address ``host`` is, written out in any form a resolver reads, or None for a
    name."""
    host = host.removesuffix(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host) is None:
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None
