"""The previous build's outputs, read safely, and what the new table does to its final values.

A build compares itself with the outputs already in the folder: revisions are kept across builds,
and a value that was ``final`` and changes is a revision of a final figure — listed as such — or,
when a large share of one year's final values change or vanish at once, a misread: the build
stops (:data:`MASS_CHANGE_SHARE`). An output in the way that is not what the build wrote (a
folder where a file should be, other columns) is one :class:`~flows.errors.OutputError` line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.config import TABLE
from flows.errors import OutputError, ValidationError
from flows.vocabulary import KEY, TABLE_COLUMNS

MASS_CHANGE_SHARE = 0.10  # more than this share of one year's final values changed or gone: a misread
MASS_CHANGE_MIN = 10  # … and at least this many (a year with few final values may lose one honestly)


def read_output(out: Path, name: str, columns: list[str]) -> pd.DataFrame | None:
    """A previous output CSV as text columns, or None when absent; refused when it is not a file or
    does not have exactly ``columns``."""
    path = Path(out) / name
    if not path.exists():
        return None
    if not path.is_file():
        raise OutputError(f"{path}: the previous output is not a file (a folder?): move it away")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise OutputError(f"{path}: the previous output cannot be read ({type(exc).__name__}): restore it from "
                          f"git or move it away") from None
    if list(frame.columns) != columns:
        raise OutputError(f"{path}: the previous output has columns {list(frame.columns)}, expected {columns}: "
                          f"restore it from git or move it away")
    return frame


def previous_table(out: Path, new_csv: str) -> pd.DataFrame | None:
    """The previous table when it differs from the new one (None: absent or the same bytes)."""
    path = Path(out) / TABLE
    if path.is_file() and path.read_bytes() == new_csv.encode("utf-8"):
        return None
    return read_output(out, TABLE, TABLE_COLUMNS)


def final_changes(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Keys ``final`` in the previous table whose value changed or that are gone: KEY, old_value,
    new_value ('' when gone). Raises when a large share of one year's final values is among them."""
    columns = KEY + ["old_value", "new_value"]
    if old is None:
        return pd.DataFrame(columns=columns)
    final = old[old["status"] == "final"]
    both = final.merge(new[KEY + ["value"]].astype({"value": str}), on=KEY, how="left", suffixes=("_old", ""),
                       validate="1:1", indicator=True)
    changed = both[(both["_merge"] == "left_only") | (both["value_old"] != both["value"])]
    changes = pd.DataFrame({**{k: changed[k] for k in KEY}, "old_value": changed["value_old"],
                            "new_value": changed["value"].fillna("")}, columns=columns)
    per_year = final["month"].str[:4].value_counts()
    hit = changes["month"].str[:4].value_counts()
    for year, n in hit.sort_index().items():
        if n >= MASS_CHANGE_MIN and n > MASS_CHANGE_SHARE * per_year[year]:
            first = changes[changes["month"].str[:4] == year].iloc[0]
            raise ValidationError(
                f"{n:,} of the {per_year[year]:,} final values of {year} would change or vanish at once "
                f"({n / per_year[year]:.0%}): a misread, not a revision — e.g. {first['month']} {first['origin']}→"
                f"{first['destination']} {first['measure']} {first['old_value']} → {first['new_value'] or 'gone'}; "
                f"check the raw files (the previous table in {TABLE} is unchanged)")
    return changes.reset_index(drop=True)
