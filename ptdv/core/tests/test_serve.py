"""``ptdv serve`` runs gunicorn and whitenoise serves the static files (a real process)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from ptdv.core.management.commands.serve import gunicorn_argv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_is_the_server() -> None:
    argv = gunicorn_argv("127.0.0.1:9000", workers=3, threads=4, timeout=120)
    assert argv[1:4] == ["-m", "gunicorn", "ptdv.config.wsgi:application"]
    assert "127.0.0.1:9000" in argv


def test_serve_answers_pages_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PTDV_DATA_DIR=str(tmp_path), DEBUG="1", DJANGO_SETTINGS_MODULE="ptdv.config.settings"
    )
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "ptdv.manage",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-collectstatic",
            "--no-worker",  # the database of this test has no tables: see test_worker.py
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:  # wait for gunicorn to say it listens (or to die)
            lines.append(line)
            if "Booting worker" in line:
                break
        else:
            pytest.fail("gunicorn did not start:\n" + "".join(lines))
        assert any("Starting gunicorn" in line for line in lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ptdv/css/app.css") as r:  # noqa: S310
            assert r.status == 200
            assert r.headers["Content-Type"].startswith("text/css")
            assert r.headers["Server"] == "gunicorn"
            assert r.read().strip()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as r:  # noqa: S310
            assert r.status == 200
            assert "csrfmiddlewaretoken" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
