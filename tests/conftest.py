"""Shared fixtures: the official raw folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"


def official_raw() -> Path | None:
    """The folder of official files: $FLOWS_RAW, else ../shared/data/raw, if it exists."""
    candidate = Path(os.environ["FLOWS_RAW"]) if os.environ.get("FLOWS_RAW") else SHARED_RAW
    return candidate if (candidate / "jnto").is_dir() else None


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """Tests on the real files skip without them, unless FLOWS_REQUIRE_RAW=1 (CI), where they fail."""
    raw = official_raw()
    if raw is None:
        message = "official raw files not found: set FLOWS_RAW or place them in ../shared/data/raw"
        if os.environ.get("FLOWS_REQUIRE_RAW") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return raw
