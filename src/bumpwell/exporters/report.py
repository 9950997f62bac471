"""The doctor's report: one A4 page that says in a minute how the person is, what bumpwell advised and why."""

from __future__ import annotations

import base64
from datetime import date
from html import escape

from bumpwell.exporters.charts import pain_trend
from bumpwell.exporters.read_model import CheckInSummary, PersonStory

TRIAGE = {
    "emergency": "Emergency",
    "urgent_same_day": "Urgent, same day",
    "contact_within_24h": "Contact within 24 hours",
    "discuss_at_next_visit": "Discuss at next visit",
    "ok_to_exercise": "OK to exercise",
}
PATTERN = {
    "lumbar": "fits a lumbar (lower back) pattern",
    "pelvic_girdle_posterior": "fits a posterior pelvic girdle pattern",
    "pelvic_girdle_anterior": "fits an anterior pelvic girdle pattern",
    "mixed": "fits a mixed lumbar and pelvic girdle pattern",
    "none": "no pain reported",
    "unclear": "does not fit a clear pattern",
}
ESCALATIONS = ("E2", "E3", "E4", "E5", "E6", "E7")
CSS = """
@page { size: A4; margin: 14mm 14mm 12mm; @bottom-left { content: "bumpwell report · pattern language only, not a
diagnosis · the person's own record"; font-size: 7.5pt; color: #555; } @bottom-right { content: "page " counter(page)
" of " counter(pages); font-size: 7.5pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.8pt; color: #111; line-height: 1.32; }
h1 { font-size: 15pt; margin: 0 0 1mm; } h2 { font-size: 10pt; margin: 3.2mm 0 1mm; border-bottom: 1px solid #999; }
.sub { color: #444; margin: 0 0 2mm; }
.facts { display: flex; gap: 3mm; } .fact { flex: 1; border: 1px solid #bbb; border-radius: 2mm; padding: 1.5mm 2mm; }
.fact b { display: block; font-size: 7.5pt; color: #444; font-weight: normal; } .fact span { font-size: 10.5pt; }
.alert { border: 2px solid #a4161a; border-radius: 2mm; padding: 1mm 2mm; margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4mm 1mm; vertical-align: top; }
th { font-size: 7.5pt; color: #444; border-bottom: 1px solid #bbb; } ul { margin: 0; padding-left: 4mm; }
.chart { width: 100%; height: 46mm; } td:first-child { white-space: nowrap; } .muted { color: #555; }
.two { display: flex; gap: 4mm; } .two > div { flex: 1; }
"""


def _day(value: date) -> str:
    return value.strftime("%d %b %Y").lstrip("0")


def _stage(story: PersonStory) -> str:
    weeks, days = story.stage
    if story.status == "pregnant":
        due = f", due {_day(story.due_date)}" if story.due_date else ""
        return f"{weeks}+{days} weeks pregnant{due}"
    born = f" (born {_day(story.birth_date)})" if story.birth_date else ""
    return f"{weeks} weeks {days} days after the birth{born}"


def _pain(story: PersonStory) -> str:
    if not story.diary:
        latest = story.latest
        return (
            f"{latest.pain_now}/10 at the last check-in" if latest and latest.pain_now is not None else "not recorded"
        )
    first, last = story.diary[0], story.diary[-1]
    return f"{first.pain}/10 on {_day(first.day)} → {last.pain}/10 on {_day(last.day)}"


def _facts(story: PersonStory) -> str:
    done, ended = story.adherence()
    share = f" ({round(100 * done / ended)} %)" if ended else ""
    latest = story.latest
    pattern = PATTERN.get(latest.pattern, latest.pattern) if latest else "no check-in yet"
    cells = [("Stage", _stage(story)), ("Pain pattern", pattern), ("Pain (diary)", _pain(story)),
             ("Sessions completed", f"{done} of {ended}{share}")]  # fmt: skip
    return (
        '<div class="facts">'
        + "".join(f'<div class="fact"><b>{k}</b><span>{escape(v)}</span></div>' for k, v in cells)
        + "</div>"
    )


