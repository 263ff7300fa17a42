"""Resolve keys published more than once, and keep every revision ever seen.

The higher-ranked file family wins (an official monthly table over a re-tabulation), then the
newer release. Disagreements between families go to ``conflicts.csv``; changes between releases
of one family (in the raw folder, or against the previous processed table) go to
``revisions.csv``, whose rows are kept across builds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from flows.assemble.previous import read_output
from flows.assemble.result import Build
from flows.config import LINEAGE, REVISIONS
from flows.vocabulary import KEY, TABLE_COLUMNS

TABLE_ORDER = ["measure", "origin", "destination", "month"]  # how the table's rows are sorted
PRECEDENCE = ["rank", "release", "file", "cell"]  # which of a key's rows wins: the first in this order
ASCENDING = [True] * len(TABLE_ORDER) + [False, False, True, True]
LINEAGE_COLUMNS = KEY + ["source", "file", "sheet", "cell", "release"]
CONFLICT_COLUMNS = KEY + ["value", "source", "file", "cell", "other_value", "other_source", "other_file",
                          "other_cell"]
REVISION_COLUMNS = KEY + ["old_value", "new_value", "old_status", "new_status", "old_release", "new_release",
                          "source", "old_file", "new_file"]


def resolve(monthly: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One row per key: (table, lineage, conflicts, revisions). See the module docstring for precedence.

    One sort does it all: by the table's order (measure, origin, destination, month), then
    precedence, so the first row of each key wins and the winners come out in the table's order."""
    ordered = monthly.sort_values(TABLE_ORDER + PRECEDENCE, ascending=ASCENDING, kind="mergesort")
    first = _new_key(ordered)
    winner_of = np.maximum.accumulate(np.where(first, np.arange(len(ordered)), 0))  # each row's key's first row
    winners, losers = ordered[first], ordered[~first]
    won = ordered.iloc[winner_of[~first]].set_axis(losers.index)
    differ = losers["value"] != won["value"]
    pairs = pd.concat([losers[differ], won[differ].add_suffix("_win")], axis=1)
    same_family = pairs["source"] == pairs["source_win"]

    revisions = _revisions(pairs[same_family], old="", new="_win", source="source")
    conflicts = pairs[~same_family]
    conflicts = pd.DataFrame({
        **{k: conflicts[k] for k in KEY},
        "value": conflicts["value_win"], "source": conflicts["source_win"], "file": conflicts["file_win"],
        "cell": conflicts["cell_win"], "other_value": conflicts["value"], "other_source": conflicts["source"],
        "other_file": conflicts["file"], "other_cell": conflicts["cell"],
    }, columns=CONFLICT_COLUMNS)

    table = winners[TABLE_COLUMNS].reset_index(drop=True)
    lineage = winners[LINEAGE_COLUMNS].reset_index(drop=True)
    return (table, lineage,
            conflicts.sort_values(KEY, kind="mergesort").reset_index(drop=True),
            revisions.sort_values(KEY, kind="mergesort").reset_index(drop=True))


def _new_key(ordered: pd.DataFrame) -> np.ndarray:
    """True for each row of a frame sorted by key whose key differs from the row before's."""
    keys = ordered[KEY].to_numpy()
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    return first


def keep_revisions(result: Build, out: Path, old: pd.DataFrame | None) -> pd.DataFrame:
    """Revisions from the raw releases, plus changes against the previous processed table ``old``
    (None: absent or unchanged), plus every revision recorded before: nothing is lost when an old
    release leaves the raw folder.
    """
    frames = [result.revisions]
    previous_lineage = read_output(out, LINEAGE, LINEAGE_COLUMNS) if old is not None else None
    previous_revisions = read_output(out, REVISIONS, REVISION_COLUMNS)
    if old is not None and previous_lineage is not None:
        old = old.merge(previous_lineage, on=KEY + ["source"], how="left")
        new = result.table.merge(result.lineage, on=KEY + ["source"])
        both = old.merge(new.astype({"value": str}), on=KEY, suffixes=("_old", "_new"), validate="1:1")
        frames.append(_revisions(both[both["value_old"] != both["value_new"]], old="_old", new="_new",
                                 source="source_new"))
    if previous_revisions is not None:
        frames.append(previous_revisions)
    present = [f.astype(str) for f in frames if len(f)]
    if not present:
        return result.revisions
    kept = pd.concat(present, ignore_index=True)[REVISION_COLUMNS]
    kept = kept.drop_duplicates(KEY + ["old_value", "new_value", "old_release", "new_release"])
    return kept.sort_values(KEY + ["new_release"], kind="mergesort").reset_index(drop=True)


def _revisions(pairs: pd.DataFrame, *, old: str, new: str, source: str) -> pd.DataFrame:
    """Revision rows from a frame holding two versions of each key, told apart by column suffixes."""
    return pd.DataFrame({
        **{k: pairs[k] for k in KEY},
        "old_value": pairs[f"value{old}"], "new_value": pairs[f"value{new}"],
        "old_status": pairs[f"status{old}"], "new_status": pairs[f"status{new}"],
        "old_release": pairs[f"release{old}"], "new_release": pairs[f"release{new}"],
        "source": pairs[source], "old_file": pairs[f"file{old}"], "new_file": pairs[f"file{new}"],
    }, columns=REVISION_COLUMNS)
