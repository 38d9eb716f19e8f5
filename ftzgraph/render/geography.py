"""Where the zones and sub-areas are on the map view.

The coordinates are data (data/geography.ttl: geo:lat and geo:long, approximate city or
district centres, curated and marked approximate on their evidence); a node carries them
among its literal properties, and the panel shows them with that evidence.
"""

from __future__ import annotations

import math

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

PIXELS_PER_DEGREE = 60.0
CENTRE = (105.0, 35.0)  # the projection's origin, near the middle of China


def coordinates(node: dict) -> tuple[float, float] | None:
    """A view node's (longitude, latitude) from its geo:long and geo:lat, or None without them."""
    values = {prop[0]: prop[1] for prop in node.get("props", ())}  # [predicate, value, lang, evidence?]
    if GEO + "long" in values and GEO + "lat" in values:
        return float(values[GEO + "long"]), float(values[GEO + "lat"])
    return None


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular at 35°N, in canvas pixels (y grows southwards)."""
    return ((lon - CENTRE[0]) * PIXELS_PER_DEGREE * math.cos(math.radians(CENTRE[1])),
            (CENTRE[1] - lat) * PIXELS_PER_DEGREE)
