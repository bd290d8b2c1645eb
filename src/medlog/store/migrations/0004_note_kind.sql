-- Schema 4: a note may be a question to ask at the next visit ("questions for the visit" in the visit report),
-- told apart from a plain note by `kind` rather than guessed from a trailing "?". Every note written before
-- schema 4 is a plain note, which the default says; ADD COLUMN keeps every row as it was (no table rebuild).
ALTER TABLE note ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'question'));
