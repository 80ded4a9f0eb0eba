"""The mail server comes from ITA_EMAIL_URL; anything it cannot mean stops the start."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_tracker.email_url import parse_email_url, parse_from_address, parse_site_url
from tests.test_settings import STRONG, load_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls():
    assert parse_email_url("smtp://ita:s3cret@mail.example.go.th:587?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.go.th",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "ita",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtps_is_tls_from_the_start_on_465():
    config = parse_email_url("smtps://ita:pw@mail.example.go.th")
    assert (config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"], config["EMAIL_PORT"]) == (
        True,
        False,
        465,
    )


@pytest.mark.parametrize(
    ("url", "port", "tls"),
    [
        ("smtp://relay.internal", 25, False),
        ("smtp://relay.internal?tls=1", 587, True),
        ("smtp://relay.internal:2525?tls=0", 2525, False),
    ],
)
def test_smtp_default_ports(url, port, tls):
    config = parse_email_url(url)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (port, tls)
    assert config["EMAIL_HOST_USER"] == config["EMAIL_HOST_PASSWORD"] == ""


def test_user_and_password_are_percent_decoded():
    config = parse_email_url("smtp://ita%40bangkok.go.th:p%40ss%3Aw%2Frd@mail:587?tls=1")
    assert config["EMAIL_HOST_USER"] == "ita@bangkok.go.th"
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss:w/rd"


def test_timeout():
    assert parse_email_url("smtp://mail?timeout=2.5")["EMAIL_TIMEOUT"] == 2.5


def test_console_for_development():
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.go.th", "the scheme is 'http'"),
        ("mail.example.go.th", "the scheme is none"),
        ("smtp://", "needs a host"),
        ("smtp://mail:notaport", "port"),
        ("smtp://mail:0", "port"),
        ("smtp://mail?tls=maybe", "tls='maybe'"),
        ("smtp://mail?ssl=1", "does not take ssl"),
        ("smtps://mail?tls=1", "does not take tls"),
        ("smtp://mail?timeout=soon", "timeout='soon'"),
        ("smtp://mail?timeout=0", "more than 0"),
        ("smtp://mail?tls=1&tls=0", "given 2 times"),
        ("smtp://mail/inbox", "no path"),
        ("console://mail", "no host"),
    ],
)
def test_anything_else_is_refused_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfigured, match="ITA_EMAIL_URL") as refused:
        parse_email_url(url)
    assert message in str(refused.value)


def test_a_refusal_never_repeats_the_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_email_url("smtp://ita:hunter2@mail?tls=perhaps")
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("value", ["ita@example.go.th", "ITA Tracker <ita@example.go.th>"])
def test_a_from_address(value):
    assert parse_from_address(value) == value


@pytest.mark.parametrize("value", ["ita", "ITA Tracker", "a@x.org, b@x.org", "@x.org"])
def test_a_bad_from_address_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEFAULT_FROM_EMAIL"):
        parse_from_address(value)


def test_site_url():
    assert parse_site_url("https://ita.example.go.th/") == "https://ita.example.go.th"
    with pytest.raises(ImproperlyConfigured, match="ITA_SITE_URL"):
        parse_site_url("ita.example.go.th")


# --- the settings module itself, in a fresh interpreter -----------------------------------------
SERVER = {"DJANGO_SECRET_KEY": STRONG, "DJANGO_ALLOWED_HOSTS": "ita.example.go.th"}


def test_nothing_configured_sends_nothing_by_accident():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ITA_EMAIL_URL": "smtp://mail?tls=perhaps"}, "ITA_EMAIL_URL: tls='perhaps'"),
        ({"ITA_EMAIL_URL": "smtp://mail?tls=1"}, "DJANGO_DEFAULT_FROM_EMAIL must be set"),
        (
            {"ITA_EMAIL_URL": "smtp://mail?tls=1", "DJANGO_DEFAULT_FROM_EMAIL": "ita@x.go.th"},
            "ITA_SITE_URL must be set",
        ),
        (
            {"DJANGO_DEFAULT_FROM_EMAIL": "nobody"},
            "DJANGO_DEFAULT_FROM_EMAIL='nobody' is not one e-mail address",
        ),
    ],
)
def test_a_server_refuses_to_start_with_unusable_mail_settings(env, message):
    result = load_settings(**SERVER, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_complete_mail_configuration_starts():
    result = load_settings(
        **SERVER,
        ITA_EMAIL_URL="smtp://ita:pw@mail.example.go.th:587?tls=1",
        DJANGO_DEFAULT_FROM_EMAIL="ITA Tracker <ita@example.go.th>",
        ITA_SITE_URL="https://ita.example.go.th",
    )
    assert result.returncode == 0, result.stderr
