"""The travellers the load rests on, their forecast, and the 2020–2023 shock measured on them.

* :func:`traveller_basis`: Taiwan's Table 2-2 departures of nationals to Japan, and JNTO's arrivals
  of Taiwanese nationals (the mirror, longer and more recent) scaled to Table 2-2 by their median
  ratio;
* :func:`outlook_travellers`: the outlook's sample paths (``forecast_paths.csv``, written by
  ``flows forecast``) on the basis's scale — the load never forecasts again, so notebooks 03 and 04
  give one answer;
* :func:`calibrate_shock`: the collapse and recovery as the shock scenario's three numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.analysis import table as tb
from flows.config import FORECAST_PATHS, SHOCK_WINDOW
from flows.forecast import outlook_files as of
from flows.vocabulary import JP_TO_TW, JP_TO_TW_TAIWAN, TW_TO_JP, TW_TO_JP_JNTO, TW_TO_JP_TAIWAN, Direction
from flows.vocabulary import direction as as_direction

FLOOR_BELOW = 0.10  # a month below this share of the same month of 2019 is "at the floor" (calibrate_shock)


@dataclass(frozen=True)
class Basis:
    """Travellers per month that the load of one direction rests on.

    ``observed``: the published series (for Taiwan → Japan, Table 2-2 where published, then JNTO's
    arrivals x ``ratio``, rounded, for later months); ``source``: where each month comes from;
    ``forecast_input``: the series given to the forecaster; ``ratio``/``ratios``: the scaling of a
    mirror to the base series and its monthly values (ratio 1 and empty when there is no mirror);
    ``calibration``: the series the 2020–2023 shock is measured on.
    """

    direction: Direction
    label: str
    observed: pd.Series
    source: pd.Series
    forecast_input: pd.Series
    ratio: float
    ratios: pd.Series
    calibration: pd.Series


def traveller_basis(table: pd.DataFrame, direction: Direction | str = TW_TO_JP,
                    mask: tuple[str, str] = SHOCK_WINDOW) -> Basis:
    """The travellers behind the load of ``direction``.

    Taiwan → Japan: Taiwan's Table 2-2 departures of nationals to Japan by first destination — the natural
    base for "passengers leaving Taiwanese airports for Japan" — joined with JNTO's arrivals of
    Taiwanese nationals (its mirror by nationality: longer, and published later), scaled by the
    median Table 2-2 / JNTO ratio of the open-border months both hold. The forecast is made on the
    scaled JNTO series (1996 on); the shock is measured on Table 2-2.
    Japan → Taiwan: Taiwan's arrivals of residents of Japan (no mirror is used).
    """
    direction = as_direction(direction)
    if direction == JP_TO_TW:
        y = tb.series(table, *JP_TO_TW_TAIWAN).astype(float)
        source = pd.Series(JP_TO_TW_TAIWAN.label, index=y.index, name="source")
        return Basis(direction, "arrivals of residents of Japan in Taiwan", y, source, y, 1.0,
                     pd.Series(dtype=float, name="ratio"), y)
    t22 = tb.series(table, *TW_TO_JP_TAIWAN).astype(float)
    jnto = tb.series(table, *TW_TO_JP_JNTO).astype(float)
    both = pd.concat({"t22": t22, "jnto": jnto}, axis=1, join="inner")
    closed = (both.index >= pd.Period(mask[0], "M")) & (both.index <= pd.Period(mask[1], "M"))
    both = both[~closed]
    if both.empty:
        raise ValueError("Table 2-2 and JNTO share no open-border month: cannot scale one to the other")
    ratios = (both["t22"] / both["jnto"]).rename("Table 2-2 / JNTO")
    ratio = float(ratios.median())
    scaled = (jnto * ratio).rename(f"JNTO arrivals of Taiwanese nationals x {ratio:.3f}")
    later = scaled[scaled.index > t22.index.max()].round()
    observed = pd.concat([t22, later]).rename("Taiwanese departures to Japan (Table 2-2 basis)")
    source = pd.Series(np.where(observed.index <= t22.index.max(), "Table 2-2", "JNTO x ratio"),
                       index=observed.index, name="source")
    return Basis(direction, "Taiwanese departures to Japan", observed, source, scaled, ratio, ratios, t22)


def outlook_travellers(processed_dir, basis: Basis,
                       as_of: str | pd.Period) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict]:
    """The outlook's monthly paths of ``basis``'s direction (:func:`flows.forecast.outlook_files.read_paths`)
    × ``basis.ratio`` (Taiwan → Japan: JNTO's count on Table 2-2's basis).

    Returns the outlook's paths, the paths of each choice by name (``engine``: the engine's draw before
    the panel's calibration and the ceiling; ``outlook``: the outlook itself) and what they are (to
    print). Refuses an outlook made as of another month than
    ``as_of``, or one that does not continue ``basis.forecast_input``."""
    made = str(of.read_annual(processed_dir)["as_of"].iloc[0])
    if made != str(pd.Period(as_of, "M")):
        raise ValueError(f"the outlook in {processed_dir} is as of {made}, not {as_of}: run `flows forecast "
                         f"--as-of {as_of}` first")
    code = basis.direction.code
    sets = of.read_path_sets(processed_dir)
    paths = of.read_paths(processed_dir, code, sets=sets) * basis.ratio
    if paths.index.min() != basis.forecast_input.index.max() + 1:
        raise ValueError(f"the outlook's {code} paths start in {paths.index.min()}, not after the last published "
                         f"month {basis.forecast_input.index.max()}")
    choices = {of.ENGINE: of.read_paths(processed_dir, code, of.ENGINE, sets) * basis.ratio, of.OUTLOOK: paths}
    about = {"series": basis.forecast_input.name, "outlook": f"{FORECAST_PATHS} (flows forecast, as of {made})",
             "months ahead": len(paths), "paths": paths.shape[1],
             "long run": "the engine's paths calibrated on the travel panel"
                         + (", under Taiwan's ceiling" if code == TW_TO_JP.code else "")}
    return paths, choices, about


def calibrate_shock(y: pd.Series, base_year: int = 2019, floor_below: float = FLOOR_BELOW,
                    recovered_at: float = 1.0) -> tuple[dict, pd.Series]:
    """The 2020–2023 collapse and recovery as the shock scenario's three numbers.

    Ratio = each month after ``base_year`` / the same calendar month of ``base_year``. The floor is
    the longest run of months with a ratio below ``floor_below``: ``shock_months_at_floor`` is its
    length and ``shock_floor`` the median ratio in it; ``shock_recovery_months`` counts the months
    from the end of the floor to the first month at or above ``recovered_at`` (inclusive) — or, for a
    series that levelled off below it (Japan -> Taiwan), at or above its level of the last 12 months.
    Returns the three values (ready for ``Assumptions.replace``) and the ratio series.
    """
    base = y[y.index.year == base_year]
    if len(base) != 12:
        raise ValueError(f"{y.name}: {base_year} is not a complete year")
    after = y[y.index.year > base_year]
    ratio = pd.Series(after.to_numpy() / base.to_numpy()[after.index.month - 1], index=after.index,
                      name=f"share of the same month of {base_year}")
    below = (ratio < floor_below).to_numpy()
    runs, start = [], None
    for i, flag in enumerate(np.r_[below, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))  # [start, end)
            start = None
    if not runs:
        raise ValueError(f"no month below {floor_below:.0%} of {base_year}: nothing to calibrate")
    first, end = max(runs, key=lambda r: r[1] - r[0])
    target = min(recovered_at, float(ratio.iloc[-12:].median()))
    back = np.flatnonzero(ratio.to_numpy()[end:] >= target)
    if len(back) == 0 or target <= floor_below:
        raise ValueError(f"the series has not recovered from the floor (last 12 months at {target:.0%} of {base_year})")
    values = {"shock_floor": float(ratio.iloc[first:end].median()),
              "shock_months_at_floor": int(end - first),
              "shock_recovery_months": int(back[0] + 1)}
    ratio.attrs.update(floor_first=ratio.index[first], floor_last=ratio.index[end - 1],
                       recovered=ratio.index[end + back[0]], recovery_target=target)
    return values, ratio
