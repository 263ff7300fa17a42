"""analysis: the processed table read into monthly series, its audit, trends and the calendar."""
