"""exchange_load: the border information-sharing load (records per day and hour) from forecast paths."""
