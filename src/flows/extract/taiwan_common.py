"""What the Tourism Administration (Taiwan) readers share: bilingual market labels and ROC years.

Publisher: Tourism Administration, MOTC (交通部觀光署; until 2023-09 Tourism Bureau), counts from
National Immigration Agency border records. Provenance and every layout quirk of the raw files:
``data/raw/taiwan/SOURCE.md``. Years in the Chinese files are ROC years (Gregorian = ROC + 1911).
The monthly tables are read by :mod:`flows.extract.taiwan_tables`, the CSV exports by
:mod:`flows.extract.taiwan_csv`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.vocabulary import code_for, normalise_label

ROC_OFFSET = 1911
# "中文 English", "中文(English)" or "中文English": Chinese part, then the English part.
_BILINGUAL = re.compile(r"^(?P<zh>[^A-Za-z(（]*[^\sA-Za-z(（])\s*[(（]?\s*(?P<en>[A-Za-z].*?)\s*[)）]?$")


@lru_cache(maxsize=4096)
def market_code(label: str) -> str | None:
    """Code of a Taiwan residence / destination label, or None when unknown.

    Labels are bilingual (``日本 Japan``, ``日本(Japan)``, ``日本Japan``): the whole label is
    looked up first, then its Chinese part, then its English part. A label whose two parts
    name different markets is treated as unknown.
    """
    label = normalise_label(label)
    code = code_for(label)
    if code is not None:
        return code
    m = _BILINGUAL.match(label)
    if not m:
        return None
    zh, en = code_for(m.group("zh")), code_for(m.group("en"))
    if zh and en and zh != en:
        return None
    return zh or en


def roc_month(roc_year: int, month: int) -> str:
    """``(108, 1) → '2019-01'``."""
    return f"{roc_year + ROC_OFFSET}-{month:02d}"
