"""Safe settings: DEBUG is off unless asked for, no default secret key outside DEBUG, and
``ptdv check --deploy --fail-level WARNING`` passes with only SECRET_KEY and ALLOWED_HOSTS
set (a fresh process with a bare environment, as a deployment starts)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SETTINGS_DUMP = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
    " for k in ['DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE',"
    " 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS',"
    " 'SECURE_REFERRER_POLICY', 'SESSION_COOKIE_SAMESITE', 'SECRET_KEY']}))"
)


def _bare_env(**extra: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(extra)
    return env


def _ptdv(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-m", "ptdv.manage", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_only_secret_key_and_allowed_hosts() -> None:
    env = _bare_env(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="ptdv.example.vn")
    r = _ptdv("check", "--deploy", "--fail-level", "WARNING", env=env)
    print(r.stdout, r.stderr)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout

    dump = _ptdv("shell", "-c", SETTINGS_DUMP, env=env)
    values = json.loads(dump.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_REFERRER_POLICY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SECRET_KEY"] == env["SECRET_KEY"]


def test_no_secret_key_no_start_outside_debug() -> None:
    r = _ptdv("check", env=_bare_env(ALLOWED_HOSTS="ptdv.example.vn"))
    assert r.returncode != 0
    assert "SECRET_KEY is required" in r.stderr
    r = _ptdv("check", env=_bare_env(SECRET_KEY=secrets.token_urlsafe(50)))
    assert r.returncode != 0 and "ALLOWED_HOSTS is required" in r.stderr


def test_debug_only_when_asked() -> None:
    """The demo (DEBUG=1) starts without a secret key; its development key is never used
    without DEBUG."""
    dump = _ptdv("shell", "-c", SETTINGS_DUMP, env=_bare_env(DEBUG="1"))
    assert dump.returncode == 0, dump.stderr
    values = json.loads(dump.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is True and values["SESSION_COOKIE_SECURE"] is False
    r = _ptdv("check", "--deploy", env=_bare_env(DEBUG="1"))
    assert "security.W018" in r.stdout + r.stderr  # check --deploy says DEBUG is on
