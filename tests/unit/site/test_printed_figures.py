"""nbval's tolerance for the notebooks that fit models: last digits may move, headlines may not."""

from __future__ import annotations

from flows.site.printed_figures import same_figures

COMMITTED = """tw_to_jp after reopening  combo 24  1.65   0.34   9.08   1.00
annual totals, thousands: 2030  12,257  15,209  4,708  45,035
2026-02-27 42400 42400 42400  1.84  Fri"""


def test_last_digits_from_another_cpu_pass():
    # What nbval printed under OPENBLAS_CORETYPE=Prescott (notebook 03, cell 7): 1.65 → 1.66, 9.08 → 9.09.
    other = COMMITTED.replace("1.65", "1.66").replace("9.08", "9.09").replace("12,257", "12,301")
    assert same_figures(COMMITTED, other.replace("45,035", "45,391"))
    # A number that widens its column shifts the spaces: still the same print.
    assert same_figures("a  9,990 b", "a 10,010 b")


def test_a_headline_that_moves_fails():
    assert not same_figures(COMMITTED, COMMITTED.replace("12,257", "12,561"))  # +2.5 %
    assert not same_figures(COMMITTED, COMMITTED.replace("1.65", "1.68"))  # three units of the last digit
    assert not same_figures(COMMITTED, COMMITTED.replace("42400 42400 42400", "43000 43000 43000"))


def test_labels_dates_and_short_counts_are_exact():
    assert not same_figures(COMMITTED, COMMITTED.replace("combo", "snaive"))
    assert not same_figures(COMMITTED, COMMITTED.replace("2026-02-27", "2026-02-28"))
    assert not same_figures(COMMITTED, COMMITTED.replace("combo 24", "combo 26"))
    assert not same_figures(COMMITTED, COMMITTED.replace(": 2030", ": 2031") + " extra")
    assert not same_figures(COMMITTED, COMMITTED + " 5")


def _figure(values, text: str) -> dict:
    import base64

    import numpy as np

    data = {"dtype": "f8", "bdata": base64.b64encode(np.asarray(values, dtype="f8").tobytes()).decode()}
    return {"cells": [{"outputs": [{"data": {"application/vnd.plotly.v1+json": {"data": [{"y": data}]},
                                             "text/plain": text}}]}]}


def test_a_saved_notebook_may_differ_only_in_a_fitted_models_last_digits():
    from flows.site.printed_figures import same_notebook

    committed = _figure([1.0, 2.0, 3.0], "MASE 0.99 against 1.08")
    assert same_notebook(committed, _figure([1.01, 2.0, 2.97], "MASE 0.99 against 1.08"))  # within 2 %
    assert same_notebook(committed, _figure([1.0, 2.0, 3.0], "MASE 1.00 against 1.08"))  # one unit of the last digit
    assert not same_notebook(committed, _figure([1.05, 2.0, 3.0], "MASE 0.99 against 1.08"))  # 5 %: a real change
    assert not same_notebook(committed, _figure([1.0, 2.0], "MASE 0.99 against 1.08"))
    assert not same_notebook(committed, _figure([1.0, 2.0, 3.0], "sMAPE 0.99 against 1.08"))  # other words
