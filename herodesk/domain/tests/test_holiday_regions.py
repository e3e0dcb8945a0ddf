"""R5: a team in GB without a subdivision works through Easter Monday and the
August bank holiday (the `holidays` package's GB list holds only the days all
four nations share). GB means England by default in London."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from herodesk.domain.business_hours import Calendar
from herodesk.domain.holiday_regions import default_subdivision, missing_subdivision, upcoming

LONDON = ZoneInfo("Europe/London")


def test_gb_without_subdivision_closes_on_easter_monday_in_london() -> None:
    cal = Calendar.default("Europe/London", "GB", None)
    assert cal.holiday_subdiv == "ENG"
    thursday = datetime(2027, 3, 25, 16, 30, tzinfo=LONDON)
    due = cal.add(thursday, timedelta(hours=1))
    # Fri 26 Mar is Good Friday and Mon 29 Mar Easter Monday (England).
    assert due.astimezone(LONDON) == datetime(2027, 3, 30, 9, 30, tzinfo=LONDON)
    assert cal.is_holiday(date(2027, 8, 30))  # the August bank holiday


def test_subdivisions_given_are_kept_and_other_countries_need_none() -> None:
    assert Calendar.default("Europe/London", "GB", "SCT").holiday_subdiv == "SCT"
    assert Calendar.default("America/New_York", "US", None).holiday_subdiv is None
    assert default_subdivision("gb", None, "Europe/Belfast") == "NIR"
    assert default_subdivision("DE", None, "Europe/Berlin") is None


def test_writes_outside_the_uk_zones_must_name_the_subdivision() -> None:
    assert missing_subdivision("GB", "", "Europe/London") is None
    assert missing_subdivision("GB", "WLS", "America/New_York") is None
    message = missing_subdivision("GB", "", "America/New_York")
    assert message is not None and "ENG" in message and "SCT" in message
    assert missing_subdivision("US", "", "America/New_York") is None


def test_the_next_three_holidays_are_listed_in_order() -> None:
    days = upcoming("GB", "ENG", date(2027, 3, 1))
    assert [d for d, _ in days] == [date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3)]
    assert "Easter Monday" in days[1][1]
    assert [d for d, _ in upcoming("GB", "ENG", date(2027, 12, 29))][:2] == [
        date(2028, 1, 1),
        date(2028, 1, 3),
    ]
    assert upcoming(None, None, date(2027, 1, 1)) == []
