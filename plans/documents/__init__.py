"""The plan's documents, one module per output, all built from the same rows.

``planrows`` holds the seven official columns (headings, and reading a row of the plan
workbook back); ``plan_table`` groups a plan into finding blocks with one line per action,
the one place that does; ``xlsx`` writes the plan workbook, ``report`` the print report and
its PDF. A new format is one new module here that takes its rows from ``plan_table``.
"""
