"""exchange_load: the border information-sharing load (records per day and hour) from forecast paths.

Modules, in the order the data passes through them: ``assumptions`` (the YAML, checked),
``basis`` (the travellers and their forecast), ``records`` (months → days → hours), ``scenarios``,
``hours`` (busiest hour, capacity, surges), ``summaries`` (per path and across paths), ``tables``.
"""

from flows.exchange_load import assumptions, basis, hours, records, scenarios, summaries, tables, whatif  # noqa: F401
