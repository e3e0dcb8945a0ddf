"""Input types every router shares: they put the server's limits into the
OpenAPI document, so a client (and schemathesis) sees them before sending.

- `ID`: a path id, 1 … 2⁶³−1 (the database's 64-bit keys; more is a 422).
- `RefId`: the same in a body (a JSON integer, never a string or a bool).
- `Instant`: an ISO 8601 instant with a UTC offset, years 1970–2199 (the
  range the calendar maths supports), e.g. "2026-03-01T09:00:00Z".
- `Day`: a calendar date in the same years.
- `In`: the base of request bodies: the body must be a JSON object.
- `Int`/`Bool`: strict JSON types (`true` is not 1, "1" is not 1).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import BeforeValidator, StrictBool, StrictInt, WithJsonSchema, model_validator

MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1970, 2199
YEARS = r"(19[7-9][0-9]|2[01][0-9]{2})"
INSTANT_PATTERN = rf"^{YEARS}-"
DAY_PATTERN = rf"^{YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
_OFFSET = re.compile(r"(Z|z|[+-][0-9]{2}:?[0-9]{2})$")

ID = Annotated[int, Path(ge=1, le=MAX_ID, description="a positive 64-bit id")]
RefId = Annotated[StrictInt, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID})]
Int = StrictInt
Bool = StrictBool


def _instant(value: Any) -> Any:
    if isinstance(value, datetime):  # already parsed (Python callers, tests)
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time string with a UTC offset")
    if not re.match(INSTANT_PATTERN, value):
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    if not _OFFSET.search(value.strip()):
        raise ValueError("must include a UTC offset (Z or ±hh:mm)")
    return value


def _day(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.match(DAY_PATTERN, value):
        raise ValueError(f"must be a date YYYY-MM-DD in the years {FIRST_YEAR}–{LAST_YEAR}")
    return value


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}),
]
Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]


class In(Schema):
    """A request body: a JSON object (a list, string or number is a 422)."""

    @model_validator(mode="before")
    @classmethod
    def _object(cls, value: Any) -> Any:
        # ninja wraps the parsed JSON for attribute access; look at what was sent.
        if not isinstance(getattr(value, "_obj", value), dict):
            raise ValueError("the body must be a JSON object")
        return value
