"""Who gets what from every route over a person's record: one row per route, one column per caller.

The scene: person A with a profile, check-ins, a completed session, a diary entry with a secret note and a
clinician's note; person B; supervisor S and clinician C on A's care team (accepted); supervisor S- and
clinician C- on B's team only; supervisor S? who used A's code but was never accepted; an admin; and a client
with no login. The tables below are the spec: the access policy (domain/access.py) as HTTP statuses. Someone
without an accepted link gets 404 (never 403, so ids cannot be probed), a member 403 where the policy says no.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import fastapi.routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.domain.access import Role
from bumpwell.services.accounts import create_user
from bumpwell.services.mydata import EXPORT_TABLES
from bumpwell.web.app import create_app
from tests.api.conftest import CHECK_IN, PASSWORD, PROFILE, User, onboard, sign_up

PEOPLE = "/api/v1/people/{person_id}"
SECRET = "SECRET-DIARY-TEXT"
NOTE = "CLINICIAN-NOTE-TEXT: keep the wall squat shallow"
CLINICAL_NOTE = "CLINICAL-NOTE-TEXT: cervix closed, CTG normal"  # her care team's clinicians only
CONDITION = "CI-N01"  # on A's screening; not gating, so clearances come and go without blocking sessions
TABLES = [*EXPORT_TABLES, "session_items"]

CALLERS = ("own", "other", "sup", "sup_unlinked", "sup_pending", "clin", "clin_unlinked", "admin", "anon")


class Row(NamedTuple):
    """A route and the status each caller gets: own = A on A, other = B on A, sup/clin = linked to A,
    sup_unlinked/clin_unlinked = on B's team only, sup_pending = used A's code but not accepted."""

    method: str
    path: str
    own: int
    other: int
    sup: int
    sup_unlinked: int
    sup_pending: int
    clin: int
    clin_unlinked: int
    admin: int
    anon: int

    def expected(self, caller: str) -> int:
        status: int = getattr(self, caller)
        return status


# Every route under /api/v1/people/{person_id}, path relative to that prefix.
# fmt: off
MATRIX: list[Row] = [
    #   method    path                                     own other  S   S-  S?    C   C- admin anon
    Row("GET",    "/profile",                              200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("PUT",    "/profile",                              200, 404, 403, 404, 404, 403, 404, 404, 401),
    # her family name, date of birth, hospital number and phone: her clinicians read them, a supervisor does not
    Row("GET",    "/identity",                             200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("PUT",    "/identity",                             200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/screening",                            200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("PUT",    "/screening",                            200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("PUT",    "/screening/{code}/clearance",           403, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("DELETE", "/screening/{code}/clearance",           403, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/check-ins",                            201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/check-ins",                            200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/check-ins/{check_in_id}",              200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/plan",                                 200, 404, 200, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/plans",                                200, 404, 200, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/sessions",                             201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/sessions",                             200, 404, 200, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/sessions/{session_id}",                200, 404, 200, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/sessions/{session_id}/progress",       200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/sessions/{session_id}/complete",       200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/sessions/{session_id}/stop",           200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/diary",                                201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/diary",                                200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("DELETE", "/diary/{entry_id}",                     204, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/progress",                             200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/red-flags",                            200, 404, 200, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/red-flags/{flag_id}/close",            403, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/adjustments",                          200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/adjustments",                          403, 404, 403, 404, 404, 201, 404, 404, 401),
    Row("DELETE", "/adjustments/{adjustment_id}",          403, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/supervisors",                          200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/presence-requests",                    201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("GET",    "/presence-requests/{request_id}",       200, 404, 200, 404, 404, 200, 404, 404, 401),
    # a clinician's "handled" on her board line: the clinician writes (409: A's line is not an escalation now)
    Row("GET",    "/acknowledgements",                     200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/acknowledgements",                     403, 404, 403, 404, 404, 409, 404, 404, 401),
    Row("GET",    "/notes",                                200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("POST",   "/notes",                                403, 404, 403, 404, 404, 201, 404, 404, 401),
    # a short message to her (a notice on her /notices): only her own clinicians send one
    Row("POST",   "/messages",                             403, 404, 403, 404, 404, 201, 404, 404, 401),
    Row("GET",    "/care-team",                            200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/care-team/invitations",                201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("POST",   "/care-team/{link_id}/accept",           200, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("DELETE", "/care-team/{link_id}",                  200, 404, 403, 404, 404, 403, 404, 404, 401),
    # who read or changed her record: she and her clinicians (issue 17 point 10), never a supervisor
    Row("GET",    "/audit",                                200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/report.pdf",                           200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/fhir.json",                            200, 404, 403, 404, 404, 200, 404, 404, 401),
    Row("GET",    "/plan.ics",                             200, 404, 403, 404, 404, 200, 404, 404, 401),
    # the POST row runs before the DELETE row, so the person's own DELETE finds a feed to turn off
    Row("POST",   "/calendar-feed",                        201, 404, 403, 404, 404, 403, 404, 404, 401),
    Row("DELETE", "/calendar-feed",                        204, 404, 403, 404, 404, 403, 404, 404, 401),
]

# Routes about accounts rather than one person's record, where the role decides. Full paths.
ACCOUNT_MATRIX: list[Row] = [
    #   method  path                                        own other  S   S-  S?    C   C- admin anon
    Row("GET",  "/api/v1/admin/users",                      403, 403, 403, 403, 403, 403, 403, 200, 401),
    Row("POST", "/api/v1/admin/users",                      403, 403, 403, 403, 403, 403, 403, 201, 401),
    Row("POST", "/api/v1/admin/users/{user_id}/reset-link", 403, 403, 403, 403, 403, 403, 403, 201, 401),
    # The export is "everything stored about the caller": every account gets its own, never A's data.
    Row("GET",  "/api/v1/me/export",                        200, 200, 200, 200, 200, 200, 200, 200, 401),
    Row("GET",  "/api/v1/me/export/{table}.csv",            200, 200, 200, 200, 200, 200, 200, 200, 401),
    # A member's own work: each sees only their own notices and requests; the PIN is a supervisor's, the board
    # a clinician's (C-'s board holds B only).
    Row("GET",  "/api/v1/me/notices",                       200, 200, 200, 200, 200, 200, 200, 200, 401),
    Row("POST", "/api/v1/me/notices/{notice_id}/read",      404, 404, 200, 404, 404, 404, 404, 404, 401),
    Row("GET",  "/api/v1/me/presence-requests",             200, 200, 200, 200, 200, 200, 200, 200, 401),
    Row("POST", "/api/v1/me/presence-requests/{request_id}/confirm",
                                                            404, 404, 200, 404, 404, 404, 404, 404, 401),
    Row("PUT",  "/api/v1/me/pin",                           403, 403, 204, 204, 204, 403, 403, 403, 401),
    Row("GET",  "/api/v1/me/board",                         403, 403, 403, 403, 403, 200, 200, 403, 401),
]
# fmt: on

Body = dict[str, Any] | None


@dataclass
class Scene:
    """A's record, the callers, and fresh objects for the routes that change state."""

    wiring: Wiring
    a: User
    b: User
    email: str
    callers: dict[str, User] = field(default_factory=dict)
    check_in_id: str = ""
    session_id: str = ""
    diary_id: str = ""
    presence_id: str = ""
    notice_id: str = ""
    joiners: Iterator[int] = field(default_factory=itertools.count)

    def url(self, path: str) -> str:
        return f"/api/v1/people/{self.a.id}{path}"

    def plan_day(self) -> str:
        plan = self.a.get(self.url("/plan"))
        assert plan.status_code == 200, plan.text
        return str(plan.json()["plan"]["sessions"][0]["day"])

    def running_session(self) -> str:
        started = self.a.post(
            self.url("/sessions"), {"day": self.plan_day(), "pain_before": 2, "supervision": {"alone": True}}
        )
        assert started.status_code == 201, started.text
        return str(started.json()["id"])

    def red_flag(self) -> str:
        """A fresh open red flag on A: a session stopped for a warning sign."""
        session = self.running_session()
        stopped = self.a.post(self.url(f"/sessions/{session}/stop"), {"reason": "warning_sign"})
        assert stopped.status_code == 200, stopped.text
        found = self.a.get(self.url("/red-flags"), params={"open_only": True}).json()["items"]
        return str(next(f["id"] for f in found if f["source_id"] == session))

    def adjustment(self) -> str:
        """A fresh standing dose change on A's plan, made by A's clinician."""
        made = self.callers["clin"].post(
            self.url("/adjustments"),
            {"exercise": "walking", "action": "dose", "dose": {"minutes": 10}, "reason": "shorter walks for now"},
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    def diary_entry(self) -> str:
        written = self.a.post(self.url("/diary"), {"day": "2027-01-05", "pain": 2, "note": SECRET})
        assert written.status_code in (200, 201), written.text
        return str(written.json()["id"])

    def open_invitation(self) -> str:
        invited = self.a.post(self.url("/care-team/invitations"), {"role": "supervisor"})
        assert invited.status_code == 201, invited.text
        return str(invited.json()["id"])

    def pending_member(self) -> str:
        """A fresh supervisor who used a fresh code of A's and waits to be accepted; returns the link id."""
        return join(self, sign_up(self.wiring, "supervisor", f"Joiner {next(self.joiners)}"), accept=False)

    def check_in_ids(self) -> list[str]:
        found = self.a.get(self.url("/check-ins"), params={"limit": 200}).json()["items"]
        return [str(c["id"]) for c in found]


def join(scene: Scene, member: User, *, accept: bool, person: User | None = None) -> str:
    """Invite ``member`` onto the team of ``person`` (A by default), let them join, and accept if asked."""
    owner = person or scene.a
    base = f"/api/v1/people/{owner.id}/care-team"
    invited = owner.post(f"{base}/invitations", {"role": member.role})
    assert invited.status_code == 201, invited.text
    joined = member.post("/api/v1/care-team/join", {"code": invited.json()["code"]})
    assert joined.status_code == 200, joined.text
    link_id = str(invited.json()["id"])
    if accept:
        accepted = owner.post(f"{base}/{link_id}/accept")
        assert accepted.status_code == 200, accepted.text
    return link_id


def log_in_admin(wiring: Wiring) -> User:
    with wiring.stores() as store:
        admin = create_user(store, wiring.hasher, wiring.clock(), "root@example.org", PASSWORD, "Root", Role.admin)
        store.commit()
    client = TestClient(create_app(wiring), base_url="http://testserver")
    me = client.post("/api/v1/auth/login", json={"email": "root@example.org", "password": PASSWORD})
    assert me.status_code == 200, me.text
    csrf = me.json()["csrf_token"]
    return User(client, admin.id, csrf, "admin", {"X-CSRF-Token": csrf})


def build_scene(wiring: Wiring) -> Scene:
    a = sign_up(wiring, "person", "Ana")
    first = onboard(a)
    scene = Scene(wiring, a, sign_up(wiring, "person", "Bea"), a.get("/api/v1/me").json()["email"])
    scene.check_in_id = str(first["id"])
    assert a.put(scene.url("/screening"), {"conditions": [CONDITION]}).status_code == 200
    session = scene.running_session()
    done = a.post(scene.url(f"/sessions/{session}/complete"), {"pain_after": 2, "effort": "can_talk_not_sing"})
    assert done.status_code == 200, done.text
    scene.session_id = session
    diary = a.post(scene.url("/diary"), {"day": "2027-01-10", "pain": 4, "note": SECRET})
    assert diary.status_code == 201, diary.text
    scene.diary_id = str(diary.json()["id"])
    onboard(scene.b)

    sup, clin = sign_up(wiring, "supervisor", "Sam"), sign_up(wiring, "clinician", "Cleo")
    join(scene, sup, accept=True)
    join(scene, clin, accept=True)
    note = clin.post(scene.url("/notes"), {"text": NOTE})
    assert note.status_code == 201, note.text
    clinical = clin.post(scene.url("/notes"), {"text": CLINICAL_NOTE, "visibility": "clinical"})
    assert clinical.status_code == 201, clinical.text
    sup_unlinked, clin_unlinked = sign_up(wiring, "supervisor", "Sue"), sign_up(wiring, "clinician", "Carl")
    join(scene, sup_unlinked, accept=True, person=scene.b)
    join(scene, clin_unlinked, accept=True, person=scene.b)
    sup_pending = sign_up(wiring, "supervisor", "Pat")
    join(scene, sup_pending, accept=False)

    scene.red_flag()  # tells S and C; S's notice is the one the notice rows read
    notices = sup.get("/api/v1/me/notices").json()["items"]
    scene.notice_id = str(notices[0]["id"])
    asked = a.post(scene.url("/presence-requests"), {"day": scene.plan_day(), "index": 0})
    assert asked.status_code == 201, asked.text
    scene.presence_id = str(asked.json()["id"])

    anon = User(TestClient(create_app(wiring), base_url="http://testserver"), "", "", "anonymous")
    scene.callers = {
        "own": a,
        "other": scene.b,
        "sup": sup,
        "sup_unlinked": sup_unlinked,
        "sup_pending": sup_pending,
        "clin": clin,
        "clin_unlinked": clin_unlinked,
        "admin": log_in_admin(wiring),
        "anon": anon,
    }
    return scene


# Bodies that make an allowed call succeed; the same body goes to every caller.
BODIES: dict[tuple[str, str], Callable[[Scene], Body]] = {
    ("PUT", "/profile"): lambda s: PROFILE,
    ("POST", "/acknowledgements"): lambda s: {"kind": "escalation", "note": "Phoned her.", "until": "2027-01-20"},
    ("PUT", "/identity"): lambda s: {"given_name": "Ana", "family_name": "Silva", "date_of_birth": "1994-03-03"},
    ("PUT", "/screening"): lambda s: {"conditions": [CONDITION]},
    ("PUT", "/screening/{code}/clearance"): lambda s: {"until": "2027-03-01"},
    ("POST", "/check-ins"): lambda s: CHECK_IN,
    ("POST", "/sessions"): lambda s: {"day": s.plan_day(), "pain_before": 2, "supervision": {"alone": True}},
    ("POST", "/sessions/{session_id}/progress"): lambda s: {"position": 0, "status": "done", "pain": 2},
    ("POST", "/sessions/{session_id}/complete"): lambda s: {"pain_after": 2, "effort": "can_talk_not_sing"},
    ("POST", "/sessions/{session_id}/stop"): lambda s: {"reason": "tired", "note": "had to go"},
    ("POST", "/diary"): lambda s: {"day": "2027-01-09", "pain": 3, "note": SECRET},
    ("POST", "/notes"): lambda s: {"text": "Walk on the flat this week."},
    ("POST", "/messages"): lambda s: {"text": "Please call the clinic about Thursday."},
    ("POST", "/care-team/invitations"): lambda s: {"role": "clinician"},
    ("POST", "/red-flags/{flag_id}/close"): lambda s: {"note": "Called her; seen in triage, all well."},
    ("POST", "/adjustments"): lambda s: {"exercise": "crunch", "action": "exclude", "reason": "not for her"},
    ("POST", "/presence-requests"): lambda s: {"day": s.plan_day(), "index": 0},
    ("PUT", "/api/v1/me/pin"): lambda s: {"pin": "246813"},
    ("POST", "/api/v1/admin/users"): lambda s: {
        "email": "new.account@example.org", "password": PASSWORD, "display_name": "New", "role": "person",
    },
}  # fmt: skip

# Routes that change what their id points at get a fresh object for every call, so each status is deterministic.
FRESH: dict[tuple[str, str], Callable[[Scene], dict[str, str]]] = {
    ("POST", "/sessions/{session_id}/progress"): lambda s: {"session_id": s.running_session()},
    ("POST", "/sessions/{session_id}/complete"): lambda s: {"session_id": s.running_session()},
    ("POST", "/sessions/{session_id}/stop"): lambda s: {"session_id": s.running_session()},
    ("DELETE", "/diary/{entry_id}"): lambda s: {"entry_id": s.diary_entry()},
    ("POST", "/care-team/{link_id}/accept"): lambda s: {"link_id": s.pending_member()},
    ("DELETE", "/care-team/{link_id}"): lambda s: {"link_id": s.open_invitation()},
    ("POST", "/red-flags/{flag_id}/close"): lambda s: {"flag_id": s.red_flag()},
    ("DELETE", "/adjustments/{adjustment_id}"): lambda s: {"adjustment_id": s.adjustment()},
}


def ids(scene: Scene, method: str, path: str) -> dict[str, str]:
    """Values for the path's parameters: A's existing objects, or fresh ones for routes that change them."""
    found = {
        "person_id": scene.a.id,
        "check_in_id": scene.check_in_id,
        "session_id": scene.session_id,
        "code": CONDITION,
        "user_id": scene.b.id,
        "table": "diary",
        "request_id": scene.presence_id,
        "notice_id": scene.notice_id,
    }
    fresh = FRESH.get((method, path))
    return found | (fresh(scene) if fresh else {})


def api_routes(wiring: Wiring) -> set[tuple[str, str]]:
    """(method, path) of every APIRoute the app serves.

    Newer FastAPI keeps an included router as one entry of ``app.routes``; ``iter_route_contexts`` walks into it.
    """
    routes: list[Any] = list(create_app(wiring).routes)
    walk = getattr(fastapi.routing, "iter_route_contexts", None)
    found = set()
    for route in walk(routes) if walk else routes:
        if isinstance(getattr(route, "original_route", route), APIRoute):
            found |= {(method, str(route.path)) for method in route.methods}
    return found


@dataclass(frozen=True)
class Answer:
    row: Row
    caller: str
    response: Any  # the test client's response (httpx2, or httpx on older Starlette)

    def __str__(self) -> str:
        got = self.response.status_code
        return f"{self.row.method} {self.row.path} as {self.caller}: {got}, expected {self.row.expected(self.caller)}"


def ask(scene: Scene, row: Row, caller: str, base: str = "") -> Answer:
    """Make the row's call as ``caller`` with a valid body and fresh ids where needed."""
    user = scene.callers[caller]
    url = (base + row.path).format(**ids(scene, row.method, row.path))
    make_body = BODIES.get((row.method, row.path))
    body = make_body(scene) if make_body else None
    return Answer(row, caller, user.client.request(row.method, url, json=body, headers=user.headers))


def secrets_of(scene: Scene) -> list[str]:
    """What must not reach anyone A did not let in: diary text and id, the clinician's note, e-mail, check-in ids."""
    return [SECRET, NOTE, CLINICAL_NOTE, scene.email, scene.diary_id, *scene.check_in_ids()]


def leaks(secrets: list[str], text: str) -> list[str]:
    """Which of ``secrets`` ``text`` shows."""
    return [secret for secret in secrets if secret in text]


def refusal_leaks(scene: Scene, answers: list[Answer]) -> list[str]:
    """Refusals (401/403/404) that show any of A's secrets (see :func:`secrets_of`).

    A problem document's ``instance`` repeats the caller's own request path, so it is left out of the check.
    """
    found, secrets = [], secrets_of(scene)
    for answer in answers:
        if answer.response.status_code in (401, 403, 404):
            problem = {k: v for k, v in answer.response.json().items() if k != "instance"}
            shown = leaks(secrets, str(problem))
            if shown:
                found.append(f"{answer}: shows {shown}")
    return found


def test_every_route_answers_each_caller_as_the_policy_says(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    answers = [ask(scene, row, caller, PEOPLE) for row in MATRIX for caller in CALLERS]
    wrong = [str(a) for a in answers if a.response.status_code != a.row.expected(a.caller)]
    assert not wrong, "\n".join(wrong)
    shown = refusal_leaks(scene, answers)
    assert not shown, "\n".join(shown)


def test_a_clinical_note_reaches_her_clinician_and_no_route_shows_it_to_her_or_her_supervisor(
    wiring: Wiring,
) -> None:
    """Every GET over her record and every account route, as A and as S: only her own export holds it (docs/api.md)."""
    scene = build_scene(wiring)
    rows = [(row, PEOPLE) for row in MATRIX] + [(row, "") for row in ACCOUNT_MATRIX]
    answers = [ask(scene, row, caller, base) for row, base in rows if row.method == "GET" for caller in ("own", "sup")]
    exported = [a for a in answers if a.caller == "own" and a.row.path == "/api/v1/me/export"]
    assert exported, "her export was asked"
    assert all(CLINICAL_NOTE in a.response.text for a in exported), "her right of access"
    shown = [str(a) for a in answers if a not in exported and CLINICAL_NOTE in a.response.text]
    assert not shown, "\n".join(shown)
    assert sum(a.response.status_code == 200 for a in answers) > 30, "the walk answered almost nothing"
    by_clinician = scene.callers["clin"].client.get(scene.url("/notes"), headers=scene.callers["clin"].headers)
    assert CLINICAL_NOTE in by_clinician.text


def test_every_person_route_has_a_row_in_the_matrix(wiring: Wiring) -> None:
    served = {(method, path) for method, path in api_routes(wiring) if path.startswith("/api/v1/people/")}
    assert len(served) > 20, "the walk over the app's routes found almost nothing"
    listed = {(row.method, PEOPLE + row.path) for row in MATRIX}
    assert served - listed == set(), "routes without a row in MATRIX"
    assert listed - served == set(), "rows in MATRIX for routes the app does not serve"
    assert len(listed) == len(MATRIX), "a route has two rows"


def test_admin_routes_answer_admins_only_and_exports_never_hold_another_persons_data(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    answers = [ask(scene, row, caller) for row in ACCOUNT_MATRIX for caller in CALLERS]
    wrong = [str(a) for a in answers if a.response.status_code != a.row.expected(a.caller)]
    assert not wrong, "\n".join(wrong)
    shown = refusal_leaks(scene, answers)
    assert not shown, "\n".join(shown)
    exports, secrets = [], [*secrets_of(scene), scene.a.id]
    for caller in [c for c in CALLERS if c != "own"]:
        user = scene.callers[caller]
        for url in ["/api/v1/me/export", *(f"/api/v1/me/export/{table}.csv" for table in TABLES)]:
            response = user.get(url)
            if leaks(secrets, response.text):
                exports.append(f"{url} as {caller}: {response.status_code}")
    assert not exports, "\n".join(exports)


def test_the_linked_supervisor_never_sees_the_diary_text_anywhere(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    supervisor = scene.callers["sup"]
    values = {
        "person_id": scene.a.id, "check_in_id": scene.check_in_id, "session_id": scene.session_id,
        "request_id": scene.presence_id,
    }  # fmt: skip
    urls = []
    for method, path in sorted(api_routes(wiring)):
        if method == "GET" and path.startswith("/api/v1/"):
            tables = TABLES if "{table}" in path else [""]
            urls += [path.format(table=table, **values) for table in tables]
    assert any("/diary" in url for url in urls)
    seen = {}
    for url in urls:
        response = supervisor.get(url)
        assert response.status_code < 500, f"{url}: {response.text}"
        seen[url] = response.status_code
        assert SECRET not in response.text, url
        assert NOTE not in response.text, url
    assert seen[f"/api/v1/people/{scene.a.id}/plan"] == 200  # the sweep really ran as a linked supervisor


def test_a_removed_clinician_loses_access_at_once(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    clinician = scene.callers["clin"]
    team = scene.a.get(scene.url("/care-team")).json()
    link_id = next(link["id"] for link in team if link["member"] and link["member"]["id"] == clinician.id)
    assert clinician.get(scene.url("/diary")).status_code == 200
    removed = scene.a.delete(scene.url(f"/care-team/{link_id}"))
    assert removed.status_code == 200, removed.text
    assert removed.json()["status"] == "removed"
    refused = clinician.get(scene.url("/diary"))
    assert refused.status_code == 404
    assert SECRET not in refused.text
    assert clinician.post(scene.url("/notes"), {"text": "still here?"}).status_code == 404
    assert clinician.get("/api/v1/me/people").json() == []


def test_ids_of_another_persons_records_are_not_found_under_ones_own_path(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    b = scene.b

    def of_b(path: str) -> str:
        return f"/api/v1/people/{b.id}{path}"

    check_in = b.get(of_b("/check-ins")).json()["items"][0]["id"]
    day = b.get(of_b("/plan")).json()["plan"]["sessions"][0]["day"]
    session = b.post(of_b("/sessions"), {"day": day, "supervision": {"alone": True}}).json()["id"]
    entry = b.post(of_b("/diary"), {"day": "2027-01-10", "pain": 1, "note": "B's own"}).json()["id"]
    link_id = b.get(of_b("/care-team")).json()[0]["id"]
    a, clinician = scene.a, scene.callers["clin"]
    calls = [
        (a, "GET", f"/check-ins/{check_in}", None),
        (clinician, "GET", f"/check-ins/{check_in}", None),
        (a, "GET", f"/sessions/{session}", None),
        (clinician, "GET", f"/sessions/{session}", None),
        (a, "POST", f"/sessions/{session}/stop", {"reason": "tired"}),
        (a, "DELETE", f"/diary/{entry}", None),
        (a, "POST", f"/care-team/{link_id}/accept", None),
        (a, "DELETE", f"/care-team/{link_id}", None),
    ]
    for user, method, path, body in calls:
        response = user.client.request(method, scene.url(path), json=body, headers=user.headers)
        assert response.status_code == 404, f"{method} {path} as {user.role}: {response.text}"
    # A's clinician may never change A's care team, so the answer is 403 whatever the id: it tells nothing about B.
    refused = clinician.client.request("DELETE", scene.url(f"/care-team/{link_id}"), headers=clinician.headers)
    assert refused.status_code == 403
    assert b.get(of_b(f"/sessions/{session}")).json()["status"] == "started"
    assert b.get(of_b("/diary")).json()["items"][0]["id"] == entry
    assert b.get(of_b("/care-team")).json()[0]["status"] == "active"


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: shows what follows reversed
OUT_OF_RANGE_DAYS = ("0001-01-01", "9999-12-31")


def _poisoned(body: Any, where: str = "") -> Iterator[tuple[str, Any, str]]:
    """Copies of ``body`` with one text made to carry U+202E, or one date moved out of range: (field, body, kind)."""
    if isinstance(body, str):
        if len(body) == 10 and body[4] == "-" and body[7] == "-":
            for day in OUT_OF_RANGE_DAYS:
                yield where, day, "day"
        yield where, f"Ana {RLO}evil", "bidi"
    elif isinstance(body, dict):
        for key, value in body.items():
            for field_path, poisoned, kind in _poisoned(value, f"{where}.{key}" if where else key):
                yield field_path, body | {key: poisoned}, kind
    elif isinstance(body, list):
        for index, value in enumerate(body):
            for field_path, poisoned, kind in _poisoned(value, f"{where}[{index}]"):
                yield field_path, [*body[:index], poisoned, *body[index + 1 :]], kind


def test_every_text_and_date_any_route_takes_refuses_bidi_controls_and_absurd_days_naming_the_field(
    wiring: Wiring,
) -> None:
    scene = build_scene(wiring)
    callers = {"POST /presence-requests": "own", "POST /acknowledgements": "clin"}  # 409 there: nothing to handle
    tried, wrong = set(), []
    for (method, path), make_body in BODIES.items():
        row = next((r for r in [*MATRIX, *ACCOUNT_MATRIX] if (r.method, r.path) == (method, path)), None)
        assert row is not None, (method, path)
        caller = callers.get(f"{method} {path}") or next(c for c in CALLERS if row.expected(c) in (200, 201, 204))
        user = scene.callers[caller]
        url = ((PEOPLE if path.startswith("/") and not path.startswith("/api/") else "") + path).format(
            **ids(scene, method, path)
        )
        for field_path, body, kind in _poisoned(make_body(scene)):
            tried.add(kind)
            answer = user.client.request(method, url, json=body, headers=user.headers)
            fields_named = [e["field"] for e in answer.json().get("errors", [])] if answer.status_code == 422 else []
            if answer.status_code != 422 or not any(f == field_path or f.endswith(field_path) for f in fields_named):
                wrong.append(f"{method} {path} {kind} in {field_path}: {answer.status_code} {answer.text[:160]}")
    assert tried == {"bidi", "day"}
    assert not wrong, "\n".join(wrong)
    names = [user.get("/api/v1/me").json()["display_name"] for user in scene.callers.values() if user.csrf]
    assert not any(RLO in name for name in names)
    rename = scene.a.patch("/api/v1/me", {"display_name": f"Ana{RLO}"})
    assert rename.status_code == 422
    assert rename.json()["errors"][0]["field"] == "display_name"
