"""Which public holidays a support calendar closes on (pure; `holidays` package).

Some countries have no single national list. In the `holidays` package the
United Kingdom without a subdivision holds only the days all four nations
share, so a team in London would work through Easter Monday and the August
bank holiday. Rules:

- `GB`/`UK` without a subdivision means England (`ENG`), or Northern Ireland
  (`NIR`) for the `Europe/Belfast` zone: `default_subdivision`.
- A write of support hours (settings page, API) outside those zones must name
  the subdivision: `missing_subdivision` returns the message that says so.
- `upcoming` lists the next holidays, for the settings page.
"""

from __future__ import annotations

from datetime import date

# country → (subdivision by zone, subdivision when the zone says nothing, choices)
_NEEDS_SUBDIVISION: dict[str, tuple[dict[str, str], str, str]] = {
    "GB": (
        {"Europe/London": "ENG", "Europe/Belfast": "NIR"},
        "ENG",
        "ENG (England), NIR (Northern Ireland), SCT (Scotland) or WLS (Wales)",
    ),
}
_ALIASES = {"UK": "GB"}


def _country(code: str | None) -> str:
    code = (code or "").upper()
    return _ALIASES.get(code, code)


def default_subdivision(country: str | None, subdiv: str | None, time_zone: str) -> str | None:
    """The subdivision a calendar uses: the one given, else the country's default."""
    if subdiv:
        return subdiv
    rule = _NEEDS_SUBDIVISION.get(_country(country))
    if rule is None:
        return None
    by_zone, fallback, _choices = rule
    return by_zone.get(time_zone, fallback)


def missing_subdivision(country: str | None, subdiv: str | None, time_zone: str) -> str | None:
    """Why a country needs a subdivision here (None when the input is complete).

    A zone that tells the subdivision (Europe/London → England) needs none."""
    rule = _NEEDS_SUBDIVISION.get(_country(country))
    if subdiv or rule is None or time_zone in rule[0]:
        return None
    return (
        f"holiday_subdivision: {_country(country)} has different holidays in each nation; "
        f"choose {rule[2]} (a team in {time_zone} gets no default)"
    )


def upcoming(
    country: str | None, subdiv: str | None, after: date, count: int = 3
) -> list[tuple[date, str]]:
    """The next `count` holidays on or after `after` ([] without a country)."""
    if not country:
        return []
    # lazy: `holidays` (~50 ms to import) loads when a calendar first needs it.
    import holidays as holidays_lib

    found: list[tuple[date, str]] = []
    for year in range(after.year, after.year + 3):
        days = holidays_lib.country_holidays(country, subdiv=subdiv, years=year)
        found.extend((d, str(name)) for d, name in sorted(days.items()) if d >= after)
        if len(found) >= count:
            break
    return found[:count]
