"""Errors on the person's pages are pages too: kind words and a way on, never a JSON problem document."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bumpwell.errors import BumpwellError, Conflict, Forbidden, InvalidRequest, NotFound, Unauthenticated
from bumpwell.web.problems import LOG, RETRY_AFTER_S
from bumpwell.web.views import TEMPLATES, ElsewhereHome, LoginRequired, redirect

WORDS = {
    400: ("Something was missing", "Part of the form did not arrive. Please go back and try again."),
    403: ("That did not work", "This page has expired or is not yours. Go back, reload the page and try again."),
    404: ("Page not found", "We could not find that page. It may have moved, or the link may be wrong."),
    405: ("That did not work", "Please go back and use the buttons on the page."),
    409: ("That could not be done", "Nothing was changed. The reason is below, with what to do."),
    422: ("Please check your answers", "Something in the form was not valid. Go back and check it."),
    500: ("Sorry, something went wrong", "Nothing was changed. Please try again in a moment."),
    503: ("We cannot reach your records just now", "Nothing was changed. Please try again in a minute."),
}


def _page(
    request: Request, status: int, headers: dict[str, str] | None = None, field: tuple[str, str] | None = None
) -> HTMLResponse:
    title, detail = WORDS.get(status, WORDS[500])
    errors = {} if field is None else {field[0]: f"{field[0].replace('_', ' ').capitalize()}: {field[1]}"}
    wiring = request.app.state.wiring
    context = {"title": title, "detail": detail, "user": None, "csrf_token": "", "errors": errors, "form": {},
               "emergency_number": wiring.settings.emergency_number, "unavailable": status == 503,
               "maternity_number": wiring.settings.maternity_number}  # fmt: skip
    return TEMPLATES.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


def _status(exc: Exception) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code
    if isinstance(exc, RequestValidationError):
        return 422
    if isinstance(exc, Conflict):
        return 409
    return 500 if not isinstance(exc, BumpwellError) else 422


def install(app: FastAPI, unavailable_errors: tuple[type[Exception], ...] = ()) -> None:
    """Send page errors to HTML, and API errors to the problem handlers already installed.

    When the database cannot serve (``unavailable_errors``), a page says so kindly, with the emergency number: a
    person with a warning sign must not wait for bumpwell.
    """
    api_handlers = dict(app.exception_handlers)

    async def dispatch(request: Request, exc: Exception) -> Response:
        if isinstance(exc, LoginRequired | Unauthenticated) and not request.url.path.startswith("/api/"):
            return redirect("/login")
        if isinstance(exc, ElsewhereHome):
            return redirect(exc.home)
        if request.url.path.startswith("/api/"):
            for kind, handler in api_handlers.items():
                if isinstance(kind, type) and isinstance(exc, kind):
                    return await handler(request, exc)  # type: ignore[no-any-return]
        if isinstance(exc, unavailable_errors):
            LOG.warning("database unavailable for %s %s: %s", request.method, request.url.path, type(exc).__name__)
            return _page(request, 503, {"Retry-After": str(RETRY_AFTER_S)})
        field = (exc.field, exc.message) if isinstance(exc, InvalidRequest | Conflict) else None
        return _page(request, _status(exc), field=field)

    kinds = (BumpwellError, StarletteHTTPException, RequestValidationError, LoginRequired, ElsewhereHome)
    for kind in kinds + unavailable_errors:
        app.add_exception_handler(kind, dispatch)
