"""The terminal UI (Textual). Screens call services in worker threads; widgets never touch the database."""
