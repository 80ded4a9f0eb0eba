"""Reading captured statements: on PostgreSQL the reads every page makes are prepared
(``ita_tracker.prepared``) and captured as ``EXECUTE label_…`` without their SQL."""


def reads(sql: str, table: str, label: str) -> bool:
    """Whether a captured statement reads ``table``: named in its SQL, or the execution of
    the prepared statement ``label`` that reads it."""
    return f'FROM "{table}"' in sql or sql.startswith(f"EXECUTE {label}_")
