"""medlog: a private, local medication and supplement journal for the terminal."""

__version__ = "0.1.0"
