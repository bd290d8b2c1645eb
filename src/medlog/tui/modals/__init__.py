"""Small dialogs: each asks for one thing, checks it with the same rules as the CLI, and returns it."""
