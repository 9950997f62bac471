"""One input gate for the pages, as the API has, on SQLite and PostgreSQL: a NUL in a form, a query or a path is
refused before it reaches the database, and a page's path id of the wrong form is a page that does not exist."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app
from tests.api.test_pages import PASSWORD, csrf, onboard, signed_up


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_in_the_login_form_is_a_kind_422_page_not_a_bare_500(wiring: Wiring, field: str) -> None:
    client = TestClient(create_app(wiring))
    token = csrf(client.get("/login").text)
    body = {"csrf_token": token, "email": "ana@example.org", "password": PASSWORD} | {field: "ana\x00@example.org"}
    page = client.post("/login", data=body)
    assert page.status_code == 422
    assert "Please check your answers" in page.text
    assert 'href="tel:112"' in page.text


def test_a_nul_in_the_sign_up_form_is_refused_and_no_account_is_made(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    token = csrf(client.get("/signup").text)
    body = {"csrf_token": token, "display_name": "A\x00na", "email": "ana@example.org", "password": PASSWORD,
            "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
    assert client.post("/signup", data=body).status_code == 422
    body["display_name"] = "Ana"
    assert client.post("/signup", data=body, follow_redirects=False).status_code == 303, "the address is still free"


def test_a_nul_in_a_form_field_name_or_a_page_query_is_refused(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    token = csrf(ana.get("/diary").text)
    assert ana.post("/diary", data={"csrf_token": token, "pa\x00in": "3"}).status_code == 422
    assert ana.get("/check", params={"index": "0", "x": "\x00"}).status_code == 422


@pytest.mark.parametrize(
    "path",
    ["/session/not-an-id", "/session/%00", "/check/wait/" + "a" * 37, "/result/DROP%20TABLE", "/exercises/Walking%00"],
)
def test_a_page_path_id_of_the_wrong_form_is_page_not_found(wiring: Wiring, path: str) -> None:
    ana = signed_up(wiring)
    page = ana.get(path)
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_page_path_ids_of_the_right_form_still_lead_where_they_did(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    assert ana.get("/exercises/walking").status_code == 200
    assert ana.get("/session/00000000-0000-4000-8000-000000000000").status_code == 404, "well formed, but not hers"
