"""World region of a country, for the stakeholder-diversity check of working groups.

Derived from the IANA time-zone table (`zone.tab`, shipped by the maintained `tzdata`
package): a country's first listed zone names its continent. The few countries whose
zones are named after an ocean are placed by hand. Regions are the five continents of
the UN geoscheme; Antarctica has none.
"""

from __future__ import annotations

import functools
from importlib import resources

REGIONS: tuple[str, ...] = ("africa", "americas", "asia", "europe", "oceania")

_AREA = {
    "Africa": "africa",
    "America": "americas",
    "Asia": "asia",
    "Europe": "europe",
    "Australia": "oceania",
    "Pacific": "oceania",
}

_OCEAN_COUNTRIES = {
    "BM": "americas", "FK": "americas", "GS": "americas", "CV": "africa", "SH": "africa",
    "KM": "africa", "MG": "africa", "MU": "africa", "RE": "africa", "SC": "africa",
    "YT": "africa", "TF": "africa", "IO": "asia", "MV": "asia", "CC": "oceania",
    "CX": "oceania", "IS": "europe", "FO": "europe", "SJ": "europe",
}  # fmt: skip


@functools.cache
def _table() -> dict[str, str]:
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        country, _, zone = line.split("\t")[:3]
        region = _AREA.get(zone.split("/")[0])
        if region and country not in table:
            table[country] = region
    return table | _OCEAN_COUNTRIES


def region_of(country: str | None) -> str | None:
    """The region of an ISO 3166 alpha-2 code, or None when unknown."""
    if not country:
        return None
    return _table().get(country.upper())
