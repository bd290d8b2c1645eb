"""The command line: argument parsing and printing. Thin: every decision is in services/ and domain/."""
