"""Settings from the environment: defaults, and a clear message naming the variable when one is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bumpwell.config import load_settings
from bumpwell.errors import InvalidSetting

DATA = Path("/data/bumpwell")


def test_the_default_is_a_sqlite_file_in_the_data_directory() -> None:
    settings = load_settings({}, DATA)
    assert settings.database_url == "sqlite:////data/bumpwell/bumpwell.sqlite3"
    assert settings.cookie_secure is None
    assert settings.signup_roles == {"person", "supervisor", "clinician"}


def test_postgresql_is_one_variable_away() -> None:
    url = "postgresql+psycopg://bw@127.0.0.1:5432/bw"
    assert load_settings({"BUMPWELL_DATABASE_URL": url}, DATA).database_url == url


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"BUMPWELL_DATABASE_URL": "mysql://x"}, "BUMPWELL_DATABASE_URL"),
        ({"BUMPWELL_SESSION_DAYS": "often"}, "BUMPWELL_SESSION_DAYS"),
        ({"BUMPWELL_SESSION_DAYS": "0"}, "BUMPWELL_SESSION_DAYS"),
        ({"BUMPWELL_COOKIE_SECURE": "maybe"}, "BUMPWELL_COOKIE_SECURE"),
        ({"BUMPWELL_SIGNUP_ROLES": "person,admin"}, "BUMPWELL_SIGNUP_ROLES"),
        ({"BUMPWELL_SMTP_SECURITY": "tls"}, "BUMPWELL_SMTP_SECURITY"),
        ({"BUMPWELL_SMTP_PORT": "70000"}, "BUMPWELL_SMTP_PORT"),
        ({"BUMPWELL_SMTP_FROM": "not an address"}, "BUMPWELL_SMTP_FROM"),
        ({"BUMPWELL_SMTP_INTERVAL_S": "1"}, "BUMPWELL_SMTP_INTERVAL_S"),
        ({"BUMPWELL_RESET_LINK_HOURS": "0"}, "BUMPWELL_RESET_LINK_HOURS"),
        ({"BUMPWELL_INVITATION_DAYS": "a week"}, "BUMPWELL_INVITATION_DAYS"),
        ({"BUMPWELL_REPORT_PAPER": "A5"}, "BUMPWELL_REPORT_PAPER"),
    ],
)
def test_a_wrong_setting_names_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        load_settings(env, DATA)
    assert caught.value.name == name
    assert str(caught.value).startswith(name + ":")


def test_the_report_is_on_a4_unless_letter_is_set() -> None:
    assert load_settings({}, DATA).report_paper == "A4"
    assert load_settings({"BUMPWELL_REPORT_PAPER": "Letter"}, DATA).report_paper == "letter"
    assert load_settings({"BUMPWELL_REPORT_PAPER": "a4"}, DATA).report_paper == "A4"


def test_sign_up_can_be_closed_and_cookies_forced_secure() -> None:
    settings = load_settings({"BUMPWELL_SIGNUP_ROLES": "", "BUMPWELL_COOKIE_SECURE": "true"}, DATA)
    assert settings.signup_roles == frozenset()
    assert settings.cookie_secure is True
    assert load_settings({"BUMPWELL_SIGNUP_ROLES": "person"}, DATA).signup_roles == {"person"}


def test_e_mail_is_off_until_an_smtp_host_is_set_and_the_sender_follows_the_public_address() -> None:
    off = load_settings({}, DATA)
    assert off.smtp_host == ""
    on = load_settings(
        {"BUMPWELL_SMTP_HOST": "mail.clinic.example", "BUMPWELL_SMTP_SECURITY": "ssl",
         "BUMPWELL_PUBLIC_URL": "https://bumpwell.clinic.example"}, DATA,
    )  # fmt: skip
    assert (on.smtp_host, on.smtp_port, on.smtp_security) == ("mail.clinic.example", 465, "ssl")
    assert on.smtp_from == "bumpwell <bumpwell@bumpwell.clinic.example>"
    assert load_settings({"BUMPWELL_SMTP_HOST": "m"}, DATA).smtp_port == 587


def test_reset_links_and_invitations_last_as_long_as_the_installation_says() -> None:
    default = load_settings({}, DATA)
    assert (default.reset_link_hours, default.invitation_days) == (24, 7)
    chosen = load_settings({"BUMPWELL_RESET_LINK_HOURS": "2", "BUMPWELL_INVITATION_DAYS": "30"}, DATA)
    assert (chosen.reset_link_hours, chosen.invitation_days) == (2, 30)
