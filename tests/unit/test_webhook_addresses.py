"""Which addresses a webhook may reach: IPv6 forms that carry an IPv4 address (NAT64,
6to4, Teredo, IPv4-compatible, -mapped and -translated) are judged by the address they
carry, so none of them reaches loopback, link-local or a private network."""

from __future__ import annotations

import ipaddress

import pytest

from schema.webhooks import address_allowed, embedded_ipv4, networks

# Each wraps an address the operator's network must keep to itself.
WRAPPED_PRIVATE = {
    "64:ff9b::a9fe:a9fe": "169.254.169.254",  # NAT64 (well-known prefix) of the metadata service
    "64:ff9b::7f00:1": "127.0.0.1",
    "64:ff9b:1::a9fe:a9fe": "169.254.169.254",  # local-use NAT64, /96 layout
    "64:ff9b:1:a9fe:a9:fe00::": "169.254.169.254",  # local-use NAT64, /48 layout
    "2002:7f00:1::": "127.0.0.1",  # 6to4
    "2002:a00:8::1": "10.0.0.8",
    "::7f00:1": "127.0.0.1",  # IPv4-compatible
    "::a9fe:a9fe": "169.254.169.254",
    "::ffff:127.0.0.1": "127.0.0.1",  # IPv4-mapped
    "::ffff:0:a00:8": "10.0.0.8",  # IPv4-translated (SIIT)
    "2001:0:a9fe:a9fe:8000:63bf:f7f7:f7f7": "169.254.169.254",  # Teredo, server part
    "2001:0:4136:e378:8000:63bf:80ff:fffe": "127.0.0.1",  # Teredo, client part (inverted)
}


@pytest.mark.parametrize("address", sorted(WRAPPED_PRIVATE))
def test_ipv6_forms_that_carry_a_private_ipv4_address_are_refused(address: str) -> None:
    assert not address_allowed(address, [])
    carried = {str(v4) for v4 in embedded_ipv4(ipaddress.IPv6Address(address))}
    assert WRAPPED_PRIVATE[address] in carried


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "2001:4860:4860::8888", "8.8.8.8"],
)
def test_the_same_forms_carrying_a_public_address_stay_allowed(address: str) -> None:
    assert address_allowed(address, [])


def test_the_operators_list_is_judged_on_the_carried_address_too() -> None:
    loopback = networks(["127.0.0.1/32"])
    assert address_allowed("127.0.0.1", loopback)
    assert address_allowed("::ffff:127.0.0.1", loopback)
    assert address_allowed("64:ff9b::7f00:1", loopback)
    assert not address_allowed("64:ff9b::7f00:2", loopback)
    # A listed IPv6 range is taken as the operator wrote it.
    assert address_allowed("64:ff9b::a9fe:a9fe", networks(["64:ff9b::/96"]))


@pytest.mark.parametrize(
    "address", ["::1", "::", "fe80::1", "fc00::5", "ff02::1", "224.0.0.1", "100.64.0.1"]
)
def test_plain_special_addresses_are_still_refused(address: str) -> None:
    assert not address_allowed(address, [])
