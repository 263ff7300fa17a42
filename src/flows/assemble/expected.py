"""What a complete raw folder holds, and what the previous build was made from.

Every file family's row of ``flows/data/families.yaml`` (:mod:`flows.extract.registry`) says which parts
a complete raw folder holds: JNTO's year sheets from 2003, one Table 1-4 and one Table 2-2 for every month from 2019-01,
every month of the CSV exports … (``first`` through at least ``last``, and through the newest part
found, with none skipped). A family or part that is missing is a problem naming it — never a
silent skip — unless the user names the family in ``--allow-missing``.

A raw file listed in the previous build's ``datapackage.json`` (``raw_files``) that no longer
feeds the table is a problem too, so that a file lost, renamed away or made unreadable cannot
silently change the table.
"""

from __future__ import annotations

import json
from pathlib import Path

from flows.errors import OutputError
from flows.extract.registry import expected_sources  # noqa: F401 (flows build --allow-missing names them)


def missing_parts(parts_by_source: dict[str, set[str]], allow_missing: frozenset[str] = frozenset()) -> list[str]:
    """One line per family of the registry that is absent or has a part missing
    (families named in ``allow_missing`` excepted). ``parts_by_source``: the parts every file read
    holds, by family."""
    problems = []
    for source, expected in expected_sources().items():
        if source in allow_missing:
            continue
        found = parts_by_source.get(source, set())
        hint = f"(pass --allow-missing {source} to build without them)"
        if not found:
            problems.append(f"no file of family {source} in the raw folder: a complete raw folder holds its "
                            f"{expected.unit}s {expected.first} … {expected.last} ({expected.reason}) {hint}")
            continue
        wanted = _span(expected.first, max([expected.last, *found]), expected.part)
        lacking = [p for p in wanted if p not in found]
        if lacking:
            shown = ", ".join(lacking[:6]) + (" …" if len(lacking) > 6 else "")
            problems.append(f"family {source}: {len(lacking)} {expected.unit}(s) missing: {shown} "
                            f"(a complete raw folder holds every {expected.unit} {expected.first} … "
                            f"{max([expected.last, *found])}) {hint}")
    return problems


def previous_raw_files(out: Path) -> list[dict]:
    """``raw_files`` of the previous build's ``datapackage.json`` in ``out`` (none: empty)."""
    path = Path(out) / "datapackage.json"
    if not path.exists():
        return []
    if not path.is_file():
        raise OutputError(f"{path}: the previous output is not a file")
    try:
        listed = json.loads(path.read_text(encoding="utf-8")).get("raw_files", [])  # none: described by flows forecast alone
        return [{"path": str(f["path"]), "sha256": str(f["sha256"]), "source": str(f["source"])} for f in listed]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutputError(f"{path}: the previous data package cannot be read ({type(exc).__name__}): "
                          f"restore it from git or remove the output folder") from None


def lost_files(previous: list[dict], fed: dict[str, str], allow_missing: frozenset[str] = frozenset()) -> list[str]:
    """Files of the previous build that feed this one no more. ``fed``: path → sha256 of every raw
    file read now. A file counts as still there when its path, or its exact content elsewhere, is."""
    contents = set(fed.values())
    return [f"{f['path']} fed the previous table (datapackage.json) and is no longer read: put it back, or pass "
            f"--allow-missing {f['source']}"
            for f in previous
            if f["path"] not in fed and f["sha256"] not in contents and f["source"] not in allow_missing]


def _span(first: str, last: str, part: str) -> list[str]:
    if part == "year":
        return [str(y) for y in range(int(first), int(last[:4]) + 1)]
    start, end = int(first[:4]) * 12 + int(first[5:7]) - 1, int(last[:4]) * 12 + int(last[5:7]) - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(start, end + 1)]