def _alerts(story: PersonStory) -> str:
    rows = []
    for c in story.check_ins:
        flagged = [r for r in c.reasons if r.rule.startswith(("RF-", "RT-")) or r.rule in ESCALATIONS]
        if c.triage in ("ok_to_exercise", "discuss_at_next_visit") and not flagged:
            continue
        what = "; ".join(f"{r.rule}: {r.text}" for r in flagged) or "—"
        rows.append(f"<tr><td>{_day(c.day)}</td><td>{TRIAGE.get(c.triage, c.triage)}</td><td>{escape(what)}</td></tr>")
    if not rows:
        return "<p>No red flags or escalations recorded.</p>"
    head = "<tr><th>Date</th><th>Triage</th><th>Rules (bumpwell's wording)</th></tr>"
    return f'<div class="alert"><table>{head}{"".join(rows)}</table></div>'


def _clearances(story: PersonStory) -> str:
    if not story.conditions:
        return "<p>No contraindications reported.</p>"
    items = []
    for c in story.conditions:
        if c.cleared_at is None:
            items.append(f"<li>{c.code} {escape(c.name)}: <b>not cleared</b></li>")
            continue
        limits = [
            f"max {c.max_minutes} min" if c.max_minutes else "",
            ("only " + ", ".join(c.allowed)) if c.allowed else "",
            f"until {_day(c.until)}" if c.until else "",
        ]
        text = ", ".join(x for x in limits if x) or "no limits"
        items.append(f"<li>{c.code} {escape(c.name)}: cleared by {escape(c.cleared_by or '?')} on "
                     f"{_day(c.cleared_at.date())} ({escape(text)})</li>")  # fmt: skip
    return "<ul>" + "".join(items) + "</ul>"


def _plan(story: PersonStory) -> str:
    if not story.plan:
        return "<p>No plan yet.</p>"
    rows = []
    for s in story.plan:
        names = ", ".join(f"{i.name} ({i.dose})" for i in s.items)
        who = " · with someone" if s.supervision == "required" else ""
        rows.append(
            f"<tr><td>{s.day.strftime('%a %d %b')}</td><td>{s.minutes} min{who}</td><td>{escape(names)}</td></tr>"
        )
    week = f"Week of {_day(story.plan_week_start)}. " if story.plan_week_start else ""
    return f'<p class="muted">{week}</p><table>{"".join(rows)}</table>'


def _reasons(latest: CheckInSummary | None) -> str:
    if latest is None:
        return "<p>No check-in yet.</p>"
    items = "".join(f"<li><b>{r.rule}</b> {escape(r.text)} <span class='muted'>[{escape(r.source)}]</span></li>"
                    for r in latest.reasons)  # fmt: skip
    return f"<p class='muted'>Last check-in {_day(latest.day)}: {TRIAGE.get(latest.triage, latest.triage)}, " \
           f"exercise {latest.exercise.replace('_', ' ')}.</p><ul>{items}</ul>"  # fmt: skip


def _chart(story: PersonStory) -> str:
    svg = pain_trend([(d.day, d.pain) for d in story.diary])
    data = base64.b64encode(svg).decode()
    return f'<img class="chart" alt="Pain by day" src="data:image/svg+xml;base64,{data}">'


def report_html(story: PersonStory) -> str:
    """The report as HTML (printed to PDF by :func:`report_pdf`)."""
    generated = story.generated_at.strftime("%d %b %Y %H:%M UTC").lstrip("0")
    body = [
        f"<h1>{escape(story.display_name)}: back and pelvic pain exercise</h1>",
        f"<p class='sub'>bumpwell report for the midwife, doctor or physiotherapist · generated {generated}</p>",
        _facts(story),
        "<h2>Red flags and escalations</h2>", _alerts(story),
        "<h2>Pain trend (diary, 0-10)</h2>", _chart(story),
        "<div class='two'><div><h2>Clearances</h2>", _clearances(story), "</div>",
        "<div><h2>Why bumpwell advised this</h2>", _reasons(story.latest), "</div></div>",
        "<h2>Current plan</h2>", _plan(story),
    ]  # fmt: skip
    head = f"<head><meta charset='utf-8'><title>bumpwell report</title><style>{CSS}</style></head>"
    return f"<!doctype html><html lang='en'>{head}<body>{''.join(body)}</body></html>"


def report_pdf(story: PersonStory) -> bytes:
    """The one-page report as PDF bytes."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(story)).write_pdf()
    return pdf
