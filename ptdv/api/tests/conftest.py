from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _eager_jobs(settings: Any, tmp_path: Any) -> None:
    settings.PTDV_JOBS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
