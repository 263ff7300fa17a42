"""Shared fixtures: the official raw folder, the load model's assumptions and baseline, the stand-in publishers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.exchange_load import assumptions as asm
from flows.exchange_load import scenarios as scn
from publishers import Files, publish
from web import Server

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
        looked = os.environ.get("FLOWS_RAW") or SHARED_RAW
        message = (f"no official raw files in {looked}: `make fetch` downloads them into data/raw, or point "
                   "at a folder that holds them: `make test RAW=DIR`")
        if os.environ.get("FLOWS_REQUIRE_RAW") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return raw


@pytest.fixture(scope="module")
def a() -> asm.Assumptions:
    """The load model's assumptions as published in border_assumptions.yaml."""
    return asm.read_assumptions()


@pytest.fixture(scope="module")
def base(paths, a) -> scn.Scenario:
    """The baseline scenario of the test module's ``paths``."""
    return scn.baseline(paths, a)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Files:
    """Genuine-looking publisher files for the stand-in HTTP server."""
    return Files(tmp_path_factory.mktemp("files"))


@pytest.fixture
def server(files):
    """A local HTTP server on 127.0.0.1 publishing ``files`` as the publishers' pages do."""
    s = Server()
    publish(s, files)
    yield s
    s.close()
