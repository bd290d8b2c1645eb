"""Pure analysis over plain data fed by the store's SQL aggregates: weekly figures, before/after a regimen
change, lagged association. No database, no UI, no side effects at import.

  weekly.py, changes.py   weekly figures and rolling means; the regimen changes in a range
  bootstrap.py            block-bootstrap intervals for daily series; `mean_difference` (after − before)
  before_after.py         `compare`: one metric in the weeks before and after a regimen change, with a verdict
  association.py          `associate`: a substance's daily amount and a metric the same day or the next (Spearman)
  wording.py              one sentence for each result, in words that describe and never claim a cause
  student_t.py            Student's t quantiles (the standard library has none), to widen intervals from few blocks
"""
