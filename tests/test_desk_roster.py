"""Who is on duty when: weekdays, dates, overnight and all-day shifts in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.desk.org import Organisation, Person, Shift, Team
from bot.desk.roster import (
    WEEKDAYS,
    duty_starts_between,
    next_duty,
    on_duty,
    parse_days,
    parse_hours,
)

TZ = ZoneInfo("Asia/Shanghai")
WEEKDAYS_ONLY = ("mon", "tue", "wed", "thu", "fri")


def at(day: str, clock: str) -> datetime:
    """A Shanghai time: ``at("2026-12-04", "22:30")`` (2026-12-04 is a Friday)."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


def make_org(*shifts: Shift, people: tuple[Person, ...] | None = None) -> Organisation:
    people = people or (
        Person("王律师", "adviser", "t", {"telegram": "1"}),
        Person("小李", "volunteer", "t", {}),
        Person("陈律师", "adviser", "other", {}),
    )
    teams = [Team("t", "团队", {"terminal": "t"}), Team("other", "其他", {})]
    return Organisation(teams, [], list(people), list(shifts))


def shift(
    person: str, hours: str, days: tuple[str, ...] = (), dates: tuple[date, ...] = ()
) -> Shift:
    start, end = parse_hours(hours)
    return Shift(person, days, dates, start, end)


def names(people: list[Person]) -> list[str]:
    return [p.name for p in people]


def test_parse_hours() -> None:
    assert parse_hours("09:00-18:00") == (time(9), time(18))
    assert parse_hours("9:30 - 18:00") == (time(9, 30), time(18))
    assert parse_hours("18:00-09:00") == (time(18), time(9))
    assert parse_hours("00:00-24:00") == (time(0), time(0))
    assert parse_hours("08:00～12:00") == (time(8), time(12))
    for bad in ("9-18", "25:00-26:00", "09:00-24:01", "24:00-06:00", "09:00", "", "9:0-10:00"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_parse_days() -> None:
    assert parse_days(["Mon", "周三", "friday"]) == ("mon", "wed", "fri")
    assert parse_days(["sat-mon"]) == ("mon", "sat", "sun")
    assert parse_days(["周一至周五"]) == WEEKDAYS_ONLY
    with pytest.raises(ValueError, match="someday"):
        parse_days(["mon", "someday"])


def test_weekday_shift() -> None:
    org = make_org(shift("王律师", "09:00-18:00", WEEKDAYS_ONLY))
    assert names(on_duty(org, "t", at("2026-12-04", "09:00"), TZ)) == ["王律师"]  # Friday
    assert names(on_duty(org, "t", at("2026-12-04", "17:59"), TZ)) == ["王律师"]
    assert on_duty(org, "t", at("2026-12-04", "18:00"), TZ) == []  # end is exclusive
    assert on_duty(org, "t", at("2026-12-05", "10:00"), TZ) == []  # Saturday
    assert on_duty(org, "other", at("2026-12-04", "10:00"), TZ) == []


def test_now_in_another_zone_is_read_in_the_orgs_zone() -> None:
    org = make_org(shift("王律师", "09:00-18:00", WEEKDAYS_ONLY))
    friday_9_shanghai = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert names(on_duty(org, "t", friday_9_shanghai, TZ)) == ["王律师"]
    assert on_duty(org, "t", friday_9_shanghai, ZoneInfo("Europe/Berlin")) == []


def test_overnight_friday_shift_covers_saturday_morning_not_friday_morning() -> None:
    org = make_org(shift("小李", "22:00-06:00", ("fri",)))
    assert names(on_duty(org, "t", at("2026-12-05", "03:00"), TZ)) == ["小李"]  # Sat 03:00
    assert names(on_duty(org, "t", at("2026-12-04", "23:00"), TZ)) == ["小李"]  # Fri 23:00
    assert on_duty(org, "t", at("2026-12-04", "03:00"), TZ) == []  # Fri 03:00: Thursday's
    assert on_duty(org, "t", at("2026-12-05", "06:00"), TZ) == []


def test_specific_dates_and_all_day() -> None:
    org = make_org(
        shift("陈律师", "09:00-12:00", dates=(date(2026, 12, 5),)),
        shift("小李", "00:00-24:00", dates=(date(2026, 12, 25),)),
    )
    assert names(on_duty(org, "other", at("2026-12-05", "11:00"), TZ)) == ["陈律师"]
    assert on_duty(org, "other", at("2026-12-12", "11:00"), TZ) == []
    for clock in ("00:00", "12:00", "23:59"):
        assert names(on_duty(org, "t", at("2026-12-25", clock), TZ)) == ["小李"]
    assert on_duty(org, "t", at("2026-12-26", "00:00"), TZ) == []


def test_advisers_come_first_whatever_the_roster_order() -> None:
    org = make_org(
        shift("小李", "00:00-24:00", WEEKDAYS),
        shift("王律师", "09:00-18:00", WEEKDAYS),
    )
    assert names(on_duty(org, "t", at("2026-12-04", "10:00"), TZ)) == ["王律师", "小李"]


def test_next_duty_when_nobody_is_on() -> None:
    org = make_org(shift("王律师", "09:00-18:00", WEEKDAYS_ONLY))
    friday_evening = at("2026-12-04", "19:00")
    assert next_duty(org, "t", friday_evening, TZ) == (
        at("2026-12-07", "09:00"),
        org.people["王律师"],
    )
    start, _ = next_duty(org, "t", friday_evening, TZ) or (None, None)
    assert start is not None and start.tzinfo == TZ


def test_next_duty_prefers_the_adviser_on_a_tie_and_gives_up_after_14_days() -> None:
    org = make_org(
        shift("小李", "09:00-12:00", ("mon",)),
        shift("王律师", "09:00-18:00", ("mon",)),
    )
    assert next_duty(org, "t", at("2026-12-05", "10:00"), TZ) == (
        at("2026-12-07", "09:00"),
        org.people["王律师"],
    )
    far = make_org(shift("王律师", "09:00-18:00", dates=(date(2027, 3, 1),)))
    assert next_duty(far, "t", at("2026-12-05", "10:00"), TZ) is None


def test_contiguous_shifts_are_one_period_so_always_on_has_no_start() -> None:
    always = make_org(shift("王律师", "00:00-24:00", WEEKDAYS))
    assert next_duty(always, "t", at("2026-12-05", "10:00"), TZ) is None
    chained = make_org(
        shift("王律师", "09:00-18:00", ("mon",)), shift("王律师", "18:00-09:00", ("mon",))
    )
    starts = duty_starts_between(
        chained, "t", at("2026-12-06", "00:00"), at("2026-12-09", "00:00"), TZ
    )
    assert starts == [(at("2026-12-07", "09:00"), chained.people["王律师"])]


def test_duty_starts_between_is_open_at_start_closed_at_end() -> None:
    org = make_org(
        shift("王律师", "09:00-18:00", WEEKDAYS_ONLY),
        shift("小李", "18:00-22:00", WEEKDAYS_ONLY),
    )
    monday_9 = at("2026-12-07", "09:00")
    assert names(
        [p for _, p in duty_starts_between(org, "t", monday_9 - timedelta(hours=1), monday_9, TZ)]
    ) == ["王律师"]
    assert duty_starts_between(org, "t", monday_9, monday_9 + timedelta(hours=1), TZ) == []
    day = duty_starts_between(org, "t", at("2026-12-07", "00:00"), at("2026-12-08", "00:00"), TZ)
    assert [(s.strftime("%H:%M"), p.name) for s, p in day] == [
        ("09:00", "王律师"),
        ("18:00", "小李"),
    ]


def reference_on_duty(s: Shift, moment: datetime) -> bool:
    """A brute-force reading of one shift: check the day of ``moment`` and the day before."""
    local = moment.astimezone(TZ).replace(tzinfo=None)
    for back in (0, 1):
        day = local.date() - timedelta(days=back)
        if WEEKDAYS[day.weekday()] not in s.days and day not in s.dates:
            continue
        begin = datetime.combine(day, s.start)
        length = (datetime.combine(day, s.end) - begin) % timedelta(days=1) or timedelta(days=1)
        if begin <= local < begin + length:
            return True
    return False


clock_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ)
)


