"""viz: the plotly house template and the project's figures, one module per subject."""
