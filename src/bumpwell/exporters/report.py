"""The doctor's report: one page (A4 or US Letter) that says in a minute how the person is, what bumpwell advised
and why. The PDF is PDF/UA-1: tagged (headings, tables, lists and the chart as a Figure with its words), in English,
with XMP metadata and a title naming the report, the person and the day."""

from __future__ import annotations

import base64
import re
import unicodedata
from datetime import date, datetime
from html import escape
from typing import Literal

from bumpwell.domain.feedback import EFFORT_WORDS
from bumpwell.domain.identity import secondary
from bumpwell.exporters.charts import pain_trend
from bumpwell.exporters.read_model import (
    EXERCISE_DECISION,
    TRIAGE_LEVEL,
    AdjustmentSummary,
    CheckInSummary,
    PersonStory,
    PlannedItem,
    RedFlagSummary,
)

PATTERN = {
    "lumbar": "fits a lumbar (lower back) pattern",
    "pelvic_girdle_posterior": "fits a posterior pelvic girdle pattern",
    "pelvic_girdle_anterior": "fits an anterior pelvic girdle pattern",
    "mixed": "fits a mixed lumbar and pelvic girdle pattern",
    "none": "no pain reported",
    "unclear": "does not fit a clear pattern",
}
ESCALATIONS = ("E2", "E3", "E4", "E5", "E6", "E7")
FLAG_ROWS = 4  # red flags listed: every open one, then the latest closed ones up to this many rows
SUPERVISION = {  # of a session, in the order the report lists them
    "confirmed": "with a supervisor",
    "her_word": "with someone she named (her word, not confirmed)",
    "alone": "started alone",
    "not_confirmed": "without a supervisor (recommended)",
    "not_needed": "needed nobody",
    None: "not recorded",
}
Paper = Literal["A4", "letter"]
PAPERS: tuple[Paper, ...] = ("A4", "letter")
CSS = """
@page { size: PAPER; margin: 14mm 14mm 12mm;
  @bottom-left { content: "bumpwell report · pattern language only, not a diagnosis · the person's own record";
                 font-size: 7.5pt; color: #555; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 7.5pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.8pt; color: #111; line-height: 1.32; }
h1 { font-size: 15pt; margin: 0 0 1mm; } h2 { font-size: 10pt; margin: 3.2mm 0 1mm; border-bottom: 1px solid #999; }
.sub { color: #444; margin: 0 0 2mm; }
.who { font-weight: 600; margin: 0 0 1mm; }
.facts { display: flex; gap: 3mm; } .fact { flex: 1; border: 1px solid #bbb; border-radius: 2mm; padding: 1.5mm 2mm; }
.fact b { display: block; font-size: 7.5pt; color: #444; font-weight: normal; } .fact span { font-size: 10.5pt; }
.alert { border: 2px solid #a4161a; border-radius: 2mm; padding: 1mm 2mm; margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4mm 1mm; vertical-align: top; }
th { font-size: 7.5pt; color: #444; border-bottom: 1px solid #bbb; } ul { margin: 0; padding-left: 4mm; }
.chart { width: 100%; height: 40mm; } td:first-child { white-space: nowrap; } .muted { color: #555; }
.two { display: flex; gap: 4mm; } .two > div { flex: 1; } .two > div.wide { flex: 2; } .line { margin: 1mm 0 0; }
td.days { white-space: normal; width: 24mm; } td.min { white-space: nowrap; }
.flags { margin: 1mm 0; } .alert p, .flags p { margin: .5mm 1mm; }
body.compact { font-size: 7.6pt; line-height: 1.25; } .compact .chart { height: 30mm; } .compact h2 { margin-top: 2mm; }
.compact .fact span { font-size: 9pt; }
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


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M").lstrip("0")


def _flag_row(flag: RedFlagSummary) -> str:
    if flag.kind == "session_stopped":
        what = "Session stopped for a warning sign"
    else:
        level = TRIAGE_LEVEL.get(flag.triage or "", flag.triage or "Warning sign")
        what = level + (": " + "; ".join(f"{rule} {name}" for rule, name in flag.rules) if flag.rules else "")
    if flag.closed_at is None:
        status = "<b>Open</b>: no clinician has closed it yet"
    else:
        note = f": {escape(flag.close_note)}" if flag.close_note else ""
        status = f"Closed {_day(flag.closed_at.date())} by {escape(flag.closed_by or '?')}{note}"
    return f"<tr><td>{_when(flag.raised_at)}</td><td>{escape(what)}</td><td>{status}</td></tr>"


def _flags(story: PersonStory) -> str:
    newest = sorted(story.red_flags, key=lambda f: f.raised_at, reverse=True)
    shown = [f for f in newest if f.open]
    shown += [f for f in newest if not f.open][: max(0, FLAG_ROWS - len(shown))]
    rows = "".join(_flag_row(f) for f in shown)
    head = "<tr><th>Raised</th><th>Warning sign (bumpwell's rules)</th><th>What the care team did</th></tr>"
    left = len(story.red_flags) - len(shown)
    more = f"<p class='muted'>{left} earlier red flag{'s' if left > 1 else ''}, all closed.</p>" if left else ""
    box = "alert" if any(f.open for f in shown) else "flags"
    return f'<div class="{box}"><table>{head}{rows}</table>{more}</div>'


def _escalations(story: PersonStory) -> str:
    seen: dict[str, tuple[str, int, date]] = {}  # rule -> (name, check-ins, last day)
    for c in story.check_ins:
        for r in c.reasons:
            if r.rule in ESCALATIONS:
                _name, count, _last = seen.get(r.rule, (r.name, 0, c.day))
                seen[r.rule] = (r.name, count + 1, c.day)
    if not seen:
        return ""
    items = [
        f"{rule} {escape(name)} ({count} check-in{'s' if count > 1 else ''}, last {_day(last)})"
        for rule, (name, count, last) in sorted(seen.items(), key=lambda kv: kv[1][2], reverse=True)
    ]
    return f"<p><b>Escalations</b> (in the check-ins): {'; '.join(items)}.</p>"


def _her_words(story: PersonStory, shown: int = 2) -> str:
    """Her latest words after sessions, with her pain before and after and the talk test (issue 17 §4)."""
    said = [s for s in story.ended() if (s.unusual or "").strip()][-shown:]
    if not said:
        return ""
    items = []
    for s in reversed(said):
        both = s.pain_before is not None and s.pain_after is not None
        pain = f"pain {s.pain_before} → {s.pain_after}" if both else ""
        effort = EFFORT_WORDS.get(s.effort or "", "")
        how = "; ".join(x for x in (pain, effort) if x)
        items.append(f"{_day(s.day)}{f' ({how})' if how else ''}: “{(s.unusual or '').strip()}”")
    return f"<p class='line'>Her words after sessions: {escape('; '.join(items))}</p>"


def _supervision(story: PersonStory) -> str:
    counts = story.supervision()
    if not counts:
        return ""
    names = sorted({s.supervised_by for s in story.ended() if s.supervised_by and s.supervision_status == "confirmed"})
    parts = []
    for status, words in SUPERVISION.items():
        if counts.get(status):
            who = f" ({', '.join(names)})" if status == "confirmed" and 0 < len(names) <= 2 else ""
            parts.append(f"{counts[status]} {words}{who}")
    total = sum(counts.values())
    return f"<p class='line'>Who was there: of the {total} sessions, {escape(', '.join(parts))}.</p>"


def _alerts(story: PersonStory) -> str:
    if not story.red_flags and not _escalations(story):
        return "<p>No red flags or escalations recorded.</p>"
    flags = _flags(story) if story.red_flags else "<p>No red flags recorded.</p>"
    return flags + _escalations(story)


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


def _plan(story: PersonStory, compact: bool) -> str:
    if not story.plan:
        if story.plan_id is not None:
            return "<p>No sessions this week: the last check-in advised no exercise for now.</p>"
        return "<p>No plan yet.</p>"
    groups: dict[tuple[str, int, str, tuple[PlannedItem, ...]], list[date]] = {}  # same session, several days: one row
    for s in story.plan:
        groups.setdefault((s.kind, s.minutes, s.supervision, s.items), []).append(s.day)
    rows = []
    for (_kind, minutes, supervision, items), days in groups.items():
        names = ", ".join(i.name if compact else f"{i.name} ({i.dose})" for i in items)  # compact: no doses
        who = "<br>with someone" if supervision == "required" else ""
        rows.append(f"<tr><td class='days'>{_days(days)}</td><td class='min'>{minutes} min{who}</td>"
                    f"<td>{escape(names)}</td></tr>")  # fmt: skip
    week = f"Week of {_day(story.plan_week_start)}. " if story.plan_week_start else ""
    changes = "".join(f"<li>{_adjustment(a)}</li>" for a in story.adjustments)
    changed = f"<p class='line'>Changed by the care team:</p><ul>{changes}</ul>" if changes else ""
    return f'<p class="muted">{week}</p>{changed}<table>{"".join(rows)}</table>'


def _days(days: list[date]) -> str:
    if len(days) == 7 and (days[-1] - days[0]).days == 6:
        return "Every day"
    return ", ".join(d.strftime("%a %d %b") for d in days)


def _adjustment(a: AdjustmentSummary) -> str:
    what = f"{a.name} taken out" if a.action == "exclude" else f"{a.name}: dose set to {a.dose or '?'}"
    effect = "" if a.changed else " (not in this week's plan)"
    if a.over_limit:
        effect += f"; left as it was in {a.over_limit} session{'s' if a.over_limit > 1 else ''}: over the time limit"
    return escape(f"{what}{effect}, by {a.by} on {_day(a.at.date())}: {a.reason}")


def _reasons(latest: CheckInSummary | None) -> str:
    if latest is None:
        return "<p>No check-in yet.</p>"
    items = " · ".join(f"<b>{r.rule}</b> {escape(r.name)} <span class='muted'>[{escape(r.source)}]</span>"
                       for r in latest.reasons)  # fmt: skip
    level = TRIAGE_LEVEL.get(latest.triage, latest.triage)
    decision = EXERCISE_DECISION.get(latest.exercise, latest.exercise).lower()
    return f"<p class='muted'>Last check-in {_day(latest.day)}: {level}, {decision}.</p><p class='line'>{items}</p>"


def _chart(story: PersonStory) -> str:
    svg = pain_trend([(d.day, d.pain) for d in story.diary])
    data = base64.b64encode(svg).decode()
    return f'<img class="chart" alt="{escape(_chart_words(story))}" src="data:image/svg+xml;base64,{data}">'


def _chart_words(story: PersonStory) -> str:
    """The chart in words: what a screen reader says in its place (the tagged Figure's alternate text)."""
    if not story.diary:
        return "Chart of diary pain by day: no diary days yet."
    low = min(story.diary, key=lambda d: d.pain)
    high = max(story.diary, key=lambda d: d.pain)
    return (f"Chart of diary pain by day, 0 to 10: {_pain(story)}, {len(story.diary)} days; highest {high.pain}, "
            f"lowest {low.pain}.")  # fmt: skip


def report_title(story: PersonStory) -> str:
    """The document's title: the report, the person and the day it was made."""
    return f"bumpwell report for {story.identity.full_name}, {_day(story.generated_at.date())}"


def report_html(story: PersonStory, compact: bool = False, paper: Paper = "A4") -> str:
    """The report as HTML (printed to PDF by :func:`report_pdf`); ``compact`` sets it smaller, for long records."""
    generated = story.generated_at.strftime("%d %b %Y %H:%M UTC").lstrip("0")
    body = [
        f"<h1>{escape(story.identity.full_name)}: back and pelvic pain exercise</h1>",
        f"<p class='who'>{escape(secondary(story.identity))}</p>",
        f"<p class='sub'>bumpwell report for the midwife, doctor or physiotherapist · generated {generated}"
        f"{_made_by(story)}</p>",
        _facts(story), _supervision(story), _her_words(story),
        "<h2>Red flags and escalations</h2>", _alerts(story),
        "<h2>Pain trend (diary, 0-10)</h2>", _chart(story),
        "<div class='two'><div><h2>Clearances</h2>", _clearances(story), "</div>",
        "<div class='wide'><h2>Why bumpwell advised this</h2>", _reasons(story.latest), "</div></div>",
        "<h2>Current plan</h2>", _plan(story, compact),
    ]  # fmt: skip
    head = f"<head><meta charset='utf-8'>{_metadata(story)}<style>{CSS.replace('PAPER', paper)}</style></head>"
    style = " class='compact'" if compact else ""
    return f"<!doctype html><html lang='en'>{head}<body{style}>{''.join(body)}</body></html>"


def report_file_name(full_name: str, day: date) -> str:
    """The PDF's file name with her name and the day, in plain ASCII: "bumpwell-report-zoe-lindqvist-2027-02-15.pdf"."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower())) or "person"
    return f"bumpwell-report-{slug}-{day.isoformat()}.pdf"


def _made_by(story: PersonStory) -> str:
    """Who asked for it, for whom: " · made by Cleo, clinician, about Ana Silva" (nothing when no one is named)."""
    if not story.made_by:
        return ""
    return escape(f" · made by {story.made_by}, about {story.identity.full_name}")


def _metadata(story: PersonStory) -> str:
    # WeasyPrint writes these into the PDF's Info dictionary and its XMP metadata; the times are the story's, so
    # the same record prints the same document
    created = story.generated_at.isoformat()
    about = "Back and pelvic pain exercise with bumpwell: stage, pain, red flags, clearances, advice and the plan."
    return (f"<title>{escape(report_title(story))}</title><meta name='author' content='bumpwell'>"
            f"<meta name='description' content='{escape(about)}'><meta name='keywords' content='bumpwell, report'>"
            f"<meta name='generator' content='bumpwell'><meta name='dcterms.created' content='{created}'>"
            f"<meta name='dcterms.modified' content='{created}'>")  # fmt: skip


def load_renderer() -> None:
    """Import the PDF library now (half a second and some 35,000 objects), so that a server's first report does not
    wait for it and the objects can be set aside with everything else a worker keeps (``web.asgi``)."""
    import weasyprint  # noqa: F401


def report_pdf(story: PersonStory, paper: Paper = "A4") -> bytes:
    """The one-page report as PDF/UA-1 bytes, on A4 or US Letter paper."""
    from weasyprint import HTML

    document = HTML(string=report_html(story, paper=paper)).render()
    if len(document.pages) > 1:  # a long plan or many red flags: the same report, set tighter, to stay on one page
        document = HTML(string=report_html(story, compact=True, paper=paper)).render()
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
