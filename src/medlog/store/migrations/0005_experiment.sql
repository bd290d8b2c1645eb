-- Schema 5: self-experiments (N-of-1). An experiment is a record of how a substance's on and off periods were
-- planned and randomised; the periods themselves are planned start/stop rows in regimen_event, as any plan is.
-- `assignment` is the order drawn, period by period, A = on and B = off, grouped by pair ("AB,BA"); `metrics` the
-- rated metrics' keys, comma-separated; `onset_lag_days` the substance's onset lag when the plan was made (NULL:
-- none set), frozen so that a later change of the substance does not change which days the analysis counts.
-- A stopped experiment keeps its record with `stopped_at`; its status is otherwise derived from the dates.
CREATE TABLE experiment (
    id INTEGER NOT NULL PRIMARY KEY,
    uuid VARCHAR NOT NULL UNIQUE,
    substance_id INTEGER NOT NULL REFERENCES substance (id),
    design VARCHAR NOT NULL CHECK (design IN ('abab', 'abba', 'random-pairs')),
    block_days INTEGER NOT NULL CHECK (block_days BETWEEN 2 AND 90),
    washout_days INTEGER NOT NULL CHECK (washout_days BETWEEN 0 AND 88),
    onset_lag_days INTEGER CHECK (onset_lag_days BETWEEN 0 AND 90),
    pairs INTEGER NOT NULL CHECK (pairs BETWEEN 2 AND 30),
    seed INTEGER NOT NULL,
    assignment VARCHAR NOT NULL CHECK (length(assignment) = 3 * pairs - 1),
    metrics VARCHAR NOT NULL,
    start_day DATE NOT NULL,
    stopped_at DATETIME,
    with_clinician BOOLEAN NOT NULL,
    note VARCHAR,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME,
    CHECK (block_days >= max(washout_days, coalesce(onset_lag_days, 0)) + 2),
    CHECK (design != 'abba' OR pairs % 2 = 0)
);
CREATE INDEX experiment_substance ON experiment (substance_id, start_day);
