"""Use cases: the one API both the CLI and the TUI call. Modules here import nothing heavy at import time."""
