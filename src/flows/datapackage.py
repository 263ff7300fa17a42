"""``data/processed/datapackage.json``, written in two parts: the build's and the forecast's.

``flows build`` writes the package (its sources, raw files and the resources of its outputs) and
``flows forecast`` the resources of the files it writes. Each replaces only the resources it owns and
keeps every other one as it found it, after its own: either command run alone leaves the other's part
byte for byte. One serialisation (:func:`text`) for both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from flows.config import DESCRIPTOR


def text(descriptor: dict) -> str:
    """The file's text: the same descriptor gives the same bytes."""
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def read(folder: str | Path) -> dict | None:
    """The descriptor in ``folder``; None when there is none or it cannot be read (the build says so
    when it reads the previous raw files, :func:`flows.assemble.expected.previous_raw_files`)."""
    path = Path(folder) / DESCRIPTOR
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def others(descriptor: dict | None, names: Iterable[str]) -> list[dict]:
    """The resources of ``descriptor`` not named in ``names`` (another command's part), in order."""
    names = set(names)
    resources = (descriptor or {}).get("resources", [])
    return [r for r in resources if isinstance(r, dict) and r.get("name") not in names] if isinstance(resources, list) else []


def with_resources(descriptor: dict | None, resources: list[dict]) -> dict:
    """``descriptor`` (a bare package when None) with ``resources`` in place of those of the same names,
    after the others."""
    base = dict(descriptor or {"profile": "tabular-data-package"})
    base["resources"] = others(descriptor, [r["name"] for r in resources]) + resources
    return base
