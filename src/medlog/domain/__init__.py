"""Plain data and rules: no database, no UI, no I/O. Pure functions and immutable values (`@record`)."""
