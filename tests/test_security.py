"""Production hardening: the deploy check, HTTPS, headers, sign-in throttling, session expiry,
password rules, request size and where uploads are stored."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from ita_tracker import security, storage
from tests.factories import make_user
from tests.test_settings import ROOT

# The documented production environment (docs/deploy.md), less the database.
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "ita.district.example.go.th",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ita.district.example.go.th",
    "DJANGO_BEHIND_PROXY": "1",
}
PASSWORD = "a-long-enough-passphrase-2568"
WRONG = "not-the-password"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a fresh interpreter with only the given DJANGO_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    """``check --deploy`` failing on warnings, in the documented environment plus ``env``."""
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_STATIC_MANIFEST="0",
        **PRODUCTION,
        **env,
    )


def test_the_deploy_check_is_clean_with_the_documented_production_environment():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_speaks_up_when_https_protections_are_turned_off():
    result = deploy_check(DJANGO_SECURE_COOKIES="0", DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_plain_http_is_sent_to_https_except_the_health_page(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert client.get("/health/").status_code == 200


def test_the_proxy_header_marks_the_request_secure_only_behind_the_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=")


def test_every_page_carries_the_security_headers(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- sign-in throttling ---------------------------------------------------------------------


def account(username: str):
    user = make_user(username)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username: str, password: str, address: str = "10.0.0.5"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_username_from_that_address(client, settings):
    account("somchai")
    account("malee")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "somchai", WRONG).status_code == 200  # the form again

    locked = sign_in(client, "somchai", WRONG)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page
    assert f"ใส่รหัสผ่านผิด {settings.AXES_FAILURE_LIMIT} ครั้ง" in page
    assert "15 นาที" in page
    # Even the right password is refused now, from this address ...
    assert sign_in(client, "somchai", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but not for a colleague behind the same address, nor from another address.
    assert sign_in(client, "malee", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "somchai", PASSWORD, address="10.0.0.6").status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_clears_the_count(client, settings):
    account("somchai")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "somchai", WRONG)
    assert sign_in(client, "somchai", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "somchai", WRONG).status_code == 200


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (True, "203.0.113.9", "203.0.113.9"),
        # The client may send its own header; nginx appends the address it saw, last.
        (True, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (True, "", "127.0.0.1"),
        # Without a proxy the header is the client's word: ignored.
        (False, "203.0.113.9", "127.0.0.1"),
    ],
)
def test_the_address_counted_is_the_one_the_proxy_saw(settings, behind_proxy, forwarded, expected):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert security.client_ip(request) == expected


# --- sessions, passwords, request size ----------------------------------------------------


@pytest.mark.django_db
def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, settings):
    account("somchai")
    assert sign_in(client, "somchai", PASSWORD).status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"]  # a browser-session cookie


@pytest.mark.django_db
def test_signing_out_ends_the_session_on_every_server(client, settings):
    """Sessions are read from the shared database: a session key stolen before sign-out is
    worthless afterwards, whichever worker or server it is replayed against."""
    account("somchai")
    sign_in(client, "somchai", PASSWORD)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("my_actions")).status_code == 200
    signed_out = client.post(reverse("logout"))
    # The browser drops what it kept of the site: a dashboard kept to revalidate is gone.
    assert signed_out["Clear-Site-Data"] == '"cache"'
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert client.get(reverse("my_actions")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["1234567890", "password123", "ita", "somchai2568"])
def test_weak_passwords_are_refused(weak):
    user = make_user("somchai2568")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


@pytest.mark.django_db
def test_a_reasonable_passphrase_is_accepted():
    validate_password(PASSWORD, make_user("somchai"))


def test_a_body_beyond_every_upload_limit_is_refused_before_it_is_read(client, settings):
    settings.ITA_REQUEST_MAX_BYTES = 2048
    response = client.post(
        reverse("login"), {"username": "x" * 4096, "password": "y"}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 413
    assert "ไม่ได้บันทึกสิ่งใด" in response.content.decode()


@pytest.mark.django_db
def test_a_body_within_the_limit_goes_through(client, settings):
    settings.ITA_REQUEST_MAX_BYTES = 2048
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code != 413


# --- where uploads are stored -----------------------------------------------------------------


def test_uploads_stay_on_local_disk_without_a_bucket(monkeypatch):
    monkeypatch.delenv("ITA_S3_BUCKET", raising=False)
    assert storage.uploads_storage() == {"BACKEND": "ita_tracker.storage.LocalUploads"}


def test_a_bucket_moves_uploads_to_private_s3_storage(monkeypatch):
    from ita_tracker.storage_s3 import S3Uploads

    monkeypatch.setenv("ITA_S3_BUCKET", "ita-evidence")
    monkeypatch.setenv("ITA_S3_ENDPOINT_URL", "https://s3.bma.example.go.th")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    config = storage.uploads_storage()
    assert config["BACKEND"] == "ita_tracker.storage_s3.S3Uploads"
    built = S3Uploads(**config["OPTIONS"])  # builds its client lazily: no network here
    assert built.bucket_name == "ita-evidence"
    assert built.endpoint_url == "https://s3.bma.example.go.th"
    assert built.default_acl is None
    assert built.querystring_auth is True
    assert built.file_overwrite is False
    assert built.location == "ita-tracker"
    assert built.get_valid_name("รายงานการประชุม ครั้งที่ 1.pdf") == "รายงานการประชุม_ครั้งที่_1.pdf"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("รายงานการประชุม.pdf", "รายงานการประชุม.pdf"),
        ("ภาพกิจกรรม วันที่ ๑๕.jpg", "ภาพกิจกรรม_วันที่_๑๕.jpg"),
        ("แผน's (ฉบับแก้ไข).docx", "แผนs_ฉบับแก้ไข.docx"),
        ("report 2568.pdf", "report_2568.pdf"),
    ],
)
def test_thai_file_names_keep_their_vowel_and_tone_marks(given, stored):
    assert storage.valid_file_name(given) == stored


@pytest.mark.parametrize("unusable", ["", "..", "'\"?"])
def test_a_name_with_nothing_usable_is_refused(unusable):
    with pytest.raises(SuspiciousFileOperation):
        storage.valid_file_name(unusable)


# --- forms beyond Django's limits -------------------------------------------------------------


@pytest.mark.django_db
def test_a_form_with_too_many_fields_gets_the_thai_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{number}": "x" for number in range(20)}
    response = client.post(reverse("login"), fields, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 400
    page = response.content.decode()
    assert "แบบฟอร์มที่ส่งมามีช่องข้อมูลเกิน 10 ช่อง จึงยังไม่ได้บันทึกสิ่งใด" in page
    assert "Bad Request" not in page


@pytest.mark.django_db
def test_typed_text_beyond_the_form_limit_gets_the_thai_413_page(client, settings):
    # 2.5 MB of text fields is under the request cap, so Django's own limit is what trips.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.ITA_REQUEST_MAX_BYTES
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("login"), {"username": text, "password": "y"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "ข้อความที่พิมพ์ในแบบฟอร์มรวมกันยาวเกิน 2.5 MB จึงยังไม่ได้บันทึกสิ่งใด" in page


@pytest.mark.django_db
def test_a_signed_in_form_refused_by_the_csrf_check_reading_it_gets_the_thai_page(settings):
    from django.test import Client

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("somchai"))
    client.get(reverse("home"))  # the CSRF cookie, so the check goes on to read the form
    response = client.post(reverse("home"), {f"f{number}": "x" for number in range(20)})
    assert response.status_code == 400
    assert "เกิน 10 ช่อง" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


# --- caching of signed-in pages ---------------------------------------------------------------


@pytest.mark.django_db
def test_pages_of_a_signed_in_user_are_never_stored(client):
    client.force_login(make_user("somchai"))
    for url in (reverse("home"), reverse("my_actions"), "/admin/"):
        directives = {part.strip() for part in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


@pytest.mark.django_db
def test_static_files_and_the_health_page_keep_their_caching(client):
    assert "no-store" not in client.get("/health/").get("Cache-Control", "")
    client.force_login(make_user("somchai"))
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
