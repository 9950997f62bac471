"""JSON API: the assessment contract, accounts, API tokens, the caller's own data, administration."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response, status
from fastapi.responses import JSONResponse

from bumpwell.config import reset_link as reset_url
from bumpwell.domain.access import Role
from bumpwell.domain.assessment import assess
from bumpwell.errors import Forbidden, NotFound
from bumpwell.services import accounts, careteam, credentials, logins, mydata
from bumpwell.services.common import digest
from bumpwell.services.identity import IdentityInput, identity_of
from bumpwell.services.ports import Store
from bumpwell.services.records import ApiTokenRecord, PersonRecord, UserRecord
from bumpwell.web import media
from bumpwell.web import schemas as s
from bumpwell.web.api_identity import identity_public
from bumpwell.web.deps import (
    COOKIE,
    DEVICE_COOKIE,
    CallerDep,
    PagingDep,
    StoreDep,
    WiringDep,
    end_of_session,
    in_own_unit,
    in_thread,
    set_device_cookie,
    set_session_cookie,
)
from bumpwell.web.problems import PROBLEM_RESPONSES

EXPORT_TABLES = ", ".join([*mydata.EXPORT_TABLES, "session_items"])
router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)


@router.post("/assess", tags=["assessment"], summary="Assess one bumpwell.assessment/1 request (stores nothing)")
async def assess_request(
    wiring: WiringDep,
    document: Annotated[dict[str, Any], Body(description="a bumpwell.assessment/1 request")],
) -> dict[str, Any]:
    """The engine contract over HTTP, without login: the answer equals `bumpwell assess` and `bumpwell.assess`."""
    return assess(document, wiring.catalogue, wiring.today())


def _me(unit: StoreDep, user: UserRecord, csrf: str | None) -> s.MePublic:
    has_profile = unit.get(PersonRecord, user.id) is not None
    mine = identity_public(identity_of(user)) if user.role == Role.person.value else None
    return s.MePublic(
        **s.UserPublic.model_validate(user).model_dump(), csrf_token=csrf, has_profile=has_profile, identity=mine
    )


@router.post("/auth/signup", tags=["accounts"], status_code=status.HTTP_201_CREATED)
def sign_up(
    body: s.SignUpCreate, request: Request, response: Response, unit: StoreDep, wiring: WiringDep
) -> s.MePublic:
    """Create an account (the roles open to sign-up are the installation's choice) and log in."""
    now = wiring.clock()

    def work(own: Store) -> tuple[UserRecord, str, str]:
        user = accounts.sign_up(
            own, wiring.hasher, wiring.rules, now,
            email=body.email, password=body.password, display_name=body.display_name, role=Role(body.role),
            policy=wiring.catalogue.policy,
            identity=IdentityInput(body.display_name, body.family_name, body.date_of_birth, body.hospital_number,
                                   body.phone),
        )  # fmt: skip
        return user, *accounts.start_web_session(own, wiring.rules, user, now)

    user, token, csrf = in_own_unit(wiring, work)
    set_session_cookie(request, response, token, wiring.catalogue.policy.session_max_days)
    return _me(unit, user, csrf)


@router.post("/auth/login", tags=["accounts"])
async def log_in(body: s.LoginCreate, request: Request, response: Response, wiring: WiringDep) -> s.MePublic:
    """Log in with e-mail and password; sets the session cookie (and the device cookie that keeps this browser
    apart from strangers at its address) and returns the CSRF token."""
    now, policy = wiring.clock(), wiring.catalogue.policy
    client = request.client.host if request.client else "unknown"
    device = request.cookies.get(DEVICE_COOKIE)

    admitted = await in_thread(wiring, lambda own: logins.admit(own, policy, now, body.email, client, device))
    await asyncio.sleep(admitted.wait_s)  # a busy address waits here, holding no worker thread

    def work(own: Store) -> tuple[s.MePublic, str, str]:
        user = logins.check(own, wiring.hasher, policy, now, admitted, body.password)
        known = logins.remember_device(own, user, device, now)
        token, csrf = accounts.start_web_session(own, wiring.rules, user, now)
        return _me(own, user, csrf), known, token

    me, known, token = await in_thread(wiring, work)
    set_session_cookie(request, response, token, wiring.catalogue.policy.session_max_days)
    set_device_cookie(request, response, known, policy.known_device_days)
    return me


@router.post("/auth/logout", tags=["accounts"], status_code=status.HTTP_204_NO_CONTENT)
def log_out(request: Request, unit: StoreDep) -> Response:
    """End the cookie session (API tokens are revoked separately); the browser clears this site's cache and storage."""
    token = request.cookies.get(COOKIE)
    if token:
        accounts.end_web_session(unit, token)
        unit.commit()
    return end_of_session(Response(status_code=status.HTTP_204_NO_CONTENT))


@router.post("/auth/password-reset", tags=["accounts"], status_code=status.HTTP_204_NO_CONTENT)
def reset_password(body: s.PasswordResetCreate, unit: StoreDep, wiring: WiringDep) -> Response:
    """Set a new password with the secret from an administrator's reset link; every session ends."""
    now = wiring.clock()
    mail = wiring.mailer is not None
    in_own_unit(
        wiring, lambda own: credentials.reset_password(own, wiring.hasher, body.token, body.password, now, mail)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", tags=["accounts"])
def me(who: CallerDep, unit: StoreDep) -> s.MePublic:
    """The caller's account, and the CSRF token of a cookie session."""
    return _me(unit, who.user, who.csrf_token)


@router.patch("/me", tags=["accounts"])
def update_me(body: s.MeUpdate, who: CallerDep, unit: StoreDep) -> s.MePublic:
    """Change the display name."""
    user = who.user
    user.display_name = accounts.check_name(body.display_name)
    unit.save(user)
    unit.commit()
    return _me(unit, user, who.csrf_token)


@router.post("/me/password", tags=["accounts"], status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    body: s.PasswordChange, request: Request, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> Response:
    """Change the password; every other login session and every API token of the account end (this login
    stays), and the owner gets a notice."""
    token = request.cookies.get(COOKIE)
    keep = digest(token) if token and who.csrf_token else None
    now, mail = who.call.now, wiring.mailer is not None
    in_own_unit(
        wiring,
        lambda own: credentials.change_password(
            own, wiring.hasher, who.user, body.current_password, body.new_password, keep, now, mail
        ),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/me", tags=["accounts"], status_code=status.HTTP_204_NO_CONTENT)
def delete_me(body: s.AccountDelete, who: CallerDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Delete the account and everything stored for it, for good (password and typed confirmation needed)."""
    in_own_unit(wiring, lambda own: mydata.delete_account(own, wiring.hasher, who.user, body.password, body.confirm))
    return end_of_session(Response(status_code=status.HTTP_204_NO_CONTENT))


@router.get("/me/export", tags=["my data"])
def export_json(who: CallerDep, unit: StoreDep) -> JSONResponse:
    """Everything stored about the caller, as one JSON document (a download)."""
    data = mydata.export_all(unit, who.call, who.user.id)
    unit.commit()
    headers = {"Content-Disposition": 'attachment; filename="bumpwell-export.json"'}
    return JSONResponse(data, headers=headers)


@router.get(
    "/me/export/{table}.csv", tags=["my data"], response_class=Response,
    responses=media.file_answer(media.CSV, media.TEXT, "one table as CSV (UTF-8 with a BOM)"),
)  # fmt: skip
def export_csv(
    table: Annotated[str, Path(pattern="^[a-z_]{1,20}$", description=EXPORT_TABLES)],
    who: CallerDep,
    unit: StoreDep,
) -> Response:
    """One table of the export as CSV (UTF-8 with a BOM; cells a spreadsheet would run as formulas neutralised)."""
    body = mydata.export_table_csv(unit, who.call, who.user.id, table)
    unit.commit()
    headers = {"Content-Disposition": f'attachment; filename="bumpwell-{table}.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/me/tokens", tags=["accounts"])
def list_tokens(who: CallerDep, unit: StoreDep) -> list[s.TokenPublic]:
    """The caller's API tokens (never the secrets)."""
    found = unit.find(ApiTokenRecord, {"user_id": who.user.id}, order_by="created_at", limit=200)
    return [s.TokenPublic.model_validate(t) for t in found]


@router.post("/me/tokens", tags=["accounts"], status_code=status.HTTP_201_CREATED)
def create_token(body: s.TokenCreate, who: CallerDep, unit: StoreDep) -> s.TokenCreated:
    """A new API token for scripts (shown once)."""
    record, plain = accounts.create_api_token(unit, who.user, body.name, who.call.now)
    unit.commit()
    return s.TokenCreated(**s.TokenPublic.model_validate(record).model_dump(), token=plain)


@router.delete("/me/tokens/{token_id}", tags=["accounts"])
def revoke_token(
    token_id: Annotated[str, Path(max_length=36, pattern=s.ID)], who: CallerDep, unit: StoreDep
) -> s.TokenPublic:
    """Revoke an API token: it stops working at once."""
    record = accounts.revoke_api_token(unit, who.user, token_id, who.call.now)
    unit.commit()
    return s.TokenPublic.model_validate(record)


@router.post("/care-team/join", tags=["care team"])
def join_team(body: s.JoinCreate, who: CallerDep, unit: StoreDep) -> s.LinkedPerson:
    """A supervisor or clinician redeems an invitation code; the person then accepts (nothing is shared before)."""
    link = careteam.join(unit, who.user, body.code, who.call.now)
    unit.commit()
    person = unit.get(UserRecord, link.person_id)
    name = person.display_name if person else ""
    return s.LinkedPerson(
        link_id=link.id, person_id=link.person_id, display_name=name, role=link.role, status=link.status
    )


@router.get("/me/people", tags=["care team"])
def my_people(who: CallerDep, unit: StoreDep) -> list[s.LinkedPerson]:
    """For a supervisor or clinician: the people whose care team they are on, or waiting to join."""
    return [
        s.LinkedPerson(link_id=link.id, person_id=p.id, display_name=p.display_name, role=link.role, status=link.status)
        for link, p in careteam.my_people(unit, who.user)
    ]


def _admin(who: CallerDep) -> None:
    if who.user.role != Role.admin.value:
        raise Forbidden("only an administrator may manage accounts")


@router.get("/admin/users", tags=["administration"])
def list_users(who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.UserPublic]:
    """Accounts of the installation (no health data)."""
    _admin(who)
    found = unit.find(UserRecord, {}, order_by="created_at", limit=paging.limit, offset=paging.offset)
    return paging.page([s.UserPublic.model_validate(u) for u in found], unit.count(UserRecord, {}))


@router.post("/admin/users", tags=["administration"], status_code=status.HTTP_201_CREATED)
def create_user(body: s.AdminUserCreate, who: CallerDep, wiring: WiringDep) -> s.UserPublic:
    """Create an account of any role."""
    _admin(who)
    role, now = Role(body.role), who.call.now
    user = in_own_unit(
        wiring,
        lambda own: accounts.create_user(
            own, wiring.hasher, now, body.email, body.password, body.display_name, role, by=who.user
        ),
    )
    return s.UserPublic.model_validate(user)


@router.post("/admin/users/{user_id}/reset-link", tags=["administration"], status_code=status.HTTP_201_CREATED)
def reset_link(
    user_id: Annotated[str, Path(max_length=36, pattern=s.ID)], who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.ResetLinkPublic:
    """A one-time password reset link to hand to the account's owner; an older one ends, and the owner is told."""
    _admin(who)
    target = unit.get(UserRecord, user_id)
    if target is None:
        raise NotFound("account")
    user, secret = credentials.issue_reset_link(
        unit, wiring.rules, who.user, target.email, who.call.now, wiring.mailer is not None
    )
    unit.commit()
    url = reset_url(wiring.settings, secret)
    return s.ResetLinkPublic(user_id=user.id, url=url, expires_in_hours=wiring.rules.reset_link_hours)
