"""Settings of the test suite: the production settings (DEBUG off) served over plain HTTP
on loopback (``PTDV_HTTPS=0``: no redirect to HTTPS, cookies without the Secure flag, no
HSTS), with a throwaway secret key. Subprocesses started by tests inherit these variables."""

from __future__ import annotations

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-" + "k3y-of-the-ptdv-test-suite-never-used-anywhere-else"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("PTDV_HTTPS", "0")

from ptdv.config.settings import *  # noqa: E402, F403

PTDV_JOBS_EAGER = True  # jobs run inline; the worker tests turn this off
