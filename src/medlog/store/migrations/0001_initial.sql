-- medlog schema version 1. Frozen once released: later changes are new migrations.
-- Instants are UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' (the format SQLModel/SQLAlchemy use), with the IANA zone
-- of entry beside them; journal days are 'YYYY-MM-DD'. Every row has a UUID and soft-delete tombstones.

CREATE TABLE substance (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    name_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('medication', 'supplement')),
    form VARCHAR,
    strength_value FLOAT CHECK (strength_value > 0),
    strength_unit VARCHAR,
    elemental_value FLOAT CHECK (elemental_value > 0),
    elemental_unit VARCHAR,
    reason VARCHAR,
    prescriber VARCHAR,
    notes VARCHAR,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE UNIQUE INDEX substance_live_name ON substance (name_key) WHERE deleted_at IS NULL;

CREATE TABLE substance_alias (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    alias VARCHAR NOT NULL,
    alias_key VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE UNIQUE INDEX substance_alias_live_key ON substance_alias (alias_key) WHERE deleted_at IS NULL;
CREATE INDEX substance_alias_substance ON substance_alias (substance_id);

CREATE TABLE regimen_event (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    kind VARCHAR NOT NULL CHECK (kind IN ('start', 'dose_change', 'schedule_change', 'stop')),
    effective_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    dose_value FLOAT CHECK (dose_value > 0),
    dose_unit VARCHAR,
    schedule VARCHAR,
    note VARCHAR,
    source VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE INDEX regimen_event_substance ON regimen_event (substance_id, effective_at);

CREATE TABLE dose (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    status VARCHAR NOT NULL CHECK (status IN ('taken', 'skipped')),
    occurred_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    amount_value FLOAT,
    amount_unit VARCHAR,
    slot VARCHAR,
    note VARCHAR,
    source VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME,
    CHECK (status = 'skipped' OR amount_value > 0)
);
CREATE INDEX dose_day ON dose (journal_day);
CREATE INDEX dose_substance_day ON dose (substance_id, journal_day, occurred_at);

CREATE TABLE metric (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    key VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    min_value FLOAT NOT NULL,
    max_value FLOAT NOT NULL,
    higher_is_better BOOLEAN NOT NULL,
    whole_numbers BOOLEAN NOT NULL,
    unit VARCHAR NOT NULL,
    builtin BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME,
    CHECK (min_value < max_value)
);
CREATE UNIQUE INDEX metric_live_key ON metric (key) WHERE deleted_at IS NULL;

CREATE TABLE observation (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    value FLOAT NOT NULL,
    journal_day DATE NOT NULL,
    recorded_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
-- One live value per metric and journal day: rating again supersedes (the old row is tombstoned).
CREATE UNIQUE INDEX observation_live_day ON observation (metric_id, journal_day) WHERE deleted_at IS NULL;
CREATE INDEX observation_day ON observation (journal_day);

CREATE TABLE symptom (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    name_key VARCHAR NOT NULL,
    severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
    occurred_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    note VARCHAR,
    source VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE INDEX symptom_day ON symptom (journal_day);

CREATE TABLE note (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    text VARCHAR NOT NULL,
    flagged BOOLEAN NOT NULL,
    occurred_at DATETIME NOT NULL,
    zone VARCHAR NOT NULL,
    journal_day DATE NOT NULL,
    dose_id INTEGER REFERENCES dose (id),
    source VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);
CREATE INDEX note_day ON note (journal_day);

CREATE TABLE rule (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    kind VARCHAR NOT NULL CHECK (kind IN ('daily_max', 'spacing', 'as_needed')),
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    other_substance_id INTEGER REFERENCES substance (id),
    amount_value FLOAT,
    amount_unit VARCHAR,
    hours FLOAT,
    max_per_day INTEGER,
    min_interval_hours FLOAT,
    source_text VARCHAR,
    enabled BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME
);

-- Append-only: what changed, when, in which batch (one command = one batch; undo reverses a batch).
CREATE TABLE change_log (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    batch VARCHAR NOT NULL,
    at DATETIME NOT NULL,
    table_name VARCHAR NOT NULL,
    row_uuid VARCHAR NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before VARCHAR,
    after VARCHAR,
    summary VARCHAR NOT NULL,
    undoes VARCHAR
);
CREATE INDEX change_log_batch ON change_log (batch);
CREATE INDEX change_log_undoes ON change_log (undoes) WHERE undoes IS NOT NULL;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'change_log is append-only');
END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'change_log is append-only');
END;

-- The built-in metrics (DESIGN §3), with fixed UUIDs (uuid5 of 'medlog:metric:<key>') so journals merge.
INSERT INTO metric (uuid, key, label, min_value, max_value, higher_is_better, whole_numbers, unit, builtin,
                    created_at, updated_at) VALUES
    ('3df3fc96-638e-5399-b51a-dbda0e52d41d', 'sleep_hours', 'Sleep hours', 0, 24, 1, 0, 'h', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
    ('7e2b52dc-341e-562e-aaf4-33edd6597425', 'sleep_quality', 'Sleep quality', 0, 10, 1, 1, '', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
    ('5bc67051-88a2-5ac7-bb8b-e8b9e9e2a8f0', 'mood', 'Mood', 0, 10, 1, 1, '', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
    ('39de0549-e0cf-5710-a843-6b254cacdca1', 'anxiety', 'Anxiety', 0, 10, 0, 1, '', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
    ('cd0364bc-1c4d-5c41-9777-3b41cffc8f15', 'pain', 'Pain', 0, 10, 0, 1, '', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
    ('49781c26-a0e9-56ec-85e0-1177e70a8266', 'energy', 'Energy', 0, 10, 1, 1, '', 1,
     '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000');
