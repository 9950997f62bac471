"""The plan as an iCalendar feed (RFC 5545): one event a day, stable UIDs, the exercises in each description.

The same bytes serve the secret per-person feed and the one-off ``.ics`` download. Nothing here says why the
person exercises: no pattern, triage, condition or stage, because calendars sync to phones' lock screens,
shared family calendars and other companies' servers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard, vDuration

from bumpwell.exporters.read_model import PersonStory, PlannedSession

PRODID = "-//bumpwell//plan//EN"
PELVIC_FLOOR = "pelvic_floor"
FRAME = frozenset({"warm-up", "cool-down"})  # in every session, so a title that names them says nothing
TITLE_NAMES = 3  # beyond this a title is cut on a phone anyway; the description has them all
SUPERVISION = {"required": "Someone should be with you.", "recommended": "Best with someone nearby."}
SAFETY = "Stop and check in if you notice a warning sign; in an emergency call your local emergency number."
# The plan changes weekly and after check-ins; subscribing clients that honour these poll twice a day.
REFRESH = timedelta(hours=12)
# A year past the last session: a strict client still gets the right offsets for an event dragged a few weeks on,
# and the VTIMEZONE stays a few lines instead of every transition since 1970.
TZ_MARGIN = timedelta(days=366)


CALENDAR_NAME = "bumpwell: my exercise plan"  # never her name: a subscribed calendar shows it to whoever sees hers


def plan_calendar(
    story: PersonStory,
    *,
    start_time: time | None = None,
    tz: str | None = None,
    host: str = "bumpwell.invalid",
    reminder: timedelta | None = timedelta(minutes=15),
) -> bytes:
    """The person's current plan as an iCalendar file: one event per day, starting at ``start_time`` in ``tz``
    (by default the time and the time zone she chose, ``story.session_time`` and ``story.time_zone``).

    Events carry LAST-MODIFIED (when the plan was made) and a SEQUENCE that grows with it, so a client that
    imported an earlier week's event takes the newer one. A plan without sessions is still a valid calendar: her
    time zone's VTIMEZONE is its one component (RFC 5545 wants at least one), UTC's when she has none.

    ``reminder`` puts a display alarm that long before each event (``None`` for none): the plan helps only if it
    is done, and a nudge is why people put it in their phone. Feed subscribers can still strip it (Apple offers to,
    Google ignores alarms in feeds) and an imported event's alarm can be deleted. Raises ``ZoneInfoNotFoundError``
    (a ``KeyError``) for an unknown ``tz``.
    """
    tz = tz or story.time_zone
    start_time = start_time or story.session_time
    zone: tzinfo = UTC if tz == "UTC" else ZoneInfo(tz)
    stamp = _utc(story.generated_at)
    made = _utc(story.plan_made_at) if story.plan_made_at else stamp
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for key, start, sessions in _events(story.plan, start_time, zone):
        event = _event(f"{story.person_id}-{key}@{host}", stamp, start, sessions, reminder)
        event.add("last-modified", made)
        event.add("sequence", _sequence(made))
        cal.add_component(event)
    if zone is not UTC and story.plan:
        days = [s.day for s in story.plan]
        cal.add_missing_timezones(first_date=min(days), last_date=max(days) + TZ_MARGIN)
        cal.subcomponents.sort(key=lambda c: c.name != "VTIMEZONE")  # stable; some clients want zones first
    if not story.plan:
        cal.add_component(_zone_only(tz, zone, stamp.date()))
    data: bytes = cal.to_ical()
    return data


def _sequence(made: datetime) -> int:
    """Minutes since 1970 when the plan was made: it only grows as plans are remade, and fits a 32-bit integer."""
    return int(made.timestamp()) // 60


def _zone_only(tz: str, zone: tzinfo, day: date) -> Timezone:
    """Her zone's VTIMEZONE for a calendar with no events (UTC written out as a zone with no offset)."""
    if zone is not UTC:
        return Timezone.from_tzinfo(zone, tz, first_date=day, last_date=day + TZ_MARGIN)
    utc = Timezone()
    utc.add("tzid", "UTC")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    utc.add_component(standard)
    return utc


def _utc(moment: datetime) -> datetime:
    # DTSTAMP must be UTC; a naive time is read as UTC, never as this machine's local time, to stay deterministic.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _events(
    plan: tuple[PlannedSession, ...], start_time: time, zone: tzinfo
) -> list[tuple[str, datetime, tuple[PlannedSession, ...]]]:
    """(UID key, start, sessions) for each event, in day order.

    One event a day, because that is what a person wants on their phone: the planner adds a three-minute
    pelvic-floor session to every day, and a separate event at the same hour would double the reminders and
    clutter the day view. So the pelvic-floor minutes ride along in the day's main event, and stand alone only on
    days without one. The UID key is the person and the day, not the plan or the session kind: a new week's plan,
    or a walk that became a strength session, updates the day's event in an imported calendar instead of adding a
    second one. A second main session on one day (the planner makes none today) follows the first.
    """
    by_day: dict[date, list[PlannedSession]] = {}
    for session in sorted(plan, key=lambda s: s.day):  # a stable sort keeps the plan's order within a day
        by_day.setdefault(session.day, []).append(session)
    out = []
    for day, sessions in by_day.items():
        groups = [[s] for s in sessions if s.kind != PELVIC_FLOOR] or [[]]
        groups[0].extend(s for s in sessions if s.kind == PELVIC_FLOOR)
        start = datetime.combine(day, start_time.replace(tzinfo=None), tzinfo=zone)
        for index, group in enumerate(groups):
            out.append((f"{day:%Y%m%d}" + (f"-{index + 1}" if index else ""), start, tuple(group)))
            start += timedelta(minutes=sum(s.minutes for s in group))
    return out


def _event(
    uid: str, stamp: datetime, start: datetime, sessions: tuple[PlannedSession, ...], reminder: timedelta | None
) -> Event:
    minutes = sum(s.minutes for s in sessions)
    summary = _summary(sessions, minutes)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("description", _description(sessions))
    event.add("categories", ["Exercise"])
    event.add("class", "PRIVATE")  # health-related: shared calendars that honour it show only "busy"
    event.add("transp", "TRANSPARENT")  # exercise is movable; it should not block meetings in free/busy
    if reminder is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -reminder)
        event.add_component(alarm)
    return event


def _summary(sessions: tuple[PlannedSession, ...], minutes: int) -> str:
    # "bumpwell: walking, pelvic tilt and pelvic floor (30 min)": what the session is about, then its length
    names = list(dict.fromkeys(_short(i.name) for s in sessions for i in s.items if i.exercise not in FRAME))
    shown = names[:TITLE_NAMES] + (["more"] if len(names) > TITLE_NAMES else []) or ["exercise"]
    words = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"bumpwell: {words} ({minutes} min)"


def _short(name: str) -> str:
    # "Pelvic tilt, half-reclined" -> "pelvic tilt"; "Pelvic floor: long holds" -> "pelvic floor"
    head = name.split(",")[0].split(":")[0].strip()
    return head if head[1:2].isupper() else head[:1].lower() + head[1:]


def _description(sessions: tuple[PlannedSession, ...]) -> str:
    lines: list[str] = []
    for index, session in enumerate(sessions):
        heading = f"Also today, {session.minutes} min:" if index else f"Today's session, {session.minutes} min."
        care = SUPERVISION.get(session.supervision)
        lines += ([""] if index else []) + [f"{heading} {care}" if care else heading]
        lines += [f"- {item.name} ({item.dose})" for item in session.items]
    return "\n".join([*lines, "", SAFETY])
