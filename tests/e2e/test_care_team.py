"""The care team in Chromium, three people in three browsers: Ana invites Sam (supervisor) and Dr Cleo
(clinician); Cleo's clearance lifts the pause on Ana's plan; Sam co-signs a session on his own phone; a warning sign
reaches Sam's notices and the top of Cleo's board."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.e2e.conftest import (
    Visitor,
    join_with,
    make_code,
    needs_chromium,
    no_warning_signs,
    sign_up,
    sign_up_member,
    stage,
    where_it_hurts,
)

pytestmark = needs_chromium


def onboard_with(v: Visitor, name: str, conditions: tuple[str, ...] = ()) -> None:
    """Sign up and answer the onboarding, ticking ``conditions`` and saying someone can usually be there."""
    sign_up(v, name)
    stage(v, 24)
    if conditions:
        for condition in conditions:
            v.check(v.label(condition))
        v.click(v.button("Continue with what I ticked"))
    else:
        v.click(v.button("None of these apply to me"))
    v.expect_path("/start/warnings")
    no_warning_signs(v)
    where_it_hurts(v, ("Lower back",))
    v.check(v.label("Yes, usually"))
    v.click(v.button("See my plan"))
    v.expect_path("/result/[^/]+")


def invite(person: Visitor, member: Visitor, role: str, member_name: str) -> None:
    """The person makes a code, the member types it, the person accepts."""
    code = make_code(person, role)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    join_with(member, code)
    person.goto("/team")
    person.click(person.button(f"Accept {member_name}"))
    person.page.get_by_text(f"{member_name}").first.wait_for()


def test_supervisor_and_clinician_work_with_the_person(new_visitor: Callable[..., Visitor]) -> None:
    ana, sam, cleo, bea = new_visitor(), new_visitor(), new_visitor(), new_visitor()
    onboard_with(ana, "Ana", ("Twins",))
    ana.goto("/today")
    assert ana.page.get_by_role("link", name="Check again").count() == 1, "no session while Twins waits"
    sign_up_member(sam, "I will be with someone", "Sam")
    sign_up_member(cleo, "I am her midwife", "Cleo")
    invite(ana, sam, "supervisor", "Sam")
    invite(ana, cleo, "clinician", "Cleo")
    onboard_with(bea, "Bea")  # another of Cleo's people, on track, so the board has an order to show
    invite(bea, cleo, "clinician", "Cleo")

    # Cleo sees Ana waiting for a clearance, and records one with limits.
    cleo.goto("/clinic")
    first = cleo.page.locator("table.board tbody tr").first
    assert "Waiting for clearance" in (first.text_content() or "")
    cleo.click(first.get_by_role("link"))
    cleo.expect_path("/clinic/people/[^/]+")
    cleo.click(cleo.page.get_by_text("Record a clearance"))
    cleo.fill(cleo.label("Most minutes a session (empty: no limit)"), "30")
    cleo.click(cleo.button("Record the clearance"))
    cleo.page.get_by_text("Cleared by Cleo").wait_for()

    # At her next check Ana's plan is back.
    ana.goto("/check/signs")
    ana.click(ana.button("No, none of these today"))
    ana.expect_path("/result/[^/]+")
    ana.goto("/today")
    ana.page.get_by_role("heading", name=re.compile("Today's session")).wait_for()

    # A session that needs Sam: Ana asks, Sam confirms on his own phone, Ana starts; the session records Sam.
    person_id = ana.person_id()
    plan = ana.api(f"/api/v1/people/{person_id}/plan")["plan"]
    today = ana.page.evaluate("() => new Date().toLocaleDateString('en-CA')")
    todays = [s for s in plan["sessions"] if s["day"] == today]
    index = next(i for i, s in enumerate(todays) if s["supervision"] == "required")
    sam.goto("/supervise")  # Sam has his page open before she asks: it shows her request without a reload
    assert sam.page.locator(".spot-list li").count() > 0, "Sam sees what to watch for in each exercise"
    sam.page.get_by_text("This page updates by itself").wait_for()
    assert sam.button("I'm here with Ana").count() == 0
    sam.page.evaluate("() => { window.notReloaded = true; }")
    ana.goto(f"/check?index={index}")
    ana.check(ana.label("No warning signs"))
    ana.check(ana.label("Sam will confirm on their own phone"))
    ana.click(ana.button("Continue"))
    ana.expect_path("/check/wait/[^/]+")
    sam.button("I'm here with Ana").wait_for(timeout=15_000)
    assert sam.page.evaluate("() => window.notReloaded === true"), "drawn into the open page, not by a reload"
    sam.click(sam.button("I'm here with Ana"))
    sam.page.get_by_text("She can start the session now").wait_for()
    ana.click(ana.button("Start the session"))
    ana.expect_path("/session/[^/]+")
    ana.page.get_by_text("Sam is with you.").wait_for()
    session = ana.api(f"/api/v1/people/{person_id}/sessions")["items"][0]
    assert (session["supervised_by_name"], session["supervision_method"]) == ("Sam", "own_phone")

    # A warning sign: Ana is told whom to call; Sam gets a notice; Ana goes to the top of Cleo's board.
    ana.goto("/check/signs")
    ana.check(ana.label("Heavy bleeding from the vagina"))
    ana.click(ana.button("Continue with what I ticked"))
    ana.page.get_by_role("heading", name="Call for emergency help now").wait_for()
    sam.goto("/notices")
    assert "Ana reported a warning sign" in (sam.page.locator(".notice.unread").first.text_content() or "")
    cleo.goto("/clinic")
    top = cleo.page.locator("table.board tbody tr").first
    assert "Ana" in (top.text_content() or "")
    assert "Red flag" in (top.text_content() or "")
    assert "Bea" in (cleo.page.locator("table.board tbody tr").nth(1).text_content() or "")
    for v in (ana, sam, cleo, bea):
        assert v.foreign_requests() == [], v.foreign_requests()
        assert v.console_errors == [], v.console_errors


def test_her_clinician_page_prints_on_at_most_two_a4_pages_without_menus_or_forms(
    new_visitor: Callable[..., Visitor],
) -> None:
    ana, cleo = new_visitor(), new_visitor()
    onboard_with(ana, "Ana", ("Twins",))
    sign_up_member(cleo, "I am her midwife", "Cleo")
    invite(ana, cleo, "clinician", "Cleo")
    cleo.goto("/clinic")
    cleo.click(cleo.page.locator("table.board tbody tr").first.get_by_role("link"))
    cleo.expect_path("/clinic/people/[^/]+")
    cleo.page.emulate_media(media="print")
    shown = cleo.page.evaluate(
        "() => [...document.querySelectorAll('header nav, form, .jump, footer')]"
        ".filter(e => getComputedStyle(e).display !== 'none').length"
    )
    assert shown == 0, "no menu, form or footer on paper"
    pdf = cleo.page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 2
