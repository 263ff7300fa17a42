"""statsforecast's AutoETS, AutoARIMA and AutoTheta on M3 series: the anchors of bench_m3.py.

Runs in the bench environment (``.venv-bench``, ``bench/requirements.lock``), not the project's:
statsforecast pins ``pandas<3``, the project uses pandas 3. It needs neither the project nor
pandas beyond reading the CSV; bench_m3.py calls it as a subprocess and reads its ``.npz``.

    python bench/m3_anchors.py DATA.csv OUT.npz [--series N1402,N1403,...] [--workers 2]

Writes, per model (``ets``, ``arima``, ``theta``): ``<model>_mean``, ``<model>_lo80``,
``<model>_hi80``, ``<model>_lo95``, ``<model>_hi95`` (series × h) and ``<model>_seconds``
(per series, time spent fitting and forecasting that model), plus ``series`` (ids, in order)
and ``wall`` (seconds for the whole run).
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"  # one thread per worker process, as the engine

from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

H = 18
SEASON = 12
MODELS = ("ets", "arima", "theta")
KEYS = ("mean", "lo80", "hi80", "lo95", "hi95")


def _models():
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    return {"ets": AutoETS(season_length=SEASON), "arima": AutoARIMA(season_length=SEASON),
            "theta": AutoTheta(season_length=SEASON)}


def _one(train: np.ndarray) -> dict:
    import warnings

    from threadpoolctl import threadpool_limits

    warnings.simplefilter("ignore")  # AutoARIMA's advice on differencing, once per series
    out = {}
    with threadpool_limits(limits=1):
        for name, model in _models().items():
            start = time.perf_counter()
            fc = model.forecast(y=train.astype(float), h=H, level=[80, 95])
            out[f"{name}_seconds"] = time.perf_counter() - start
            out[f"{name}_mean"] = fc["mean"]
            out[f"{name}_lo80"], out[f"{name}_hi80"] = fc["lo-80"], fc["hi-80"]
            out[f"{name}_lo95"], out[f"{name}_hi95"] = fc["lo-95"], fc["hi-95"]
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--series", help="comma-separated ids (default: every series)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    table = pd.read_csv(args.data)
    train = table[table["split"] == "train"]
    ids = args.series.split(",") if args.series else list(dict.fromkeys(train["series"]))
    groups = dict(tuple(train.groupby("series", sort=False)))
    arrays = [groups[i].sort_values("month")["value"].to_numpy(dtype=float) for i in ids]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(_one, arrays, chunksize=8))
    wall = time.perf_counter() - start
    stacked = {key: np.array([r[key] for r in results]) for key in results[0]}
    np.savez(args.out, series=np.array(ids), wall=wall, **stacked)


if __name__ == "__main__":
    main()
