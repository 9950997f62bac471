"""The profile's bounds and defaults are defined once, in the service, and read by the API and the pages alike."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.errors import InvalidRequest
from bumpwell.services import people
from bumpwell.services.common import Call
from bumpwell.services.records import UserRecord
from tests.api.conftest import PROFILE, User
from tests.api.test_pages import csrf, signed_up


def test_the_api_and_the_pages_give_the_same_default_minutes_a_day(wiring: Wiring, person: User) -> None:
    given = {k: v for k, v in PROFILE.items() if k not in ("minutes_per_day", "days_per_week")}
    by_api = person.put(f"/api/v1/people/{person.id}/profile", given).json()
    ana: TestClient = signed_up(wiring)
    token = csrf(ana.get("/start/stage").text)
    ana.post("/start/stage", data={"csrf_token": token, "status": "pregnant", "weeks": "24", "plurality": "1"})
    me = ana.get("/api/v1/me").json()["id"]
    by_page = ana.get(f"/api/v1/people/{me}/profile").json()
    assert by_api["minutes_per_day"] == by_page["minutes_per_day"] == people.DEFAULTS["minutes_per_day"] == 30
    assert by_api["days_per_week"] == by_page["days_per_week"] == people.DEFAULTS["days_per_week"]


@pytest.mark.parametrize(("field", "value"), [("minutes_per_day", 121), ("days_per_week", 0), ("plurality", 4)])
def test_the_service_refuses_a_number_out_of_bounds_whoever_calls_it(wiring: Wiring, field: str, value: int) -> None:
    low, high = people.BOUNDS[field]
    assert not low <= value <= high
    fields = {**PROFILE, "due_date": None, "birth_date": None, "delivery": None, "perineal_tear": False, field: value}
    with wiring.stores() as store:
        user = UserRecord("u-1", "ana@example.org", "Ana", "person", "not a hash", wiring.clock())
        with pytest.raises(InvalidRequest) as refused:
            people.put_profile(store, Call(user, wiring.clock()), wiring.catalogue, user.id,
                               people.ProfileInput(**fields), wiring.today())  # fmt: skip
    assert refused.value.field == field
    assert f"from {low} to {high}" in refused.value.message


def test_the_api_schema_shows_the_services_bounds(wiring: Wiring) -> None:
    from bumpwell.web.app import create_app

    schema = TestClient(create_app(wiring)).get("/api/v1/openapi.json").json()
    minutes = schema["components"]["schemas"]["ProfileUpdate"]["properties"]["minutes_per_day"]
    assert (minutes["minimum"], minutes["maximum"]) == people.BOUNDS["minutes_per_day"]
    assert minutes["default"] == people.DEFAULTS["minutes_per_day"]
