"""The "Forgot your password?" page (issue 16 point 2): with SMTP, a reset link e-mailed to the account's own
address and the same answer whatever the address; without SMTP, whom to ask. The link is the admin's kind: same
expiry, single use."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.config import reset_link
from bumpwell.services import credentials
from bumpwell.web.deps import WiringDep, in_own_unit
from bumpwell.web.pages_start import FormDep, _pre_ok, _pre_token, _with_pre
from bumpwell.web.views import render

router = APIRouter(include_in_schema=False)
FORGOT = "/forgot-password"


def _page(request: Request, wiring: WiringDep, sent: bool = False, error: str = "", status: int = 200) -> Response:
    token = _pre_token(request)
    errors = {"form": error} if error else {}
    page = render(request, wiring, "forgot.html", None, status, csrf_token=token, mail=wiring.mailer is not None,
                  sent=sent, errors=errors, hours=wiring.rules.reset_link_hours)  # fmt: skip
    return _with_pre(request, page, token)


@router.get(FORGOT, response_class=HTMLResponse)
async def forgot_page(request: Request, wiring: WiringDep) -> Response:
    """Her e-mail address, to send a reset link to; or, without SMTP, whom to ask for one."""
    return _page(request, wiring)


@router.post(FORGOT, response_class=HTMLResponse)
def forgot(request: Request, form: FormDep, wiring: WiringDep) -> Response:
    """The same neutral answer whether or not the address has an account (or asked too often)."""
    if not _pre_ok(request, form):
        return _page(request, wiring, error="The form expired. Please try again.", status=400)
    if wiring.mailer is None:
        return _page(request, wiring)  # nothing to send with: the page says whom to ask
    email, now, policy = str(form.get("email", ""))[:254], wiring.clock(), wiring.catalogue.policy
    in_own_unit(
        wiring,
        lambda own: credentials.mail_reset_link(
            own, wiring.rules, policy, email, now, lambda secret: reset_link(wiring.settings, secret)
        ),
    )
    return _page(request, wiring, sent=True)
