"""No export holds a secret: every hash and token the database keeps (passwords, the supervisor's PIN, login
sessions and their CSRF tokens, API tokens, reset links, invitation codes, calendar feeds), and the plain tokens the
callers hold, appear in no field of any export (JSON, every CSV table, FHIR, the calendar, the report's text) for any
caller. A supervisor reads what changed in her plan, never the clinician's reason for it."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from sqlalchemy import text

from bumpwell.bootstrap import Wiring
from tests.api.test_access_matrix import TABLES, Scene, build_scene

STORED_SECRETS = {
    "users": ("password_hash", "pin_hash"),
    "web_sessions": ("token_hash", "csrf_token"),
    "api_tokens": ("token_hash",),
    "reset_links": ("token_hash",),
    "care_links": ("code_hash",),
    "calendar_feeds": ("token_hash",),
}
HASH_LOOK = re.compile(r"\$argon2|\b[0-9a-f]{64}\b")  # an argon2 string, or a SHA-256 digest in hex


def _stored(wiring: Wiring) -> set[str]:
    found: set[str] = set()
    with wiring.engine.connect() as connection:
        for table, columns in STORED_SECRETS.items():
            for row in connection.execute(text(f"SELECT {', '.join(columns)} FROM {table}")):
                found |= {value for value in row if value}
    return found


def _with_every_secret(scene: Scene) -> set[str]:
    """A PIN, an API token, a reset link, an open invitation code and a calendar feed; returns the plain ones."""
    a, sup, admin = scene.a, scene.callers["sup"], scene.callers["admin"]
    assert sup.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 204
    token = a.post("/api/v1/me/tokens", {"name": "script"})
    assert token.status_code == 201, token.text
    link = admin.post(f"/api/v1/admin/users/{scene.b.id}/reset-link")
    assert link.status_code == 201, link.text
    code = a.post(scene.url("/care-team/invitations"), {"role": "clinician"})
    feed = a.post(scene.url("/calendar-feed"))
    plain = {token.json()["token"], link.json()["url"].rsplit("=", 1)[-1], code.json()["code"], feed.json()["url"]}
    cookies = {c for user in scene.callers.values() for c in user.client.cookies.values()}
    return plain | cookies | {user.csrf for user in scene.callers.values() if user.csrf}


def _exports(scene: Scene) -> list[tuple[str, str]]:
    """(what, text) of every export every caller can fetch."""
    out = []
    for name, user in scene.callers.items():
        urls = ["/api/v1/me/export", *(f"/api/v1/me/export/{table}.csv" for table in TABLES)]
        urls += [scene.url(path) for path in ("/fhir.json", "/plan.ics", "/report.pdf")]
        for url in urls:
            response = user.get(url)
            if response.status_code != 200:
                continue
            body = response.text
            if url.endswith(".pdf"):
                body = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
            out.append((f"{url} as {name}", body))
    return out


def test_no_export_field_anywhere_holds_a_hash_or_a_token(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    plain = _with_every_secret(scene)
    secrets = _stored(wiring) | plain
    assert len(secrets) > 20
    assert any(s.startswith("$argon2") for s in secrets)
    exports = _exports(scene)
    assert {what.split(" as ")[1] for what, _ in exports} >= {"own", "sup", "clin", "admin"}
    assert sum(what.endswith("report.pdf as own") for what, _ in exports) == 1
    shown = [f"{what}: {secret[:12]}..." for what, body in exports for secret in secrets if secret in body]
    looks = [f"{what}: {m.group(0)[:12]}..." for what, body in exports for m in HASH_LOOK.finditer(body)]
    assert shown == [], "\n".join(shown)
    assert looks == [], "\n".join(looks)


def _plans(user: Any, scene: Scene) -> list[dict[str, Any]]:
    current = user.get(scene.url("/plan"))
    history = user.get(scene.url("/plans"))
    assert current.status_code == history.status_code == 200, current.text
    return [current.json(), *history.json()["items"]]


def test_a_supervisor_reads_what_changed_in_her_plan_but_never_the_clinicians_reason(wiring: Wiring) -> None:
    scene = build_scene(wiring)
    clinician = scene.callers["clin"]
    reason = "REASON-FOR-HER: pelvic girdle pain flared on walks"
    made = clinician.post(
        scene.url("/adjustments"), {"exercise": "walking", "action": "dose", "dose": {"minutes": 10}, "reason": reason}
    )
    assert made.status_code == 201, made.text
    for who in ("own", "clin"):
        assert reason in str(_plans(scene.callers[who], scene)[0]["adjustments"])
    plans = _plans(scene.callers["sup"], scene)
    assert plans[0]["adjustments"], "the supervisor should still see that the plan was changed"
    assert plans[0]["adjustments"][0]["exercise"] == "walking"
    assert all("reason" not in entry for plan in plans for entry in plan["adjustments"])
    assert reason not in str(plans)
    assert reason in str(_plans(scene.a, scene)[0]["adjustments"])  # what is stored was not touched
