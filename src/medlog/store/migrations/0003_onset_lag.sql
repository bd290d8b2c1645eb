-- Schema 3: a substance may say how many days after a regimen change its effect can be expected to show
-- (its "onset lag"). `medlog compare` starts the after window that many days after a change; NULL means the
-- default (7 days, analysis/before_after.py). ADD COLUMN keeps every row as it was.
ALTER TABLE substance ADD COLUMN onset_lag_days INTEGER CHECK (onset_lag_days BETWEEN 0 AND 90);
