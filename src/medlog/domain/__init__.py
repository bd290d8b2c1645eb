"""Plain data and rules: no database, no UI, no I/O. Everything here is a pure function or a dataclass."""
