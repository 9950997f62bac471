"""The check-in's typed answers take what their published JSON Schema allows, and nothing more."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bumpwell.web.checkin_schemas import Pain


def test_a_whole_number_written_with_a_point_is_the_integer_it_is() -> None:
    assert Pain.model_validate({"nrs_worst_24h": 9.0}).nrs_worst_24h == 9  # JSON Schema: 9.0 is an integer


@pytest.mark.parametrize("value", [9.5, "9", True, 11.0, -1])
def test_a_fraction_a_string_a_boolean_or_a_number_out_of_range_is_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        Pain.model_validate({"nrs_worst_24h": value})
