-- Schema 6 (issue 20): what a substance is made of and belongs to, its stock, rules matched by class, and the
-- warnings that fired.
-- * substance.ingredients / classes: comma-separated keys (ingredients as name keys, classes as the class keys of
--   medlog/data/names), from the name dictionary at `substance add` or set by the user. The starter rules match
--   them, so that a brand (Gaviscon) meets the rule its ingredients (magnesium, aluminium) do. NULL: none known.
-- * substance.refill_warn_days (days before the run-out date a refill is asked for; NULL: the default) and the
--   optional prescription details: pharmacy, rx_number, refills_left.
-- * stock_event: a new pack (`add`) or a count (`set`) of a substance, in a unit of its own; on hand is the last
--   `set` plus the packs since, less the doses taken since (store/stock.py). Never negative, never absurd.
-- * rule: the kind `interaction` (a combination worth a warning once, no figures), and `starter`, the id of the
--   starter rule it was copied from (NULL: the user's own), so a starter rule is adopted once per pair. SQLite
--   cannot change a CHECK in place: the table is rebuilt (foreign keys are off during a migration).
-- * rule_warning: each warning that fired — an interaction when its second substance arrived, a dose that broke
--   a timing rule — for the visit report and so that an interaction is told once.
ALTER TABLE substance ADD COLUMN ingredients VARCHAR;
ALTER TABLE substance ADD COLUMN classes VARCHAR;
ALTER TABLE substance ADD COLUMN refill_warn_days INTEGER CHECK (refill_warn_days BETWEEN 0 AND 90);
ALTER TABLE substance ADD COLUMN pharmacy VARCHAR;
ALTER TABLE substance ADD COLUMN rx_number VARCHAR;
ALTER TABLE substance ADD COLUMN refills_left INTEGER CHECK (refills_left BETWEEN 0 AND 99);

CREATE TABLE rule_new (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    kind VARCHAR NOT NULL CHECK (kind IN ('daily_max', 'spacing', 'as_needed', 'interaction')),
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    other_substance_id INTEGER REFERENCES substance (id),
    amount_value FLOAT,
    amount_unit VARCHAR,
    hours FLOAT,
    max_per_day INTEGER,
    min_interval_hours FLOAT,
    source_text VARCHAR,
    enabled BOOLEAN NOT NULL,
    starter VARCHAR,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
INSERT INTO rule_new (id, uuid, kind, substance_id, other_substance_id, amount_value, amount_unit, hours,
                      max_per_day, min_interval_hours, source_text, enabled, created_at, updated_at, deleted_at)
    SELECT id, uuid, kind, substance_id, other_substance_id, amount_value, amount_unit, hours, max_per_day,
           min_interval_hours, source_text, enabled, created_at, updated_at, deleted_at FROM rule;
DROP TABLE rule;
ALTER TABLE rule_new RENAME TO rule;

CREATE TABLE stock_event (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    kind VARCHAR NOT NULL CHECK (kind IN ('add', 'set')),
    occurred_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    amount_value FLOAT NOT NULL CHECK (amount_value >= 0 AND amount_value <= 1000000),
    amount_unit VARCHAR NOT NULL,
    note VARCHAR,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE INDEX stock_event_substance ON stock_event (substance_id, occurred_at);

CREATE TABLE rule_warning (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    rule_id INTEGER NOT NULL REFERENCES rule (id),
    dose_id INTEGER REFERENCES dose (id),
    occurred_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    text VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE INDEX rule_warning_day ON rule_warning (journal_day);
CREATE INDEX rule_warning_rule ON rule_warning (rule_id);
