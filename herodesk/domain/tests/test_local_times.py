"""Times in the zone of the person they describe; the next person available."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from herodesk.domain.business_hours import Calendar
from herodesk.domain.local_times import city, hm, label, next_available, stamp

TUE_1645_LONDON = datetime(2030, 1, 8, 16, 45, tzinfo=UTC)  # GMT in January


def test_one_instant_reads_differently_in_each_zone() -> None:
    assert hm(TUE_1645_LONDON, "Europe/London") == "16:45"
    assert hm(TUE_1645_LONDON, "America/Sao_Paulo") == "13:45"
    assert hm(TUE_1645_LONDON, "America/Denver") == "09:45"
    assert label(TUE_1645_LONDON, "America/Toronto") == "EST"
    assert label(TUE_1645_LONDON, "America/Sao_Paulo") == "UTC−3"
    assert label(TUE_1645_LONDON, "Asia/Kolkata") == "IST"
    assert label(TUE_1645_LONDON, "Asia/Kathmandu") == "UTC+5:45"
    assert stamp(TUE_1645_LONDON, "Europe/London") == "Tue 8 Jan 16:45 GMT"
    assert (city("America/Sao_Paulo"), city("America/Argentina/Buenos_Aires")) == (
        "São Paulo",
        "Buenos Aires",
    )


def test_the_next_person_available_skips_weekends_and_time_off() -> None:
    friday_evening = datetime(2030, 1, 11, 21, 0, tzinfo=UTC)  # 18:00 in São Paulo
    ana = Calendar.default("Europe/London")
    lucia = Calendar.default("America/Sao_Paulo")
    off = [(datetime(2030, 1, 14, tzinfo=UTC), datetime(2030, 1, 15, tzinfo=UTC))]
    found = next_available([("ana", ana, off), ("lucia", lucia, [])], friday_evening)
    assert found is not None and found.key == "lucia"
    assert found.at == datetime(2030, 1, 14, 12, 0, tzinfo=UTC)  # Mon 09:00 São Paulo
    assert found.describe() == "Mon 09:00 São Paulo"
    nobody = next_available(
        [("ana", ana, [(friday_evening, friday_evening + timedelta(days=30))])], friday_evening
    )
    assert nobody is None
