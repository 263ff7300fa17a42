"""flows: official Taiwan–Japan travel statistics, cleaned, modelled and forecast.

Attribution for every figure derived from this package:
"Source: Japan National Tourism Organization (JNTO); Tourism Administration, MOTC (Taiwan)".
"""

from flows.config import ATTRIBUTION  # noqa: F401 (cited by every chart and table)

__version__ = "0.1.0"
