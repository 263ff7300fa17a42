"""site: executes the notebooks and writes the offline HTML report with its index page."""