@settings(deadline=None)  # no timing asserts: a busy machine must not fail the test
@given(
    days=st.sets(st.sampled_from(WEEKDAYS)),
    start=clock_times,
    end=clock_times,
    now=moments,
)
def test_on_duty_matches_a_brute_force_reading(
    days: set[str], start: time, end: time, now: datetime
) -> None:
    s = Shift("王律师", tuple(d for d in WEEKDAYS if d in days), (), start, end)
    org = make_org(s)
    assert (on_duty(org, "t", now, TZ) != []) == reference_on_duty(s, now)


@settings(deadline=None)  # no timing asserts: a busy machine must not fail the test
@given(
    days=st.sets(st.sampled_from(WEEKDAYS), min_size=1),
    start=clock_times,
    end=clock_times,
    now=moments,
)
def test_next_duty_is_a_real_start_with_no_earlier_one(
    days: set[str], start: time, end: time, now: datetime
) -> None:
    s = Shift("王律师", tuple(d for d in WEEKDAYS if d in days), (), start, end)
    org = make_org(s)
    found = next_duty(org, "t", now, TZ)
    if found is None:  # only a person who never goes off duty has no next start
        assert len(days) == 7 and start == end
        return
    begin, person = found
    assert begin > now and person.name == "王律师"
    assert reference_on_duty(s, begin) and not reference_on_duty(s, begin - timedelta(minutes=1))
    assert begin - now <= timedelta(days=8)
