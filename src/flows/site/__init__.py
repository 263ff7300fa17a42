"""site: executes the notebooks and writes the offline HTML report with its index page."""

from flows.errors import ReportError  # noqa: F401 (the public API)
from flows.site.runner import make_report  # noqa: F401
