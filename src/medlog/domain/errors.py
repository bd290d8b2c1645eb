"""The errors every layer raises; the CLI turns them into one line on stderr and an exit code."""


class MedlogError(Exception):
    """A failure the user should read about in one line. `exit_code` follows the CLI contract."""

    exit_code = 1


class InputError(MedlogError):
    """Bad input: refused before anything is written (exit 2)."""

    exit_code = 2


class StoreError(MedlogError):
    """The journal file cannot be used as asked: locked, corrupt, read-only, missing, newer (exit 1)."""

    exit_code = 1
