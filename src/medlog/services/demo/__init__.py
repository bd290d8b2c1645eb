"""The demo journal: a realistic, seeded life written to its own file (never the user's journal)."""
