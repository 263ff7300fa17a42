"""The project frame: one dependency list, stated twice, that must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {normalise(d) for d in pyproject["project"]["dependencies"]}
    conda = set()
    for line in (REPO / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+[<>=].*)$", line)
        if match and not re.match(r"python[<>=]", match.group(1)):  # the interpreter, not a package
            conda.add(normalise(match.group(1)))
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject.toml: {wanted - conda}"


def test_raw_files_are_not_committed():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8")
    assert "/data/raw/*" in ignored and "!/data/raw/README.md" in ignored
