"""flows: official Taiwan–Japan travel statistics, cleaned, modelled and forecast.

Attribution for every figure derived from this package:
"Source: Japan National Tourism Organization (JNTO); Tourism Administration, MOTC (Taiwan)".
"""

import logging

from flows.config import ATTRIBUTION  # noqa: F401 (cited by every chart and table)

# Progress and summaries go to the flows.* loggers; printed only where configured (flows.cli does),
# never by a library call or a notebook, not even a warning through logging's last resort.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
