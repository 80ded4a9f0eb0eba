"""Pages of the plans app, one module per audience: staff pages, dashboards, the report."""
