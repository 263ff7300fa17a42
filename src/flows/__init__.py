"""flows: official Taiwan–Japan travel statistics, cleaned, modelled and forecast.

Attribution for every figure derived from this package:
"Source: Japan National Tourism Organization (JNTO); Tourism Administration, MOTC (Taiwan)".
"""

ATTRIBUTION = (
    "Source: Japan National Tourism Organization (JNTO); "
    "Tourism Administration, MOTC (Taiwan)"
)

__version__ = "0.1.0"
