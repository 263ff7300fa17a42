"""The build writes its CSVs with the csv module: the text must be what pandas' ``to_csv`` writes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.assemble.text import csv_text


def test_csv_text_is_what_to_csv_writes():
    frame = pd.DataFrame({
        "text": ["x", "", None, 'say "hi"', "a,b"],
        "count": [1, 2, 3, 4, 5],
        "number": [1.5, np.nan, 2.0, 1e20, 0.1],
        "mixed": pd.Series(["1", np.nan, "z", "line\nbreak", " "], dtype=object),
        "flag": [True, False, True, False, True],
    })
    for f in (frame, frame.iloc[:0], pd.DataFrame({"only": [""]}), pd.DataFrame(columns=["a", "b"])):
        assert csv_text(f) == f.to_csv(index=False, lineterminator="\n")
